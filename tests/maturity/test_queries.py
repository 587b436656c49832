"""Maturity's reads: each system's latest rating under each framework on a day (one query),
histories and scopes, and the query held equal to its Python twin on random ratings."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from maturity.models import Assessment, BestEnd
from maturity.queries import assessments_for, latest_assessments_as_at, maturity_history
from maturity.rules import latest_by_framework
from tests.factories.maturity import (
    AssessmentDomainRatingFactory,
    AssessmentFactory,
    level_named,
    make_framework,
)
from tests.factories.systems import SystemFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2017, 6, 30), set()),
        (dt.date(2017, 7, 1), {"a-2017"}),
        (dt.date(2018, 1, 1), {"a-2017"}),
        (dt.date(2019, 3, 31), {"a-2017"}),
        (dt.date(2019, 4, 1), {"a-2019", "b-2019"}),
        (dt.date(2021, 5, 31), {"a-2019", "b-2019"}),
        (dt.date(2021, 6, 1), {"a-2019", "a-2021", "b-2019"}),
        (dt.date(2030, 1, 1), {"a-2019", "a-2021", "b-2019"}),
    ],
    # Sorted, so the ids are the same in every process (set order varies with hash seeds,
    # and pytest-xdist's workers must collect the same tests).
    ids=lambda value: ",".join(sorted(value)) if isinstance(value, set) else str(value),
)
def test_latest_assessments_as_at_before_between_and_after(two_frameworks, day, expected):
    """On each day, each system's latest rating under each framework on or before it: none
    before the first, the earlier one between two, the later one from its day on, and a new
    framework's rating beside (not instead of) the old framework's."""
    *_, ratings = two_frameworks
    names = {assessment.pk: name for name, assessment in ratings.items()}
    latest = latest_assessments_as_at(day)
    assert {names[a.pk] for a in latest} == expected
    python_twin = latest_by_framework(Assessment.objects.all(), day)
    assert {a.pk for a in python_twin} == {a.pk for a in latest}


def test_latest_assessments_as_at_is_one_query_plus_domain_ratings(
    two_frameworks, django_assert_num_queries
):
    """All systems' latest ratings cost one query, and one more for their domain ratings."""
    with django_assert_num_queries(2):
        latest = list(latest_assessments_as_at(dt.date(2022, 1, 1)))
        for assessment in latest:
            _ = assessment.system.name, assessment.framework.name, assessment.level.name
            list(assessment.domain_ratings.all())
    assert {a.level_count for a in latest} == {2, 4}


def test_latest_assessments_as_at_narrowed_to_systems_and_framework(two_frameworks):
    old, new, a, b, ratings = two_frameworks
    day = dt.date(2022, 1, 1)
    assert {x.pk for x in latest_assessments_as_at(day, systems=[a])} == {
        ratings["a-2019"].pk,
        ratings["a-2021"].pk,
    }
    assert {x.pk for x in latest_assessments_as_at(day, systems=[b.pk], framework=old)} == {
        ratings["b-2019"].pk
    }
    scope = type(a).objects.filter(name="A")
    assert [x.pk for x in latest_assessments_as_at(day, systems=scope, framework=new)] == [
        ratings["a-2021"].pk
    ]


def test_latest_assessments_as_at_same_day_tie_goes_to_later_row(two_frameworks):
    """Two ratings under one framework on one day cannot exist; under two frameworks on the
    same day both count."""
    old, _new, a, _b, _ratings = two_frameworks
    with pytest.raises(ValidationError):
        Assessment(
            system=a, framework=old, level=level_named(old, "Best"), assessed_on=dt.date(2019, 4, 1)
        ).full_clean()


def test_maturity_history_is_chronological_with_domain_ratings(two_frameworks):
    """A system's history lists every rating under every framework, oldest first."""
    _old, _new, a, _b, ratings = two_frameworks
    AssessmentDomainRatingFactory(assessment=ratings["a-2019"])
    history = maturity_history(a)
    assert [x.pk for x in history] == [
        ratings["a-2017"].pk,
        ratings["a-2019"].pk,
        ratings["a-2021"].pk,
    ]
    assert len(history[1].domain_ratings.all()) == 1


def test_assessments_for_scope_until_a_date(two_frameworks):
    old, _new, a, b, ratings = two_frameworks
    scoped = assessments_for([a, b], until=dt.date(2019, 12, 31))
    assert [x.pk for x in scoped] == [
        ratings["a-2017"].pk,
        ratings["a-2019"].pk,
        ratings["b-2019"].pk,
    ]
    assert assessments_for([b], framework=old).count() == 1


# -- the query and its Python twin agree ----------------------------------------------------

rating = st.tuples(
    st.integers(0, 2),  # system
    st.integers(0, 1),  # framework
    st.integers(0, 2000),  # days after 1 January 2017
    st.integers(1, 4),  # level order
)


class AsAtTwinTests(TestCase):
    """`Assessment.objects.as_at` and `latest_by_framework` pick the same ratings on any day."""

    @settings(deadline=None)
    @given(st.lists(rating, max_size=12), st.integers(-10, 2010))
    def test_as_at_query_equals_python_twin(self, ratings, day_offset):
        start = dt.date(2017, 1, 1)
        systems = [SystemFactory() for _ in range(3)]
        frameworks = [make_framework(), make_framework(best_end=BestEnd.LAST)]
        seen = set()
        for system, framework, offset, order in ratings:
            if (system, framework, offset) in seen:
                continue  # one rating per system, framework and day
            seen.add((system, framework, offset))
            AssessmentFactory(
                system=systems[system],
                framework=frameworks[framework],
                level=frameworks[framework].levels.get(order=order),
                assessed_on=start + dt.timedelta(days=offset),
            )
        day = start + dt.timedelta(days=day_offset)
        from_query = {a.pk for a in Assessment.objects.as_at(day)}
        from_python = {a.pk for a in latest_by_framework(Assessment.objects.all(), day)}
        assert from_query == from_python
        assert len(from_query) == len(
            {(s, f) for s, f, offset, _ in ratings if offset <= day_offset}
        )
