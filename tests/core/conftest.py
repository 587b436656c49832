"""What the core tests share: small_world's systems, with figures in every column."""

import datetime as dt

import pytest

from performance.models import Standard
from systems.models import Organisation
from tests.factories.performance import ObservationFactory
from tests.reports.conftest import small_world  # noqa: F401 (the world `observed` fills in)


@pytest.fixture
def observed(request):
    """small_world's systems and figures, and a month of each standard for every provider,
    each with its own numbers so that every column has something to show."""
    world = request.getfixturevalue("small_world")
    providers = Organisation.objects.filter(memberships__isnull=False).distinct().order_by("pk")
    for index, provider in enumerate(providers):
        for standard in Standard.objects.order_by("code"):
            ObservationFactory(
                provider=provider,
                standard=standard,
                month=dt.date(2017, 6, 1),
                numerator=600 + 37 * index,
                denominator=1000,
                illustrative=index % 2 == 0,
            )
    return world
