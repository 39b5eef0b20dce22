"""Commands with a --json flag answer in JSON even when they fail."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError


class ReportedFailure(CommandError):
    """A failure the command already reported in its output (e.g. --strict): exit only."""


class JsonCommand(BaseCommand):
    """With the JSON flag set, an error is written to stdout as {"error": ..., "code": ...}.

    The exit status stays non-zero. `json_flag` names the option that asks for JSON.
    """

    json_flag = "as_json"

    def execute(self, *args, **options):
        if not options.get(self.json_flag):
            return super().execute(*args, **options)
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not isinstance(exc, ReportedFailure):
                error = {"error": str(exc), "code": exc.returncode}
                self.stdout.write(json.dumps(error, ensure_ascii=False))
            if getattr(self, "_called_from_command_line", False):
                sys.exit(exc.returncode)
            raise
