"""Factories for maturity frameworks, levels, domains, assessments and domain ratings."""

import datetime as dt

import factory

from maturity import models
from tests.factories.systems import SourcedFactory, SystemFactory


class MaturityFrameworkFactory(SourcedFactory):
    class Meta:
        model = models.MaturityFramework

    name = factory.Sequence(lambda n: f"Framework {n}")
    slug = factory.Sequence(lambda n: f"framework-{n}")
    in_force_from = dt.date(2017, 7, 1)
    best_end = models.BestEnd.FIRST


class FrameworkPartFactory(SourcedFactory):
    """A level or domain of a framework, numbered in order from 1."""

    class Meta:
        abstract = True

    framework = factory.SubFactory(MaturityFrameworkFactory)
    order = factory.Sequence(lambda n: n + 1)


class MaturityLevelFactory(FrameworkPartFactory):
    class Meta:
        model = models.MaturityLevel

    name = factory.Sequence(lambda n: f"Level {n}")


class MaturityDomainFactory(FrameworkPartFactory):
    class Meta:
        model = models.MaturityDomain

    name = factory.Sequence(lambda n: f"Domain {n}")


def make_framework(
    *, levels=("Best", "Good", "Fair", "Worst"), domains=(), **kwargs
) -> models.MaturityFramework:
    """A framework with the named levels (in order, from 1) and domains."""
    framework = MaturityFrameworkFactory(**kwargs)
    for order, name in enumerate(levels, start=1):
        MaturityLevelFactory(framework=framework, order=order, name=name)
    for order, name in enumerate(domains, start=1):
        MaturityDomainFactory(framework=framework, order=order, name=name)
    return framework


class AssessmentFactory(SourcedFactory):
    """An assessment; give `level` (its framework is taken from it) or `framework` and
    `level__name`."""

    class Meta:
        model = models.Assessment

    system = factory.SubFactory(SystemFactory)
    level = factory.SubFactory(MaturityLevelFactory)
    framework = factory.LazyAttribute(lambda assessment: assessment.level.framework)
    assessed_on = dt.date(2017, 7, 1)
    precision = "month"


class AssessmentDomainRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AssessmentDomainRating

    assessment = factory.SubFactory(AssessmentFactory)
    domain = factory.SubFactory(
        MaturityDomainFactory, framework=factory.SelfAttribute("..assessment.framework")
    )
    level = factory.LazyAttribute(lambda rating: rating.assessment.level)


def level_named(framework, name: str) -> models.MaturityLevel:
    return framework.levels.get(name=name)


def rate(system, framework, level_name: str, day: dt.date, **kwargs) -> models.Assessment:
    """An assessment of `system` under `framework` at its level named `level_name`, on `day`."""
    return AssessmentFactory(
        system=system,
        framework=framework,
        level=level_named(framework, level_name),
        assessed_on=day,
        precision="day",
        **kwargs,
    )
