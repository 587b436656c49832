from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from finance.importers import ImportHasErrors, ImportRefused, financial_year, import_control_totals
from finance.reference import load_financial_years
from systems.importers import MAX_IMPORT_BYTES

MAX_ISSUES_SHOWN = 200


class Command(BaseCommand):
    help = (
        "Import organisations' control totals, plans and outturns for one financial year from "
        "CSV (columns: ods_code, control_total, plan, outturn, and optionally accepted, "
        "funding_available, funding_linked_share): all rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--year", required=True, help="the financial year, e.g. 2018-19")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change; write nothing"
        )

    def handle(self, *args, path, year, dry_run, **options):
        load_financial_years()
        try:
            year = financial_year(year)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise CommandError(
                f"{path.name} is {path.stat().st_size / 1024 / 1024:.0f} MB; files over "
                f"{MAX_IMPORT_BYTES // 1024 // 1024} MB are refused. Nothing was written."
            )
        try:
            _, counts = import_control_totals(
                path.read_bytes(), year=year, source=path.name, dry_run=dry_run
            )
        except ImportRefused as error:
            raise CommandError(f"{path.name}: {error} Nothing was written.") from error
        except ImportHasErrors as refused:
            issues = refused.parsed.errors
            for issue in issues[:MAX_ISSUES_SHOWN]:
                self.stderr.write(f"{path.name}: {issue}")
            if len(issues) > MAX_ISSUES_SHOWN:
                self.stderr.write(f"... and {len(issues) - MAX_ISSUES_SHOWN} more")
            errors = f"{len(issues)} error{'s' if len(issues) != 1 else ''}"
            raise CommandError(f"{path.name}: {errors}. Nothing was written.") from refused
        self.stdout.write(counts.line(year))
        verdict = "Dry run: nothing was written." if dry_run else "Imported."
        self.stdout.write(self.style.SUCCESS(verdict))
