"""What the bench commands (`make bench`) share: a throwaway database to time things in."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def throwaway_database() -> Iterator[None]:
    """A fresh test database for the block, dropped after it whatever happens: a bench loads
    national-scale data without touching the database the settings name."""
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def analyse() -> None:
    """Refresh PostgreSQL's planner statistics, as autovacuum would after a bulk load, so the
    timings are of the plans a settled database gets."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
