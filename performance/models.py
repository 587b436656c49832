"""National standards and providers' monthly performance against them.

The board paper compares systems with the national average on three constitutional standards:
A&E 4-hour (95% target), RTT 18-week incomplete pathways (92%) and cancer 62-day (85%). Each
provider (an NHS trust) reports, per standard and month, a numerator (patients seen within the
standard) and a denominator (all patients). A system's or the nation's figure is always the sum
of numerators over the sum of denominators, never an average of percentages: the rule is in
`performance/rules.py`, its database twin in `performance/queries.py`.

Illustrative observations (the demo data) carry `illustrative=True` and are labelled wherever
they appear.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.findings import PublishedFinding as BasePublishedFinding
from core.models import Versioned
from systems.models import Organisation

from .periods import Period


class StandardQuerySet(models.QuerySet):
    def get_by_code(self, code: str) -> "Standard":
        return self.get(code=code)


class Standard(Versioned):
    """A national standard a provider's performance is measured against."""

    code = models.SlugField(max_length=50, unique=True, help_text="e.g. ae-4-hour")
    name = models.CharField(max_length=200, help_text="e.g. A&E 4-hour waits")
    short_name = models.CharField(
        max_length=60, help_text="As a sentence uses it, e.g. cancer 62-day."
    )
    description = models.TextField(blank=True)
    target = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="The national target as a fraction, e.g. 0.95 for 95%.",
    )
    higher_is_better = models.BooleanField(
        default=True, help_text="Whether a higher share of patients within the standard is better."
    )
    sequence = models.PositiveSmallIntegerField(default=0, help_text="Order on pages.")
    source = models.CharField(max_length=500)

    objects = StandardQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["sequence", "name", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__gte=0) & Q(target__lte=1),
                name="standard_target_is_a_fraction",
                violation_error_message="A target is a fraction between 0 and 1.",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def target_percent(self) -> str:
        return f"{self.target * 100:.0f}%"


class ObservationQuerySet(models.QuerySet):
    def in_period(self, period: Period):
        """Observations for the months of `period`."""
        return self.filter(month__gte=period.first_month, month__lte=period.last_month)


class Observation(Versioned):
    """One provider's performance against one standard in one month."""

    provider = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="observations"
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="observations")
    month = models.DateField(help_text="The first day of the month observed.")
    numerator = models.PositiveIntegerField(help_text="Patients within the standard.")
    denominator = models.PositiveIntegerField(help_text="All patients counted.")
    illustrative = models.BooleanField(
        default=False, help_text="Made-up demonstration figures, not real ones."
    )
    source = models.CharField(max_length=500, blank=True)

    objects = ObservationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["standard", "month", "provider__name", "provider__ods_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "standard", "month"],
                name="one_observation_per_provider_standard_month",
                violation_error_message="This provider already has a figure for that month.",
            ),
            models.CheckConstraint(
                condition=Q(numerator__lte=F("denominator")),
                name="observation_numerator_within_denominator",
                violation_error_message="The numerator cannot exceed the denominator.",
            ),
            models.CheckConstraint(
                condition=Q(numerator__gte=0) & Q(denominator__gte=0),
                name="observation_counts_not_negative",
                violation_error_message="Counts cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="observation_month_is_first_day",
                violation_error_message="A month is stored as its first day.",
            ),
        ]
        indexes = [
            # The league table and national figures read one standard over a run of months.
            models.Index(fields=["standard", "month"], name="observation_standard_month"),
        ]

    def __str__(self):
        return f"{self.provider} {self.standard} {self.month:%B %Y}"


class Comparison(models.TextChoices):
    """How a published finding compares a system with the nation."""

    ABOVE = "above", "above the national average"
    AT_OR_ABOVE = "at-or-above", "at or above the national average"


class PublishedFinding(BasePublishedFinding):
    """How many of a wave's systems a paper said were above (or at or above) the national
    average on a standard in a financial year: paragraph 5 of the September 2018 board paper.
    Shown beside the count these data give on the group comparison page and in board papers."""

    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="published_findings"
    )
    comparison = models.CharField(max_length=20, choices=Comparison.choices)

    history = HistoricalRecords()

    class Meta(BasePublishedFinding.Meta):
        pass
