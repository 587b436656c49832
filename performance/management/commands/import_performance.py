from performance.importers import import_observations
from performance.published import FORMATS
from performance.reference import load_standards
from systems.management.commands._import_base import FileImportCommand


class Command(FileImportCommand):
    help = (
        "Import providers' monthly performance against the national standards: all rows or "
        "none. By default from the project's CSV (columns: standard, provider_ods_code, month, "
        "numerator, denominator, and optionally source); with --format, from a file as NHS "
        "England publishes it: ae (monthly A&E provider CSV), rtt (RTT full CSV data file, "
        "incomplete pathways), cwt (Cancer Waiting Times provider extract saved as CSV)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--format",
            choices=["observations", *FORMATS],
            default="observations",
            help="the kind of file (default: the project's own observations CSV)",
        )
        parser.add_argument(
            "--skip-skippable",
            action="store_true",
            help="with --format: skip the rows of providers the database does not know",
        )

    def run_import(self, raw, *, path, dry_run, format, skip_skippable, **options):
        load_standards()
        if format == "observations":
            return import_observations(raw, source=path.name, dry_run=dry_run)
        return FORMATS[format](
            raw, source_note=path.name, dry_run=dry_run, skip_skippable=skip_skippable
        )
