"""The shipped real A&E figures: loaded with the reference data, summed as NHS England sums
them, attributed to systems through sourced memberships, labelled real, never overwritten."""

import csv
import datetime as dt
from decimal import Decimal

import pytest

from performance.demo import load_demo_data
from performance.models import Observation, Standard
from performance.periods import Period
from performance.queries import (
    league_rows,
    league_systems,
    national_figures_for,
    standard_figures_by_system,
)
from performance.reference import AE_FILE, MEMBERSHIP_SOURCE, load_real_ae
from performance.tables import LeagueTable
from systems.backdating import SUB_FOOTPRINT_TRUSTS
from systems.models import Membership, System, peak_share

YEAR = Period.financial_year(2017)


def _shipped(types=None) -> tuple[int, int]:
    """(attendances less breaches, attendances) over 2017/18, read straight from the CSV."""
    within = total = 0
    with AE_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            if not "2017-04" <= row["period"] <= "2018-03":
                continue
            if types is not None and row["type"] not in types:
                continue
            within += int(row["attendances"]) - int(row["breaches"])
            total += int(row["attendances"])
    return within, total


@pytest.mark.parametrize(("code", "types"), [("ae-4-hour", None), ("ae-4-hour-type-1", {"1"})])
def test_england_figure_is_the_shipped_sum_over_all_providers(
    reference_data_with_snapshots, code, types
):
    """England's 2017/18 figure is sum(attendances - breaches) / sum(attendances) over every
    row of the shipped file (type 1 rows alone for the type 1 view)."""
    figures = national_figures_for(Standard.objects.get(code=code), YEAR)
    within, total = _shipped(types)
    assert (figures.numerator, figures.denominator) == (within, total)
    assert figures.real and not figures.illustrative


def test_loading_twice_writes_nothing(reference_data_with_snapshots):
    """A second load creates and updates nothing."""
    summary = load_real_ae()
    assert sum(c["created"] + c["updated"] for c in summary.counts.values()) == 0


def test_real_figures_are_sourced_and_not_illustrative(reference_data_with_snapshots):
    """Every shipped observation is real and names NHS England, its month and the file."""
    observation = Observation.objects.get(
        standard__code="ae-4-hour", provider__ods_code="RJ1", month=dt.date(2017, 7, 1)
    )
    assert observation.illustrative is False
    assert observation.source.startswith(
        "NHS England, A&E Attendances and Emergency Admissions, July 2017"
    )
    assert AE_FILE.name in observation.source


def test_system_figure_sums_its_members_by_share(reference_data_with_snapshots):
    """A system's 2017/18 figure is its members' observations weighted by their shares."""
    standard = Standard.objects.get(code="ae-4-hour")
    system = System.objects.get(slug="greater-manchester")
    expected_numerator = expected_denominator = Decimal(0)
    for observation in Observation.objects.filter(standard=standard).in_period(YEAR):
        for membership in Membership.objects.as_at(observation.month).filter(
            organisation_id=observation.provider_id, system=system
        ):
            expected_numerator += membership.share * observation.numerator
            expected_denominator += membership.share * observation.denominator
    figures = standard_figures_by_system(standard, YEAR)[system.pk]
    assert expected_denominator > 0
    assert (figures.numerator, figures.denominator) == (expected_numerator, expected_denominator)


def test_trust_memberships_before_the_trust_list_are_sourced_and_capped(
    reference_data_with_snapshots,
):
    """The lookup's memberships end the day before the trust list's (those of the trusts at
    the heart of a sub-footprint Wave 1 system end when it was absorbed, and go on in the
    whole-footprint system), are flagged unverified with their note, and one trust's shares
    never add up to more than 1 on any day."""
    memberships = Membership.objects.filter(source=MEMBERSHIP_SOURCE)
    assert memberships.exists()
    early = memberships.exclude(valid_until=dt.date(2020, 9, 30))
    assert set(early.values_list("system__slug", flat=True)) <= set(SUB_FOOTPRINT_TRUSTS.values())
    assert set(early.values_list("organisation__ods_code", flat=True)) <= set(SUB_FOOTPRINT_TRUSTS)
    assert all(m.unverified and "2016-2020" in m.note for m in memberships)
    periods = {}
    for organisation_id, start, end, share in memberships.values_list(
        "organisation_id", "valid_from", "valid_until", "share"
    ):
        periods.setdefault(organisation_id, []).append((start, end, share))
    assert max(peak_share(held)[1] for held in periods.values()) <= 1


def test_demo_never_overwrites_real_figures(reference_data_with_snapshots):
    """The demo leaves every real figure as it was, and adds no illustrative figure to a month
    of a standard that has real ones; it still makes illustrative figures elsewhere."""
    before = set(
        Observation.objects.filter(illustrative=False).values_list(
            "pk", "numerator", "denominator", "source"
        )
    )
    load_demo_data(seed=1)
    after = set(
        Observation.objects.filter(illustrative=False).values_list(
            "pk", "numerator", "denominator", "source"
        )
    )
    assert before == after
    assert not Observation.objects.filter(
        standard__code="ae-4-hour", illustrative=True, month__lte=dt.date(2019, 3, 1)
    ).exists()
    assert Observation.objects.filter(
        standard__code="rtt-18-weeks", illustrative=True, month=dt.date(2017, 7, 1)
    ).exists()


def test_league_rows_say_real_or_illustrative(reference_data_with_snapshots):
    """In 2017/18 A&E rows are real, RTT rows (demo) illustrative, each labelled so, with the
    source in the export."""
    load_demo_data(seed=1)
    for code, label in (("ae-4-hour", "Real"), ("rtt-18-weeks", "Illustrative")):
        standard = Standard.objects.get(code=code)
        rows, _ = league_rows(list(league_systems(YEAR)), standard, YEAR)
        counted = [row for row in rows if row.has_figures]
        assert counted
        table = LeagueTable(counted)
        header, *values = table.as_values()
        figures, source = header.index("Figures"), header.index("Source")
        assert {row[figures] for row in values} == {label}
        if label == "Real":
            assert all(row[source].startswith("NHS England") for row in values)
        else:
            assert all("Illustrative" in row[source] for row in values)
