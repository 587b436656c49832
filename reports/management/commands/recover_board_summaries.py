"""Take up board summaries whose build has stopped: queue each again, or fail it saying why.

    python manage.py recover_board_summaries

The same watchdog runs whenever a summary's page is polled, when a worker starts and, if
celery beat runs, every minute; this command is for cron or a person, when none of those is
about to happen.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from reports.actions import recover_stalled_builds
from reports.failures import duration
from reports.models import BuildStatus
from reports.tasks import enqueue_build


class Command(BaseCommand):
    help = "Queue again, or fail, board summaries whose build has been silent too long."

    def handle(self, *args, **options):
        recovered = recover_stalled_builds(enqueue=enqueue_build)
        silent = duration(settings.REPORTS_STALL_SECONDS)
        if not recovered:
            self.stdout.write(f"No board summary has been silent for more than {silent}.")
        for summary in recovered:
            if summary.status == BuildStatus.QUEUED:
                outcome = "queued again"
            else:
                outcome = f"failed: {summary.error}"
            self.stdout.write(f"Board summary {summary.pk} ({summary}): {outcome}")
