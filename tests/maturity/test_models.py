"""Maturity's models refuse what cannot be true: a level or domain of another framework, a
domain rated before it was in use, duplicate levels, a framework ending before it starts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from maturity.models import Assessment, AssessmentDomainRating, MaturityLevel
from tests.factories.maturity import AssessmentFactory, level_named, make_framework
from tests.factories.systems import SystemFactory

pytestmark = pytest.mark.django_db


def test_assessment_level_from_another_framework_is_refused():
    """An assessment's overall level must be one of its own framework's levels."""
    dashboard, matrix = make_framework(), make_framework(levels=("Emerging", "Thriving"))
    assessment = Assessment(
        system=SystemFactory(),
        framework=dashboard,
        level=level_named(matrix, "Thriving"),
        assessed_on=dt.date(2019, 1, 1),
        source="test",
    )
    with pytest.raises(ValidationError) as error:
        assessment.full_clean()
    assert "level" in error.value.message_dict


def test_domain_rating_domain_or_level_from_another_framework_is_refused():
    ours = make_framework(domains=("Finance",))
    theirs = make_framework(domains=("Finance",))
    assessment = AssessmentFactory(framework=ours, level=level_named(ours, "Good"))
    wrong_domain = AssessmentDomainRating(
        assessment=assessment, domain=theirs.domains.get(), level=level_named(ours, "Good")
    )
    wrong_level = AssessmentDomainRating(
        assessment=assessment, domain=ours.domains.get(), level=level_named(theirs, "Good")
    )
    with pytest.raises(ValidationError) as domain_error:
        wrong_domain.full_clean()
    with pytest.raises(ValidationError) as level_error:
        wrong_level.full_clean()
    assert "domain" in domain_error.value.message_dict
    assert "level" in level_error.value.message_dict
    AssessmentDomainRating(
        assessment=assessment, domain=ours.domains.get(), level=level_named(ours, "Best")
    ).full_clean()


def test_domain_rating_before_the_domain_was_in_use_is_refused():
    """The oversight framework's sixth theme cannot be rated before 2022/23."""
    framework = make_framework(domains=("People", "Local strategic priorities"))
    sixth = framework.domains.get(order=2)
    sixth.in_use_from = dt.date(2022, 4, 1)
    sixth.save()
    early = AssessmentFactory(
        framework=framework, level=level_named(framework, "Good"), assessed_on=dt.date(2021, 9, 1)
    )
    with pytest.raises(ValidationError):
        AssessmentDomainRating(
            assessment=early, domain=sixth, level=level_named(framework, "Good")
        ).full_clean()


def test_levels_are_unique_per_framework_in_name_and_order():
    framework = make_framework()
    with pytest.raises(ValidationError):
        MaturityLevel(framework=framework, order=1, name="Another", source="t").full_clean()
    with pytest.raises(ValidationError):
        MaturityLevel(framework=framework, order=9, name="Best", source="t").full_clean()


def test_framework_cannot_end_before_it_starts():
    framework = make_framework()
    framework.in_force_until = framework.in_force_from - dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        framework.full_clean()
