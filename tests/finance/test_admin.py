"""Finance data entry in the admin: roles, figures edited without overwriting each other, and
control total moved through the one action that checks it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from finance.importers import import_control_totals
from finance.models import ControlTotalTransfer, FinancialYear, OrganisationYear
from systems.roles import DESIGNATION_EDITOR, FINANCE_EDITOR
from tests.factories.finance import OrganisationYearFactory
from tests.factories.systems import (
    MembershipFactory,
    OrganisationFactory,
    SystemFactory,
    make_staff_user,
)
from tests.systems.test_admin import _clients_for, _non_field_errors, _page_form_data

pytestmark = pytest.mark.django_db

MOVE_URL = "admin:finance_controltotaltransfer_move"
D = Decimal


@pytest.fixture
def figures(db):
    """Royal Berkshire's figures for 2019/20."""
    return OrganisationYearFactory(
        organisation=OrganisationFactory(
            ods_code="RHW", name="ROYAL BERKSHIRE NHS FOUNDATION TRUST"
        ),
        year=FinancialYear.objects.get(start_year=2019),
        control_total=D("-1200"),
        plan=D("-1200"),
        outturn=D("-900"),
    )


@pytest.fixture
def second_finance_editor(db, django_user_model):
    return make_staff_user(django_user_model, "second_finance_editor", FINANCE_EDITOR)


def _change_url(figures) -> str:
    return reverse("admin:finance_organisationyear_change", args=[figures.pk])


# -- roles ------------------------------------------------------------------------------------


def _finance_codenames(role: str) -> set[str]:
    return set(
        Group.objects.get(name=role)
        .permissions.filter(content_type__app_label="finance")
        .exclude(codename__contains="historical")
        .values_list("codename", flat=True)
    )


def test_roles_finance_editor_edits_every_finance_model():
    codenames = _finance_codenames(FINANCE_EDITOR)

    for model in ("financialyear", "organisationyear", "controltotaltransfer"):
        for action in ("view", "add", "change", "delete"):
            assert f"{action}_{model}" in codenames


def test_roles_designation_editor_only_views_finance_models():
    assert _finance_codenames(DESIGNATION_EDITOR) == {
        "view_financialyear",
        "view_organisationyear",
        "view_controltotaltransfer",
        "view_publishedfinding",
    }


# -- organisations' figures -----------------------------------------------------------------


def test_finance_editor_changes_figures_with_history(client, finance_editor, figures):
    client.force_login(finance_editor)
    page = client.get(_change_url(figures))
    assert page.status_code == 200

    response = client.post(_change_url(figures), _page_form_data(page, outturn="-700"))

    assert response.status_code == 302
    figures.refresh_from_db()
    assert figures.outturn == D("-700")
    assert figures.version == 2
    latest = figures.history.first()
    assert latest.history_user == finance_editor
    assert latest.prev_record.outturn == D("-900")


def test_designation_editor_cannot_change_figures(client, designation_editor, figures):
    """A designation editor sees the figures read-only and a save is forbidden."""
    client.force_login(designation_editor)
    page = client.get(_change_url(figures))
    assert page.status_code == 200
    assert 'name="outturn"' not in page.content.decode()

    response = client.post(
        _change_url(figures),
        {"outturn": "-700", "control_total": "-1200", "plan": "-1200"},
    )

    assert response.status_code == 403
    figures.refresh_from_db()
    assert figures.outturn == D("-900")


def test_figures_stale_save_is_refused(figures, finance_editor, second_finance_editor):
    """Of two finance editors who opened the same figures, the second to save is refused."""
    url = _change_url(figures)
    editor_a, editor_b = _clients_for(finance_editor, second_finance_editor)
    page_a = editor_a.get(url)
    page_b = editor_b.get(url)

    assert editor_b.post(url, _page_form_data(page_b, outturn="-800")).status_code == 302
    response_a = editor_a.post(url, _page_form_data(page_a, outturn="-700"))

    assert response_a.status_code == 200
    (error,) = _non_field_errors(response_a)
    assert "was changed by second_finance_editor" in error
    figures.refresh_from_db()
    assert figures.outturn == D("-800")


def test_figures_open_in_the_admin_are_not_saved_over_an_import(client, finance_editor, figures):
    """An import moves the version on, so an editor who opened the figures before it is
    refused rather than silently undoing it."""
    client.force_login(finance_editor)
    page = client.get(_change_url(figures))
    import_control_totals(
        b"ods_code,control_total,plan,outturn\nRHW,-1200,-1200,-500\n",
        year=figures.year,
        source="outturn-2019-20.csv",
    )

    response = client.post(_change_url(figures), _page_form_data(page, outturn="-700"))

    assert response.status_code == 200
    assert "Your changes have not been saved" in _non_field_errors(response)[0]
    figures.refresh_from_db()
    assert figures.outturn == D("-500")


def test_figures_changelist_filters_and_searches(client, finance_editor, figures):
    OrganisationYearFactory(year=figures.year, illustrative=True)
    client.force_login(finance_editor)
    url = reverse("admin:finance_organisationyear_changelist")

    everything = client.get(url)
    found = client.get(url, {"q": "rhw"})
    illustrative = client.get(url, {"illustrative__exact": "1"})
    by_kind = client.get(url, {"organisation__kind": "acute_trust", "year__id__exact": "999"})

    assert everything.status_code == 200
    assert everything.context["cl"].result_count == 2
    assert list(found.context["cl"].result_list) == [figures]
    assert illustrative.context["cl"].result_count == 1
    assert by_kind.status_code == 200
    filters = {spec.title for spec in everything.context["cl"].filter_specs}
    assert {"year", "accepted", "illustrative"} <= filters


def test_financial_years_changelist_lists_the_six_years(client, finance_editor):
    client.force_login(finance_editor)

    response = client.get(reverse("admin:finance_financialyear_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 6


# -- moving control total ---------------------------------------------------------------------


@pytest.fixture
def members(db):
    """Two trusts wholly in Frimley Health with figures for 2018/19 and 2019/20."""
    system = SystemFactory(name="Frimley Health", slug="frimley-health")
    trusts = [
        OrganisationFactory(ods_code="RDU", name="FRIMLEY HEALTH NHS FOUNDATION TRUST"),
        OrganisationFactory(ods_code="RWX", name="BERKSHIRE HEALTHCARE NHS FOUNDATION TRUST"),
    ]
    for trust in trusts:
        MembershipFactory(organisation=trust, system=system, valid_from=dt.date(2016, 4, 1))
        for start_year in (2018, 2019):
            OrganisationYearFactory(
                organisation=trust,
                year=FinancialYear.objects.get(start_year=start_year),
                control_total=D("1000"),
                plan=D("1000"),
                outturn=D("1000"),
            )
    return system, trusts


def _move_post(system, trusts, start_year=2019, amount="250"):
    return {
        "year": FinancialYear.objects.get(start_year=start_year).pk,
        "system": system.pk,
        "from_organisation": trusts[0].pk,
        "to_organisation": trusts[1].pk,
        "amount": amount,
        "reason": "Agreed at the system finance committee",
    }


def test_move_form_moves_control_total_for_finance_editor(client, finance_editor, members):
    system, trusts = members
    client.force_login(finance_editor)
    assert client.get(reverse(MOVE_URL)).status_code == 200

    response = client.post(reverse(MOVE_URL), _move_post(system, trusts))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:finance_controltotaltransfer_changelist")
    transfer = ControlTotalTransfer.objects.get()
    assert transfer.made_by == finance_editor
    amounts = dict(
        OrganisationYear.objects.filter(year__start_year=2019).values_list(
            "organisation__ods_code", "control_total"
        )
    )
    assert amounts == {"RDU": D("750"), "RWX": D("1250")}
    changelist = client.get(response["Location"])
    assert (
        "Moved £250k from FRIMLEY HEALTH NHS FOUNDATION TRUST (RDU)" in changelist.content.decode()
    )
    assert reverse(MOVE_URL) in changelist.content.decode()


def test_move_form_shows_the_action_refusal_and_writes_nothing(client, finance_editor, members):
    system, trusts = members
    client.force_login(finance_editor)

    response = client.post(reverse(MOVE_URL), _move_post(system, trusts, start_year=2018))

    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert "2018/19 does not allow control total transfers" in error
    assert "2018/19 does not allow control total transfers" in response.content.decode()
    assert not ControlTotalTransfer.objects.exists()
    assert set(OrganisationYear.objects.values_list("control_total", flat=True)) == {D("1000")}


def test_move_form_is_forbidden_to_an_analyst(client, analyst, members):
    """An analyst is not staff, so is sent to the admin login; given staff status, still
    forbidden (403). Nothing is written either way."""
    system, trusts = members
    client.force_login(analyst)

    redirected = client.post(reverse(MOVE_URL), _move_post(system, trusts))
    analyst.is_staff = True
    analyst.save()
    forbidden_get = client.get(reverse(MOVE_URL))
    forbidden_post = client.post(reverse(MOVE_URL), _move_post(system, trusts))

    assert redirected.status_code == 302 and "/admin/login/" in redirected["Location"]
    assert forbidden_get.status_code == 403
    assert forbidden_post.status_code == 403
    assert not ControlTotalTransfer.objects.exists()


def test_move_form_is_forbidden_to_a_designation_editor(client, designation_editor, members):
    system, trusts = members
    client.force_login(designation_editor)

    assert client.post(reverse(MOVE_URL), _move_post(system, trusts)).status_code == 403
    changelist = client.get(reverse("admin:finance_controltotaltransfer_changelist"))
    assert changelist.status_code == 200
    assert reverse(MOVE_URL) not in changelist.content.decode()
    assert not ControlTotalTransfer.objects.exists()


def test_transfers_are_read_only_in_the_admin(client, finance_editor, members):
    system, trusts = members
    client.force_login(finance_editor)
    client.post(reverse(MOVE_URL), _move_post(system, trusts))
    transfer = ControlTotalTransfer.objects.get()

    add = client.get(reverse("admin:finance_controltotaltransfer_add"))
    delete = client.post(
        reverse("admin:finance_controltotaltransfer_delete", args=[transfer.pk]), {"post": "yes"}
    )
    change = client.post(
        reverse("admin:finance_controltotaltransfer_change", args=[transfer.pk]),
        {"amount": "999"},
    )

    assert add.status_code == 403
    assert delete.status_code == 403
    assert change.status_code == 403
    transfer.refresh_from_db()
    assert transfer.amount == D("250")
