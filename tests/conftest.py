"""Fixtures for the whole suite, and how the suite stays fast.

Reference data, loaded once per worker. Loading the shipped reference data takes seconds (with
the trust list and practice mapping snapshots, ten), and about a hundred tests ask for it. On
PostgreSQL each worker (pytest-xdist gives each its own test database) therefore keeps a copy
of its freshly migrated, empty test database for each kind of reference data its tests ask for
(`reference_data`, `reference_data_with_snapshots`), made with `CREATE DATABASE ... TEMPLATE`
before any test runs, with the data loaded into it once and committed.

Just before pytest-django starts a test's database handling (its `_django_db_helper` fixture,
behind `db`, `transactional_db`, `live_server` and the `django_db` marker), a test that asks for
reference data, directly or through another fixture, is pointed at the copy; when the test
ends it is pointed back at the empty database. A test in a transaction is rolled back as any
test is, so the copy stays exactly as loaded. A transactional test (`transaction=True`,
`transactional_db`, `live_server`) commits, and ends by flushing its database, so it runs on a
throwaway database copied from the copy, dropped afterwards. Tests that do not ask for
reference data never see it: they run on the empty database as before. On other database
engines the data is loaded by the fixture for each test, as it always was.

Passwords are hashed with MD5 in tests: the default hasher costs most of a second per user,
and the suite makes hundreds of users. Hypothesis example counts come from a profile chosen by
HYPOTHESIS_PROFILE (see below).
"""

import os
from dataclasses import dataclass

import pytest
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from systems.reference import LoadSummary, load_reference_data
from systems.roles import ADMINISTRATOR, ANALYST, DESIGNATION_EDITOR, FINANCE_EDITOR
from tests.factories.systems import make_user_with_role

# "ci" runs each property the number of times Hypothesis does by default; "dev" (the default)
# runs fewer for a quick answer; "thorough" is for hunting. Properties that name their own
# `max_examples` keep it (only the damaged-file fuzzing does). No deadline: a database round
# trip on a busy two-core machine can take longer than Hypothesis's 200 ms, and a deadline
# would make such tests flaky.
for profile, examples in (("dev", 25), ("ci", 100), ("thorough", 1000)):
    hypothesis_settings.register_profile(
        profile,
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# The reference fixtures, fullest last: a test that asks for more than one runs on the copy of
# the last it asks for.
REFERENCE_LOADS = {
    "reference_data": {"include_snapshots": False},
    "reference_data_with_snapshots": {"include_snapshots": True},
}


@dataclass(frozen=True)
class ReferenceCopies:
    """A worker's copies of its empty test database, each with one kind of reference data
    loaded (see the module docstring)."""

    empty: str
    names: dict[str, str]
    summaries: dict[str, LoadSummary]


REFERENCE_COPIES = pytest.StashKey[ReferenceCopies]()


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") or marker.args
    ):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


def _reference_copy_for(item: pytest.Item) -> str | None:
    """The reference fixture whose copy `item` runs on, or None to run on the empty database
    (and load any reference data itself)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    asked = [name for name in REFERENCE_LOADS if name in getattr(item, "fixturenames", ())]
    return asked[-1] if asked else None


def _connect_to(name: str) -> None:
    """Point the default connection (and every thread's, which share its settings) at the
    database `name`."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    if connection.settings_dict["NAME"] == name:
        return
    connection.close()
    connection.settings_dict["NAME"] = name
    # Content type ids differ once a transactional test has flushed the empty database
    # (post_migrate makes them again), and the cache is per process, not per database.
    ContentType.objects.clear_cache()


def _copy_database(template: str, name: str) -> None:
    """Database `name`, made anew as a copy of `template`. PostgreSQL copies a database only
    while nobody is connected to it; a thread a test left behind may still be."""
    from django.db import connection

    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [template],
        )
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")


def _drop_database(name: str) -> None:
    from django.db import connection

    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """pytest-django's test database, and beside it a copy with each kind of reference data
    the collected tests ask for, made before any test has touched the database."""
    from django.db import connection

    wanted = {_reference_copy_for(item) for item in request.session.items} - {None}
    if not wanted:
        yield
        return
    empty = connection.settings_dict["NAME"]
    names, summaries = {}, {}
    with django_db_blocker.unblock():
        connection.close()
        for fixture in sorted(wanted):
            names[fixture] = f"{empty}_{fixture}"
            _copy_database(empty, names[fixture])
            _connect_to(names[fixture])
            try:
                summaries[fixture] = load_reference_data(**REFERENCE_LOADS[fixture])
            finally:
                _connect_to(empty)
    request.config.stash[REFERENCE_COPIES] = ReferenceCopies(empty, names, summaries)
    yield
    del request.config.stash[REFERENCE_COPIES]
    with django_db_blocker.unblock():
        _connect_to(empty)
        for name in names.values():
            _drop_database(name)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Just before pytest-django starts a test's database handling, point the connection at
    the reference copy the test asks for (or a throwaway copy of it, for a transactional
    test), and back at the empty database once the test is rolled back or flushed."""
    fixture = (
        _reference_copy_for(request.node) if fixturedef.argname == "_django_db_helper" else None
    )
    if fixture is not None:
        copies = request.config.stash[REFERENCE_COPIES]
        blocker = request.getfixturevalue("django_db_blocker")
        name = copies.names[fixture]
        if _is_transactional(request.node):
            throwaway = f"{copies.empty}_throwaway"
            with blocker.unblock():
                _copy_database(name, throwaway)

            def back_to_empty():
                with blocker.unblock():
                    _connect_to(copies.empty)
                    _drop_database(throwaway)

            name = throwaway
        else:

            def back_to_empty():
                _connect_to(copies.empty)

        # Node finalizers run last first: this one, added before pytest-django's, runs after
        # the test is rolled back or flushed.
        request.node.addfinalizer(back_to_empty)
        _connect_to(name)
    return (yield)


def _reference_summary(request: pytest.FixtureRequest, fixture: str) -> LoadSummary:
    """What loading the reference data for `fixture` reported: from the copy the test runs on,
    or from loading it now."""
    if _reference_copy_for(request.node) != fixture:  # no copy, or a fuller one
        return load_reference_data(**REFERENCE_LOADS[fixture])
    from django.db import connection

    copies = request.config.stash[REFERENCE_COPIES]
    assert connection.settings_dict["NAME"] != copies.empty, "the test is not on a copy"
    return copies.summaries[fixture]


@pytest.fixture
def reference_data(request, db):
    """The shipped reference data, loaded as `make run` loads it, without the trust list and
    practice mapping snapshots."""
    return _reference_summary(request, "reference_data")


@pytest.fixture
def reference_data_with_snapshots(request, db):
    """The shipped reference data with the trust list and practice mapping snapshots: thousands
    of organisations and their memberships."""
    return _reference_summary(request, "reference_data_with_snapshots")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """MD5 instead of PBKDF2's million rounds: users are made in most tests, and what is
    tested is who may do what, not the hash."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


def _role_user_fixture(role: str, name: str):
    """A fixture giving a user who holds `role` (staff when the role works in the admin)."""

    @pytest.fixture(name=name)
    def role_user(db, django_user_model):
        return make_user_with_role(django_user_model, role)

    return role_user


analyst = _role_user_fixture(ANALYST, "analyst")
designation_editor = _role_user_fixture(DESIGNATION_EDITOR, "designation_editor")
finance_editor = _role_user_fixture(FINANCE_EDITOR, "finance_editor")
administrator = _role_user_fixture(ADMINISTRATOR, "administrator")


@pytest.fixture(autouse=True)
def _board_summaries_within_the_request(settings):
    """With no broker, board summaries are built within the request in tests (the running
    site builds them in a background thread; tests/reports/test_pages.py covers that)."""
    settings.REPORTS_BUILD_IN_THREAD = False


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: fragments never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def analyst_client(client, analyst):
    """The test client, logged in as an analyst (who may read every page)."""
    client.force_login(analyst)
    return client
