from decimal import Decimal

import factory

from finance import models
from tests.factories.systems import MembershipFactory


class FinancialYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FinancialYear
        django_get_or_create = ("start_year",)

    start_year = 2019
    transfers_allowed = factory.LazyAttribute(lambda o: o.start_year >= 2019)


class OrganisationYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OrganisationYear

    organisation = factory.SubFactory("tests.factories.systems.OrganisationFactory")
    year = factory.SubFactory(FinancialYearFactory)
    control_total = 0
    plan = 0
    outturn = 0


def add_members_with_figures(system, year, figures, *, valid_from, **extra):
    """A whole member of `system` from `valid_from` for each (control total, plan, outturn) in
    `figures`, with those figures for `year` (and any `extra` fields of them)."""
    for control_total, plan, outturn in figures:
        membership = MembershipFactory(system=system, valid_from=valid_from)
        OrganisationYearFactory(
            organisation=membership.organisation,
            year=year,
            control_total=Decimal(control_total),
            plan=Decimal(plan),
            outturn=Decimal(outturn),
            **extra,
        )


def publish_plan(wave, count, of, *, named=(), comparison="better-than-plan", start_year=2017):
    """A paragraph 6 finding about `wave`: `count` of `of` did better (or worse) than planned,
    naming the systems in `named`."""
    from tests.factories.performance import PAPER

    finding = models.PublishedFinding.objects.create(
        **{**PAPER, "start_year": start_year},
        key=f"{start_year}-{wave.slug}-{comparison}",
        wave=wave,
        comparison=comparison,
        published_count=count,
        published_of=of,
        quote=f"{count} delivered a better financial position than they planned.",
        paragraph="6",
    )
    finding.named_systems.set(named)
    return finding
