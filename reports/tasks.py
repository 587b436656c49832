"""The board summary build as a Celery task: an id in, the actions do the work.

Idempotent: a summary already built, or being built by another live task, is left alone
(`actions.start_build`). Acknowledged late and rejected when its worker is lost, so a worker
killed mid-build hands the message back and another worker builds the summary. Database
errors that pass (a dropped connection, a failover) are retried with backoff; anything else,
and running out of time, fails the summary with the reason, which the page shows.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import actions

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError)
MAX_RETRIES = 3


@shared_task(
    bind=True,
    name="reports.build_board_summary",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=MAX_RETRIES,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    soft_time_limit=settings.REPORTS_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.REPORTS_TASK_TIME_LIMIT,
)
def build_board_summary(self, summary_id: int) -> str:
    summary = actions.start_build(summary_id=summary_id, task_id=self.request.id or "")
    if summary is None:
        return "skipped"
    try:
        actions.build(summary=summary)
    except TRANSIENT_ERRORS as error:
        if self.request.retries >= self.max_retries:
            actions.fail_build(
                summary_id=summary_id,
                error=f"A database error persisted after {self.max_retries} retries: {error}",
            )
            return "failed"
        actions.record_progress(
            summary_id=summary_id, percent=0, message="Retrying after a database error"
        )
        if self.request.is_eager:
            # In-process (no broker): there is no queue to send the retry to, so try again
            # here, counting the attempt.
            again = self.apply(
                args=(summary_id,), task_id=self.request.id, retries=self.request.retries + 1
            )
            return again.result
        raise  # autoretry_for sends it back to the queue, with backoff
    except SoftTimeLimitExceeded:
        actions.fail_build(
            summary_id=summary_id,
            error=f"The build took longer than {settings.REPORTS_TASK_SOFT_TIME_LIMIT} seconds "
            "and was stopped.",
        )
        return "failed"
    except Exception as error:
        logger.exception("Board summary %s failed", summary_id)
        actions.fail_build(summary_id=summary_id, error=f"{type(error).__name__}: {error}")
        return "failed"
    return "done"
