"""Every admin change form that edits domain data refuses a stale save, and every inline on
those forms does too. The cases come from the admin's own registry, so a model registered
later without the check, or without a way to make one here, fails these tests."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.db import models
from django.forms.models import _get_foreign_key
from django.test import Client
from django.urls import reverse

from core.versioned_admin import VersionedForm, VersionedInline
from finance.models import ControlTotalTransfer, FinancialYear, OrganisationYear
from finance.models import PublishedFinding as PlanFinding
from maturity import models as maturity
from performance.models import Observation, PublishedFinding, Standard
from systems import models as systems
from tests.factories.finance import OrganisationYearFactory, publish_plan
from tests.factories.maturity import (
    AssessmentDomainRatingFactory,
    AssessmentFactory,
    MaturityDomainFactory,
    MaturityFrameworkFactory,
    MaturityLevelFactory,
)
from tests.factories.performance import ObservationFactory, publish
from tests.factories.systems import (
    DesignationFactory,
    FootprintFactory,
    MembershipFactory,
    OrganisationFactory,
    PopulationFactory,
    RegionFactory,
    SubIcbLocationFactory,
    SystemFactory,
    SystemFootprintFactory,
    SystemNameFactory,
    SystemStatusFactory,
    WaveFactory,
)
from tests.systems.test_admin import _non_field_errors, _page_form_data

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("systems", "maturity", "finance", "performance")

# Records the admin shows but never lets anyone change: a control total transfer is made by
# "Move control total" and stands as made.
READ_ONLY = {ControlTotalTransfer}


def _code(**owner) -> systems.Code:
    owner = owner or {"system": SystemFactory()}
    return systems.Code.objects.create(
        scheme="ons", code="E54000099", valid_from=dt.date(2016, 1, 1), source="test", **owner
    )


def _event(**system) -> systems.DesignationEvent:
    return systems.DesignationEvent.objects.create(
        system=system.get("system") or SystemFactory(),
        kind=systems.EventKind.RENAMED,
        occurred_on=dt.date(2019, 4, 1),
        previous_name="Old name",
        new_name="New name",
        source="test",
    )


# One row of each domain model, made with its parent when given (`system=...` for an inline).
MAKERS: dict[type[models.Model], Callable[..., models.Model]] = {
    systems.Region: RegionFactory,
    systems.Footprint: FootprintFactory,
    systems.System: SystemFactory,
    systems.SystemFootprint: SystemFootprintFactory,
    systems.Code: _code,
    systems.SystemStatus: SystemStatusFactory,
    systems.SystemName: SystemNameFactory,
    systems.Population: PopulationFactory,
    systems.SubIcbLocation: SubIcbLocationFactory,
    systems.Wave: WaveFactory,
    systems.Designation: DesignationFactory,
    systems.DesignationEvent: _event,
    systems.Organisation: OrganisationFactory,
    systems.Membership: MembershipFactory,
    maturity.MaturityFramework: MaturityFrameworkFactory,
    maturity.MaturityLevel: MaturityLevelFactory,
    maturity.MaturityDomain: MaturityDomainFactory,
    maturity.Assessment: AssessmentFactory,
    maturity.AssessmentDomainRating: AssessmentDomainRatingFactory,
    FinancialYear: lambda: FinancialYear.objects.get(start_year=2019),
    OrganisationYear: OrganisationYearFactory,
    Standard: lambda: Standard.objects.get(code="ae-4-hour"),
    Observation: ObservationFactory,
    PublishedFinding: lambda: publish(WaveFactory(), "ae-4-hour", 7, 10),
    PlanFinding: lambda: publish_plan(WaveFactory(), 6, 10, named=[SystemFactory()]),
}

REGISTERED = sorted(
    (
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in DOMAIN_APPS
    ),
    key=lambda pair: pair[0]._meta.label,
)
EDITABLE = [(model, model_admin) for model, model_admin in REGISTERED if model not in READ_ONLY]
INLINES = [
    (model, inline)
    for model, model_admin in EDITABLE
    for inline in model_admin.inlines
    if inline.model._meta.app_label in DOMAIN_APPS
]


def _make(model: type[models.Model], **parent) -> models.Model:
    assert model in MAKERS, (
        f"{model._meta.label} is edited in the admin: add a maker for it to MAKERS so its "
        "change form is held to refusing stale saves"
    )
    return MAKERS[model](**parent)


def _edit(obj: models.Model) -> tuple[str, Any]:
    """A field of `obj` to change and a new value: its source where it has one (a domain
    rating has none: the version alone tells its form the row moved on)."""
    if hasattr(obj, "source"):
        return "source", "Corrected from the publisher's page"
    return "", None


@pytest.fixture
def editors(django_user_model) -> tuple[Client, Client]:
    """Two administrators with every right, so any model's form opens for both."""
    clients = []
    for name in ("first_editor", "second_editor"):
        client = Client()
        client.force_login(django_user_model.objects.create_superuser(name, password=None))
        clients.append(client)
    return clients[0], clients[1]


def _change_url(obj: models.Model) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _open(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def _form_errors(response) -> dict:
    errors = {"form": response.context["adminform"].form.errors}
    for inline in response.context.get("inline_admin_formsets", []):
        errors[inline.formset.prefix] = inline.formset.errors
    return errors


@pytest.mark.parametrize(
    ("model", "model_admin"), EDITABLE, ids=[m._meta.label for m, _ in EDITABLE]
)
def test_domain_change_form_stale_save_is_refused(model, model_admin, editors):
    """Of two editors who opened the same row on its change form, the second to save is told
    who changed it first and nothing of theirs is saved; the first editor's value stands."""
    assert issubclass(model_admin.form, VersionedForm), f"{model_admin} does not check versions"
    editor_a, editor_b = editors
    obj = _make(model)
    url = _change_url(obj)
    page_a, page_b = _open(editor_a, url), _open(editor_b, url)
    assert 'name="seen_version"' in page_a.content.decode()
    field, value = _edit(obj)

    response_b = editor_b.post(url, _page_form_data(page_b, **{field: f"{value} by B"}))
    assert response_b.status_code == 302, _form_errors(response_b)
    response_a = editor_a.post(url, _page_form_data(page_a, **{field: f"{value} by A"}))

    assert response_a.status_code == 200
    (error,) = _non_field_errors(response_a)
    assert "was changed by second_editor" in error
    assert "Your changes have not been saved" in error
    obj.refresh_from_db()
    assert getattr(obj, field) == f"{value} by B"
    assert obj.version == 2


@pytest.mark.parametrize(
    ("model", "model_admin"), EDITABLE, ids=[m._meta.label for m, _ in EDITABLE]
)
def test_domain_change_form_current_version_saves(model, model_admin, editors):
    """A save from the version in the database goes through and moves the version on."""
    editor, _ = editors
    obj = _make(model)
    url = _change_url(obj)
    page = _open(editor, url)
    field, value = _edit(obj)

    response = editor.post(url, _page_form_data(page, **{field: value}))

    assert response.status_code == 302, _form_errors(response)
    obj.refresh_from_db()
    assert (getattr(obj, field), obj.version) == (value, 2)


@pytest.mark.parametrize(
    ("parent_model", "inline"),
    INLINES,
    ids=[f"{m._meta.label}-{i.__name__}" for m, i in INLINES],
)
def test_domain_inline_stale_save_is_refused(parent_model, inline, editors):
    """A row edited in an inline after someone else saved it is refused, and the other save
    stands: an inline is no way round the check."""
    assert issubclass(inline, VersionedInline), f"{inline.__name__} does not check versions"
    editor, _ = editors
    fk = _get_foreign_key(parent_model, inline.model, fk_name=inline.fk_name)
    parent = _make(parent_model)
    child = _make(inline.model, **{fk.name: parent})
    page = _open(editor, _change_url(parent))
    (formset,) = [
        f.formset for f in page.context["inline_admin_formsets"] if type(f.opts) is inline
    ]
    field, value = _edit(child)
    child.save()  # someone else saves the row: its version moves on
    changes = {f"{formset.prefix}-0-{field}": value} if field else {}

    response = editor.post(_change_url(parent), _page_form_data(page, **changes))

    assert response.status_code == 200
    assert "Your changes have not been saved" in response.content.decode()
    saved = type(child).objects.get(pk=child.pk)
    assert saved.version == 2
    if field:
        assert getattr(saved, field) == getattr(child, field)


def test_read_only_domain_records_cannot_be_changed():
    """The records left out of the stale-save tests are the ones no one may change."""
    for model in READ_ONLY:
        model_admin = admin.site._registry[model]
        assert not model_admin.has_change_permission(None)
        assert not model_admin.has_add_permission(None)
