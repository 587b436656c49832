"""Table columns for the performance pages. The same Table renders the page and the export.

On screen a value is a percentage to one place and a count is a whole number with separators;
exported, a value is a percentage to four places and a count is exact (a split trust's share
makes a system's counts fractional), both as numbers a spreadsheet can add up.
"""

from decimal import ROUND_HALF_UP, Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from core.exports import PERCENT, POINTS, RATE, THOUSANDS
from core.tables import (
    NUMERIC,
    FiguresColumn,
    LinkedColumn,
    NumberColumn,
    OrderedTable,
    TextColumn,
    YesNoColumn,
    percentage_fraction,
)
from systems.tables import StatusColumn

from .formatting import (
    count_value,
    figures_label,
    figures_source,
    format_count,
    format_percent,
    format_points,
    format_rate,
    percent_value,
    rate_value,
)

# Level with England is not above it, so the other word is "Not above" rather than "Below".
ABOVE_NATIONAL = {"yes": "Above", "no": "Not above"}


def _has_figures(record) -> bool:
    return getattr(record, "has_figures", True)


class CountColumn(NumberColumn):
    """A (share-weighted) count of patients."""

    show = staticmethod(format_count)
    export = staticmethod(count_value)
    has_figures = staticmethod(_has_figures)
    number_format = THOUSANDS


class PercentColumn(NumberColumn):
    """A fraction shown as a percentage (and exported as one, to four places)."""

    show = staticmethod(format_percent)
    export = staticmethod(percent_value)
    number_format = PERCENT

    def spreadsheet_value(self, exported, value):
        return percentage_fraction(exported)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", None)
        super().__init__(*args, **kwargs)


class PointsColumn(NumberColumn):
    """A difference in percentage points, signed."""

    show = staticmethod(format_points)
    number_format = POINTS

    @staticmethod
    def export(value):
        return Decimal(value).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


class RealOrIllustrativeColumn(FiguresColumn):
    """Whether a row counts real figures, illustrative ones or both (`figures_label`): pages
    show it where any row is illustrative, so a page that mixes them says which is which."""

    def render(self, value, record):
        if not _has_figures(record):
            return "—"
        return figures_label(real=getattr(record, "real", False), illustrative=bool(value))


class SourceColumn(tables.Column):
    """Where a row's figures come from (`figures_source`): written in exports only, since the
    page names its sources under the table."""

    def __init__(self, *args, standard_code, **kwargs):
        self.standard_code = standard_code
        kwargs.setdefault("verbose_name", "Source")
        kwargs.setdefault("accessor", "illustrative")
        kwargs.setdefault("visible", False)
        super().__init__(*args, **kwargs)

    def value(self, value, record):
        if not _has_figures(record):
            return None
        return figures_source(
            self.standard_code(record),
            real=getattr(record, "real", False),
            illustrative=bool(value),
        )


class PerThousandColumn(NumberColumn):
    """A count per 1,000 people; where the row has figures but its system's population is not
    known, a dash and the reason on screen, an empty cell in an export (whose population
    columns give the reason)."""

    show = staticmethod(format_rate)
    export = staticmethod(rate_value)
    has_figures = staticmethod(_has_figures)
    number_format = RATE

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)

    def render(self, value, record):
        if value is None and _has_figures(record):
            return format_html(
                '—<br><span class="nhsuk-u-font-size-14">Population not known: {}</span>',
                record.population.reason,
            )
        return super().render(value, record)


def per_head_columns(count_label: str, period_label: str, estimate_label: str) -> list:
    """The league table's per-head column for a period ("A&E attendances per 1,000 people
    (2017/18)"), and, in the export only, the population each row is divided by, how it was
    arrived at (or why it is not known) and its source. Rows are
    `performance.presenters.PerHeadRow`s."""
    estimated = f" ({estimate_label})" if estimate_label else ""
    return [
        (
            "per_thousand",
            PerThousandColumn(
                verbose_name=f"{count_label} per 1,000 people ({period_label})",
                order_by=("per_thousand_standing",),
            ),
        ),
        (
            "population",
            NumberColumn(
                verbose_name=f"Population{estimated}",
                accessor="population__all_ages",
                visible=False,
            ),
        ),
        ("population_basis", tables.Column(verbose_name="Population basis", visible=False)),
        (
            "population_source",
            tables.Column(
                verbose_name="Population source", accessor="population__source", visible=False
            ),
        ),
    ]


class ChosenLinkedColumn(LinkedColumn):
    """The system's name linked to its page; the chosen system's says so in words, on screen
    only (an export keeps the plain name)."""

    def render(self, record, value, table):
        link = super().render(record, value, table)
        if table.highlight and record.system.url_code.casefold() == table.highlight:
            return format_html('{} <strong class="app-chosen-tag">(chosen system)</strong>', link)
        return link


class LeagueTable(OrderedTable):
    """Every system's performance against one standard over one period (performance:league).
    Rows are `performance.queries.LeagueRow`. `highlight`, a system's code, marks its row."""

    # Rank 1 is the best, so ascending rank is descending standing.
    rank = tables.Column(
        verbose_name="Rank",
        order_by=("-standing",),
        attrs=NUMERIC,
        default="—",
    )
    name = ChosenLinkedColumn(
        verbose_name="System",
        accessor="system__name",
        url=lambda record: reverse("performance:system", args=[record.system.url_code]),
    )
    region = tables.Column(verbose_name="Region", accessor="system__region_name_as_at", default="—")
    wave = tables.Column(
        verbose_name="Wave",
        accessor="system__wave_name",
        order_by=("system__wave_sequence", "system__name"),
        default="—",
    )
    status = StatusColumn(verbose_name="Status at the start", accessor="system__status_as_at")
    numerator = CountColumn(verbose_name="Within standard", accessor="figures__numerator")
    denominator = CountColumn(verbose_name="All patients", accessor="figures__denominator")
    # Sorted by standing, so descending (the default) is best first in the standard's
    # direction, as the chart and the board paper order them (`rules.best_first`).
    value = PercentColumn(verbose_name="Value (%)", order_by=("standing",))
    national_value = PercentColumn(verbose_name="National (%)")
    gap_points = PointsColumn(verbose_name="Gap (points)")
    above_national = YesNoColumn(verbose_name="Above national", **ABOVE_NATIONAL)
    target_met = YesNoColumn(verbose_name="Target met", yes="Met", no="Missed")
    providers = tables.Column(
        verbose_name="Providers counted", accessor="figures__providers", attrs=NUMERIC
    )
    figures = RealOrIllustrativeColumn(has_figures=_has_figures)
    source = SourceColumn(standard_code=lambda record: record.standard.code)

    tiebreak = ("system__name", "system__slug")

    def __init__(self, *args, highlight: str | None = None, **kwargs):
        # Matched in any case, as system pages' addresses are ("qm1" or "QM1").
        highlight = highlight.casefold() if highlight else None
        self.highlight = highlight
        if highlight:
            kwargs.setdefault(
                "row_attrs",
                {
                    "class": lambda record: (
                        "app-row--chosen" if record.system.url_code.casefold() == highlight else ""
                    )
                },
            )
        super().__init__(*args, **kwargs)

    class Meta:
        order_by = ("-value",)
        attrs = {"class": "nhsuk-table app-table--dense"}
        orderable = True
        empty_text = "No systems with figures match these filters."


class SystemTrendTable(OrderedTable):
    """A system's performance on each standard, period by period, against the nation's
    (performance:system). Rows are `SystemTrendRow`s."""

    standard = tables.Column(verbose_name="Standard")
    period = TextColumn(
        verbose_name="Period",
        order_by=("standard_sequence", "period"),
        text=lambda value: value.label,
    )
    numerator = CountColumn(verbose_name="Within standard")
    denominator = CountColumn(verbose_name="All patients")
    value = PercentColumn(verbose_name="Value (%)")
    national_value = PercentColumn(verbose_name="National (%)")
    gap_points = PointsColumn(verbose_name="Gap (points)")
    above_national = YesNoColumn(verbose_name="Above national", **ABOVE_NATIONAL)
    target_met = YesNoColumn(verbose_name="Target met", yes="Met", no="Missed")
    figures = RealOrIllustrativeColumn(has_figures=_has_figures)
    source = SourceColumn(standard_code=lambda record: record.standard_code)

    tiebreak = ("standard_sequence", "standard", "period")

    class Meta:
        order_by = ("period",)
        attrs = {"class": "nhsuk-table app-table--dense"}
        orderable = False


class ComparisonTable(OrderedTable):
    """How many of a group's systems, and of the rest, were above the national average on
    each standard (performance:compare). Rows are `ComparisonRow`s."""

    standard = tables.Column(verbose_name="Standard")
    side = tables.Column(verbose_name="Systems")
    systems = tables.Column(verbose_name="In the group", attrs=NUMERIC)
    counted = tables.Column(verbose_name="With figures", attrs=NUMERIC)
    above = tables.Column(verbose_name="Above national", attrs=NUMERIC)
    national_value = PercentColumn(verbose_name="National (%)")
    names = tables.Column(verbose_name="Which were above", default="—")
    figures = RealOrIllustrativeColumn(has_figures=_has_figures)
    source = SourceColumn(standard_code=lambda record: record.standard_code)

    tiebreak = ()  # rows come built in order: each standard, the group then the rest

    class Meta:
        attrs = {"class": "nhsuk-table app-table--dense"}
        orderable = False
