"""The illustrative demo data on a few trusts: labelled, reproducible, idempotent, and
back-dating memberships only where there were none. test_demo_shipped.py runs it on the
shipped trust list."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from finance.demo import (
    DEMO_YEARS,
    FIGURES_SOURCE,
    demo_figures,
    load_demo_data,
)
from finance.models import FinancialYear, OrganisationYear
from systems.demo import MEMBERSHIP_SOURCE
from systems.models import Membership, OrganisationKind
from tests.factories.finance import OrganisationYearFactory
from tests.factories.systems import MembershipFactory, OrganisationFactory, SystemFactory

pytestmark = pytest.mark.django_db

OCT_2020 = dt.date(2020, 10, 1)
APR_2016 = dt.date(2016, 4, 1)


def figure_rows(**filters):
    return sorted(
        OrganisationYear.objects.filter(**filters).values_list(
            "organisation__ods_code", "year__start_year", *OrganisationYear.FIGURES, "source"
        )
    )


def state():
    return (
        figure_rows(),
        sorted(OrganisationYear.objects.values_list("pk", "version")),
        OrganisationYear.history.count(),
        sorted(
            Membership.objects.values_list(
                "organisation__ods_code", "system_id", "share", "valid_from", "valid_until"
            )
        ),
        Membership.history.count(),
    )


# -- on a few trusts made by factories --------------------------------------------------------


@pytest.fixture
def trusts(db):
    """Trusts as the October 2020 trust list leaves them, and some that differ."""
    system = SystemFactory(name="Somerset", slug="somerset")
    other = SystemFactory(name="Devon", slug="devon")

    def trust(code, opened_on=None, kind=OrganisationKind.NHS_TRUST):
        organisation = OrganisationFactory(ods_code=code, kind=kind, opened_on=opened_on)
        MembershipFactory(
            organisation=organisation,
            system=system,
            valid_from=OCT_2020,
            source="NHS Digital ODS trust list (etr.csv), etr-2020-10.csv",
        )
        return organisation

    made = {
        "listed": trust("RH5", opened_on=dt.date(2001, 4, 1)),
        "opened_2019": trust("R0B", opened_on=dt.date(2019, 4, 1)),
        "opened_oct_2020": trust("R0D", opened_on=OCT_2020),
        "hand_entered": trust("RA9"),
        "ccg": trust("11X", kind=OrganisationKind.CCG),
    }
    # A membership entered by hand before October 2020, in another system.
    MembershipFactory(
        organisation=made["hand_entered"],
        system=other,
        valid_from=dt.date(2017, 4, 1),
        valid_until=dt.date(2020, 9, 30),
        source="Entered by hand from the 2017 STP plan",
    )
    return made


def test_backdated_memberships_only_for_trusts_with_none_before_october_2020(trusts):
    summary = load_demo_data()

    backdated = {
        m.organisation.ods_code: m
        for m in Membership.objects.filter(source=MEMBERSHIP_SOURCE).select_related("organisation")
    }
    assert set(backdated) == {"RH5", "R0B"}
    assert (backdated["RH5"].valid_from, backdated["RH5"].valid_until) == (
        APR_2016,
        dt.date(2020, 9, 30),
    )
    assert backdated["R0B"].valid_from == dt.date(2019, 4, 1)  # from its opening
    for membership in backdated.values():
        assert membership.unverified
        assert membership.system.slug == "somerset"
        assert membership.share == Decimal(1)
        assert membership.history.count() == 1
    # The hand-entered membership is untouched and no other was added for that trust.
    assert Membership.objects.filter(organisation=trusts["hand_entered"]).count() == 2
    assert summary.memberships["created"] == 2


def test_demo_figures_are_illustrative_for_trust_members_of_each_year(trusts):
    load_demo_data()

    by_year = {
        start_year: {
            code
            for code, year, *_ in figure_rows(year__start_year=start_year)
            if year == start_year
        }
        for start_year in DEMO_YEARS
    }
    assert by_year[2016] == {"RH5"}
    assert by_year[2017] == {"RH5", "RA9"}  # RA9 through its hand-entered Devon membership
    assert by_year[2019] == {"RH5", "R0B", "RA9"}
    assert by_year[2021] == {"RH5", "R0B", "R0D", "RA9"}
    assert not OrganisationYear.objects.filter(organisation__kind=OrganisationKind.CCG).exists()
    for figure in OrganisationYear.objects.all():
        assert figure.illustrative
        assert figure.source == FIGURES_SOURCE == "Illustrative demo data (not real figures)"
        assert figure.history.count() == 1


def test_demo_rerun_changes_nothing(trusts):
    load_demo_data()
    before = state()

    summary = load_demo_data()

    assert state() == before
    assert summary.changed() == 0


def test_demo_leaves_real_figures_alone(trusts):
    year = FinancialYear.objects.get(start_year=2019)
    real = OrganisationYearFactory(
        organisation=trusts["listed"], year=year, control_total=123, plan=45, outturn=67
    )

    summary = load_demo_data()

    real.refresh_from_db()
    assert (real.control_total, real.illustrative, real.version) == (123, False, 1)
    assert summary.figures["2019/20"]["real"] == 1


def test_demo_another_seed_gives_other_figures(trusts):
    load_demo_data(seed=1)
    first = figure_rows()

    summary = load_demo_data(seed=2)

    assert figure_rows() != first
    assert summary.figures["2017/18"]["updated"] == 2
    assert all(f.version == 2 for f in OrganisationYear.objects.all())


def test_demo_figures_depend_only_on_seed_code_and_year():
    year = FinancialYear.objects.get(start_year=2019)

    first = demo_figures(7, "RH5", year, in_dorset=False, in_ics=True)
    again = demo_figures(7, "RH5", year, in_dorset=False, in_ics=True)

    assert first == again
    assert first != demo_figures(8, "RH5", year, in_dorset=False, in_ics=True)
    assert demo_figures(7, "RH5", year, in_dorset=True, in_ics=True)["funding_linked_share"] == 1


def test_load_demo_data_command_reports_what_it_wrote(trusts, capsys):
    call_command("load_demo_data", "--seed", "5")
    out = capsys.readouterr().out

    assert "Illustrative back-dated trust memberships: 2 created, 0 unchanged" in out
    assert "2016/17 illustrative figures: 1 created" in out
    assert "2021/22 illustrative figures: 4 created" in out
    assert "Illustrative demo data loaded (seed 5)" in out
