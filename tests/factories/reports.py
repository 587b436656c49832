import datetime as dt

import factory

from reports import models


class BoardSummaryFactory(factory.django.DjangoModelFactory):
    """A summary of all systems; `key` is made unique per row unless given."""

    class Meta:
        model = models.BoardSummary

    scope = models.Scope.ALL
    as_at = dt.date(2018, 9, 27)
    format = models.SummaryFormat.PDF
    data_version = 0
    key = factory.Sequence(lambda n: f"test-summary-{n}")
