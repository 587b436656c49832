from django.core.management.base import BaseCommand, CommandError

from systems.reference import ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = "Load the shipped reference data (regions, footprints, systems, waves...). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-snapshots",
            action="store_true",
            help="skip the shipped trust list and practice mapping (member organisations)",
        )

    def handle(self, *args, no_snapshots, **options):
        try:
            summary = load_reference_data(include_snapshots=not no_snapshots)
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Reference data loaded: {summary.changed()} rows written.")
        )
