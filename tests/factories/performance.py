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
