"""Financial years, organisations' control totals, plans and outturns, and transfers.

Money is Decimal in £ thousands, surplus positive and deficit negative. Illustrative figures
(the demo data) carry `illustrative=True` and are labelled wherever they appear.
"""

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.findings import PublishedFinding as BasePublishedFinding
from core.models import Versioned
from systems.models import Organisation, System

MONEY = {"max_digits": 14, "decimal_places": 2}


class FinancialYearQuerySet(models.QuerySet):
    def get_by_slug(self, slug: str) -> "FinancialYear":
        start = int(slug.split("-")[0])
        return self.get(start_year=start)

    def stored_or_unstored(self, slug: str) -> "FinancialYear":
        """The year written `slug` (`2018-19`): the stored row, or, for a well-formed year
        nobody has entered, an unsaved one (no pk, so no figures). ValueError for text that
        is not a financial year."""
        start = FinancialYear.start_year_of(slug)
        return self.filter(start_year=start).first() or FinancialYear(start_year=start)


class FinancialYear(Versioned):
    """April to March, written 2018/19."""

    start_year = models.PositiveSmallIntegerField(unique=True)
    funding_schemes = models.CharField(
        max_length=200, blank=True, help_text="Sustainability funding in force, e.g. PSF and CSF."
    )
    transfers_allowed = models.BooleanField(
        default=False,
        help_text="Whether members may move control total between them (from 2019/20).",
    )
    source = models.CharField(max_length=500, blank=True)

    objects = FinancialYearQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_year"]

    def __str__(self):
        return self.label

    @staticmethod
    def start_year_of(slug: str) -> int:
        """The start year of the year written `2018-19`; ValueError for anything else."""
        first, _, second = slug.partition("-")
        if not (len(first) == 4 and first.isdigit() and second.isdigit()):
            raise ValueError(f"{slug!r} is not a financial year: write it as 2018-19")
        start = int(first)
        if FinancialYear(start_year=start).slug != slug:
            raise ValueError(f"{slug!r} is not a financial year: write it as 2018-19")
        return start

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.start_year, 4, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.start_year + 1, 3, 31)


class OrganisationYear(Versioned):
    """One organisation's control total, plan and outturn for one year."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="finance_years"
    )
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="figures")
    control_total = models.DecimalField(**MONEY, help_text="£ thousands; surplus positive.")
    plan = models.DecimalField(**MONEY, help_text="£ thousands; the position planned.")
    outturn = models.DecimalField(**MONEY, help_text="£ thousands; the position delivered.")
    accepted = models.BooleanField(
        default=True, help_text="Whether the organisation accepted its control total."
    )
    funding_available = models.DecimalField(
        **MONEY, default=Decimal(0), help_text="Sustainability funding available, £ thousands."
    )
    funding_linked_share = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="Share of the funding linked to the system's control total, 0 to 1.",
    )
    illustrative = models.BooleanField(
        default=False, help_text="Made-up demonstration figures, not real ones."
    )
    source = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords()

    # The figures themselves, in the order the admin lists them and an import writes them.
    FIGURES = (
        "control_total",
        "plan",
        "outturn",
        "accepted",
        "funding_available",
        "funding_linked_share",
        "illustrative",
    )

    class Meta:
        ordering = ["year", "organisation__name", "organisation__ods_code"]
        verbose_name = "organisation's year"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="one_figure_set_per_organisation_year"
            ),
            models.CheckConstraint(
                condition=Q(funding_linked_share__gte=0) & Q(funding_linked_share__lte=1),
                name="linked_share_in_range",
                violation_error_message="The linked share must be between 0 and 1.",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.year}"


class ControlTotalTransfer(models.Model):
    """Control total moved from one member of a system to another, financially neutral."""

    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="transfers")
    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="transfers")
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="transfers_in"
    )
    amount = models.DecimalField(**MONEY, help_text="£ thousands moved.")
    reason = models.TextField()
    made_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-made_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transfer_amount_positive"),
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")),
                name="transfer_between_two_organisations",
            ),
        ]

    def __str__(self):
        return f"£{self.amount}k from {self.from_organisation} to {self.to_organisation}"


class PlanComparison(models.TextChoices):
    """How a published finding compares a system's year with its plan."""

    BETTER = "better-than-plan", "delivered a better financial position than they planned"
    WORSE = "worse-than-plan", "performed worse than they planned"


class PublishedFinding(BasePublishedFinding):
    """How many of a wave's systems, and which, a paper said did better (or worse) than they
    planned in a financial year: paragraph 6 of the September 2018 board paper. Shown beside
    the count these data give on the finance year page and in board papers."""

    comparison = models.CharField(max_length=20, choices=PlanComparison.choices)

    history = HistoricalRecords()

    class Meta(BasePublishedFinding.Meta):
        pass
