from django.core.management.base import CommandError

from finance.importers import financial_year, import_control_totals
from finance.reference import load_financial_years
from systems.management.commands._import_base import FileImportCommand


class Command(FileImportCommand):
    help = (
        "Import organisations' control totals, plans and outturns for one financial year from "
        "CSV (columns: ods_code, control_total, plan, outturn, and optionally accepted, "
        "funding_available, funding_linked_share): all rows or none."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--year", required=True, help="the financial year, e.g. 2018-19")

    def handle(self, *args, year, **options):
        load_financial_years()
        try:
            self.year = financial_year(year)
        except ValueError as error:
            raise CommandError(str(error)) from error
        super().handle(*args, **options)

    def run_import(self, raw, *, path, dry_run, **options):
        return import_control_totals(raw, year=self.year, source=path.name, dry_run=dry_run)

    def report_success(self, path, parsed, counts):
        self.stdout.write(counts.line(self.year))

    def report_refusal(self, path, parsed):
        self.write_issues(path, [str(issue) for issue in parsed.errors])
        errors = f"{len(parsed.errors)} error{'s' if len(parsed.errors) != 1 else ''}"
        return f"{path.name}: {errors}. Nothing was written."
