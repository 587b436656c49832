"""No file of any bytes makes an importer raise anything but its own refusal (ImportRefused for
a file unreadable as a whole, ImportHasErrors for bad rows); and imports run one at a time."""

import contextlib
import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance.importers import import_control_totals
from finance.models import FinancialYear
from performance.importers import import_observations
from performance.models import Observation
from systems.importers import ImportHasErrors, ImportRefused, import_file, lock
from tests.factories.systems import OrganisationFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
OBSERVATIONS = (
    b"standard,provider_ods_code,month,numerator,denominator,source\r\n"
    b"ae-4-hour,RX3,2019-04,900,1000,NHS England\r\n"
    b"rtt-18-weeks,RX6,2019-05,80,100,\r\n"
)
CONTROL_TOTALS = (
    b"ods_code,control_total,plan,outturn,accepted,funding_available,funding_linked_share\r\n"
    b'RX3,"-1,200",(1100),-900.5,yes,"2,000",0.5\r\n'
    b"RX6,500,500,600,no,,\r\n"
)


def _year():
    return FinancialYear.objects.get(start_year=2018)


# Each importer as the commands and the upload call it, writing nothing (a dry run does all
# the work, database writes included, then rolls back), and a good file to damage.
IMPORTERS = {
    "practice-mapping": (
        lambda raw: import_file("practice-mapping", raw, dry_run=True),
        (FIXTURES / "gp-reg-pat-prac-map-jan22-sample.csv").read_bytes(),
    ),
    "ods-trusts": (
        lambda raw: import_file(
            "ods-trusts", raw, as_at=dt.date(2020, 10, 1), skip_skippable=True, dry_run=True
        ),
        (FIXTURES / "etr-sample.csv").read_bytes(),
    ),
    "ons-lookup": (
        lambda raw: import_file("ons-lookup", raw, dry_run=True),
        (FIXTURES / "ons-stp18-sample.csv").read_bytes(),
    ),
    "control-totals": (
        lambda raw: import_control_totals(raw, year=_year(), source="fuzz.csv", dry_run=True),
        CONTROL_TOTALS,
    ),
    "performance-observations": (
        lambda raw: import_observations(raw, source="fuzz.csv", dry_run=True),
        OBSERVATIONS,
    ),
}


@st.composite
def damaged(draw, good: bytes) -> bytes:
    """A good file with one cell replaced by any text, cut short anywhere, with any bytes
    spliced in anywhere, re-encoded; or any bytes at all."""
    how = draw(st.sampled_from(["cell", "cut", "splice", "encoding", "anything"]))
    if how == "anything":
        return draw(st.binary(max_size=3000))
    if how == "cut":
        return good[: draw(st.integers(0, len(good)))]
    if how == "splice":
        at = draw(st.integers(0, len(good)))
        return good[:at] + draw(st.binary(min_size=1, max_size=200)) + good[at:]
    if how == "encoding":
        encoding = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"]))
        return good.decode("utf-8-sig").encode(encoding, errors="replace")
    lines = good.decode("utf-8-sig").split("\n")
    row = draw(st.integers(0, len(lines) - 1))
    cells = lines[row].split(",")
    cells[draw(st.integers(0, len(cells) - 1))] = draw(st.text(max_size=400))
    lines[row] = ",".join(cells)
    return "\n".join(lines).encode()


@pytest.fixture
def providers(reference_data):
    """The trusts the figures files name, so their rows can get as far as being written."""
    OrganisationFactory(ods_code="RX3", kind="nhs_trust")
    OrganisationFactory(ods_code="RX6", kind="ambulance_trust")


@pytest.mark.parametrize("importer", IMPORTERS)
def test_importer_given_any_bytes_only_refuses(providers, importer):
    """Arbitrary damage to a good file, or arbitrary bytes, is read, reported or refused; the
    importer never raises anything else."""
    run, good = IMPORTERS[importer]
    run(good)  # the good file imports

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(raw=damaged(good))
    def never_crashes(raw):
        with contextlib.suppress(ImportRefused, ImportHasErrors):
            run(raw)

    never_crashes()


# -- one import at a time -------------------------------------------------------------------


class HeldLock:
    """Another import holding the lock, on its own connection, until `release()`."""

    def __init__(self):
        self.taken = threading.Event()
        self.released = threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self):
        try:
            with transaction.atomic():
                lock.hold_import_lock()
                self.taken.set()
                self.released.wait(30)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.taken.wait(10)
        return self

    def release(self):
        self.released.set()

    def __exit__(self, *exc):
        self.release()
        self.thread.join(10)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
def test_second_import_waits_for_the_first_or_is_refused(providers, monkeypatch):
    """While one import holds the lock a second waits; if the first takes too long the second
    is refused and writes nothing."""
    raw = OBSERVATIONS
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.5)
    with HeldLock(), pytest.raises(ImportRefused, match="Another import is running"):
        import_observations(raw, source="second.csv")
    assert not Observation.objects.exists()

    monkeypatch.setattr(lock, "WAIT_SECONDS", 20)
    with HeldLock() as first:
        threading.Timer(1.0, first.release).start()
        started = time.monotonic()
        import_observations(raw, source="second.csv")
        waited = time.monotonic() - started
    assert waited >= 1.0
    assert Observation.objects.count() == 2
