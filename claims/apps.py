from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


def _ensure_roles(sender: AppConfig, **kwargs: object) -> None:
    from claims.roles import ensure_roles

    ensure_roles()


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        # After every migrate, so groups exist on a fresh database (tests included).
        post_migrate.connect(_ensure_roles, sender=self)
        # The admin pages register themselves with admin.site (see claims/admin/__init__.py).
        from django.conf import settings

        from claims.admin import articles, claims, factchecks, ratings, reviews, sources  # noqa: F401
        from language.stance import use_sentence_encoder

        use_sentence_encoder(settings.FACTCHECK_STANCE_SENTENCE_ENCODER)


class EditorsAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the editors-only site (claims/admin/site.py) as `admin.site`."""

    default = False  # named in INSTALLED_APPS; "claims" means ClaimsConfig
    default_site = "claims.admin.site.EditorsAdminSite"
