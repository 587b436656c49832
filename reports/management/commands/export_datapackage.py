"""Write the data package for a date to a zip, the same download the data page offers.

    python manage.py export_datapackage --as-at 2019-07-01 --output ics-tracker-2019-07-01.zip

The date defaults to today; it is read as every page reads `?as_at=` (core.as_at).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.as_at import parse_as_at
from reports.datapackage import build_package, package_name


class Command(BaseCommand):
    help = (
        "Write systems, memberships, statuses, designations, performance and finance as at a "
        "date to a zip of CSVs with datapackage.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-at", help="the date, YYYY-MM-DD (default: today)")
        parser.add_argument("--output", help="the zip to write (default: ics-tracker-DATE.zip)")

    def handle(self, *args, as_at=None, output=None, **options):
        try:
            day = parse_as_at(as_at) if as_at else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"“{as_at}” is not a date we can export ({error}).") from error
        path = Path(output or f"{package_name(day)}.zip")
        path.write_bytes(build_package(day))
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} (as at {day.isoformat()})."))
