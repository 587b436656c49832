import factory

from finance import models


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
