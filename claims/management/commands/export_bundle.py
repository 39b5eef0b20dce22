"""`manage.py export_bundle CLAIM_ID OUT.wacz`: a claim's evidence bundle as a WACZ file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.models import Claim
from claims.selectors.bundle import BundleError, claim_bundle


class Command(BaseCommand):
    help = "Write the evidence bundle (WACZ) of a claim's current verdict to a file."

    def add_arguments(self, parser):
        parser.add_argument("claim_id", type=int)
        parser.add_argument("out", metavar="OUT.wacz")

    def handle(self, *args, **options):
        claim = Claim.objects.select_related("article").filter(pk=options["claim_id"]).first()
        if claim is None:
            raise CommandError(f"no claim {options['claim_id']}")
        try:
            data, _name = claim_bundle(claim=claim)
        except BundleError as exc:
            raise CommandError(str(exc)) from exc
        out = Path(options["out"])
        try:
            out.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from exc
        self.stdout.write(f"{out}: {len(data)} bytes")
