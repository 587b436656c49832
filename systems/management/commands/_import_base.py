"""The shared door for the import commands: read the file, report, write all or nothing.

`FileImportCommand` is the door for any app's importer (performance's `import_performance`
uses it): it checks the file, calls `run_import`, prints every row error with its row number,
column and reason, and says what was written. `ImportCommand` is the door for the reference
file formats of `systems.importers`.
"""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from systems.importers import (
    FORMATS,
    MAX_IMPORT_BYTES,
    ImportHasErrors,
    ImportRefused,
    ImportSummary,
    ParsedFile,
    import_file,
)

MAX_ISSUES_SHOWN = 200


class FileImportCommand(BaseCommand):
    """Import one file: subclasses add their options and implement `run_import`."""

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change; write nothing"
        )

    def run_import(
        self, raw: bytes, *, path: Path, dry_run: bool, **options
    ) -> tuple[ParsedFile, ImportSummary]:
        """Parse and write the file; raise ImportRefused or ImportHasErrors to write nothing."""
        raise NotImplementedError

    def report_success(self, path: Path, parsed: ParsedFile, summary: ImportSummary) -> None:
        for line in summary.lines():
            self.stdout.write(line)

    def handle(self, *args, path, dry_run, **options):
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise CommandError(
                f"{path.name} is {path.stat().st_size / 1024 / 1024:.0f} MB; files over "
                f"{MAX_IMPORT_BYTES // 1024 // 1024} MB are refused. Nothing was written."
            )
        try:
            parsed, summary = self.run_import(
                path.read_bytes(), path=path, dry_run=dry_run, **options
            )
        except ImportRefused as error:
            raise CommandError(f"{path.name}: {error} Nothing was written.") from error
        except ImportHasErrors as refused:
            raise CommandError(self.report_refusal(path, refused.parsed)) from refused
        self.report_success(path, parsed, summary)
        verdict = "Dry run: nothing was written." if dry_run else "Imported."
        self.stdout.write(self.style.SUCCESS(verdict))

    def report_refusal(self, path: Path, parsed: ParsedFile) -> str:
        """Write the file's issues to stderr; return what the command fails with."""
        self.write_issues(
            path,
            [f"{issue} ({'skippable' if issue.skippable else 'error'})" for issue in parsed.issues],
        )
        advice = (
            " Use --skip-skippable to import the rest without them." if not parsed.errors else ""
        )
        return (
            f"{path.name}: {len(parsed.errors)} errors, {len(parsed.skippable)} skippable "
            f"rows. Nothing was written.{advice}"
        )

    def write_issues(self, path: Path, lines: list[str]) -> None:
        """The first MAX_ISSUES_SHOWN issues, each on its own line, and how many more."""
        for line in lines[:MAX_ISSUES_SHOWN]:
            self.stderr.write(f"{path.name}: {line}")
        if len(lines) > MAX_ISSUES_SHOWN:
            self.stderr.write(f"... and {len(lines) - MAX_ISSUES_SHOWN} more")


class ImportCommand(FileImportCommand):
    format_slug = ""

    @property
    def help(self):
        return f"Import {FORMATS[self.format_slug].label}: all rows or none."

    def add_arguments(self, parser):
        super().add_arguments(parser)
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
            "--complete-extract",
            action="store_true",
            help="the file is a complete national extract: end the memberships of every "
            "organisation it does not list, however many",
        )

    def run_import(self, raw, *, path, dry_run, as_at, skip_skippable, complete_extract, **options):
        return import_file(
            self.format_slug,
            raw,
            as_at=as_at,
            skip_skippable=skip_skippable,
            dry_run=dry_run,
            complete_extract=complete_extract,
            source_note=path.name,
        )

    def report_success(self, path, parsed, summary):
        self.stdout.write(f"{path.name} describes {parsed.as_at:%d %B %Y}.")
        super().report_success(path, parsed, summary)
        if summary.closing_warning():
            self.stdout.write(self.style.WARNING(summary.closing_warning()))
