"""One import at a time, whichever app's and from whichever process.

Two imports running together would each read the memberships (or figures) as they were before
either wrote, and each close and open rows by that picture: interleaved, the result matches
neither file. Every importer's write transaction starts with `hold_import_lock()`: a second
import waits until the first has committed or rolled back, then reads what the first wrote, and
gives up with a clear refusal if that takes too long.
"""

import time

from django.db import OperationalError, connection
from django.db.models import F

from .base import ImportRefused

# PostgreSQL advisory locks are keyed by a number; this one is the importers' own.
ADVISORY_KEY = 7_240_011
WAIT_SECONDS = 20.0
POLL_SECONDS = 0.2
BUSY = "Another import is running; nothing was written. Try again when it has finished."


def hold_import_lock() -> None:
    """Take the import lock for the rest of the current transaction (call it first thing inside
    `transaction.atomic()`); raises ImportRefused if another import still holds it after
    WAIT_SECONDS."""
    if connection.vendor == "postgresql":
        deadline = time.monotonic() + WAIT_SECONDS
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_KEY])
                if cursor.fetchone()[0]:
                    return
                if time.monotonic() >= deadline:
                    raise ImportRefused(BUSY)
                time.sleep(POLL_SECONDS)
    # SQLite lets one connection write at a time, and a transaction holds that right from its
    # first write to its end. An update that matches no row takes it now: a second import
    # waits for it (up to the connection's timeout) before it has read anything.
    from core.models import DataVersion

    try:
        DataVersion.objects.filter(pk=0).update(version=F("version"))
    except OperationalError as error:
        raise ImportRefused(BUSY) from error
