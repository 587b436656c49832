"""The admin site: designating a system, refusing concurrent edits, history, roles, and the
changelists over the shipped reference data."""

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import StaleEditError
from systems.models import Designation, System, SystemStatus, SystemStatusKind, Wave
from systems.reference import DATA_DIR
from systems.roles import ADMINISTRATOR, ANALYST, DESIGNATION_EDITOR, FINANCE_EDITOR
from tests.factories.systems import (
    DesignationFactory,
    MembershipFactory,
    SystemStatusFactory,
    WaveFactory,
    make_staff_user,
    make_system,
)

pytestmark = pytest.mark.django_db

DESIGNATE_URL = "admin:systems_designation_designate"

# The models a designation editor maintains in the admin (the historical models are left out).
EDITED_MODELS = [
    "region",
    "footprint",
    "system",
    "systemfootprint",
    "code",
    "systemstatus",
    "wave",
    "designation",
    "designationevent",
    "organisation",
    "membership",
]


def _form_data(form) -> dict[str, Any]:
    """What a browser would post back for an unbound form, field by field."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is False:  # an unticked checkbox is not posted
            continue
        data[bound.html_name] = "" if value is None else value
    return data


def _page_form_data(response, **changes) -> dict[str, Any]:
    """What a browser posts back from an admin change page: the main form and every inline
    form, limited to the inputs the page actually renders, with `changes` applied."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    html = response.content.decode()
    data = {}
    for form in forms:
        data.update(
            (name, value) for name, value in _form_data(form).items() if f'name="{name}"' in html
        )
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def _login_url(next_url: str) -> str:
    return f"{reverse('admin:login')}?next={next_url}"


def _clients_for(*users) -> list[Client]:
    """A client logged in as each user: the sides of a concurrent edit."""
    clients = [Client() for _ in users]
    for client, user in zip(clients, users, strict=True):
        client.force_login(user)
    return clients


def _non_field_errors(response) -> list[str]:
    return list(response.context["adminform"].form.non_field_errors())


@pytest.fixture
def second_editor(db, django_user_model):
    """Another designation editor, to play the other side of a concurrent edit."""
    return make_staff_user(django_user_model, "second_editor", DESIGNATION_EDITOR)


# ---------------------------------------------------------------------------------------------
# Designating a system in a wave


@pytest.fixture
def system_and_wave(db):
    system = make_system(name="Testshire ICS", slug="testshire")
    wave = WaveFactory(name="Wave T", slug="wave-t", sequence=9)
    return system, wave


def _designate_post(system, wave, **overrides) -> dict[str, Any]:
    data = {
        "system": system.pk,
        "wave": wave.pk,
        "designated_on": "2019-06-01",
        "precision": "month",
        "status": SystemStatusKind.SHADOW_ACS,
        "source": "HSJ, June 2019",
        "unverified": "on",
        "note": "Named at the June board.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_designate_form_renders_for_designation_editor(client, designation_editor):
    """A designation editor gets the designate form with every field the action needs."""
    client.force_login(designation_editor)

    response = client.get(reverse(DESIGNATE_URL))

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields) == {
        "system",
        "wave",
        "designated_on",
        "precision",
        "status",
        "source",
        "unverified",
        "note",
    }
    assert not form.is_bound
    assert b'value="Designate"' in response.content


def test_designate_form_valid_post_creates_designation_and_status(
    client, designation_editor, system_and_wave
):
    """A valid designation writes one Designation and one SystemStatus with the values given,
    then returns to the designation changelist."""
    system, wave = system_and_wave
    statuses_before = set(SystemStatus.objects.values_list("pk", flat=True))
    client.force_login(designation_editor)

    response = client.post(reverse(DESIGNATE_URL), _designate_post(system, wave))

    assert response.status_code == 302
    assert response.url == reverse("admin:systems_designation_changelist")
    designation = Designation.objects.get()
    assert (designation.system, designation.wave) == (system, wave)
    assert designation.designated_on == dt.date(2019, 6, 1)
    assert designation.precision == "month"
    assert designation.source == "HSJ, June 2019"
    assert designation.unverified is True
    assert designation.note == "Named at the June board."
    new_statuses = SystemStatus.objects.exclude(pk__in=statuses_before)
    assert new_statuses.count() == 1
    status = new_statuses.get()
    assert status.system == system
    assert status.status == SystemStatusKind.SHADOW_ACS
    assert status.effective_from == dt.date(2019, 6, 1)
    assert status.precision == "month"
    assert status.source == "HSJ, June 2019"
    assert status.unverified is True
    assert system.status_as_at(dt.date(2019, 6, 1)) == SystemStatusKind.SHADOW_ACS


def test_designate_form_blank_note_notes_the_wave_on_the_status(
    client, designation_editor, system_and_wave
):
    """With no note given, the new status says which wave it came from."""
    system, wave = system_and_wave
    client.force_login(designation_editor)

    response = client.post(
        reverse(DESIGNATE_URL),
        _designate_post(system, wave, note="", unverified=None, status=SystemStatusKind.ICS),
    )

    assert response.status_code == 302
    status = SystemStatus.objects.get(system=system, effective_from=dt.date(2019, 6, 1))
    assert status.status == SystemStatusKind.ICS
    assert status.note == "Designated in Wave T"
    assert status.unverified is False
    assert Designation.objects.get().note == ""


def test_designate_form_system_already_in_wave_writes_nothing(
    client, designation_editor, system_and_wave
):
    """Designating a system twice in one wave is refused with the reason, and neither the
    designation nor the status is written."""
    system, wave = system_and_wave
    DesignationFactory(system=system, wave=wave, designated_on=dt.date(2018, 5, 24))
    statuses_before = SystemStatus.objects.count()
    client.force_login(designation_editor)

    response = client.post(reverse(DESIGNATE_URL), _designate_post(system, wave))

    assert response.status_code == 200
    assert (
        "This system is already designated in that wave."
        in response.context["form"].non_field_errors()
    )
    assert "This system is already designated in that wave." in response.content.decode()
    assert Designation.objects.count() == 1
    assert SystemStatus.objects.count() == statuses_before
    assert not SystemStatus.objects.filter(effective_from=dt.date(2019, 6, 1)).exists()


def test_designate_form_missing_source_writes_nothing(client, designation_editor, system_and_wave):
    """A designation without a source is refused on the form and nothing is written."""
    system, wave = system_and_wave
    statuses_before = SystemStatus.objects.count()
    client.force_login(designation_editor)

    response = client.post(reverse(DESIGNATE_URL), _designate_post(system, wave, source=""))

    assert response.status_code == 200
    assert response.context["form"].errors["source"]
    assert not Designation.objects.exists()
    assert SystemStatus.objects.count() == statuses_before


def test_designate_form_analyst_is_sent_to_admin_login(client, analyst, system_and_wave):
    """An analyst is not staff: the admin sends them to its login page and writes nothing."""
    system, wave = system_and_wave
    client.force_login(analyst)
    url = reverse(DESIGNATE_URL)

    get_response = client.get(url)
    post_response = client.post(url, _designate_post(system, wave))

    assert get_response.status_code == 302
    assert get_response.url == _login_url(url)
    assert post_response.status_code == 302
    assert post_response.url == _login_url(url)
    assert not Designation.objects.exists()


def test_designate_form_staff_without_add_permission_is_forbidden(
    client, finance_editor, system_and_wave
):
    """Staff who may only view systems data (a finance editor) get 403 and write nothing."""
    system, wave = system_and_wave
    statuses_before = SystemStatus.objects.count()
    client.force_login(finance_editor)
    url = reverse(DESIGNATE_URL)

    assert client.get(url).status_code == 403
    assert client.post(url, _designate_post(system, wave)).status_code == 403
    assert not Designation.objects.exists()
    assert SystemStatus.objects.count() == statuses_before


def test_designate_form_anonymous_is_sent_to_login(client, system_and_wave):
    """An anonymous visitor is sent to log in (the site's login page, where
    LoginRequiredMiddleware sends every anonymous request) and nothing is written."""
    system, wave = system_and_wave
    url = reverse(DESIGNATE_URL)

    get_response = client.get(url)
    post_response = client.post(url, _designate_post(system, wave))

    assert get_response.status_code == 302
    assert get_response.url == f"{reverse('login')}?next={url}"
    assert post_response.status_code == 302
    assert post_response.url == f"{reverse('login')}?next={url}"
    assert not Designation.objects.exists()


@dataclass
class Impossible:
    """A designation that cannot be true, and the fact its refusal must name."""

    statuses: list
    post: dict
    message: str
    earlier_wave: bool = False


IMPOSSIBLE = {
    "before the wave was announced": Impossible(
        [(SystemStatusKind.STP, dt.date(2016, 1, 1))],
        {"designated_on": "2018-05-01", "precision": "day"},
        "Wave T was announced on 24 May 2018: a designation in it cannot be dated 1 May 2018.",
    ),
    "before the system existed": Impossible(
        [(SystemStatusKind.STP, dt.date(2019, 1, 1))],
        {"designated_on": "2018-06-01", "precision": "month"},
        "Testshire ICS did not exist yet in June 2018: its first status (STP) is from "
        "1 January 2019.",
    ),
    "before 2016": Impossible(
        [],
        {"designated_on": "2015-06-01", "precision": "year"},
        "2015 is before 2016: no system was designated before the STP footprints of 2016.",
    ),
    "after the system ended": Impossible(
        [
            (SystemStatusKind.STP, dt.date(2016, 1, 1)),
            (SystemStatusKind.MERGED, dt.date(2019, 1, 1)),
        ],
        {"designated_on": "2019-06-01", "precision": "day"},
        "Testshire ICS had ended by 1 June 2019: its status is merged or absorbed from "
        "1 January 2019.",
    ),
    "a second wave": Impossible(
        [(SystemStatusKind.STP, dt.date(2016, 1, 1))],
        {"designated_on": "2019-06-01"},
        "Testshire ICS is already designated in Wave 1 (June 2017): a system is designated in "
        "one wave only.",
        earlier_wave=True,
    ),
}


@pytest.mark.parametrize("case", IMPOSSIBLE.values(), ids=IMPOSSIBLE.keys())
def test_designate_form_impossible_designation_is_refused(case, client, designation_editor):
    """A designation that contradicts a recorded fact is refused with a message naming that
    fact, and neither the designation nor the status is written."""
    system = make_system(name="Testshire ICS", slug="testshire", statuses=case.statuses)
    wave = WaveFactory(name="Wave T", slug="wave-t", sequence=9, announced_on=dt.date(2018, 5, 24))
    if case.earlier_wave:
        DesignationFactory(
            system=system,
            wave=WaveFactory(name="Wave 1", sequence=1, announced_on=dt.date(2017, 6, 1)),
            designated_on=dt.date(2017, 6, 1),
            precision="month",
        )
    designations_before = Designation.objects.count()
    client.force_login(designation_editor)

    response = client.post(reverse(DESIGNATE_URL), _designate_post(system, wave, **case.post))

    assert response.status_code == 200
    assert case.message in response.context["form"].non_field_errors()
    assert case.message in response.content.decode()
    assert Designation.objects.count() == designations_before
    assert system.statuses.count() == len(case.statuses)


def test_designate_form_month_of_the_announcement_is_accepted(client, designation_editor):
    """A designation known only to the month of its wave's announcement may be true, so it is
    recorded: only dates that are certainly impossible are refused."""
    system = make_system(statuses=[(SystemStatusKind.STP, dt.date(2017, 6, 20))])
    wave = WaveFactory(announced_on=dt.date(2017, 6, 15), effective_on=dt.date(2018, 4, 1))
    client.force_login(designation_editor)

    response = client.post(
        reverse(DESIGNATE_URL),
        _designate_post(system, wave, designated_on="2017-06-01", precision="month"),
    )

    assert response.status_code == 302
    assert Designation.objects.get().designated_display == "June 2017"


def test_designation_add_button_leads_to_the_designate_form(client, designation_editor):
    """The plain "Add designation" address opens the designate form (with what it was given),
    so a designation added that way meets the same checks and gets its status."""
    system, wave = make_system(), WaveFactory(announced_on=dt.date(2018, 5, 24))
    client.force_login(designation_editor)
    add_url = reverse("admin:systems_designation_add")

    response = client.get(add_url, {"system": system.pk}, follow=True)
    refused = client.post(
        response.redirect_chain[-1][0],
        _designate_post(system, wave, designated_on="2018-05-01", precision="day"),
    )

    assert response.redirect_chain == [(f"{reverse(DESIGNATE_URL)}?system={system.pk}", 302)]
    assert response.context["form"].initial["system"] == str(system.pk)
    assert refused.status_code == 200
    assert (
        f"{wave} was announced on 24 May 2018: a designation in it cannot be dated 1 May 2018."
        in refused.context["form"].non_field_errors()
    )
    assert not Designation.objects.exists()


def test_designation_change_form_refuses_a_date_before_the_wave(client, designation_editor):
    """Correcting a designation on its own change form meets the same rule as designating."""
    designation = DesignationFactory(
        wave=WaveFactory(name="Wave T", announced_on=dt.date(2018, 5, 24)),
        designated_on=dt.date(2018, 5, 24),
    )
    url = reverse("admin:systems_designation_change", args=[designation.pk])
    client.force_login(designation_editor)
    page = _open_change_page(client, url)

    response = client.post(url, _page_form_data(page, designated_on="2018-04-01"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["designated_on"] == [
        "Wave T was announced on 24 May 2018: a designation in it cannot be dated 1 April 2018."
    ]
    designation.refresh_from_db()
    assert designation.designated_on == dt.date(2018, 5, 24)


def test_designation_inlines_offer_no_add_row(client, designation_editor):
    """The system and wave pages correct designations but do not add them: they link to the
    designate form instead, filled in with the system or wave."""
    designation = DesignationFactory()
    client.force_login(designation_editor)

    for url_name, obj, param in [
        ("admin:systems_system_change", designation.system, "system"),
        ("admin:systems_wave_change", designation.wave, "wave"),
    ]:
        response = client.get(reverse(url_name, args=[obj.pk]))
        (inline,) = [
            f for f in response.context["inline_admin_formsets"] if f.formset.model is Designation
        ]
        assert not inline.has_add_permission
        assert f'href="{reverse(DESIGNATE_URL)}?{param}={obj.pk}"' in response.content.decode()


def test_designation_changelist_links_designate_for_editor(client, designation_editor):
    """The designation changelist offers a designation editor the designate form."""
    client.force_login(designation_editor)

    response = client.get(reverse("admin:systems_designation_changelist"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Designate a system in a wave" in content
    assert f'href="{reverse(DESIGNATE_URL)}"' in content


def test_designation_changelist_hides_designate_link_without_add_permission(client, finance_editor):
    """Staff who cannot add designations see the changelist without the designate link."""
    client.force_login(finance_editor)

    response = client.get(reverse("admin:systems_designation_changelist"))

    assert response.status_code == 200
    assert "Designate a system in a wave" not in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Concurrent edits and history


@dataclass
class EditCase:
    """One versioned model edited through its own admin change form."""

    model_name: str
    make: Any
    field: str
    old: Any
    value_a: Any
    value_b: Any

    def url(self, obj) -> str:
        return reverse(f"admin:systems_{self.model_name}_change", args=[obj.pk])


EDIT_CASES = [
    EditCase(
        "designation",
        lambda: DesignationFactory(designated_on=dt.date(2018, 5, 24)),
        "designated_on",
        dt.date(2018, 5, 24),
        dt.date(2018, 6, 1),
        dt.date(2018, 7, 1),
    ),
    EditCase(
        "systemstatus",
        lambda: SystemStatusFactory(status=SystemStatusKind.STP),
        "status",
        SystemStatusKind.STP,
        SystemStatusKind.SHADOW_ACS,
        SystemStatusKind.ICS,
    ),
    EditCase(
        "membership",
        lambda: MembershipFactory(share=Decimal("1")),
        "share",
        Decimal("1"),
        Decimal("0.5"),
        Decimal("0.75"),
    ),
]
EDIT_IDS = [case.model_name for case in EDIT_CASES]


def _open_change_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("case", EDIT_CASES, ids=EDIT_IDS)
def test_change_form_stale_save_is_refused(case, designation_editor, second_editor):
    """Of two editors who opened the same row, the second to save is told who changed it
    first, and the first editor's value stands."""
    obj = case.make()
    url = case.url(obj)
    editor_a, editor_b = _clients_for(designation_editor, second_editor)
    page_a = _open_change_page(editor_a, url)
    page_b = _open_change_page(editor_b, url)
    assert page_a.context["adminform"].form["seen_version"].value() == 1
    assert 'name="seen_version"' in page_a.content.decode()

    response_b = editor_b.post(url, _page_form_data(page_b, **{case.field: case.value_b}))
    response_a = editor_a.post(url, _page_form_data(page_a, **{case.field: case.value_a}))

    assert response_b.status_code == 302
    assert response_a.status_code == 200
    errors = _non_field_errors(response_a)
    assert len(errors) == 1
    assert "was changed by second_editor" in errors[0]
    assert "Your changes have not been saved" in errors[0]
    assert "was changed by second_editor" in response_a.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, case.field) == case.value_b
    assert obj.version == 2
    assert obj.history.count() == 2


@pytest.mark.parametrize("case", EDIT_CASES, ids=EDIT_IDS)
def test_change_form_current_version_saves(case, client, designation_editor):
    """A save from the version now in the database goes through and moves the version on."""
    obj = case.make()
    url = case.url(obj)
    client.force_login(designation_editor)
    page = _open_change_page(client, url)

    response = client.post(url, _page_form_data(page, **{case.field: case.value_a}))

    assert response.status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, case.field) == case.value_a
    assert obj.version == 2
    assert _open_change_page(client, url).context["adminform"].form["seen_version"].value() == 2


def test_system_change_page_stale_status_inline_is_refused(designation_editor, second_editor):
    """A status edited in the system page's inline after someone else saved it is refused,
    as it is on the status's own change form."""
    system = make_system(statuses=[(SystemStatusKind.STP, dt.date(2016, 1, 1))])
    status = system.statuses.get()
    system_url = reverse("admin:systems_system_change", args=[system.pk])
    status_url = reverse("admin:systems_systemstatus_change", args=[status.pk])
    editor_a, editor_b = _clients_for(designation_editor, second_editor)
    page_a = _open_change_page(editor_a, system_url)
    page_b = _open_change_page(editor_b, status_url)
    assert (
        editor_b.post(status_url, _page_form_data(page_b, status=SystemStatusKind.ICS)).status_code
        == 302
    )

    editor_a.post(
        system_url, _page_form_data(page_a, **{"statuses-0-status": SystemStatusKind.SHADOW_ACS})
    )

    status.refresh_from_db()
    assert status.status == SystemStatusKind.ICS


def test_change_form_stale_message_gives_local_time(designation_editor, second_editor):
    """The refusal says when the other save happened in the site's time zone (London)."""
    status = SystemStatusFactory(status=SystemStatusKind.STP)
    url = reverse("admin:systems_systemstatus_change", args=[status.pk])
    editor_a, editor_b = _clients_for(designation_editor, second_editor)
    page_a = _open_change_page(editor_a, url)
    page_b = _open_change_page(editor_b, url)
    editor_b.post(url, _page_form_data(page_b, status=SystemStatusKind.ICS))
    # Noon UTC on 1 July is 1 p.m. in London (BST); a date after every other record keeps
    # this one the latest.
    status.history.filter(history_id=status.history.first().history_id).update(
        history_date=dt.datetime(2099, 7, 1, 12, 0, tzinfo=dt.UTC)
    )

    response = editor_a.post(url, _page_form_data(page_a, status=SystemStatusKind.SHADOW_ACS))

    (error,) = _non_field_errors(response)
    assert "was changed by second_editor at 1 Jul 2099, 1 p.m." in error


def test_stale_designation_instance_save_raises():
    """Saving a copy of a designation read before someone else's save raises StaleEditError
    and leaves the other save in place."""
    designation = DesignationFactory(note="original")
    stale = Designation.objects.get(pk=designation.pk)
    fresh = Designation.objects.get(pk=designation.pk)
    fresh.note = "saved first"
    fresh.save()

    stale.note = "saved second"
    with pytest.raises(StaleEditError):
        stale.save()

    designation.refresh_from_db()
    assert designation.note == "saved first"
    assert designation.version == 2


@pytest.mark.parametrize("case", EDIT_CASES, ids=EDIT_IDS)
def test_change_form_save_records_history(case, client, designation_editor):
    """An admin change leaves a history record of who changed what and when, after the record
    of the value before."""
    obj = case.make()
    url = case.url(obj)
    client.force_login(designation_editor)
    page = _open_change_page(client, url)
    started = timezone.now()

    response = client.post(url, _page_form_data(page, **{case.field: case.value_a}))

    assert response.status_code == 302
    latest = obj.history.first()
    assert latest.history_user == designation_editor
    assert latest.history_type == "~"
    assert latest.history_date >= started
    assert getattr(latest, case.field) == case.value_a
    before = latest.prev_record
    assert before is not None
    assert getattr(before, case.field) == case.old
    assert before.history_date <= latest.history_date


# ---------------------------------------------------------------------------------------------
# Roles


def _group_codenames(role: str, app_label: str = "systems") -> set[str]:
    return set(
        Group.objects.get(name=role)
        .permissions.filter(content_type__app_label=app_label)
        .values_list("codename", flat=True)
    )


def test_roles_groups_exist_after_migrate():
    """Migrating creates a group for each role."""
    names = set(Group.objects.values_list("name", flat=True))

    assert {ANALYST, DESIGNATION_EDITOR, FINANCE_EDITOR, ADMINISTRATOR} <= names


def test_roles_analyst_can_only_view_systems_models():
    """An analyst holds view permission on every systems model, and the dashboard's view
    right, and nothing else there."""
    codenames = _group_codenames(ANALYST)
    every_model = {model._meta.model_name for model in apps.get_app_config("systems").get_models()}

    assert codenames == {f"view_{name}" for name in every_model} | {"view_dashboard"}
    assert {f"view_{name}" for name in EDITED_MODELS} <= codenames
    assert (
        not Group.objects.get(name=ANALYST)
        .permissions.exclude(codename__startswith="view_")
        .exists()
    )


def test_roles_designation_editor_can_edit_systems_models(designation_editor):
    """A designation editor may add, change, delete and view every systems model."""
    for name in EDITED_MODELS:
        for action in ("view", "add", "change", "delete"):
            assert designation_editor.has_perm(f"systems.{action}_{name}"), f"{action}_{name}"
    assert not designation_editor.has_perm("auth.add_user")


def test_roles_finance_editor_can_view_but_not_change_systems_models(finance_editor):
    """A finance editor may view systems data but not add, change or delete it."""
    for name in EDITED_MODELS:
        assert finance_editor.has_perm(f"systems.view_{name}"), name
        for action in ("add", "change", "delete"):
            assert not finance_editor.has_perm(f"systems.{action}_{name}"), f"{action}_{name}"


def test_roles_administrator_can_manage_users_but_only_view_groups(administrator):
    """An administrator may edit users and view, but not change, groups."""
    for action in ("view", "add", "change", "delete"):
        assert administrator.has_perm(f"auth.{action}_user")
    assert administrator.has_perm("auth.view_group")
    assert not administrator.has_perm("auth.change_group")
    assert not Permission.objects.filter(
        group__name=ADMINISTRATOR, content_type__app_label="auth", codename="change_group"
    ).exists()


def test_admin_index_analyst_is_sent_to_admin_login(client, analyst):
    """An analyst is not staff, so the admin will not open for them."""
    client.force_login(analyst)
    url = reverse("admin:index")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == _login_url(url)
    changelist = reverse("admin:systems_system_changelist")
    assert client.get(changelist).url == _login_url(changelist)


def test_admin_designation_editor_opens_systems_but_not_user_add(client, designation_editor):
    """A designation editor can open the system changelist but may not add users."""
    make_system(name="Listed system")
    client.force_login(designation_editor)

    changelist = client.get(reverse("admin:systems_system_changelist"))
    user_add = client.get(reverse("admin:auth_user_add"))

    assert changelist.status_code == 200
    assert [s.name for s in changelist.context["cl"].result_list] == ["Listed system"]
    assert user_add.status_code == 403


def test_admin_administrator_opens_user_add(client, administrator):
    """An administrator can open the add-user form the designation editor is refused."""
    client.force_login(administrator)

    response = client.get(reverse("admin:auth_user_add"))

    assert response.status_code == 200
    assert "username" in response.context["adminform"].form.fields


# ---------------------------------------------------------------------------------------------
# Changelists and change pages over the shipped reference data


def _wave_slugs(wave_slug: str) -> set[str]:
    with (DATA_DIR / "designations.csv").open(newline="", encoding="utf-8") as handle:
        return {row["system"] for row in csv.DictReader(handle) if row["wave"] == wave_slug}


def test_system_changelist_standing_current_lists_36(client, administrator, reference_data):
    """Filtered to current systems, the system changelist lists the 36 systems of today (42
    until the reorganisation of 1 April 2026)."""
    client.force_login(administrator)
    url = reverse("admin:systems_system_changelist")

    current = client.get(url, {"standing": "current"})
    ended = client.get(url, {"standing": "ended"})

    assert current.status_code == 200
    assert current.context["cl"].result_count == 36
    assert ended.context["cl"].result_count == System.objects.count() - 36
    current_names = {s.name for s in current.context["cl"].result_list}
    ended_names = {s.name for s in ended.context["cl"].result_list}
    assert not current_names & ended_names


def test_system_changelist_status_today_filter_lists_icbs(client, administrator, reference_data):
    """Filtered on today's status, the system changelist lists the 36 statutory ICBs of today."""
    client.force_login(administrator)

    response = client.get(reverse("admin:systems_system_changelist"), {"status_today": "icb"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 36
    assert b"ICS with statutory ICB" in response.content


def test_footprint_changelist_existed_2016_lists_44(client, administrator, reference_data):
    """Filtered to 2016, the footprint changelist lists the 44 original STP footprints."""
    client.force_login(administrator)

    response = client.get(reverse("admin:systems_footprint_changelist"), {"existed": "2016"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 44


def test_wave_changelist_lists_six_waves(client, administrator, reference_data):
    """The wave changelist lists the six waves in order, wave 1 with its ten systems."""
    client.force_login(administrator)

    response = client.get(reverse("admin:systems_wave_changelist"))

    assert response.status_code == 200
    cl = response.context["cl"]
    assert cl.result_count == 6
    waves = list(cl.result_list)
    assert [w.sequence for w in waves] == [1, 2, 3, 4, 5, 6]
    assert waves[0].slug == "wave-1"
    assert waves[0].system_count == 10


def test_wave_change_page_shows_wave_1_designations(client, administrator, reference_data):
    """Wave 1's change page has one inline row for each of its ten designated systems."""
    wave = Wave.objects.get(slug="wave-1")
    client.force_login(administrator)

    response = client.get(reverse("admin:systems_wave_change", args=[wave.pk]))

    assert response.status_code == 200
    (inline,) = [
        formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.model is Designation
    ]
    forms = inline.formset.forms
    assert len(forms) == 10
    assert {form.instance.system.slug for form in forms} == _wave_slugs("wave-1")


LIST_PAGES = [
    "admin:index",
    "admin:systems_system_changelist",
    "admin:systems_footprint_changelist",
    "admin:systems_wave_changelist",
    "admin:systems_designation_changelist",
    "admin:systems_systemstatus_changelist",
    "admin:systems_designationevent_changelist",
    "admin:systems_code_changelist",
    "admin:systems_region_changelist",
    "admin:systems_systemfootprint_changelist",
    "admin:auth_user_changelist",
]


def test_admin_list_pages_render_for_administrator(client, administrator, analyst, reference_data):
    """Every admin list page renders for the administrator over the reference data, and each
    changelist lists rows (the users list: the analyst, a user below the administrator)."""
    client.force_login(administrator)
    failures = {}

    for url_name in LIST_PAGES:
        response = client.get(reverse(url_name))
        if response.status_code != 200:
            failures[url_name] = response.status_code
        elif "cl" in response.context and response.context["cl"].result_count == 0:
            failures[url_name] = "no rows"

    assert failures == {}


def test_admin_change_pages_render_for_administrator(client, administrator, reference_data):
    """A system (with its inlines and timeline), a wave, a designation and a status open on
    their change pages, and a system's history page lists its history."""
    system = System.objects.get(slug="greater-manchester")
    pages = [
        ("admin:systems_system_change", system),
        ("admin:systems_wave_change", Wave.objects.get(slug="wave-1")),
        ("admin:systems_designation_change", Designation.objects.filter(system=system).first()),
        ("admin:systems_systemstatus_change", system.statuses.first()),
    ]
    client.force_login(administrator)
    failures = {}

    for url_name, obj in pages:
        response = client.get(reverse(url_name, args=[obj.pk]))
        if response.status_code != 200:
            failures[url_name] = response.status_code
        elif response.context["original"] != obj:
            failures[url_name] = f"shows {response.context['original']!r}"
    history = client.get(reverse("admin:systems_system_history", args=[system.pk]))

    assert failures == {}
    assert history.status_code == 200
    assert history.context["object"] == system
    assert (
        "Designated in"
        in client.get(reverse("admin:systems_system_change", args=[system.pk])).content.decode()
    )


def test_footprint_changelist_unknown_existed_value_is_not_a_server_error(client, administrator):
    """A hand-edited `existed` filter value is refused like any bad lookup, not with a 500."""
    client.force_login(administrator)
    client.raise_request_exception = False

    response = client.get(reverse("admin:systems_footprint_changelist"), {"existed": "nonsense"})

    assert response.status_code in (200, 302)


# Session, user, two permission lookups, two counts, the systems page, and one prefetch each
# for today's codes, today's footprints and the designations with their waves.
SYSTEM_CHANGELIST_MAX_QUERIES = 10


def _system_changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:systems_system_changelist"))
    assert response.status_code == 200
    return len(queries)


def test_system_changelist_query_count_is_bounded(
    client, administrator, reference_data, django_assert_max_num_queries
):
    """The system changelist over all the reference systems runs a fixed, small number of
    queries."""
    client.force_login(administrator)

    with django_assert_max_num_queries(SYSTEM_CHANGELIST_MAX_QUERIES):
        response = client.get(reverse("admin:systems_system_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == System.objects.count() > 40


def test_system_changelist_query_count_does_not_grow_with_rows(client, administrator):
    """Listing many systems costs no more queries than listing one."""
    client.force_login(administrator)
    first = make_system(name="Only system")
    DesignationFactory(system=first)
    one = _system_changelist_queries(client)

    for n in range(30):
        system = make_system(name=f"System number {n}")
        DesignationFactory(system=system)
    many = _system_changelist_queries(client)

    assert many == one


# ---------------------------------------------------------------------------------------------
# A big system's change form and its memberships


@pytest.fixture
def reference_data_with_memberships(reference_data_with_snapshots):
    """The shipped reference data with its snapshots: hundreds of members for a big system."""
    return reference_data_with_snapshots


def test_big_system_change_form_saves_within_the_field_limit(
    client, administrator, reference_data_with_memberships, settings
):
    """Greater Manchester, with all its practices, PCNs, CCGs and trusts, saves from its change
    form under Django's default limit on posted fields: memberships are not inlines of it."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000  # Django's default, stated
    system = System.objects.get(slug="greater-manchester")
    memberships = system.memberships.count()
    assert memberships > 500
    url = reverse("admin:systems_system_change", args=[system.pk])
    client.force_login(administrator)
    page = _open_change_page(client, url)
    data = _page_form_data(page, official_name="NHS Greater Manchester Integrated Care Board")

    response = client.post(url, data)

    assert len(data) < 100
    assert response.status_code == 302
    system.refresh_from_db()
    assert system.official_name == "NHS Greater Manchester Integrated Care Board"
    assert system.version == 2
    assert system.memberships.count() == memberships


def test_system_change_page_links_its_memberships_filtered_and_paged(
    client, administrator, reference_data_with_memberships
):
    """A system's change page links to its memberships' own list, filtered to the system and
    paged; an organisation's page links to its memberships the same way."""
    system = System.objects.get(slug="greater-manchester")
    total = system.memberships.count()
    organisation = system.memberships.select_related("organisation").first().organisation
    client.force_login(administrator)
    changelist = reverse("admin:systems_membership_changelist")

    system_page = client.get(reverse("admin:systems_system_change", args=[system.pk]))
    members = client.get(changelist, {"system__id__exact": system.pk})
    organisation_page = client.get(
        reverse("admin:systems_organisation_change", args=[organisation.pk])
    )
    its_memberships = client.get(changelist, {"organisation": organisation.pk})

    assert f'href="{changelist}?system__id__exact={system.pk}"' in system_page.content.decode()
    assert f"{total} memberships</a>" in system_page.content.decode()
    assert members.context["cl"].result_count == total
    assert len(members.context["cl"].result_list) == members.context["cl"].list_per_page
    assert f'href="{changelist}?organisation={organisation.pk}"' in (
        organisation_page.content.decode()
    )
    assert its_memberships.context["cl"].result_count == organisation.memberships.count()
    assert {m.organisation for m in its_memberships.context["cl"].result_list} == {organisation}
