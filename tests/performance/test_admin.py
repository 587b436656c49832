"""The standards after migrate, and who may edit performance data in the admin."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from performance.models import Observation, Standard
from performance.reference import load_standards
from systems.roles import PERFORMANCE_EDITOR
from tests.factories.performance import ObservationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def performance_editor(django_user_model):
    user = django_user_model.objects.create_user("performance_editor", is_staff=True)
    user.groups.add(Group.objects.get(name=PERFORMANCE_EDITOR))
    return user


def test_standards_exist_after_migrate_with_targets_and_sources():
    standards = {s.code: s for s in Standard.objects.all()}
    assert {code: s.target for code, s in standards.items()} == {
        "ae-4-hour": Decimal("0.95"),
        "rtt-18-weeks": Decimal("0.92"),
        "cancer-62-day": Decimal("0.85"),
        "ae-4-hour-type-1": Decimal("0.95"),
    }
    assert all(s.higher_is_better and s.source for s in standards.values())


def test_loading_standards_again_keeps_editors_changes():
    Standard.objects.filter(code="ae-4-hour").update(name="Edited")
    assert load_standards() == 0
    assert Standard.objects.get(code="ae-4-hour").name == "Edited"


def test_performance_editor_may_edit_observations(client, performance_editor):
    observation = ObservationFactory(month=dt.date(2019, 4, 1))
    client.force_login(performance_editor)
    url = reverse("admin:performance_observation_change", args=[observation.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        "provider": observation.provider_id,
        "standard": observation.standard_id,
        "month": "2019-04-01",
        "numerator": 91,
        "denominator": 100,
        "source": "corrected",
        "seen_version": form["seen_version"].value(),
    }
    assert client.post(url, data).status_code == 302
    observation.refresh_from_db()
    assert (observation.numerator, observation.version) == (91, 2)
    assert observation.history.count() == 2


def test_admin_refuses_numerator_above_denominator(client, performance_editor):
    observation = ObservationFactory(month=dt.date(2019, 4, 1))
    client.force_login(performance_editor)
    url = reverse("admin:performance_observation_change", args=[observation.pk])
    response = client.post(
        url,
        {
            "provider": observation.provider_id,
            "standard": observation.standard_id,
            "month": "2019-04-01",
            "numerator": 101,
            "denominator": 100,
            "seen_version": 1,
        },
    )
    assert response.status_code == 200
    assert "The numerator cannot exceed the denominator." in response.content.decode()
    assert Observation.objects.get().numerator == 90


def test_designation_editor_may_not_edit_observations(client, designation_editor):
    observation = ObservationFactory()
    client.force_login(designation_editor)
    url = reverse("admin:performance_observation_change", args=[observation.pk])
    assert client.post(url, {"numerator": 1}).status_code == 403
