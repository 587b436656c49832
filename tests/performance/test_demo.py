"""The illustrative observations: labelled, realistic, reproducible, idempotent, for acute
trusts only, and never over real figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from performance.demo import OBSERVATION_SOURCE, demo_observation, is_acute, load_demo_data
from performance.models import Observation
from tests.factories.performance import ObservationFactory
from tests.factories.systems import MembershipFactory, SystemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trusts():
    system = SystemFactory()
    acute = MembershipFactory(
        system=system, organisation__kind="acute_trust", valid_from=dt.date(2016, 4, 1)
    ).organisation
    joined = MembershipFactory(
        system=system, organisation__kind="nhs_trust", valid_from=dt.date(2021, 10, 1)
    ).organisation
    MembershipFactory(system=system, organisation__kind="ambulance_trust")
    MembershipFactory(
        system=system, organisation__kind="nhs_trust", organisation__name="X MENTAL HEALTH TRUST"
    )
    return acute, joined


def state():
    return sorted(
        Observation.objects.values_list(
            "provider__ods_code", "standard__code", "month", "numerator", "denominator"
        )
    )


def test_demo_covers_acute_members_month_by_month_and_is_labelled(trusts):
    acute, joined = trusts
    load_demo_data(seed=1)
    assert Observation.objects.filter(provider=acute).count() == 4 * 72  # 2016-2022, four standards
    assert Observation.objects.filter(provider=joined).count() == 4 * 6  # from October 2021
    assert Observation.objects.count() == 4 * 78  # no ambulance or mental health trust
    assert set(Observation.objects.values_list("illustrative", "source")) == {
        (True, OBSERVATION_SOURCE)
    }


def test_demo_is_reproducible_and_idempotent(trusts):
    load_demo_data(seed=1)
    first = state()
    summary = load_demo_data(seed=1)
    assert summary.changed() == 0
    assert state() == first
    load_demo_data(seed=2)
    assert state() != first
    load_demo_data(seed=1)
    assert state() == first


def test_demo_never_overwrites_real_figures(trusts):
    acute, _ = trusts
    real = ObservationFactory(
        provider=acute, standard__code="ae-4-hour", month=dt.date(2017, 4, 1), source="NHSE"
    )
    summary = load_demo_data(seed=1)
    assert summary.counts["A&E 4-hour waits"]["real"] == 1
    real.refresh_from_db()
    assert (real.numerator, real.denominator, real.illustrative) == (90, 100, False)


def test_demo_figures_look_like_the_real_ones():
    """Over many trusts and months, values lie in the brief's ranges, with winter dips in A&E."""
    for code, low, high in (
        ("ae-4-hour", 0.84, 0.96),
        ("rtt-18-weeks", 0.84, 0.93),
        ("cancer-62-day", 0.72, 0.88),
    ):
        values = [
            demo_observation(7, f"R{n:03d}", code, dt.date(2017, month, 1))
            for n in range(60)
            for month in range(4, 13)
        ]
        share = Decimal(sum(v["numerator"] for v in values)) / sum(v["denominator"] for v in values)
        assert low < share < high, code
        assert all(0 <= v["numerator"] <= v["denominator"] for v in values)

    def ae(month):
        values = [demo_observation(7, f"R{n:03d}", "ae-4-hour", month) for n in range(60)]
        return sum(v["numerator"] for v in values) / sum(v["denominator"] for v in values)

    assert ae(dt.date(2018, 1, 1)) < ae(dt.date(2017, 7, 1))


@pytest.mark.parametrize(
    ("kind", "name", "acute"),
    [
        ("acute_trust", "ANY", True),
        ("nhs_trust", "LEEDS TEACHING HOSPITALS NHS TRUST", True),
        ("nhs_trust", "OXFORD HEALTH NHS FOUNDATION TRUST", False),
        ("nhs_trust", "SUSSEX COMMUNITY NHS FOUNDATION TRUST", False),
        ("ambulance_trust", "LONDON AMBULANCE SERVICE NHS TRUST", False),
    ],
)
def test_which_trusts_count_as_acute(kind, name, acute):
    assert is_acute(kind, name) is acute


def test_load_demo_data_command_runs_every_app(trusts, capsys):
    call_command("load_demo_data", "--seed", "3")
    out = capsys.readouterr().out
    assert "Performance: A&E 4-hour waits illustrative observations: 78 created" in out
    assert Observation.objects.count() == 4 * 78
