"""The finance section: system control totals and plan against outturn for the year."""

from core.wording import number_word
from finance.models import FinancialYear
from finance.money import format_millions, format_pounds
from finance.queries import as_member_figures, member_figures, with_control_totals
from finance.tables import MemberFiguresTable, PlanOutturnTable, SystemControlTotalTable
from finance.totals import system_figures
from finance.views import (
    member_rows,
    plan_outturn_chart,
    plan_outturn_row,
    plan_outturn_rows,
    waterfall_chart,
    with_variance,
    year_systems,
    years_with_figures,
)
from systems.models import (
    System,
)

from ..document import Annex, ChartBlock, Section, table_block
from ..narrative import (
    Noun,
    PlanOutcome,
    Tally,
    comparison_sentence,
    count_phrase,
    plan_sentences,
    sentence,
    verb,
)
from .scope import SummaryScope, designated_system_ids, wave_groups, wave_noun

# -- finance ----------------------------------------------------------------------------------


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
    counted = [s for s in systems if s.member_count]
    illustrative = any(getattr(s, "illustrative", False) for s in counted)
    label = year.label
    title = f"Finance: system control totals, {label}"
    purpose = f"system control totals and plans against outturn in {label}"
    if not counted:
        return Section(
            key="finance",
            title=title,
            purpose=purpose,
            paragraphs=[sentence(f"no system in scope has figures for {label}")],
        )

    paragraphs, to_note, tables, charts = [], [], [], []
    if illustrative:
        paragraphs.append(
            f"The figures for {label} are illustrative: made-up demonstration numbers, not "
            "real control totals. Every table that uses them says so."
        )
    if scope.system is not None:
        system_paragraphs, system_tables, system_charts_ = _one_system_finance(scope, counted)
        paragraphs += system_paragraphs
        to_note.append(system_paragraphs[0])
        tables += system_tables
        charts += system_charts_
    else:
        met = sum(1 for s in counted if s.met_control_total)
        beat = sum(1 for s in counted if s.beat_plan)
        noun = Noun("system with figures", "systems with figures")
        headline = sentence(
            f"{count_phrase(met, len(counted), noun)} met "
            f"{'its' if len(counted) == 1 else 'their'} control total in {label}, and "
            f"{number_word(beat)} delivered a better financial position than "
            f"{verb(beat, 'it', 'they')} planned"
        )
        control_total = sum((s.control_total for s in counted), start=0)
        outturn = sum((s.outturn for s in counted), start=0)
        paragraphs.append(
            headline
            + f" Added together, their control totals came to {format_millions(control_total)} "
            f"and their outturns to {format_millions(outturn)} (surplus positive, deficit "
            "negative)."
        )
        to_note.append(headline)
        by_pk = {s.pk: s for s in systems}
        designated = designated_system_ids(year.ends_on)
        groups = wave_groups(scope, year)
        # A system designated during the year may not have existed on 1 April (the table
        # above leaves it out) yet had members then: the rule counts them all the same.
        later = {d.system_id for _, group in groups for d in group} - by_pk.keys()
        if later:
            by_pk |= {
                s.pk: s for s in with_control_totals(System.objects.filter(pk__in=later), year)
            }
        for wave, group in groups:
            outcomes = []
            for designation in group:
                row = by_pk.get(designation.system_id)
                has = bool(row is not None and row.member_count)
                outcomes.append(
                    PlanOutcome(
                        name=designation.system.name,
                        has_figures=has,
                        beat_plan=has and row.beat_plan,
                        worse_than_plan=has and row.outturn < row.plan,
                    )
                )
            noun = wave_noun(wave)
            sentences = plan_sentences(outcomes, noun, label)
            mine = [by_pk[d.system_id] for d in group if d.system_id in by_pk]
            mine = [s for s in mine if s.member_count]
            others = [s for s in counted if s.pk not in designated]
            comparison = comparison_sentence(
                noun,
                Tally(sum(1 for s in mine if s.beat_plan), len(mine)),
                Tally(sum(1 for s in others if s.beat_plan), len(others)),
                Tally(beat, len(counted)),
                label,
            )
            if comparison and scope.region is None and scope.wave is None:
                sentences.append(comparison)
            paragraphs.append(" ".join(sentences))
            to_note.append(sentences[0])
            if mine:
                rows = [
                    plan_outturn_row(s, year) for s in sorted(mine, key=lambda s: s.name.lower())
                ]
                tables.append(
                    table_block(
                        PlanOutturnTable(
                            rows,
                            exclude=("year",)
                            if any(r.illustrative for r in rows)
                            else ("year", "figures"),
                            orderable=False,
                        ),
                        caption=f"{noun.plural}: plan against outturn, {label}, £ thousands "
                        "(surplus positive)",
                        sheet_name=f"{wave.name} plan {year.slug}",
                        illustrative=any(r.illustrative for r in rows),
                    )
                )
        paragraphs.append(
            f"A system's figures are the sums over the organisations that were its members on "
            f"1 April {year.start_year}, each weighted by its share; a trust serving two systems "
            "counts in each by its share. {annex:finance-year} gives every system's control "
            "total, plan and outturn; {annex:finance-years} gives plan against outturn year by "
            "year."
        )
        years = [y for y in years_with_figures() if y.has_figures]
        scoped = System.objects.all() if ids is None else System.objects.filter(pk__in=ids)
        history = plan_outturn_rows(scoped, years)
        chart = plan_outturn_chart(history, years, None)
        charts.append(ChartBlock.of(chart))

    annexes = [_control_total_annex(scope, systems, year)]
    if scope.system is None:
        annexes.append(_plan_outturn_annex(history, scope))
    return Section(
        key="finance",
        title=title,
        purpose=purpose,
        paragraphs=paragraphs,
        charts=charts,
        tables=tables,
        to_note=to_note,
        annexes=annexes,
    )


def _one_system_finance(scope: SummaryScope, counted):
    system, year = scope.system, scope.year
    figures = counted[0]
    label = year.label
    outcome = (
        "a better financial position than it planned"
        if figures.beat_plan
        else "a worse financial position than it planned"
        if figures.outturn < figures.plan
        else "exactly the financial position it planned"
    )
    first = sentence(f"{system.name} delivered {outcome} in {label}")
    detail = (
        f" Its outturn was {format_pounds(figures.outturn)} against a plan of "
        f"{format_pounds(figures.plan)} and a control total of "
        f"{format_pounds(figures.control_total)}, so it "
        f"{'met' if figures.met_control_total else 'did not meet'} its control total."
    )
    paragraphs = [first + detail]
    pairs = member_figures(system, year)
    rows = member_rows(pairs)
    totals = system_figures([as_member_figures(m, f) for m, f in pairs])
    illustrative = any(row.illustrative for row in rows)
    tables, charts = [], []
    if rows:
        paragraphs.append(
            f"Its control total is the sum over the {number_word(len(rows))} member "
            f"organisation{'s' if len(rows) != 1 else ''} with figures on 1 April "
            f"{year.start_year}, each weighted by its share."
        )
        table = MemberFiguresTable(
            rows,
            totals=totals,
            exclude=() if illustrative else ("figures",),
            orderable=False,
        )
        tables.append(
            table_block(
                table,
                caption=f"{system.name}'s member organisations with figures for {label}, "
                "£ thousands (surplus positive)",
                sheet_name=f"Members {year.slug}",
                illustrative=illustrative,
            )
        )
        chart = waterfall_chart(system, year, rows, totals.control_total)
        charts.append(ChartBlock.of(chart))
    years = [y for y in years_with_figures() if y.has_figures]
    history = plan_outturn_rows(System.objects.filter(pk=system.pk), years)
    if history:
        chart = plan_outturn_chart(history, years, system)
        charts.append(ChartBlock.of(chart))
    return paragraphs, tables, charts


def _control_total_annex(scope: SummaryScope, systems, year: FinancialYear) -> Annex:
    illustrative = any(getattr(s, "illustrative", False) for s in systems if s.member_count)
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
