"""The finance section: system control totals and plan against outturn for the year.

Built from what the finance pages use (`finance.queries` for the reads, `finance.presenters`
for the summary, rows, tables and charts), so the paper and the pages give the same figures.
"""

from core.findings import checks_paragraph
from core.wording import Noun, count_phrase, number_word
from finance.models import FinancialYear, PublishedFinding
from finance.money import format_millions, format_pounds
from finance.presenters import (
    YearSummary,
    member_table,
    plan_finding_check,
    plan_outturn_chart,
    plan_outturn_row,
    plan_outturn_rows,
    summarise_year,
    system_year_figures,
    waterfall_chart,
    with_variance,
)
from finance.queries import with_control_totals, year_systems, years_with_figures
from finance.tables import PlanOutturnTable, SystemControlTotalTable
from systems.models import System

from ..document import Annex, ChartBlock, Section, table_block
from ..narrative import (
    PlanOutcome,
    Tally,
    comparison_sentence,
    plan_sentences,
    sentence,
    verb,
)
from .scope import SummaryScope, designated_system_ids, wave_groups, wave_noun

WITH_FIGURES = Noun("system with figures", "systems with figures")


def finance_section(scope: SummaryScope) -> Section | None:
    """System control totals for the year and plan against outturn: the headline counts, the
    board paper's paragraph 6 for each wave designated by the end of the year, the finance
    pages' chart of systems better than plan, and their tables in full as annexes."""
    year = scope.year
    if year is None:
        return None
    ids = scope.system_ids(year.starts_on)
    queryset = year_systems(year)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    # As the finance year page reads them: the systems, then their figures in one query.
    systems = with_variance(with_control_totals(queryset, year))
    summary = summarise_year(systems)
    section = Section(
        key="finance",
        title=f"Finance: system control totals, {year.label}",
        purpose=f"system control totals and plans against outturn in {year.label}",
    )
    if not summary.systems:
        section.paragraphs.append(sentence(f"no system in scope has figures for {year.label}"))
        return section
    if summary.illustrative:
        section.paragraphs.append(
            f"The figures for {year.label} are illustrative: made-up demonstration numbers, not "
            "real control totals. Every table that uses them says so."
        )
    if scope.system is not None:
        _one_system_finance(section, scope, next(s for s in systems if s.member_count))
        section.annexes.append(_control_total_annex(scope, systems, year, summary))
    else:
        history = _all_systems_finance(section, scope, ids, systems, summary)
        section.annexes.append(_control_total_annex(scope, systems, year, summary))
        section.annexes.append(_plan_outturn_annex(history, scope))
    return section


def _all_systems_finance(section: Section, scope: SummaryScope, ids, systems, summary):
    """The headline over every system in scope (`ids`, or all), a paragraph per wave and the
    chart of systems better than plan year by year; returns that history's rows."""
    year, label = scope.year, scope.year.label
    headline = sentence(
        f"{count_phrase(summary.met, summary.systems, WITH_FIGURES)} met "
        f"{'its' if summary.systems == 1 else 'their'} control total in {label}, and "
        f"{number_word(summary.beat)} delivered a better financial position than "
        f"{verb(summary.beat, 'it', 'they')} planned"
    )
    section.paragraphs.append(
        headline + " Added together, their control totals came to "
        f"{format_millions(summary.control_total)} and their outturns to "
        f"{format_millions(summary.outturn)} (surplus positive, deficit negative)."
    )
    section.to_note.append(headline)
    _wave_paragraphs(section, scope, systems, summary)
    section.paragraphs.append(
        f"The systems are those that existed on 1 April {year.start_year} and those "
        "designated during the year. "
        f"A system's figures are the sums over the organisations that were its members on "
        f"1 April {year.start_year}, each weighted by its share; a trust serving two systems "
        "counts in each by its share. {annex:finance-year} gives every system's control "
        "total, plan and outturn; {annex:finance-years} gives plan against outturn year by "
        "year."
    )
    years = [y for y in years_with_figures() if y.has_figures]
    scoped = System.objects.all() if ids is None else System.objects.filter(pk__in=ids)
    history = plan_outturn_rows(scoped, years)
    section.charts.append(ChartBlock.of(plan_outturn_chart(history, years, None)))
    return history


def _wave_paragraphs(section: Section, scope: SummaryScope, systems, summary: YearSummary):
    """Paragraph 6 of the board paper for each wave designated by the end of the year: who
    did better or worse than plan, against the systems not designated, with its table."""
    year = scope.year
    counted = [s for s in systems if s.member_count]
    # The year's systems include those designated during it (finance.queries.year_systems),
    # so every wave's systems with members on 1 April are here, and the comparison's parts
    # (this wave, the other waves, the non-ICSs) add up to the systems with figures.
    by_pk = {s.pk: s for s in systems}
    designated = designated_system_ids(year.ends_on)
    for wave, group in wave_groups(scope, year):
        noun = wave_noun(wave)
        sentences = plan_sentences(
            [_plan_outcome(d.system.name, by_pk.get(d.system_id)) for d in group],
            noun,
            year.label,
        )
        ids = {d.system_id for d in group}
        mine = [s for s in counted if s.pk in ids]
        others = [s for s in counted if s.pk not in designated]
        other_waves = [s for s in counted if s.pk in designated and s.pk not in ids]
        comparison = comparison_sentence(
            noun, _tally(mine), _tally(others), year.label, other_waves=_tally(other_waves)
        )
        if comparison and scope.region is None and scope.wave is None:
            sentences.append(comparison)
        section.paragraphs.append(" ".join(sentences))
        section.to_note.append(sentences[0])
        wave_systems = [by_pk[d.system_id] for d in group if d.system_id in by_pk]
        checks = [
            plan_finding_check(finding, wave_systems, noun)
            for finding in PublishedFinding.objects.about(start_year=year.start_year, wave=wave)
        ]
        if checks:
            section.paragraphs.append(checks_paragraph(checks))
        if mine:
            section.tables.append(_wave_plan_table(wave, noun, mine, year))


def _tally(systems) -> Tally:
    return Tally(sum(1 for s in systems if s.beat_plan), len(systems))


def _plan_outcome(name: str, row) -> PlanOutcome:
    has = bool(row is not None and row.member_count)
    return PlanOutcome(
        name=name,
        has_figures=has,
        beat_plan=has and row.beat_plan,
        worse_than_plan=has and row.outturn < row.plan,
    )


def _wave_plan_table(wave, noun: Noun, systems, year: FinancialYear):
    rows = [plan_outturn_row(s, year) for s in sorted(systems, key=lambda s: s.name.lower())]
    illustrative = any(r.illustrative for r in rows)
    return table_block(
        PlanOutturnTable(
            rows,
            exclude=("year",) if illustrative else ("year", "figures"),
            orderable=False,
        ),
        caption=f"{noun.plural}: plan against outturn, {year.label}, £ thousands "
        "(surplus positive)",
        sheet_name=f"{wave.name} plan {year.slug}",
        illustrative=illustrative,
    )


def _one_system_finance(section: Section, scope: SummaryScope, figures):
    """One system's year against its plan and control total, its members' table and
    waterfall as the system's finance page shows them, and its plan year by year."""
    system, year = scope.system, scope.year
    outcome = (
        "a better financial position than it planned"
        if figures.beat_plan
        else "a worse financial position than it planned"
        if figures.outturn < figures.plan
        else "exactly the financial position it planned"
    )
    paragraph = sentence(f"{scope.system_name} delivered {outcome} in {year.label}") + (
        f" Its outturn was {format_pounds(figures.outturn)} against a plan of "
        f"{format_pounds(figures.plan)} and a control total of "
        f"{format_pounds(figures.control_total)}, so it "
        f"{'met' if figures.met_control_total else 'did not meet'} its control total."
    )
    section.paragraphs.append(paragraph)
    section.to_note.append(paragraph)
    members = system_year_figures(system, year)
    if members.rows:
        _members_paragraph(section, system, year, members)
    years = [y for y in years_with_figures() if y.has_figures]
    history = plan_outturn_rows(System.objects.filter(pk=system.pk), years)
    if history:
        section.charts.append(ChartBlock.of(plan_outturn_chart(history, years, system)))


def _members_paragraph(section: Section, system: System, year: FinancialYear, members):
    count = len(members.rows)
    section.paragraphs.append(
        f"Its control total is the sum over the {number_word(count)} member "
        f"organisation{'s' if count != 1 else ''} with figures on 1 April "
        f"{year.start_year}, each weighted by its share."
    )
    section.tables.append(
        table_block(
            member_table(members, orderable=False),
            caption=f"{system.name}'s member organisations with figures for {year.label}, "
            "£ thousands (surplus positive)",
            sheet_name=f"Members {year.slug}",
            illustrative=members.illustrative,
        )
    )
    chart = waterfall_chart(system, year, members.rows, members.totals.control_total)
    section.charts.append(ChartBlock.of(chart))


def _control_total_annex(
    scope: SummaryScope, systems, year: FinancialYear, summary: YearSummary
) -> Annex:
    illustrative = bool(summary.illustrative)
    table = SystemControlTotalTable(
        systems,
        year=year,
        exclude=() if illustrative else ("figures",),
        orderable=False,
    )
    return Annex(
        key="finance-year",
        title=f"System control totals, {year.label}",
        paragraphs=[
            f"Every system in scope that existed on 1 April {year.start_year}, with its control "
            f"total, plan and outturn for {year.label} in £ thousands (surplus positive). "
            "Variance is outturn less control total."
        ],
        tables=[
            table_block(
                table,
                caption=f"{scope.label}: control totals, plans and outturns, {year.label}, "
                "£ thousands",
                sheet_name=f"Control totals {year.slug}",
                illustrative=illustrative,
            )
        ],
    )


def _plan_outturn_annex(history, scope: SummaryScope) -> Annex:
    illustrative = any(row.illustrative for row in history)
    table = PlanOutturnTable(history, exclude=() if illustrative else ("figures",), orderable=False)
    return Annex(
        key="finance-years",
        title="Plan against outturn, year by year",
        paragraphs=[
            "Each system's planned position and the position it delivered in every year with "
            "figures, £ thousands (surplus positive)."
        ],
        tables=[
            table_block(
                table,
                caption=f"{scope.label}: plan and outturn by system and year, £ thousands",
                sheet_name="Plan against outturn",
                illustrative=illustrative,
            )
        ],
    )
