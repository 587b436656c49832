"""What must never happen, refused by the database and explained by validation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from systems import actions
from systems.models import Code, DesignationEvent, Membership, peak_share
from tests.factories.systems import (
    DesignationFactory,
    FootprintFactory,
    MembershipFactory,
    OrganisationFactory,
    SystemFactory,
    SystemFootprintFactory,
    WaveFactory,
)

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="guard kept by PostgreSQL only"
)


def _integrity_error(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


@pytest.mark.parametrize("share", [Decimal("0"), Decimal("-0.5"), Decimal("1.0001")])
def test_membership_share_outside_range_refused_by_database(share):
    """A share must lie in (0, 1]; the database refuses anything else."""
    _integrity_error(lambda: MembershipFactory(share=share))


def test_membership_share_outside_range_explained_by_validation():
    membership = MembershipFactory.build(
        organisation=OrganisationFactory(), system=SystemFactory(), share=Decimal("1.5")
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "share" in error.value.message_dict


def test_membership_ending_before_it_starts_refused():
    """An end before the start is refused by the database and explained by validation."""
    _integrity_error(
        lambda: MembershipFactory(valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2019, 1, 1))
    )
    membership = MembershipFactory.build(
        organisation=OrganisationFactory(),
        system=SystemFactory(),
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2019, 1, 1),
    )
    with pytest.raises(ValidationError, match="end date is before the start date"):
        membership.full_clean()


def test_membership_one_day_is_allowed():
    """Inclusive periods: starting and ending on the same day is one day of membership."""
    MembershipFactory(valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2020, 1, 1))


def test_overlapping_memberships_of_same_pair_explained_by_validation():
    first = MembershipFactory(valid_from=dt.date(2018, 4, 1), valid_until=dt.date(2020, 3, 31))
    second = Membership(
        organisation=first.organisation,
        system=first.system,
        valid_from=dt.date(2020, 3, 31),
        share=Decimal("0.5"),
        source="test",
    )
    with pytest.raises(ValidationError, match="may not overlap"):
        second.full_clean()


def test_consecutive_memberships_of_same_pair_allowed():
    """Leaving and rejoining is history, not overlap."""
    first = MembershipFactory(valid_from=dt.date(2018, 4, 1), valid_until=dt.date(2020, 3, 31))
    actions.add_membership(
        organisation=first.organisation,
        system=first.system,
        valid_from=dt.date(2021, 4, 1),
        source="test",
    )
    assert Membership.objects.filter(organisation=first.organisation).count() == 2


@postgres_only
def test_overlapping_memberships_of_same_pair_refused_by_database():
    first = MembershipFactory(valid_from=dt.date(2018, 4, 1), valid_until=dt.date(2020, 3, 31))
    _integrity_error(
        lambda: MembershipFactory(
            organisation=first.organisation,
            system=first.system,
            valid_from=dt.date(2019, 1, 1),
            share=Decimal("0.1"),
        )
    )


def test_split_trust_shares_may_add_up_to_one():
    """A trust split 60/40 between two systems is allowed."""
    trust = OrganisationFactory()
    for share in ("0.6", "0.4"):
        actions.add_membership(
            organisation=trust,
            system=SystemFactory(),
            share=Decimal(share),
            valid_from=dt.date(2018, 4, 1),
            source="test",
        )
    assert sum(m.share for m in trust.memberships.all()) == Decimal("1")


def test_shares_above_one_on_some_day_refused_with_the_day():
    """Shares that only exceed 1 where two periods overlap are refused, naming that day."""
    trust = OrganisationFactory(name="Example Trust")
    actions.add_membership(
        organisation=trust,
        system=SystemFactory(),
        share=Decimal("0.6"),
        valid_from=dt.date(2018, 4, 1),
        valid_until=dt.date(2019, 3, 31),
        source="test",
    )
    with pytest.raises(ValidationError) as error:
        actions.add_membership(
            organisation=trust,
            system=SystemFactory(),
            share=Decimal("0.5"),
            valid_from=dt.date(2019, 1, 1),
            source="test",
        )
    assert "01 Jan 2019" in str(error.value) and "1.1" in str(error.value)
    assert trust.memberships.count() == 1


@postgres_only
def test_shares_above_one_refused_by_database_at_commit():
    """The deferred trigger refuses, at commit, shares the application did not check."""
    trust = OrganisationFactory()
    MembershipFactory(organisation=trust, share=Decimal("0.7"))
    with pytest.raises(IntegrityError, match="add up to"), transaction.atomic():
        MembershipFactory(organisation=trust, share=Decimal("0.7"))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert trust.memberships.count() == 1


@postgres_only
def test_moving_share_between_systems_in_one_transaction_allowed():
    """A multi-row edit is checked as a whole at commit, not row by row."""
    trust = OrganisationFactory()
    a = MembershipFactory(organisation=trust, share=Decimal("0.5"))
    b = MembershipFactory(organisation=trust, share=Decimal("0.5"))
    with transaction.atomic():
        Membership.objects.filter(pk=b.pk).update(share=Decimal("0.8"))
        Membership.objects.filter(pk=a.pk).update(share=Decimal("0.2"))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert sorted(m.share for m in trust.memberships.all()) == [Decimal("0.2"), Decimal("0.8")]


def test_peak_share_finds_the_worst_day():
    periods = [
        (dt.date(2018, 1, 1), dt.date(2018, 12, 31), Decimal("0.5")),
        (dt.date(2018, 6, 1), None, Decimal("0.4")),
        (dt.date(2019, 1, 1), None, Decimal("0.5")),
    ]
    assert peak_share(periods) == (dt.date(2018, 6, 1), Decimal("0.9"))


@pytest.mark.parametrize(
    "owners",
    [dict, lambda: {"system": SystemFactory(), "footprint": FootprintFactory()}],
    ids=["no owner", "two owners"],
)
def test_code_needs_exactly_one_owner(owners):
    _integrity_error(
        lambda: Code.objects.create(
            scheme="ons",
            code="E54000999",
            valid_from=dt.date(2016, 1, 1),
            source="test",
            **owners(),
        )
    )


def test_merger_event_must_name_the_other_system():
    _integrity_error(
        lambda: DesignationEvent.objects.create(
            system=SystemFactory(),
            kind="absorbed_into",
            occurred_on=dt.date(2019, 6, 1),
            source="test",
        )
    )


def test_system_covers_one_footprint_at_a_time():
    existing = SystemFootprintFactory(valid_from=dt.date(2016, 1, 1))
    clash = SystemFootprintFactory.build(
        system=existing.system, footprint=FootprintFactory(), valid_from=dt.date(2018, 8, 1)
    )
    with pytest.raises(ValidationError, match="one footprint at a time"):
        clash.full_clean()


def test_designation_twice_in_same_wave_refused():
    designation = DesignationFactory()
    _integrity_error(lambda: DesignationFactory(system=designation.system, wave=designation.wave))


def test_designate_system_refusal_writes_nothing():
    """The designation and the status change are written together or not at all."""
    designation = DesignationFactory()
    system, wave = designation.system, designation.wave
    with pytest.raises(ValidationError):
        actions.designate_system(
            system=system, wave=wave, designated_on=dt.date(2019, 6, 1), source="test"
        )
    assert system.statuses.count() == 0
    assert system.designations.count() == 1


def test_designate_system_records_designation_and_status():
    system, wave = SystemFactory(), WaveFactory()
    designation, status = actions.designate_system(
        system=system,
        wave=wave,
        designated_on=dt.date(2019, 6, 1),
        precision="month",
        source="NHS England",
        unverified=True,
    )
    assert designation.wave == wave and designation.precision == "month"
    assert status.status == "ics" and status.effective_from == dt.date(2019, 6, 1)
    assert system.status_as_at(dt.date(2019, 6, 1)) == "ics"
    assert system.status_as_at(dt.date(2019, 5, 31)) is None
