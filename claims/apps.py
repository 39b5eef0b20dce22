from django.apps import AppConfig
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
