"""Table columns for the finance pages. The same Table renders the page and the export.

Money is shown in whole £ thousands with thousands separators and a true minus sign, and
exported unrounded as a number, so a spreadsheet can add it up (finance/money.py).
"""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html_join

from core import tables as core_tables
from core.exports import THOUSANDS, WHOLE_PERCENT
from core.tables import NUMERIC, DayColumn, FiguresColumn, LinkedColumn, NumberColumn, OrderedTable
from systems.tables import StatusColumn

from .money import format_money, format_share, money_value


def _has_figures(record) -> bool:
    """A system row with no member figures for the year shows blanks, not zeros."""
    return getattr(record, "member_count", 1) != 0


class MoneyColumn(NumberColumn):
    show = staticmethod(format_money)
    number_format = THOUSANDS
    export = staticmethod(money_value)
    has_figures = staticmethod(_has_figures)


class YesNoColumn(core_tables.YesNoColumn):
    has_figures = staticmethod(_has_figures)


# Better than plan, or not (equal to plan is not better); accepting a control total is a
# choice, not a result, so its tag is blue or grey rather than green or red.
BETTER_THAN_PLAN = {"yes": "Better", "no": "Not better"}
ACCEPTED = {"yes": "Accepted", "no": "Not accepted", "yes_colour": "blue", "no_colour": "grey"}


class ShareColumn(NumberColumn):
    show = staticmethod(format_share)
    number_format = '[>=1]"Whole";0%'


def _whole_percent(value) -> str:
    return f"{value:.0%}"


class FundingShareColumn(NumberColumn):
    """The share of an organisation's funding linked to its system: a whole percentage, even
    at 100% (where a membership share says "Whole"), written the same in an export."""

    show = export = staticmethod(_whole_percent)
    number_format = WHOLE_PERCENT

    def spreadsheet_value(self, exported, value):
        # A CSV keeps the text "100%"; a spreadsheet gets the fraction, shown the same.
        return value if exported is not None else None


def _year_url(value):
    return reverse("finance:year", args=[value.slug])


class YearColumn(LinkedColumn):
    """A financial year, linking to its all-systems page; its label in an export."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", "Year")
        kwargs.setdefault("order_by", ("year__start_year",))
        super().__init__(*args, url=_year_url, **kwargs)

    def value(self, value):
        return value.label


class SystemControlTotalTable(OrderedTable):
    """Every system's control total for one financial year (finance:year)."""

    name = LinkedColumn(
        verbose_name="System",
        url=lambda record, table: reverse(
            "finance:system", args=[table.year.slug, record.url_code]
        ),
    )
    region_name_as_at = tables.Column(verbose_name="Region", default="—")
    wave_name = tables.Column(
        verbose_name="Wave by 31 March",
        order_by=("wave_sequence", "designated_on_as_at"),
        default="—",
    )
    status_as_at = StatusColumn(verbose_name="Status on 1 April")
    control_total = MoneyColumn(verbose_name="Control total")
    plan = MoneyColumn(verbose_name="Plan")
    outturn = MoneyColumn(verbose_name="Outturn")
    variance = MoneyColumn(verbose_name="Variance")
    met_control_total = YesNoColumn(verbose_name="Met control total", yes="Met", no="Missed")
    beat_plan = YesNoColumn(verbose_name="Beat plan", **BETTER_THAN_PLAN)
    funding_linked = MoneyColumn(verbose_name="Funding linked")
    funding_earned = MoneyColumn(verbose_name="Funding earned")
    member_count = tables.Column(verbose_name="Members counted", attrs=NUMERIC)
    figures = FiguresColumn(has_figures=_has_figures)

    tiebreak = ("name", "slug")

    class Meta:
        order_by = ("name",)
        attrs = {"class": "nhsuk-table app-table--dense"}
        orderable = True
        empty_text = "No systems with figures match these filters."

    def __init__(self, *args, year, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)


class MemberFiguresTable(OrderedTable):
    """A system's members at the start of a year and what each adds (finance:system).

    Rows are `finance.presenters.MemberRow`; the footer is the system's total from
    `finance.totals.system_totals`, the figure the all-systems page shows.
    """

    organisation_name = LinkedColumn(
        verbose_name="Organisation",
        url=lambda record: reverse("finance:organisation", args=[record.ods_code]),
        footer="System control total (share \N{MULTIPLICATION SIGN} control total)",
    )
    ods_code = tables.Column(verbose_name="ODS code")
    kind = tables.Column(verbose_name="Kind")
    share = ShareColumn(verbose_name="Share")
    control_total = MoneyColumn(verbose_name="Control total")
    contribution = MoneyColumn(
        verbose_name="Contribution",
        footer=lambda table: format_money(table.totals.control_total),
    )
    plan = MoneyColumn(verbose_name="Plan")
    outturn = MoneyColumn(verbose_name="Outturn")
    accepted = YesNoColumn(verbose_name="Accepted control total", **ACCEPTED)
    funding_linked_share = FundingShareColumn(verbose_name="Funding linked to system")
    figures = FiguresColumn(has_figures=_has_figures)

    tiebreak = ("organisation_name", "ods_code")

    class Meta:
        order_by = ("-contribution",)
        attrs = {"class": "nhsuk-table app-table--dense"}
        orderable = True

    def __init__(self, *args, totals, **kwargs):
        self.totals = totals
        super().__init__(*args, **kwargs)


class OrganisationYearTable(OrderedTable):
    """One organisation's figures year by year (finance:organisation)."""

    year = YearColumn()
    counted_towards = tables.Column(verbose_name="Counted towards", orderable=False, default="—")
    control_total = MoneyColumn(verbose_name="Control total")
    plan = MoneyColumn(verbose_name="Plan")
    outturn = MoneyColumn(verbose_name="Outturn")
    variance = MoneyColumn(verbose_name="Variance")
    met_control_total = YesNoColumn(verbose_name="Met own control total", yes="Met", no="Missed")
    accepted = YesNoColumn(verbose_name="Accepted control total", **ACCEPTED)
    funding_available = MoneyColumn(verbose_name="Funding available")
    funding_linked_share = FundingShareColumn(verbose_name="Funding linked to system")
    figures = FiguresColumn(has_figures=_has_figures)

    tiebreak = ("year__start_year",)  # one organisation's rows: one a year

    class Meta:
        order_by = ("year",)
        attrs = {"class": "nhsuk-table app-table--dense"}
        orderable = True

    def render_counted_towards(self, record, value):
        return format_html_join(
            "; ",
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse("finance:system", args=[record.year.slug, system.slug]),
                    system.name,
                    format_share(share),
                )
                for system, share in value
            ),
        )

    def value_counted_towards(self, value):
        return "; ".join(f"{system.name} ({format_share(share)})" for system, share in value)


class OrganisationMembershipTable(OrderedTable):
    """Which systems an organisation belonged to, and when (finance:organisation)."""

    system = LinkedColumn(
        verbose_name="System",
        order_by=("system__name",),
        url=lambda value: reverse("systems:detail", args=[value.slug]),
    )
    share = ShareColumn(verbose_name="Share")
    valid_from = DayColumn(verbose_name="Member from")
    valid_until = DayColumn(verbose_name="Member until", default="still a member")

    # One organisation's memberships: a trust split between two systems joins both at once.
    tiebreak = ("valid_from", "system__name", "system__slug")

    class Meta:
        order_by = ("valid_from",)
        attrs = {"class": "nhsuk-table app-table--dense"}
        orderable = False


class PlanOutturnTable(OrderedTable):
    """Each system's plan and outturn, year by year (finance:plan-vs-outturn)."""

    system_name = LinkedColumn(
        verbose_name="System",
        url=lambda record: reverse("finance:system", args=[record.year.slug, record.system_slug]),
    )
    year = YearColumn()
    plan = MoneyColumn(verbose_name="Plan")
    outturn = MoneyColumn(verbose_name="Outturn")
    difference = MoneyColumn(verbose_name="Outturn less plan")
    beat_plan = YesNoColumn(verbose_name="Better than plan", **BETTER_THAN_PLAN)
    figures = FiguresColumn(has_figures=_has_figures)

    tiebreak = ("system_name", "system_slug", "year__start_year")

    class Meta:
        order_by = ("system_name", "year")
        attrs = {"class": "nhsuk-table app-table--dense"}
        orderable = True
