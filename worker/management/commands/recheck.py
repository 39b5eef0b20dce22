"""python manage.py recheck [--due | --all | --source ID] [--wait] [--json]"""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from claims import queue
from claims.management.json_commands import JsonCommand
from claims.models import Source
from worker import recheck
from worker.tasks.recheck import RECHECK_BATCH


class Command(JsonCommand):
    help = (
        "Re-check tracked sources: the due ones (default), all of them, or one. Without "
        "--wait the work is queued for the workers; with --wait it runs here and now."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--due", action="store_true", help="sources whose check is due")
        which.add_argument(
            "--all", dest="all_sources", action="store_true", help="every source backing a claim"
        )
        which.add_argument("--source", type=int, metavar="ID", help="this source only")
        parser.add_argument("--wait", action="store_true", help="run now and print the totals")
        parser.add_argument("--json", dest="as_json", action="store_true", help="print JSON")
        parser.add_argument("--batch-size", type=int, default=recheck.BATCH_SIZE)

    def handle(self, *args, due, all_sources, source, wait, as_json, batch_size, **options):
        if source is not None and not Source.objects.filter(pk=source).exists():
            raise CommandError(f"No source with id {source}.")
        if wait:
            if source is not None:
                totals = recheck.recheck_sources([source])
            elif all_sources:
                totals = recheck.recheck_all_now(batch_size=batch_size)
            else:
                totals = recheck.recheck_due_now(batch_size=batch_size)
            result = totals.as_dict()
            if as_json:
                self.stdout.write(json.dumps(result))
            else:
                self.stdout.write(", ".join(f"{name}: {n}" for name, n in result.items()))
            return

        if source is not None:
            queue.enqueue(queue.RECHECK_SOURCE, source)
            queued = 1
        else:
            ids = recheck.trackable_source_ids() if all_sources else recheck.lease_due(limit=10**9)
            for batch in recheck.chunked(ids, batch_size):
                queue.enqueue(RECHECK_BATCH, batch)
            queued = len(ids)
        if as_json:
            self.stdout.write(json.dumps({"queued": queued}))
        else:
            self.stdout.write(f"Queued {queued} source(s) for a re-check.")
