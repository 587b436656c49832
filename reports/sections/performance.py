"""The performance section: each standard against the national average over the year."""

from dataclasses import dataclass

from django.db.models.functions import Lower

from core.findings import checks_paragraph
from finance.models import FinancialYear
from performance.formatting import format_percent
from performance.models import PublishedFinding, Standard
from performance.periods import Period, PeriodKind
from performance.presenters import (
    finding_check,
    league_chart,
    ranked,
    real_sources,
    trend_chart,
    trend_rows,
)
from performance.queries import LeagueRow, group_comparison, system_trend
from performance.rules import best_first
from performance.tables import LeagueTable, SystemTrendTable
from systems.models import (
    Designation,
    System,
    Wave,
)

from ..document import Annex, ChartBlock, Section, table_block
from ..narrative import (
    SYSTEM,
    Noun,
    Standing,
    above_average_point,
    above_average_sentences,
    names_list,
    rest_sentence,
    sentence,
    system_standing_sentence,
)
from .scope import SummaryScope, designated_system_ids, on_date, wave_groups, wave_noun

# -- performance against the national average -------------------------------------------------

# Tables of more rows than this go to the annex only; shorter ones are also shown in the section.
SHORT_TABLE_ROWS = 12
# The league page's columns that a board paper's in-section table leaves to the annex.
COMPACT_LEAGUE_EXCLUDE = ("region", "wave", "status", "numerator", "denominator", "providers")


def standard_phrase(standard: Standard) -> str:
    """'the cancer 62-day standard', as the paragraphs name a standard."""
    return f"the {standard.short_name} standard"


def position(row: LeagueRow) -> str | None:
    """'above', 'below' or 'at' the national average in the standard's direction; None
    without a figure."""
    if not row.has_figures or row.national_value is None:
        return None
    if row.above_national:
        return "above"
    return "at" if row.value == row.national_value else "below"


def league_block(rows: list[LeagueRow], *, caption: str, sheet_name: str, exclude=()):
    """The league page's Table over `rows` (all of them, best first), with its Figures column
    only when a row's figures are illustrative, as the page does."""
    illustrative = any(row.illustrative for row in rows if row.has_figures) or any(
        row.national.illustrative for row in rows
    )
    table = LeagueTable(
        best_first(ranked(rows)),
        exclude=tuple(exclude) + (() if illustrative else ("figures",)),
        orderable=False,
        order_by=(),
    )
    return table_block(table, caption=caption, sheet_name=sheet_name, illustrative=illustrative)


@dataclass(frozen=True)
class PerformanceGroup:
    """Systems the performance paragraphs speak of together: a wave's ICSs, a region's
    systems, or a wave's systems before it was designated."""

    noun: Noun
    label: str  # for captions and charts: "Wave 1 ICSs"
    system_ids: list[int]
    wave: Wave | None = None  # the wave designated by the end of the year, if the group is one


def _performance_groups(scope: SummaryScope, year: FinancialYear, systems) -> list:
    """For all systems and for a wave: each wave designated by the end of the year (the finance
    section's groups), or, for a wave not yet designated, its systems; for a region, its
    systems. Without any, every system in scope."""
    if scope.region is not None:
        noun = Noun(
            f"system in the {scope.region.name} region",
            f"systems in the {scope.region.name} region",
        )
        return [PerformanceGroup(noun, f"{scope.region.name} region", [s.pk for s in systems])]
    groups = [
        PerformanceGroup(
            wave_noun(wave), wave_noun(wave).plural, [d.system_id for d in members], wave
        )
        for wave, members in wave_groups(scope, year)
    ]
    if not groups and scope.wave is not None:
        noun = Noun(
            f"system later designated in {scope.wave.name}",
            f"systems later designated in {scope.wave.name}",
        )
        later = Designation.objects.filter(wave=scope.wave).order_by(
            Lower("system__name"), "system__slug"
        )
        groups = [PerformanceGroup(noun, noun.plural, list(later.values_list("system", flat=True)))]
    if not groups:
        groups = [PerformanceGroup(SYSTEM, "Systems", [s.pk for s in systems])]
    return groups


def performance_section(scope: SummaryScope) -> Section | None:
    """Performance against the national average per standard over the financial year, as
    paragraph 5 of the September 2018 board paper: England's figure for each standard; how
    many of the group (the waves designated by the end of the year, as the finance section
    counts them; a region's systems; one system's own figures) performed above it, and which;
    the league page's chart and Table for the group; every system's figures in an annex.
    None when there are no observations for the year."""
    year = scope.year
    if year is None:
        return None
    period = Period.financial_year(year.start_year)
    standards = list(Standard.objects.all())
    # The league page's systems (those that existed on the first day of the year), and any
    # system in a group that had gone by then. Their wave, region and status are read as at
    # the end of the year, so the tables name the wave the paragraphs speak of (the league
    # page reads them at the start, when in 2017/18 no wave had yet been designated).
    ids = scope.system_ids(period.starts_on)
    queryset = System.objects.current_as_at(period.starts_on).with_overview_as_at(period.ends_on)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    systems = list(queryset)
    groups = [] if scope.system is not None else _performance_groups(scope, year, systems)
    known = {s.pk for s in systems}
    missing = {pk for group in groups for pk in group.system_ids} - known
    if scope.system is not None and scope.system.pk not in known:
        missing.add(scope.system.pk)
    if missing:
        systems += list(System.objects.with_overview_as_at(period.ends_on).filter(pk__in=missing))
    # The systems designated by the end of the year, as the finance section counts ICSs.
    designated = designated_system_ids(year.ends_on)
    comparison = group_comparison(
        period,
        in_group=lambda system: system.pk in designated,
        group_label="ICS",
        standards=standards,
        systems=systems,
    )
    if not any(item.national.denominator for item in comparison.standards):
        return None
    label = year.label
    title = f"Performance against national standards, {label}"
    purpose = f"performance against the national average on each standard in {label}"
    items = [item for item in comparison.standards if item.national.denominator]
    illustrative = any(item.illustrative for item in items) or any(
        row.illustrative for item in items for row in item.rows if row.has_figures
    )
    paragraphs, to_note, tables, charts, annexes = [], [], [], [], []
    real = [item for item in items if item.real]
    if real:
        made_up = [item for item in items if item.illustrative]
        paragraphs.append(
            sentence(
                f"The figures for {label} on "
                + names_list([standard_phrase(item.standard) for item in real])
                + " are real. Source: "
                + "; ".join(real_sources(item.standard for item in real))
            )
        )
        if made_up:
            paragraphs.append(
                f"The figures for {label} on "
                + names_list([standard_phrase(item.standard) for item in made_up])
                + " are illustrative: made-up demonstration observations, not real ones. "
                "Every table that mixes them with real ones says which rows are which in its "
                "Figures column."
            )
    elif illustrative:
        paragraphs.append(
            f"The performance figures for {label} are illustrative: made-up demonstration "
            "observations, not real ones. Every table that uses them says so."
        )
    paragraphs.append(
        sentence(
            f"England's figures for {label} were "
            + names_list(
                [
                    f"{format_percent(item.national.value)} for "
                    f"{standard_phrase(item.standard)} (target {item.standard.target_percent})"
                    for item in items
                ]
            )
        )
    )
    rows_by = {(item.standard.pk, row.system.pk): row for item in items for row in item.rows}

    if scope.system is not None:
        system = scope.system
        sentences = []
        for item in items:
            row = rows_by[(item.standard.pk, system.pk)]
            sentences.append(
                system_standing_sentence(
                    "it" if sentences else scope.system_name,
                    standard_phrase(item.standard),
                    label,
                    position=position(row),
                    value=format_percent(row.value),
                    national=format_percent(row.national_value),
                )
            )
        paragraphs.append(" ".join(sentences))
        to_note.append(sentences[0])
        trends = system_trend(system, [item.standard for item in items])
        rows = trend_rows([trend.rolled_up(PeriodKind.YEAR) for trend in trends])
        trend_illustrative = any(row.illustrative for row in rows if row.has_figures)
        tables.append(
            table_block(
                SystemTrendTable(
                    rows, exclude=() if trend_illustrative else ("figures",), orderable=False
                ),
                caption=f"{scope.system_name}'s performance by financial year against England's",
                sheet_name="Performance by year",
                illustrative=trend_illustrative,
            )
        )
        for trend in trends:
            chart = trend_chart(system, trend)
            charts.append(ChartBlock.of(chart))
    else:
        for group in groups:
            results = []
            for item in items:
                standings = []
                for pk in group.system_ids:
                    row = rows_by[(item.standard.pk, pk)]
                    standings.append(
                        Standing(row.system.name, row.has_figures, bool(row.above_national))
                    )
                results.append((standard_phrase(item.standard), standings))
            sentences = above_average_sentences(results, group.noun, label)
            point = above_average_point(results, group.noun, label)
            paragraphs.append(" ".join(sentences))
            to_note.append(point or sentences[0])
            if checks := _finding_checks(group, year, items, rows_by):
                paragraphs.append(checks_paragraph(checks))
        if scope.region is None and scope.wave is None and designated:
            # Everyone else, as the finance section compares ICSs with non-ICSs.
            rest = rest_sentence(
                [
                    (standard_phrase(item.standard), len(item.rest.above), item.rest.counted)
                    for item in items
                ],
                Noun("non-ICS", "non-ICSs"),
            )
            if rest:
                paragraphs.append(rest)
        in_groups = list(dict.fromkeys(pk for group in groups for pk in group.system_ids))
        who = groups[0].label if len(groups) == 1 else f"ICSs designated by {on_date(year.ends_on)}"
        for item in items:
            rows = [rows_by[(item.standard.pk, pk)] for pk in in_groups]
            if len(rows) <= SHORT_TABLE_ROWS:
                tables.append(
                    league_block(
                        rows,
                        caption=f"{who}: {item.standard.name}, {label}",
                        sheet_name=f"ICSs {item.standard.short_name} {year.slug}",
                        exclude=COMPACT_LEAGUE_EXCLUDE,
                    )
                )
            chart = league_chart(rows, item.standard, period)
            if chart is not None:
                charts.append(
                    ChartBlock(
                        title=f"{who} against England: {item.standard.short_name}, {label}",
                        description=chart.description,
                        figure=chart.figure,
                    )
                )
        paragraphs.append(
            "A system's figure is the sum of its providers' patients within the standard over "
            "the sum of all their patients, never an average of percentages; a provider counts "
            "towards the system it was a member of on the first of each month, weighted by its "
            "share. A system is above the national average when its figure beats England's; "
            "equal is not above. {annex:performance} gives every system's figures."
        )
        annexes.append(_performance_annex(scope, comparison, items, label, year))
    return Section(
        key="performance",
        title=title,
        purpose=purpose,
        paragraphs=paragraphs,
        charts=charts,
        tables=tables,
        to_note=to_note,
        annexes=annexes,
    )


def _finding_checks(group: PerformanceGroup, year: FinancialYear, items, rows_by) -> list:
    """What a paper published about the group's wave in the year (paragraph 5 of the
    September 2018 board paper), each beside the count these figures give, in the order of
    the standards. One query, for a wave's group only."""
    if group.wave is None:
        return []
    findings = PublishedFinding.objects.about(start_year=year.start_year, wave=group.wave)
    by_standard: dict[int, list] = {}
    for finding in findings.select_related("standard"):
        by_standard.setdefault(finding.standard_id, []).append(finding)
    return [
        finding_check(
            finding, [rows_by[(item.standard.pk, pk)] for pk in group.system_ids], group.noun
        )
        for item in items
        for finding in by_standard.get(item.standard.pk, [])
    ]


def _performance_annex(scope: SummaryScope, comparison, items, label: str, year) -> Annex:
    # The page heads its status column "at the start"; here systems are read at the end.
    exclude = ("status", "region") if scope.region is not None else ("status",)
    return Annex(
        key="performance",
        title=f"Performance against national standards, {label}",
        paragraphs=[
            f"Every system in scope that existed on 1 April {year.start_year}, as the league "
            f"table pages show them: for each standard, the patients within the standard, all "
            f"patients, the system's figure and England's for {label}, the gap in percentage "
            "points, whether it was above the national average and whether it met the target. "
            f"Region and wave are as at {on_date(year.ends_on)}."
        ],
        tables=[
            league_block(
                item.rows,
                caption=f"{scope.label}: {item.standard.name}, {label}",
                sheet_name=f"{item.standard.short_name} {year.slug}",
                exclude=exclude,
            )
            for item in items
        ],
    )
