import datetime as dt
from decimal import Decimal

import factory

from performance import models


class StandardFactory(factory.django.DjangoModelFactory):
    """The shipped standards exist after migrate; this finds them by code or makes another."""

    class Meta:
        model = models.Standard
        django_get_or_create = ("code",)

    code = "ae-4-hour"
    name = factory.LazyAttribute(lambda o: o.code)
    short_name = factory.LazyAttribute(lambda o: o.code)
    target = Decimal("0.95")
    source = "test"


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Observation

    provider = factory.SubFactory("tests.factories.systems.OrganisationFactory")
    standard = factory.SubFactory(StandardFactory)
    month = dt.date(2017, 4, 1)
    numerator = 90
    denominator = 100


PAPER = {
    "start_year": 2017,
    "document": "NHS England and NHS Improvement board paper: Integrated Care Systems "
    "Programme Update",
    "published_on": dt.date(2018, 9, 27),
    "source": "NHSE/NHSI board paper, 27 September 2018",
}


def publish(wave, code, count, of, *, comparison="at-or-above", start_year=2017):
    """A paragraph 5 finding about `wave` on the standard `code`: `count` of `of` systems."""
    return models.PublishedFinding.objects.create(
        **{**PAPER, "start_year": start_year},
        key=f"{start_year}-{wave.slug}-{code}-{comparison}",
        wave=wave,
        standard=models.Standard.objects.get(code=code),
        comparison=comparison,
        published_count=count,
        published_of=of,
        quote=f"{count} performed {comparison} the national average.",
        paragraph="5",
    )
