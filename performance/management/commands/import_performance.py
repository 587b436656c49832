from performance.importers import import_observations
from performance.reference import load_standards
from systems.management.commands._import_base import FileImportCommand


class Command(FileImportCommand):
    help = (
        "Import providers' monthly performance against the national standards from CSV "
        "(columns: standard, provider_ods_code, month, numerator, denominator, and optionally "
        "source): all rows or none."
    )

    def run_import(self, raw, *, path, dry_run, **options):
        load_standards()
        return import_observations(raw, source=path.name, dry_run=dry_run)
