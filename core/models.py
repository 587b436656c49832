"""What the domain models share: sourced facts, optimistic locking, and dated periods.

Every dated period is inclusive at both ends: the end is the last day it held, as in ODS close
dates, and empty means "still holds"."""

import datetime as dt

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual


class StaleEditError(Exception):
    """Someone else saved the row after this copy of it was read."""


class Sourced(models.Model):
    """A fact with the source it came from and whether that source is enough."""

    source = models.CharField(max_length=500, help_text="Where this fact comes from.")
    unverified = models.BooleanField(
        default=False,
        help_text="Found in only one secondary source, inferred, or not found at all.",
    )
    note = models.TextField(blank=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """Optimistic locking: a save from a stale copy is refused instead of overwriting."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            # The conditional UPDATE takes the row lock, so of two concurrent saves from the
            # same version exactly one matches.
            matched = (
                type(self)
                ._default_manager.filter(pk=self.pk, version=self.version)
                .update(version=models.F("version") + 1)
            )
            if not matched:
                raise StaleEditError(f"{self._meta.verbose_name} {self.pk} changed since read")
            self.version += 1
        super().save(*args, **kwargs)


def period_check(name: str, start: str, end: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        violation_error_message="The end date is before the start date.",
    )


def valid_on(
    day: dt.date, start: str = "valid_from", end: str = "valid_until", *, indexed: bool = False
) -> Q:
    """Rows whose period from field `start` to field `end` includes `day`: the database twin
    of `core.dates.covers`, held equal to it by a test.

    With `indexed` (for a date, not an expression), the same test is written as one
    comparison, "the end, or else `day`, is on or after `day`", which PostgreSQL checks from
    an index holding both fields instead of splitting the query in two and reading the rows."""
    if indexed:
        ends_after = GreaterThanOrEqual(Coalesce(F(end), Value(day)), Value(day))
        return Q(**{f"{start}__lte": day}) & Q(ends_after)
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


def periods_overlap(a_start, a_end, b_start, b_end) -> bool:
    """Whether two inclusive periods share a day; an empty end means open."""
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


class DatedQuerySet(models.QuerySet):
    def as_at(self, day: dt.date):
        """Rows whose period includes `day`."""
        return self.filter(valid_on(day))


class DataVersion(models.Model):
    """One row counting writes to the domain data; cached fragments are keyed on it
    (core.caching). Its table kept the name it had in the systems app."""

    version = models.BigIntegerField(default=0)

    class Meta:
        db_table = "systems_dataversion"
        verbose_name = "data version"

    def __str__(self):
        return f"data version {self.version}"
