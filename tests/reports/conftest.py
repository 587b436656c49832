import datetime as dt

import pytest

from tests.factories.finance import FinancialYearFactory, add_members_with_figures
from tests.factories.systems import (
    DesignationFactory,
    RegionFactory,
    SystemFootprintFactory,
    WaveFactory,
    absorb,
    give_ods_code,
    make_system,
)


@pytest.fixture(autouse=True)
def _media_and_charts(settings, tmp_path):
    """Generated files go to a temporary media root; charts are off unless a test turns them
    on (starting the browser costs seconds)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTS_CHARTS = False
    return settings.MEDIA_ROOT


def finance_system(
    year, name, figures, *, region=None, statuses=None, code=None, illustrative=True
):
    """A system with one whole member per (control total, plan, outturn) for `year`."""
    system = make_system(
        name=name,
        statuses=statuses or [("stp", dt.date(2016, 1, 1))],
        footprint=None,
    )
    if region is not None:
        footprint = system.footprints.get().footprint
        footprint.region = region
        footprint.save()
    if code:
        give_ods_code(system, code)
    add_members_with_figures(
        system, year, figures, valid_from=dt.date(2016, 4, 1), illustrative=illustrative
    )
    return system


@pytest.fixture
def small_world(db):
    """2017/18: a first wave of four (three better than plan, one worse, one with no
    figures after being absorbed) and three systems never designated (one better)."""
    year = FinancialYearFactory(start_year=2017)
    north = RegionFactory(name="North", slug="north")
    south = RegionFactory(name="South", slug="south")
    wave = WaveFactory(
        name="Wave 1",
        slug="wave-1",
        sequence=1,
        announced_on=dt.date(2017, 6, 1),
        effective_on=dt.date(2017, 6, 1),
    )
    ics = [("stp", dt.date(2016, 1, 1)), ("ics", dt.date(2017, 6, 1))]
    alpha = finance_system(
        year, "Alpha", [(-100, -100, 50)], region=north, statuses=ics, code="QA1"
    )
    bravo = finance_system(
        year, "Bravo and Charlie", [(-100, -200, -150)], region=north, statuses=ics
    )
    delta = finance_system(year, "Delta", [(0, 10, 20), (0, 0, 5)], region=south, statuses=ics)
    echo = finance_system(year, "Echo", [(0, 100, -100)], region=south, statuses=ics)
    gone = make_system(name="Greater Foxtrot", statuses=ics)
    for system in (alpha, bravo, delta, echo, gone):
        DesignationFactory(system=system, wave=wave, designated_on=dt.date(2017, 6, 1))
    absorb(gone, into=delta, on=dt.date(2018, 9, 27))
    others = [
        finance_system(year, "Golf", [(0, 0, 10)], region=south),
        finance_system(year, "Hotel", [(0, 0, -10)], region=south),
        finance_system(year, "India", [(0, 50, 0)], region=north),
    ]
    SystemFootprintFactory  # noqa: B018 (imported for callers that need more footprints)
    return {
        "year": year,
        "wave": wave,
        "north": north,
        "south": south,
        "alpha": alpha,
        "bravo": bravo,
        "delta": delta,
        "echo": echo,
        "gone": gone,
        "others": others,
    }
