"""Moving control total between members of a system: allowed from 2019/20, between members,
and only when financially neutral."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finance.actions import transfer_control_total
from finance.models import ControlTotalTransfer, FinancialYear, OrganisationYear
from finance.queries import with_control_totals
from systems.models import System
from tests.factories.finance import OrganisationYearFactory
from tests.factories.systems import MembershipFactory, OrganisationFactory, SystemFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def dorset():
    """A system of three trusts in 2018/19 and 2019/20: two wholly in it, one split 50/50."""
    system = SystemFactory(name="Dorset", slug="dorset")
    other = SystemFactory(name="Somerset", slug="somerset")
    trusts = {
        "RBD": OrganisationFactory(ods_code="RBD", name="DORSET COUNTY HOSPITAL NHS FT"),
        "RDZ": OrganisationFactory(ods_code="RDZ", name="ROYAL BOURNEMOUTH AND CHRISTCHURCH"),
        "RDY": OrganisationFactory(ods_code="RDY", name="DORSET HEALTHCARE UNIVERSITY NHS FT"),
        "RH5": OrganisationFactory(ods_code="RH5", name="SOMERSET NHS FOUNDATION TRUST"),
    }
    start = dt.date(2018, 4, 1)
    MembershipFactory(organisation=trusts["RBD"], system=system, valid_from=start)
    MembershipFactory(organisation=trusts["RDZ"], system=system, valid_from=start)
    MembershipFactory(organisation=trusts["RDY"], system=system, share=D("0.5"), valid_from=start)
    MembershipFactory(organisation=trusts["RDY"], system=other, share=D("0.5"), valid_from=start)
    MembershipFactory(organisation=trusts["RH5"], system=other, valid_from=start)
    for start_year in (2018, 2019):
        year = FinancialYear.objects.get(start_year=start_year)
        for code, control_total in (("RBD", -5000), ("RDZ", 2000), ("RDY", 1000), ("RH5", 0)):
            OrganisationYearFactory(
                organisation=trusts[code],
                year=year,
                control_total=control_total,
                plan=control_total,
                outturn=control_total,
            )
    return system, trusts


def _year(start_year: int) -> FinancialYear:
    return FinancialYear.objects.get(start_year=start_year)


def _system_control_total(system: System, year: FinancialYear) -> Decimal:
    return with_control_totals(System.objects.filter(pk=system.pk), year)[0].control_total


def _move(system, trusts, *, start_year=2019, source="RDZ", to="RBD", amount="500"):
    return transfer_control_total(
        year=_year(start_year),
        system=system,
        from_organisation=trusts[source],
        to_organisation=trusts[to],
        amount=D(amount),
        reason="Agreed at the system finance committee",
    )


def _figures(code: str, start_year: int = 2019) -> OrganisationYear:
    return OrganisationYear.objects.get(organisation__ods_code=code, year__start_year=start_year)


def test_transfer_between_whole_members_keeps_the_system_total(dorset, django_user_model):
    """A move between two members wholly in the system changes their control totals, not the
    system's, and both organisations' figures keep their history."""
    system, trusts = dorset
    year = _year(2019)
    user = django_user_model.objects.create_user("finance")
    before = _system_control_total(system, year)

    transfer = transfer_control_total(
        year=year,
        system=system,
        from_organisation=trusts["RDZ"],
        to_organisation=trusts["RBD"],
        amount=D("500"),
        reason="Agreed at the system finance committee",
        user=user,
    )

    assert before == D("-2500")  # -5000 + 2000 + 0.5 * 1000
    assert _system_control_total(system, year) == before
    assert _figures("RDZ").control_total == D("1500")
    assert _figures("RBD").control_total == D("-4500")
    for code, previous in (("RDZ", D("2000")), ("RBD", D("-5000"))):
        history = list(_figures(code).history.all())
        assert len(history) == 2
        assert history[0].history_type == "~"
        assert history[1].control_total == previous
    assert transfer.made_by == user
    assert transfer.amount == D("500")
    assert ControlTotalTransfer.history.count() == 1


def test_transfer_from_a_non_member_is_refused(dorset):
    system, trusts = dorset
    before = _figures("RH5").control_total

    with pytest.raises(ValidationError, match="was not a member of Dorset at the start of 2019/20"):
        _move(system, trusts, source="RH5")

    assert _figures("RH5").control_total == before
    assert not ControlTotalTransfer.objects.exists()


def test_transfer_before_2019_20_is_refused(dorset):
    system, trusts = dorset

    with pytest.raises(ValidationError, match="they are allowed from 2019/20"):
        _move(system, trusts, start_year=2018)

    assert _figures("RDZ", 2018).control_total == D("2000")
    assert not ControlTotalTransfer.objects.exists()


def test_transfer_between_members_with_different_shares_is_refused(dorset):
    """Moving £500k from a half member to a whole member would add £250k to the system's
    control total: not financially neutral."""
    system, trusts = dorset
    before = _system_control_total(system, _year(2019))

    with pytest.raises(ValidationError, match="Not financially neutral"):
        _move(system, trusts, source="RDY", to="RBD")

    assert _system_control_total(system, _year(2019)) == before
    assert _figures("RDY").control_total == D("1000")
    assert _figures("RDY").history.count() == 1
    assert not ControlTotalTransfer.objects.exists()
