"""The board summary build as a Celery task (an id in, the actions do the work), and how a
build reaches a worker (`enqueue_build`, `request_and_queue`).

Idempotent: a summary already built, or being built by another live attempt, is left alone
(`actions.start_build`). Acknowledged late and rejected when its worker is lost, so a message
whose worker was killed goes back to the broker; the build does not wait for that (an hour,
by default, with Redis): its heartbeat falls silent and the watchdog
(`recover_stalled_builds`, below and on every poll of the summary's page) queues it again or
fails it within REPORTS_STALL_SECONDS. Database errors that pass (a dropped connection, a
failover) are retried with backoff; anything else, and running out of time, fails the summary
with a reason in plain English (reports/failures.py), which the page shows; the detail goes
to the log.
"""

import logging
import threading

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_ready
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connections, transaction

from . import actions, failures
from .failures import TRANSIENT_ERRORS, BuildError, BuildSuperseded
from .models import BoardSummary

logger = logging.getLogger(__name__)

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
    task_id = self.request.id or ""
    summary = actions.start_build(
        summary_id=summary_id, task_id=task_id, retry=self.request.retries > 0
    )
    if summary is None:
        return "skipped"
    try:
        actions.write_board_summary(summary=summary)
    except BuildSuperseded:
        logger.warning("Board summary %s: attempt %s was taken as stopped", summary_id, task_id)
        return "superseded"
    except TRANSIENT_ERRORS as error:
        if self.request.retries >= self.max_retries:
            logger.exception("Board summary %s: the database error persisted", summary_id)
            actions.fail_build(
                summary_id=summary_id,
                task_id=task_id,
                error=failures.explain(error, summary_id=summary_id, retries=self.max_retries),
            )
            return "failed"
        actions.record_progress(
            summary_id=summary_id,
            task_id=task_id,
            percent=0,
            message="Retrying after a database error",
        )
        if self.request.is_eager:
            # In-process (no broker): there is no queue to send the retry to, so try again
            # here, counting the attempt.
            again = self.apply(
                args=(summary_id,), task_id=self.request.id, retries=self.request.retries + 1
            )
            return again.result
        raise  # autoretry_for sends it back to the queue, with backoff
    except (BuildError, SoftTimeLimitExceeded) as error:
        logger.warning("Board summary %s failed: %s", summary_id, error, exc_info=True)
        actions.fail_build(
            summary_id=summary_id,
            task_id=task_id,
            error=failures.explain(error, summary_id=summary_id),
        )
        return "failed"
    except Exception as error:
        logger.exception("Board summary %s failed", summary_id)
        actions.fail_build(
            summary_id=summary_id,
            task_id=task_id,
            error=failures.explain(error, summary_id=summary_id),
        )
        return "failed"
    return "done"


@shared_task(name="reports.recover_stalled_builds", ignore_result=True)
def recover_stalled_builds() -> int:
    """The watchdog, for celery beat (CELERY_BEAT_SCHEDULE runs it every minute). Nothing
    depends on beat running: a summary's page checks its own build each time it is polled."""
    return len(actions.recover_stalled_builds(enqueue=enqueue_build))


@worker_ready.connect
def recover_on_worker_start(**kwargs) -> None:
    """A worker starting (again, after its predecessor was killed, say) takes up the builds
    that stopped while none was watching."""
    try:
        recovered = actions.recover_stalled_builds(enqueue=enqueue_build)
    except Exception:  # a worker that cannot reach the database still starts, and says so
        logger.exception("Could not look for stalled board summaries")
        return
    finally:
        connections.close_all()  # the worker's main process keeps no connection open
    if recovered:
        logger.warning("Recovered %s stalled board summaries", len(recovered))


def enqueue_build(summary: BoardSummary) -> None:
    """Send the build to a worker. With no broker it runs in-process: in a background thread
    (REPORTS_BUILD_IN_THREAD, the default, so the page can show its progress) or right now. A
    broker that cannot be reached fails the summary with the reason, so asking again queues
    it again."""
    eager = getattr(build_board_summary.app.conf, "task_always_eager", False)
    if eager and settings.REPORTS_BUILD_IN_THREAD:
        threading.Thread(
            target=_build_in_thread,
            args=(summary.pk,),
            name=f"board-summary-{summary.pk}",
            daemon=True,
        ).start()
        return
    try:
        build_board_summary.delay(summary.pk)
    except Exception as error:  # kombu raises several types for an unreachable broker
        if eager:
            raise
        logger.exception("Could not queue board summary %s: %s", summary.pk, error)
        actions.fail_build(summary_id=summary.pk, error=failures.NOT_QUEUED)


def _build_in_thread(summary_id: int) -> None:
    """The task, run eagerly in this thread; it records its own success or failure."""
    try:
        build_board_summary.apply(args=(summary_id,))
    except Exception:
        logger.exception("Board summary %s failed in its background thread", summary_id)
    finally:
        connections.close_all()  # this thread's own connections


def request_and_queue(requested_by: AbstractBaseUser | None, request: dict) -> BoardSummary:
    """Create or reuse the summary `request` describes (the request form's fields); queue its
    build, when it needs one, after the current transaction commits, so a worker never looks
    for a row it cannot see yet."""
    summary, needs_build = actions.request_board_summary(
        scope=request["scope"],
        as_at=request["as_at"],
        summary_format=request["format"],
        year=request.get("year"),
        region=request.get("region"),
        wave=request.get("wave"),
        system=request.get("system"),
        requested_by=requested_by,
    )
    if needs_build:
        transaction.on_commit(lambda: enqueue_build(summary))
    return summary
