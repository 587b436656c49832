"""What the finance pages and the board paper's finance section show, shaped once: the year's
headline, cards and year links, a system's member rows, table and waterfall, plan against
outturn over the years, and an organisation's years.

Presenters take what `finance.queries` reads (reading through it where they must) and return
rows, sentences, tables and charts. They never see a request, so the board paper calls them
exactly as the pages do and the two cannot disagree. Figures follow the financial year: members
and statuses are taken on 1 April of the year.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from core.charts import Chart, chart_payload
from core.dates import covers
from core.findings import FindingCheck
from core.headlines import card, count_card, systems_headline
from core.names import readable_name
from core.wording import Noun, number_word
from systems.lineage import join_names
from systems.map_presenters import NO_FIGURES_COLOUR, MapChart, MapRow, map_chart
from systems.models import ENDED_STATUSES, System, SystemStatusKind

from . import charts
from .models import FinancialYear, PlanComparison, PublishedFinding
from .money import format_millions, format_pounds
from .queries import (
    as_member_figures,
    has_figures,
    member_figures,
    of_year,
    with_control_totals,
)
from .tables import MemberFiguresTable, OrganisationMembershipTable, OrganisationYearTable
from .totals import MemberFigures, SystemFigures, contribution, system_totals

# -- every system in one year ---------------------------------------------------------------


def with_variance(systems) -> list[System]:
    """Set `variance` on each annotated system, by the rule in finance/totals.py (in Python:
    as an annotation it would repeat two subqueries per row)."""
    for system in systems:
        system.variance = SystemFigures(
            system.control_total,
            system.plan,
            system.outturn,
            system.funding_linked,
            system.funding_earned,
            system.member_count,
        ).variance
    return systems


def year_links(years, url_for) -> list[dict]:
    """A link to the same page for each year (`years_with_figures`), saying which have none."""
    return [{"year": year, "url": url_for(year), "has_figures": year.has_figures} for year in years]


def year_without_figures_context(year, years, url_for, system=None) -> dict:
    """What the page for a year with no figures shows: the year, the system if the page is
    one system's, and links to the years that have figures (`years_with_figures`)."""
    with_figures = [link for link in year_links(years, url_for) if link["has_figures"]]
    return {
        "year": year,
        "system": system,
        "coverage_period": year,
        "with_figures": with_figures,
        "title": f"{system.name} {year}" if system else f"Control totals {year}",
    }


@dataclass(frozen=True)
class YearSummary:
    systems: int  # with figures
    met: int
    beat: int
    illustrative: int
    control_total: Decimal
    outturn: Decimal


MET = "Met control total"
MISSED = "Missed control total"
NO_FIGURES = "No figures"


def year_map(systems: list[System], year: FinancialYear) -> MapChart:
    """The year's systems (each with its figures from `with_control_totals`) on a map of 1
    April of the year, each area coloured by whether its system met its control total."""
    rows = []
    for system in systems:
        if not system.member_count:
            category, value = NO_FIGURES, "no figures"
        else:
            category = MET if system.met_control_total else MISSED
            value = (
                f"{'met' if system.met_control_total else 'missed'}: outturn "
                f"{format_pounds(system.outturn)} against a control total of "
                f"{format_pounds(system.control_total)}"
            )
        url = reverse("finance:system", args=[year.slug, system.url_code])
        rows.append(MapRow(system.pk, system.name, url, category, value))
    return map_chart(
        title=f"Control totals {year} on a map",
        day=year.starts_on,
        rows=rows,
        categories={
            MET: charts.MET_COLOUR,
            MISSED: charts.MISSED_COLOUR,
            NO_FIGURES: NO_FIGURES_COLOUR,
        },
        subject="whether its system met its control total",
        value_label="Control total",
    )


def summarise_year(systems) -> YearSummary:
    """The headline counts and sums over the systems with figures among `systems` (each with
    its figures set by `with_control_totals`)."""
    counted = [system for system in systems if system.member_count]
    return YearSummary(
        systems=len(counted),
        met=sum(1 for system in counted if system.met_control_total),
        beat=sum(1 for system in counted if system.beat_plan),
        illustrative=sum(1 for system in counted if system.illustrative),
        control_total=sum((system.control_total for system in counted), Decimal(0)),
        outturn=sum((system.outturn for system in counted), Decimal(0)),
    )


def year_headline(summary: YearSummary, year: FinancialYear, narrowed: bool) -> str:
    """The year page's sentence; `narrowed` when filters leave out some systems."""
    return systems_headline(
        summary.systems,
        narrowed,
        none=lambda nothing: f"{nothing} for {year}.",
        some=lambda shown: (
            f"{summary.met} of {summary.systems} {shown} met their control total in {year}, "
            f"and {summary.beat} did better than plan."
        ),
    )


def _money_card(label: str, amount: Decimal) -> dict:
    return card(label, format_millions(amount), f"{format_pounds(amount)}; surplus positive")


def year_cards(summary: YearSummary) -> list[dict]:
    """The year page's summary cards; none when no system has figures."""
    if not summary.systems:
        return []
    return [
        count_card("Met their control total", summary.met, summary.systems),
        count_card("Did better than plan", summary.beat, summary.systems),
        _money_card("Control totals added up", summary.control_total),
        _money_card("Outturns added up", summary.outturn),
    ]


# -- one system in one year -----------------------------------------------------------------


def first_april_status(system: System) -> dict:
    """Whether a system (read with its overview on 1 April) existed then, and its status."""
    status = system.status_as_at
    return {
        "existed": bool(status) and status not in ENDED_STATUSES,
        "status_label": SystemStatusKind(status).label if status else "Not yet formed",
    }


@dataclass(frozen=True)
class MemberRow:
    organisation_name: str
    ods_code: str
    kind: str
    share: Decimal
    control_total: Decimal
    contribution: Decimal
    plan: Decimal
    outturn: Decimal
    accepted: bool
    funding_linked_share: Decimal
    illustrative: bool


def member_rows(pairs) -> list[MemberRow]:
    """A row per (membership, figures) pair from `member_figures`."""
    return [
        MemberRow(
            organisation_name=readable_name(membership.organisation.name),
            ods_code=membership.organisation.ods_code,
            kind=membership.organisation.get_kind_display(),
            share=membership.share,
            control_total=figures.control_total,
            contribution=contribution(as_member_figures(membership, figures)),
            plan=figures.plan,
            outturn=figures.outturn,
            accepted=figures.accepted,
            funding_linked_share=figures.funding_linked_share,
            illustrative=figures.illustrative,
        )
        for membership, figures in pairs
    ]


@dataclass(frozen=True)
class SystemYear:
    """A system's members with figures for a year, and their total by the pure rule."""

    rows: list[MemberRow]
    totals: SystemFigures

    @property
    def illustrative(self) -> bool:
        return any(row.illustrative for row in self.rows)


def system_year_figures(system: System, year: FinancialYear) -> SystemYear:
    """The system's members on 1 April of `year` with figures for it (two queries), and the
    system's total by `finance.totals.system_totals`."""
    pairs = member_figures(system, year)
    return SystemYear(
        rows=member_rows(pairs),
        totals=system_totals([as_member_figures(m, f) for m, f in pairs]),
    )


def member_table(figures: SystemYear, **kwargs) -> MemberFiguresTable:
    """The members' table, its illustrative column only when some figures are made up."""
    return MemberFiguresTable(
        figures.rows,
        totals=figures.totals,
        exclude=() if figures.illustrative else ("figures",),
        **kwargs,
    )


def waterfall_chart(system: System, year: FinancialYear, rows, total: Decimal) -> Chart:
    """How the members' contributions add up to the system's control total."""
    steps = charts.waterfall_steps([(row.organisation_name, row.contribution) for row in rows])
    total_label = "System control total"
    data, running = [], Decimal(0)
    for label, amount in steps:
        running += amount
        data.append((label, amount, running))
    return Chart(
        id="control-total-waterfall",
        title=f"How {system.shown_name}'s control total adds up",
        description=_waterfall_description(system, year, rows, steps, total),
        figure=chart_payload(charts.contribution_waterfall(steps, total, total_label)),
        data_template="finance/_waterfall_table.html",
        data=[*data, (total_label, total, total)],
    )


def _waterfall_description(system: System, year: FinancialYear, rows, steps, total) -> str:
    largest_label, largest = steps[0]
    grouped = len(steps) < len(rows)
    return (
        f"Waterfall chart of {system.shown_name}'s control total for {year}: the contributions "
        f"(share \N{MULTIPLICATION SIGN} control total) of its {len(rows)} member organisation"
        f"{'' if len(rows) == 1 else 's'} with figures, largest first, add up to "
        f"{format_pounds(total)}. The largest is {largest_label} ({format_pounds(largest)})."
        + (
            f" The {len(rows) - len(steps) + 1} smallest are shown together as "
            f"\N{LEFT DOUBLE QUOTATION MARK}{steps[-1][0]}\N{RIGHT DOUBLE QUOTATION MARK}."
            if grouped
            else ""
        )
    )


# -- plan against outturn over the years ----------------------------------------------------


@dataclass(frozen=True)
class PlanOutturnRow:
    system_name: str
    system_slug: str
    year: FinancialYear
    plan: Decimal
    outturn: Decimal
    difference: Decimal
    beat_plan: bool
    illustrative: bool


def plan_outturn_rows(systems, years) -> list[PlanOutturnRow]:
    """Each system's plan and outturn in each year it has figures: two queries a year."""
    rows = []
    for year in years:
        in_year = with_control_totals(of_year(systems, year).filter(has_figures(year)), year)
        rows += [plan_outturn_row(system, year) for system in in_year]
    return rows


def plan_outturn_row(system: System, year: FinancialYear) -> PlanOutturnRow:
    """One row from a system with its figures for `year` set (`with_control_totals`)."""
    return PlanOutturnRow(
        system_name=system.name,
        system_slug=system.slug,
        year=year,
        plan=system.plan,
        outturn=system.outturn,
        difference=system.outturn - system.plan,
        beat_plan=system.beat_plan,
        illustrative=system.illustrative,
    )


def plan_outturn_chart(rows: list[PlanOutturnRow], years, system: System | None) -> Chart:
    """One system's outturn less plan year by year, or, for every system, how many did better
    than plan each year."""
    if system is not None:
        return system_plan_chart([row for row in rows if row.system_slug == system.slug], system)
    return beating_plan_chart(rows, years)


def system_plan_chart(rows: list[PlanOutturnRow], system: System) -> Chart:
    """A system's outturn less its plan in each year of `rows` (its own rows)."""
    better = sum(1 for row in rows if row.beat_plan)
    description = (
        f"Bar chart of {system.name}'s outturn less its plan in each of {len(rows)} "
        f"year{'s' if len(rows) != 1 else ''} with figures; above zero is better than "
        f"plan. It did better than plan in {better}."
        + "".join(f" {row.year}: {format_pounds(row.difference)}." for row in rows)
    )
    return Chart(
        id="plan-vs-outturn",
        title=f"{system.name}: outturn less plan, year by year",
        description=description,
        figure=chart_payload(
            charts.outturn_against_plan([(row.year.label, row.plan, row.outturn) for row in rows])
        ),
        data_template="finance/_plan_chart_table.html",
        data=[
            {"year": row.year, "plan": row.plan, "outturn": row.outturn, "value": row.difference}
            for row in rows
        ],
    )


def beating_plan_chart(rows: list[PlanOutturnRow], years) -> Chart:
    """How many systems with figures did better than plan, in each of `years` with any."""
    counts = []
    for year in years:
        in_year = [row for row in rows if row.year.pk == year.pk]
        if in_year:
            counts.append((year, sum(1 for row in in_year if row.beat_plan), len(in_year)))
    description = "Stacked bar chart of systems with figures each year, split by whether their "
    description += "outturn was better than plan." + "".join(
        f" {year}: {beat} of {total}." for year, beat, total in counts
    )
    return Chart(
        id="plan-vs-outturn",
        title="Systems better than plan, year by year",
        description=description,
        figure=chart_payload(
            charts.beating_plan_by_year([(year.label, beat, total) for year, beat, total in counts])
        ),
        data_template="finance/_plan_count_table.html",
        data=[{"year": year, "beat": beat, "total": total} for year, beat, total in counts],
    )


# -- one organisation over the years --------------------------------------------------------


def organisation_years(figures: list, memberships: list) -> list:
    """Set on each of an organisation's years (`OrganisationYear`, with its year) its variance
    and whether it met its own control total, by the system rule applied to it alone, and the
    (system, share) of each membership in force on 1 April of the year."""
    for year_figures in figures:
        alone = system_totals(
            [
                MemberFigures(
                    Decimal(1), year_figures.control_total, year_figures.plan, year_figures.outturn
                )
            ]
        )
        year_figures.variance = alone.variance
        year_figures.met_control_total = alone.met_control_total
        day = year_figures.year.starts_on
        year_figures.counted_towards = [
            (m.system, m.share) for m in memberships if covers(m.valid_from, m.valid_until, day)
        ]
    return figures


def organisation_year_table(organisation, figures: list) -> OrganisationYearTable:
    """The organisation's years, its illustrative column only when some figures are made up."""
    illustrative = any(f.illustrative for f in figures)
    table = OrganisationYearTable(figures, exclude=() if illustrative else ("figures",))
    table.caption = f"{organisation.name}'s figures by financial year, £ thousands"
    return table


def organisation_membership_table(organisation, memberships: list) -> OrganisationMembershipTable:
    table = OrganisationMembershipTable(memberships)
    table.caption = f"Systems {organisation.name} has been a member of"
    return table


# -- published findings beside the computed counts ------------------------------------------


def did_as_found(system: System, comparison: str) -> bool:
    """Whether a system with figures did what a finding counts: better than its plan (the
    rule `beat_plan`), or worse (an outturn below plan)."""
    if comparison == PlanComparison.BETTER:
        return system.beat_plan
    return system.outturn < system.plan


def plan_finding_check(
    finding: PublishedFinding, systems: list[System], group: Noun
) -> FindingCheck:
    """A paragraph 6 finding beside what these data give for the same question over `systems`
    (the wave's, each with its figures for the year from `with_control_totals`): how many did
    better (or worse) than planned, which of the systems the paper names these data agree on,
    and the reasons the two may differ."""
    counted = [system for system in systems if system.member_count]
    did = [system for system in counted if did_as_found(system, finding.comparison)]
    computed, reasons = len(did), []
    illustrative = [system.name for system in counted if system.illustrative]
    agrees = (computed, len(counted)) == (finding.published_count, finding.published_of)
    if counted and len(illustrative) == len(counted):
        reasons.append(
            "these figures are illustrative, made up for demonstration, so they can neither "
            "confirm nor contradict the paper"
        )
    else:
        if illustrative:
            reasons.append(
                f"the figures for {join_names(illustrative)} are illustrative, made up for "
                "demonstration, and the rest are real"
            )
        named = list(finding.named_systems.all())
        if named:
            reasons.append(_named_agreement(named, did, counted))
        if not agrees and len(counted) != finding.published_of:
            missing = [system.name for system in systems if not system.member_count]
            reasons.append(
                f"these data have figures for {number_word(len(counted))} of the "
                f"{number_word(len(systems))} systems here, where the paper counted "
                f"{number_word(finding.published_of)}"
                + (f" ({join_names(missing)} without figures)" if missing else "")
            )
    return FindingCheck(
        finding=finding,
        question=PlanComparison(finding.comparison).label,
        group=group,
        computed=computed,
        counted=len(counted),
        reasons=tuple(reasons),
        comparable=len(illustrative) < len(counted),
    )


def _named_agreement(named: list[System], did: list[System], counted: list[System]) -> str:
    """Which of the systems the paper names these data agree on, and which not."""
    did_ids, counted_ids = {s.pk for s in did}, {s.pk for s in counted}
    agree = [s.name for s in named if s.pk in did_ids]
    disagree = [s.name for s in named if s.pk in counted_ids and s.pk not in did_ids]
    unseen = [s.name for s in named if s.pk not in counted_ids]
    named_ids = {s.pk for s in named}
    extra = [s.name for s in did if s.pk not in named_ids]
    parts = [
        f"of the {number_word(len(named))} systems the paper names, these data agree on "
        + (f"{number_word(len(agree))} ({join_names(agree)})" if agree else "none")
    ]
    if disagree:
        parts.append(f"not on {join_names(disagree)}")
    if unseen:
        parts.append(f"have no figures for {join_names(unseen)}")
    if extra:
        parts.append(f"also count {join_names(extra)}, which the paper does not name")
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def plan_finding_checks(found: list[tuple[PublishedFinding, list[System]]]) -> list[FindingCheck]:
    """The finance year page's findings (from `queries.findings_with_systems`), each beside
    these data's count for the wave."""
    return [
        plan_finding_check(
            finding, systems, Noun(f"{finding.wave.name} ICS", f"{finding.wave.name} ICSs")
        )
        for finding, systems in found
    ]
