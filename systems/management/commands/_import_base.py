"""The shared door for the import commands: read the file, report, write all or nothing."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from systems.importers import (
    FORMATS,
    MAX_IMPORT_BYTES,
    ImportHasErrors,
    ImportRefused,
    import_file,
)

MAX_ISSUES_SHOWN = 200


class ImportCommand(BaseCommand):
    format_slug = ""

    @property
    def help(self):
        return f"Import {FORMATS[self.format_slug].label}: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--as-at",
            type=dt.date.fromisoformat,
            help="the date the file describes (YYYY-MM-DD), when the file does not say",
        )
        parser.add_argument(
            "--skip-skippable",
            action="store_true",
            help="skip the rows reported as skippable (Welsh or closed organisations)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change; write nothing"
        )

    def handle(self, *args, path, as_at, skip_skippable, dry_run, **options):
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise CommandError(
                f"{path} is {path.stat().st_size / 1024 / 1024:.0f} MB; files over "
                f"{MAX_IMPORT_BYTES // 1024 // 1024} MB are refused."
            )
        try:
            parsed, summary = import_file(
                self.format_slug,
                path.read_bytes(),
                as_at=as_at,
                skip_skippable=skip_skippable,
                dry_run=dry_run,
                source_note=path.name,
            )
        except ImportRefused as error:
            raise CommandError(f"{path.name}: {error} Nothing was written.") from error
        except ImportHasErrors as refused:
            parsed = refused.parsed
            for issue in parsed.issues[:MAX_ISSUES_SHOWN]:
                marker = "skippable" if issue.skippable else "error"
                self.stderr.write(f"{path.name}: {issue} ({marker})")
            if len(parsed.issues) > MAX_ISSUES_SHOWN:
                self.stderr.write(f"... and {len(parsed.issues) - MAX_ISSUES_SHOWN} more")
            advice = (
                " Use --skip-skippable to import the rest without them."
                if not parsed.errors
                else ""
            )
            raise CommandError(
                f"{path.name}: {len(parsed.errors)} errors, {len(parsed.skippable)} skippable "
                f"rows. Nothing was written.{advice}"
            ) from refused
        self.stdout.write(f"{path.name} describes {parsed.as_at:%d %B %Y}.")
        for line in summary.lines():
            self.stdout.write(line)
        verdict = "Dry run: nothing was written." if dry_run else "Imported."
        self.stdout.write(self.style.SUCCESS(verdict))
