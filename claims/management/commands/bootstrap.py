"""Prepares a fresh installation: the data folder and secret key, the database tables,
roles, the demo article, a reviewer and an editor, schedules. Safe to run again."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand

from claims.roles import EDITORS, REVIEWERS, ensure_roles
from claims.schedules import ensure_periodic_tasks
from claims.services.articles import article_ingest_text
from claims.services.ratings import rating_scale_seed
from factcheck.datadir import prepare_data_dir

# (username option, default username, groups, staff): who bootstrap creates.
ACCOUNTS = (
    ("username", "reviewer", (REVIEWERS,), False),
    ("editor_username", "editor", (EDITORS,), True),
)


class Command(BaseCommand):
    help = (
        "Create the data folder and secret key, migrate, create roles, load the demo article "
        "with its claims, and two accounts: a reviewer (reviewers only) and an editor "
        "(editors, admin)."
    )
    # The checks would run before the data folder exists (SQLite lives in it).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--username", default="reviewer", help="the reviewer's username")
        parser.add_argument(
            "--editor-username", dest="editor_username", default="editor", help="the editor's"
        )
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo article.")
        parser.add_argument(
            "--no-research", action="store_true", help="Load the demo without queueing research."
        )

    def handle(self, *args, no_demo: bool, no_research: bool, **options):
        for path in prepare_data_dir():
            self.stdout.write(f"Created {path}")
        call_command("migrate", interactive=False, verbosity=0)
        ensure_roles()
        ensure_periodic_tasks()
        rating_scale_seed()
        if not no_demo:
            text = settings.FACTCHECK_SEED_ARTICLE.read_text(encoding="utf-8")
            article = article_ingest_text(
                text=text,
                url="https://english.iswnews.com/?p=39058",
                publisher="IUVM / ISW News",
                research=not no_research,
            )
            self.stdout.write(f"Demo article: {article.title} ({article.claims.count()} claims)")

        created = []
        User = get_user_model()
        for option, _default, groups, staff in ACCOUNTS:
            username = options[option]
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"Account {username!r} exists (password unchanged).")
                continue
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(username=username, password=password, is_staff=staff)
            user.groups.add(*Group.objects.filter(name__in=groups))
            role = ", ".join(groups) + (" (admin)" if staff else "")
            self.stdout.write(
                self.style.SUCCESS(f"Created {role} account {username!r} with password {password}")
            )
            created.append(username)
        if created:
            self.stdout.write(
                "These passwords are shown only once. Change one with: "
                + " or ".join(f"python manage.py changepassword {name}" for name in created)
            )
