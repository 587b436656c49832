"""Maturity in the admin: assessments with domain ratings in one form, choices narrowed to
the framework, and the roles that may edit."""

import pytest
from django.urls import reverse

from maturity.models import Assessment, AssessmentDomainRating, MaturityFramework
from tests.factories.maturity import level_named, make_framework
from tests.factories.systems import make_system
from tests.maturity.conftest import DASHBOARD

pytestmark = pytest.mark.django_db


def _assessment_post(system, framework, level, domain=None, domain_level=None, **overrides):
    data = {
        "system": system.pk,
        "framework": framework.pk,
        "assessed_on": "2019-07-01",
        "precision": "month",
        "level": level.pk,
        "evidence": "",
        "source": "Regional assurance letter",
        "source_url": "",
        "note": "",
        "domain_ratings-TOTAL_FORMS": "1" if domain else "0",
        "domain_ratings-INITIAL_FORMS": "0",
        "domain_ratings-MIN_NUM_FORMS": "0",
        "domain_ratings-MAX_NUM_FORMS": "1000",
    }
    if domain:
        data |= {"domain_ratings-0-domain": domain.pk, "domain_ratings-0-level": domain_level.pk}
    return data | overrides


def test_admin_designation_editor_adds_assessment_with_domain_ratings(client, designation_editor):
    """A designation editor records an assessment and its domain ratings in one form; both
    keep their history with who made them."""
    framework = make_framework(domains=("Finance",))
    system = make_system()
    client.force_login(designation_editor)
    url = reverse("admin:maturity_assessment_add")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _assessment_post(
            system,
            framework,
            level_named(framework, "Good"),
            framework.domains.get(),
            level_named(framework, "Best"),
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assessment = Assessment.objects.get()
    assert assessment.level.name == "Good"
    assert assessment.domain_ratings.get().level.name == "Best"
    assert assessment.history.get().history_user == designation_editor
    assert AssessmentDomainRating.history.get().history_user == designation_editor
    change = reverse("admin:maturity_assessment_change", args=[assessment.pk])
    page = client.get(change)
    assert page.status_code == 200
    levels = page.context["adminform"].form.fields["level"].queryset
    assert set(levels) == set(framework.levels.all())
    history = reverse("admin:maturity_assessment_history", args=[assessment.pk])
    assert client.get(history).status_code == 200


def test_admin_assessment_level_of_another_framework_is_refused(client, designation_editor):
    framework, other = make_framework(), make_framework()
    client.force_login(designation_editor)
    response = client.post(
        reverse("admin:maturity_assessment_add"),
        _assessment_post(make_system(), framework, level_named(other, "Good")),
    )
    assert response.status_code == 200
    assert "level" in response.context["adminform"].form.errors
    assert not Assessment.objects.exists()


def test_admin_framework_with_levels_and_domains_opens_for_editor(
    client, designation_editor, reference_data
):
    client.force_login(designation_editor)
    framework = MaturityFramework.objects.get(slug=DASHBOARD)
    response = client.get(reverse("admin:maturity_maturityframework_change", args=[framework.pk]))
    assert response.status_code == 200
    assert "Needs most improvement" in response.content.decode()
    assert client.get(reverse("admin:maturity_assessment_changelist")).status_code == 200


@pytest.mark.parametrize("role", ["analyst", "finance_editor"])
def test_admin_assessment_add_refused_without_the_role(client, request, role):
    """Analysts cannot use the admin; finance editors may view assessments but not add them."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(reverse("admin:maturity_assessment_add"))
    assert response.status_code in (302, 403)
    assert user.has_perm("maturity.view_assessment")
    assert not user.has_perm("maturity.add_assessment")


def test_roles_designation_editor_may_edit_maturity(designation_editor):
    for model in ("maturityframework", "maturitylevel", "maturitydomain", "assessment"):
        for action in ("add", "change", "delete"):
            assert designation_editor.has_perm(f"maturity.{action}_{model}")
    assert designation_editor.has_perm("maturity.change_assessmentdomainrating")
