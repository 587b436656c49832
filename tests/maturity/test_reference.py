"""Maturity's shipped reference data: the frameworks as data and exactly the ratings known."""

import datetime as dt

import pytest

from maturity.models import (
    Assessment,
    AssessmentDomainRating,
    BestEnd,
    MaturityDomain,
    MaturityFramework,
    MaturityLevel,
)
from systems.reference import load_reference_data
from tests.factories.maturity import level_named, rate
from tests.factories.systems import SystemFactory
from tests.maturity.conftest import DASHBOARD

pytestmark = pytest.mark.django_db

OUTSTANDING_2017 = {
    "dorset",
    "durham-darlington-teesside-hambleton-richmondshire-and-whitby",
    "frimley-health",
    "bedfordshire-luton-and-milton-keynes",
    "south-yorkshire-and-bassetlaw",
}
NEEDS_MOST_IMPROVEMENT_2017 = {
    "bristol-north-somerset-and-south-gloucestershire",
    "humber-coast-and-vale",
    "northamptonshire",
    "staffordshire-and-stoke-on-trent",
    "sussex-and-east-surrey",
}


def test_reference_maturity_loads_exactly_the_ten_known_2017_ratings(reference_data):
    """Only the five Outstanding and five Needs most improvement STPs of July 2017 are rated;
    each is dated July 2017 to the month and names its source."""
    ratings = Assessment.objects.select_related("system", "framework", "level")
    assert ratings.count() == 10
    by_level = {}
    for rating in ratings:
        by_level.setdefault(rating.level.name, set()).add(rating.system.slug)
        assert rating.framework.slug == DASHBOARD
        assert rating.assessed_on == dt.date(2017, 7, 1)
        assert rating.precision == "month"
        assert rating.assessed_display == "July 2017"
        assert "PB.21.07.2017/11" in rating.source
        assert rating.illustrative is False
    assert by_level == {
        "Outstanding": OUTSTANDING_2017,
        "Needs most improvement": NEEDS_MOST_IMPROVEMENT_2017,
    }
    assert not AssessmentDomainRating.objects.exists()


def test_reference_maturity_frameworks_levels_and_domains(reference_data):
    """Three frameworks as data: four levels each, best end stated; 9 dashboard areas, no
    maturity matrix domains asserted, five oversight themes plus the sixth from 2022/23."""
    frameworks = {f.slug: f for f in MaturityFramework.objects.all()}
    assert set(frameworks) == {
        DASHBOARD,
        "ics-maturity-matrix",
        "system-oversight-framework-2021-22",
    }
    levels = {slug: list(f.levels.values_list("name", flat=True)) for slug, f in frameworks.items()}
    assert levels[DASHBOARD] == [
        "Outstanding",
        "Advanced",
        "Making progress",
        "Needs most improvement",
    ]
    assert levels["ics-maturity-matrix"] == ["Emerging", "Developing", "Maturing", "Thriving"]
    assert frameworks["ics-maturity-matrix"].best_end == BestEnd.LAST
    assert frameworks[DASHBOARD].best_end == BestEnd.FIRST
    assert frameworks["system-oversight-framework-2021-22"].best_end == BestEnd.FIRST
    assert frameworks[DASHBOARD].domains.count() == 9
    assert frameworks["ics-maturity-matrix"].domains.count() == 0
    themes = list(frameworks["system-oversight-framework-2021-22"].domains.all())
    assert len(themes) == 6
    assert themes[-1].name == "Local strategic priorities"
    assert themes[-1].in_use_from == dt.date(2022, 4, 1)
    assert all(theme.in_use_from is None for theme in themes[:5])
    segment_2 = frameworks["system-oversight-framework-2021-22"].levels.get(order=2)
    assert segment_2.unverified


def test_reference_maturity_second_load_writes_nothing(reference_data):
    """Loading again changes no maturity row, bumps no version and adds no history."""

    def snapshot():
        return (
            sorted(Assessment.objects.values_list("system__slug", "level__name", "version")),
            sorted(MaturityFramework.objects.values_list("slug", "version")),
            Assessment.history.count() + MaturityFramework.history.count(),
            MaturityLevel.history.count() + MaturityDomain.history.count(),
        )

    before = snapshot()
    summary = load_reference_data(include_snapshots=False)
    assert summary.changed() == 0
    assert summary.counts["maturity assessments"]["unchanged"] == 10
    assert snapshot() == before


def test_reference_maturity_restores_an_edited_rating_and_keeps_admin_ones(reference_data):
    """The file wins for the ratings it holds; ratings entered by editors are left alone."""
    dashboard = MaturityFramework.objects.get(slug=DASHBOARD)
    dorset = Assessment.objects.get(system__slug="dorset")
    dorset.level = level_named(dashboard, "Advanced")
    dorset.save()
    added = rate(
        SystemFactory(), dashboard, "Making progress", dt.date(2017, 7, 1), source="editor"
    )
    summary = load_reference_data(include_snapshots=False)
    assert summary.counts["maturity assessments"]["updated"] == 1
    assert Assessment.objects.get(pk=dorset.pk).level.name == "Outstanding"
    assert Assessment.objects.filter(pk=added.pk).exists()
