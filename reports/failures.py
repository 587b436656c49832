"""Why a board summary could not be built, in words for the person who asked for it.

Every reason a summary's page gives for a failed build comes from here. The page is read by
analysts, not by the people who run the servers, so it says what happened and what to do in
plain English; the technical detail (the exception and its traceback) goes to the log.
"""

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

# Database errors that pass (a dropped connection, a failover): the task retries them.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class BuildError(Exception):
    """A failure whose message is already written for the reader of the summary's page."""


class BuildSuperseded(Exception):
    """This attempt no longer owns the build: it fell silent for so long that it was taken
    as stopped, and the build was queued again (or failed). It stops without writing."""


def duration(seconds: int) -> str:
    """'3 minutes', '90 seconds', '1 minute'."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


NOT_QUEUED = (
    "It could not be handed to the service that builds summaries, which may be stopped or "
    "unreachable."
)
FILE_NOT_SAVED = (
    "The finished file could not be saved on the server: the folder for summaries cannot be "
    "written to, or the disk is full."
)


def unexpected(summary_id: int) -> str:
    return (
        "Something went wrong while building it. The details are in the server's log, under "
        f"board summary {summary_id}."
    )


def stalled(*, seconds: int, attempts: int) -> str:
    return (
        f"The build stopped responding: nothing was heard from it for {duration(seconds)}, so "
        "it was taken as stopped (the worker building it may have been restarted or run out "
        f"of memory). It was started {times(attempts)}."
    )


def restarted(*, seconds: int) -> str:
    """The progress message of a stopped build queued again."""
    return f"Queued again: the last attempt stopped responding for {duration(seconds)}"


def not_started(*, seconds: int) -> str:
    return (
        f"No worker started building it within {duration(seconds)} of it being queued: the "
        "service that builds summaries may be stopped or overloaded."
    )


def explain(error: BaseException, *, summary_id: int, retries: int = 0) -> str:
    """The reason to show for a build that raised `error`."""
    if isinstance(error, BuildError):
        return str(error)
    if isinstance(error, SoftTimeLimitExceeded):
        limit = duration(settings.REPORTS_TASK_SOFT_TIME_LIMIT)
        return f"It took longer than {limit} to build, so it was stopped."
    if isinstance(error, TRANSIENT_ERRORS):
        return f"The database could not be reached, even after {retries} retries."
    return unexpected(summary_id)
