"""Every write to board summaries: requesting one, and each step of building it.

The build's steps are separate short transactions, so the page polling for progress sees each
one as it happens and a crash part way leaves the row saying where it stopped. Each step is
also the build's heartbeat: a build that falls silent has stopped, and the watchdog
(`recover_stalled_builds`) queues it again or fails it. One attempt owns the build at a time
(its task id): an attempt taken as stopped that turns out to be alive finds, at its next step,
that it no longer owns the build, and stops without writing. The file is written beside its
final place under a temporary name and moved into place in one rename, so no reader ever sees
half a file.

A summary's *build* is its life from queued to ready or failed, recorded on its row;
`write_board_summary` is the step of it that composes the paper (reports/paper.py) and writes
the file. Nothing here sends work to a worker: that is reports/tasks.py, which calls these
actions; the watchdog is handed the sending function (`enqueue`) rather than importing it.
"""

import datetime as dt
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.caching import data_version
from finance.models import FinancialYear
from systems.models import Region, System, Wave

from . import failures
from .failures import BuildError, BuildSuperseded
from .models import BoardSummary, BuildStatus, Scope, summary_key
from .paper import compose_document, write_document
from .sections import SummaryScope

logger = logging.getLogger(__name__)

FILE_DIRECTORY = "board-summaries"

# Sends a summary's build to a worker: `tasks.enqueue_build`, passed in by the callers, so
# that the writes here never import the tasks that call them.
Enqueue = Callable[[BoardSummary], None]


def _scope_object(scope: str, region, wave, system):
    objects = {Scope.REGION: region, Scope.WAVE: wave, Scope.SYSTEM: system}
    named = [value for value in (region, wave, system) if value is not None]
    if scope == Scope.ALL:
        if named:
            raise ValueError("A summary of all systems names no region, wave or system.")
        return None
    if scope not in objects:
        raise ValueError(f"Unknown scope {scope!r}")
    if objects[scope] is None or len(named) != 1:
        raise ValueError(f"A {scope} summary must name one {scope} and nothing else.")
    return objects[scope]


@transaction.atomic
def request_board_summary(
    *,
    scope: str,
    as_at: dt.date,
    summary_format: str,
    year: FinancialYear | None = None,
    region: Region | None = None,
    wave: Wave | None = None,
    system: System | None = None,
    requested_by: AbstractBaseUser | None = None,
) -> tuple[BoardSummary, bool]:
    """The summary for this scope, year, date and format against today's data, and whether
    it needs building: True for a new one or one whose last build failed (queued again),
    False for one already queued, being built or done, which is reused, not built twice."""
    scope_object = _scope_object(scope, region, wave, system)
    version = data_version()
    key = summary_key(
        scope=scope,
        scope_object=scope_object,
        year=year,
        as_at=as_at,
        summary_format=summary_format,
        data_version=version,
    )
    defaults = {
        "scope": scope,
        "region": region,
        "wave": wave,
        "system": system,
        "year": year,
        "as_at": as_at,
        "format": summary_format,
        "data_version": version,
        "requested_by": requested_by,
    }
    try:
        # A savepoint, so that losing a race for the unique key leaves the transaction usable.
        with transaction.atomic():
            summary, created = BoardSummary.objects.get_or_create(key=key, defaults=defaults)
    except IntegrityError:
        summary, created = BoardSummary.objects.get(key=key), False
    if created:
        return summary, True
    summary = BoardSummary.objects.select_for_update().get(pk=summary.pk)
    if summary.status == BuildStatus.FAILED:
        summary.status = BuildStatus.QUEUED
        summary.progress = 0
        summary.progress_message = "Queued again after a failure"
        summary.error = ""
        summary.requested_by = requested_by or summary.requested_by
        summary.requested_at = timezone.now()
        summary.heartbeat_at = summary.requested_at
        summary.restarts = 0
        summary.save()
        return summary, True
    return summary, False


@transaction.atomic
def start_build(*, summary_id: int, task_id: str, retry: bool = False) -> BoardSummary | None:
    """Mark the summary as being built by this task, or return None when there is nothing to
    do: it is done, it failed (it is built again only when someone asks again), or another
    attempt is building it now.

    A build marked running is alive while its heartbeat is recent, whichever task it is: a
    message handed out again while its first worker is still building is skipped, so one
    summary is never built twice at once. A silent one has stopped (its worker was killed
    before acknowledging the message) and this task takes over. A retry of the running task
    itself (after a database error) carries on at once.
    """
    summary = BoardSummary.objects.select_for_update().filter(pk=summary_id).first()
    if summary is None or summary.status in (BuildStatus.DONE, BuildStatus.FAILED):
        return None
    alive = summary.status == BuildStatus.RUNNING and not summary.is_stalled()
    if alive and not (retry and summary.task_id == task_id):
        return None
    now = timezone.now()
    summary.status = BuildStatus.RUNNING
    summary.task_id = task_id
    summary.attempts += 1
    summary.started_at = now
    summary.heartbeat_at = now
    summary.finished_at = None
    summary.progress = 1
    summary.progress_message = "Started"
    summary.error = ""
    summary.save()
    return summary


def record_progress(*, summary_id: int, task_id: str, percent: int, message: str) -> None:
    """One short write, committed at once, for the polling page to read; the build's
    heartbeat. Raises BuildSuperseded when this attempt no longer owns the build."""
    owned = BoardSummary.objects.filter(
        pk=summary_id, status=BuildStatus.RUNNING, task_id=task_id
    ).update(
        progress=max(0, min(int(percent), 99)),
        progress_message=message[:200],
        heartbeat_at=timezone.now(),
    )
    if not owned:
        raise BuildSuperseded(f"Board summary {summary_id} is no longer built by {task_id}")


@transaction.atomic
def fail_build(*, summary_id: int, error: str, task_id: str | None = None) -> None:
    """Fail the summary with `error`, a reason written for its page (reports/failures.py).
    With a task id, only while that attempt still owns the build."""
    unfinished = BoardSummary.objects.filter(pk=summary_id).exclude(status=BuildStatus.DONE)
    if task_id is not None:
        unfinished = unfinished.filter(status=BuildStatus.RUNNING, task_id=task_id)
    unfinished.update(
        status=BuildStatus.FAILED,
        error=error[:5000],
        progress_message="Failed",
        finished_at=timezone.now(),
    )


def recover_stalled_builds(
    *, enqueue: Enqueue, summary_ids: list[int] | None = None
) -> list[BoardSummary]:
    """The watchdog: every summary queued or being built that has been silent for longer than
    REPORTS_STALL_SECONDS (of `summary_ids`, or all), queued again (sent with `enqueue`) or
    failed. Returns them."""
    stalled = BoardSummary.objects.stalled()
    if summary_ids is not None:
        stalled = stalled.filter(pk__in=summary_ids)
    recovered = []
    for summary_id in stalled.values_list("pk", flat=True):
        summary = recover_stalled_build(summary_id=summary_id, enqueue=enqueue)
        if summary is not None:
            recovered.append(summary)
    return recovered


@transaction.atomic
def recover_stalled_build(*, summary_id: int, enqueue: Enqueue) -> BoardSummary | None:
    """Queue a stopped build again (at most REPORTS_STALL_RESTARTS times since it was asked
    for; `enqueue` sends it once this transaction commits), or fail it saying why. A queued
    summary no worker started is failed: sending it again would not start one. None when it
    is not (or no longer) stalled: another process got there first, or the build spoke up."""
    summary = (
        BoardSummary.objects.select_for_update(skip_locked=True)
        .stalled()
        .filter(pk=summary_id)
        .first()
    )
    if summary is None:
        return None
    seconds = settings.REPORTS_STALL_SECONDS
    now = timezone.now()
    if summary.status == BuildStatus.QUEUED:
        logger.warning("Board summary %s: no worker started it in %s s", summary_id, seconds)
        summary.status = BuildStatus.FAILED
        summary.error = failures.not_started(seconds=seconds)
    elif summary.restarts < settings.REPORTS_STALL_RESTARTS:
        logger.warning("Board summary %s: %s stopped; queued again", summary_id, summary.task_id)
        summary.status = BuildStatus.QUEUED
        summary.restarts += 1
        summary.task_id = ""
        summary.progress = 0
        summary.progress_message = failures.restarted(seconds=seconds)
        summary.heartbeat_at = now
        summary.save()
        transaction.on_commit(lambda: enqueue(summary))
        return summary
    else:
        logger.warning("Board summary %s: build %s stopped; failed", summary_id, summary.task_id)
        summary.status = BuildStatus.FAILED
        summary.error = failures.stalled(seconds=seconds, attempts=summary.attempts)
    summary.progress_message = "Failed"
    summary.finished_at = now
    summary.save()
    return summary


def _partial_prefix(summary_id: int) -> str:
    return f".partial-{summary_id}-"


def _remove_partials(directory: Path, summary_id: int) -> None:
    """A worker killed mid-write leaves its temporary file; the next attempt removes it."""
    for leftover in directory.glob(_partial_prefix(summary_id) + "*"):
        leftover.unlink(missing_ok=True)


def write_board_summary(*, summary: BoardSummary, charts: bool | None = None) -> BoardSummary:
    """Compose the document, write it under a temporary name, move it into place and mark the
    summary done, all or nothing: on any error the temporary file is removed and the summary
    keeps no file. Run by the attempt that started it (`start_build`); raises
    BuildSuperseded, having written nothing, once another owns it."""
    summary_id = summary.pk
    task_id = summary.task_id
    charts = settings.REPORTS_CHARTS if charts is None else charts

    def progress(percent: int, message: str) -> None:
        record_progress(summary_id=summary_id, task_id=task_id, percent=percent, message=message)

    requested_by = summary.requested_by.get_username() if summary.requested_by else ""
    document = compose_document(
        SummaryScope.of(summary),
        generated_on=timezone.localdate(summary.requested_at),
        requested_by=requested_by,
        progress=progress,
    )
    name = f"{FILE_DIRECTORY}/{summary_id}-{summary.download_name}"
    directory = Path(default_storage.path(FILE_DIRECTORY))
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _remove_partials(directory, summary_id)
        handle, temporary = tempfile.mkstemp(
            prefix=_partial_prefix(summary_id), suffix=f".{summary.format}", dir=directory
        )
        os.close(handle)
    except OSError as error:
        raise BuildError(failures.FILE_NOT_SAVED) from error
    temporary = Path(temporary)
    try:
        write_document(document, summary.format, temporary, charts=charts, progress=progress)
        progress(95, "Saving the file")
        try:
            with open(temporary, "rb") as written:
                os.fsync(written.fileno())
        except OSError as error:
            raise BuildError(failures.FILE_NOT_SAVED) from error
        final = Path(default_storage.path(name))
        try:
            return _finish(
                summary_id=summary_id, task_id=task_id, temporary=temporary, final=final, name=name
            )
        except BuildSuperseded:
            raise  # the file in place, if any, is the owner's
        except Exception:
            final.unlink(missing_ok=True)  # moved into place, but the row could not say so
            raise
    finally:
        temporary.unlink(missing_ok=True)


@transaction.atomic
def _finish(
    *, summary_id: int, task_id: str, temporary: Path, final: Path, name: str
) -> BoardSummary:
    """Move the file into place and mark the summary done, holding its row: an attempt that
    no longer owns the build never replaces the file of the one that does."""
    summary = BoardSummary.objects.select_for_update().get(pk=summary_id)
    if summary.status != BuildStatus.RUNNING or summary.task_id != task_id:
        raise BuildSuperseded(f"Board summary {summary_id} is no longer built by {task_id}")
    try:
        os.replace(temporary, final)
    except OSError as error:
        raise BuildError(failures.FILE_NOT_SAVED) from error
    summary.file.name = name
    summary.status = BuildStatus.DONE
    summary.progress = 100
    summary.progress_message = "Ready"
    summary.finished_at = timezone.now()
    summary.heartbeat_at = summary.finished_at
    summary.save()
    return summary
