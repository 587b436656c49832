"""Maturity: frameworks, their levels and domains, and systems' assessments under them.

Systems were rated under frameworks that came and went: the STP progress dashboard (July
2017), the ICS maturity matrix (2018-21), the System Oversight Framework (2021/22 on). Each
framework's levels and domains are rows, not choices, so a new framework is data entry. An
assessment rates one system under one framework on one date; a later assessment under the
same framework supersedes it from its date (see maturity/queries.py for the as-at reads).

These models began in the systems app: their tables, and their history tables, keep the names
they had there (`systems_...`), so moving them changed no database.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from simple_history.models import HistoricalRecords

from core.dates import DatePrecision, format_partial_date
from core.models import Sourced, Versioned, period_check
from systems.models import System


class BestEnd(models.TextChoices):
    FIRST = "first", "The first level (order 1) is the best"
    LAST = "last", "The last level (highest order) is the best"


class MaturityFramework(Versioned, Sourced):
    """A way systems were rated, with the period it was in force."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    publisher = models.CharField(max_length=200, blank=True)
    in_force_from = models.DateField()
    in_force_from_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    in_force_until = models.DateField(
        null=True, blank=True, help_text="When it stopped being used; empty if not known."
    )
    in_force_until_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    best_end = models.CharField(
        max_length=5,
        choices=BestEnd,
        default=BestEnd.FIRST,
        help_text="Which end of the ordered levels is the best rating.",
    )
    description = models.TextField(blank=True)

    history = HistoricalRecords(table_name="systems_historicalmaturityframework")

    class Meta:
        db_table = "systems_maturityframework"
        ordering = ["in_force_from", "name"]
        verbose_name = "maturity framework"
        constraints = [
            period_check("maturity_framework_end_after_start", "in_force_from", "in_force_until")
        ]

    def __str__(self):
        return self.name

    @property
    def in_force_display(self) -> str:
        start = format_partial_date(self.in_force_from, self.in_force_from_precision)
        if self.in_force_until is None:
            return f"from {start}"
        return (
            f"{start} to {format_partial_date(self.in_force_until, self.in_force_until_precision)}"
        )


class MaturityLevel(Versioned, Sourced):
    """One step of a framework's ordered scale (a rating, stage or segment)."""

    framework = models.ForeignKey(
        MaturityFramework, on_delete=models.CASCADE, related_name="levels"
    )
    order = models.PositiveSmallIntegerField(
        help_text="Position on the scale, from 1; the framework says which end is best."
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    history = HistoricalRecords(table_name="systems_historicalmaturitylevel")

    class Meta:
        db_table = "systems_maturitylevel"
        ordering = ["framework", "order"]
        verbose_name = "maturity level"
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "order"],
                name="maturity_level_order_unique_per_framework",
                violation_error_message="This framework already has a level in that position.",
            ),
            models.UniqueConstraint(
                fields=["framework", "name"],
                name="maturity_level_name_unique_per_framework",
                violation_error_message="This framework already has a level of that name.",
            ),
            models.CheckConstraint(
                condition=Q(order__gte=1),
                name="maturity_level_order_from_one",
                violation_error_message="Levels are numbered from 1.",
            ),
        ]

    def __str__(self):
        return self.name


class MaturityDomain(Versioned, Sourced):
    """An area a framework rates separately (emergency care, finance, leadership...)."""

    framework = models.ForeignKey(
        MaturityFramework, on_delete=models.CASCADE, related_name="domains"
    )
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    in_use_from = models.DateField(
        null=True,
        blank=True,
        help_text="Only for a domain added after the framework began: the first day it applied.",
    )

    history = HistoricalRecords(table_name="systems_historicalmaturitydomain")

    class Meta:
        db_table = "systems_maturitydomain"
        ordering = ["framework", "order", "name"]
        verbose_name = "maturity domain"
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "name"],
                name="maturity_domain_name_unique_per_framework",
                violation_error_message="This framework already has a domain of that name.",
            )
        ]

    def __str__(self):
        return self.name


class AssessmentQuerySet(models.QuerySet):
    def as_at(self, day: dt.date):
        """Each system's latest assessment under each framework on or before `day`.

        One query: a row is kept when no other assessment of the same system under the same
        framework is later but still on or before `day` (ties on a date go to the later row).
        """
        latest = (
            Assessment.objects.filter(
                system=OuterRef("system"),
                framework=OuterRef("framework"),
                assessed_on__lte=day,
            )
            .order_by("-assessed_on", "-pk")
            .values("pk")[:1]
        )
        return self.filter(assessed_on__lte=day, pk=Subquery(latest))

    def chronological(self):
        return self.order_by("assessed_on", "framework__in_force_from", "framework__name", "pk")


class Assessment(Versioned, Sourced):
    """A system's overall rating under a framework on a date, with the evidence for it."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="assessments")
    framework = models.ForeignKey(
        MaturityFramework, on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(
        help_text="For a date known only to the month or year, give the first day and set "
        "the precision."
    )
    precision = models.CharField(max_length=5, choices=DatePrecision, default=DatePrecision.DAY)
    level = models.ForeignKey(
        MaturityLevel,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name="overall level",
    )
    evidence = models.TextField(blank=True, help_text="What the rating was based on.")
    source_url = models.URLField(max_length=500, blank=True)
    illustrative = models.BooleanField(
        default=False, help_text="Made up for demonstration: never a real rating."
    )

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords(table_name="systems_historicalassessment")

    class Meta:
        db_table = "systems_assessment"
        ordering = ["system", "assessed_on", "framework"]
        verbose_name = "maturity assessment"
        constraints = [
            models.UniqueConstraint(
                fields=["system", "framework", "assessed_on"],
                name="one_assessment_per_system_framework_day",
                violation_error_message=(
                    "This system already has an assessment under that framework on that date."
                ),
            )
        ]
        indexes = [models.Index(fields=["framework", "assessed_on"])]

    def __str__(self):
        return f"{self.system}: {self.level} ({self.framework}, {self.assessed_display})"

    @property
    def assessed_display(self) -> str:
        return format_partial_date(self.assessed_on, self.precision)

    def clean(self):
        super().clean()
        if self.level_id and self.framework_id and self.level.framework_id != self.framework_id:
            raise ValidationError(
                {"level": f"“{self.level}” is a level of another framework, not {self.framework}."}
            )


class AssessmentDomainRating(Versioned, models.Model):
    """An assessment's rating in one domain of its framework."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="domain_ratings"
    )
    domain = models.ForeignKey(MaturityDomain, on_delete=models.PROTECT, related_name="ratings")
    level = models.ForeignKey(
        MaturityLevel, on_delete=models.PROTECT, related_name="domain_ratings"
    )

    history = HistoricalRecords(table_name="systems_historicalassessmentdomainrating")

    class Meta:
        db_table = "systems_assessmentdomainrating"
        ordering = ["assessment", "domain__order", "domain"]
        verbose_name = "domain rating"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "domain"],
                name="one_rating_per_assessment_domain",
                violation_error_message="This assessment already rates that domain.",
            )
        ]

    def __str__(self):
        return f"{self.domain}: {self.level}"

    def clean(self):
        super().clean()
        try:
            # In the admin the assessment may be new (no id yet) but is set on the rating.
            assessment = self.assessment
        except Assessment.DoesNotExist:
            return
        framework_id = assessment.framework_id
        if framework_id is None:
            return
        errors = {}
        if self.domain_id and self.domain.framework_id != framework_id:
            errors["domain"] = f"“{self.domain}” is a domain of another framework."
        elif (
            self.domain_id
            and self.domain.in_use_from
            and assessment.assessed_on
            and assessment.assessed_on < self.domain.in_use_from
        ):
            errors["domain"] = (
                f"“{self.domain}” was not rated before {self.domain.in_use_from:%-d %B %Y}."
            )
        if self.level_id and self.level.framework_id != framework_id:
            errors["level"] = f"“{self.level}” is a level of another framework."
        if errors:
            raise ValidationError(errors)
