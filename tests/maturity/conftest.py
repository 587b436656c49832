"""Fixtures of the maturity tests: two frameworks with ratings."""

import datetime as dt

import pytest

from maturity.models import BestEnd
from tests.factories.maturity import make_framework, rate
from tests.factories.systems import SystemFactory

DASHBOARD = "stp-progress-dashboard-2017"


@pytest.fixture
def two_frameworks():
    """System A rated under the old framework in 2017 and 2019, and under the new one in
    2021; system B rated once, in 2019."""
    old = make_framework(name="Old", slug="old")
    new = make_framework(
        name="New", slug="new", levels=("Emerging", "Thriving"), best_end=BestEnd.LAST
    )
    a, b = SystemFactory(name="A"), SystemFactory(name="B")
    ratings = {
        "a-2017": rate(a, old, "Worst", dt.date(2017, 7, 1)),
        "a-2019": rate(a, old, "Good", dt.date(2019, 4, 1)),
        "a-2021": rate(a, new, "Thriving", dt.date(2021, 6, 1)),
        "b-2019": rate(b, old, "Best", dt.date(2019, 4, 1)),
    }
    return old, new, a, b, ratings
