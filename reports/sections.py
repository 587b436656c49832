"""The sections of a board summary, each a plain function: a `SummaryScope` in, a `Section`
(title, numbered paragraphs, charts, tables, annexes) out, or None when it has nothing to say.

Sections reuse what the pages use: the systems and finance queries (`with_overview_as_at`,
`finance.views.year_systems`, `plan_outturn_rows`), their django-tables2 Tables, and their
chart figure functions, so a board paper and the dashboard show the same figures and pictures.

The registry
------------
`SECTIONS` is the ordered list of section builders; `build_sections(scope)` runs them in order
and drops those that return None, so a section with no data leaves no empty stub. To add one
(performance against the national average per standard, maturity), write a builder and
register it where it belongs in the paper:

    @section("performance", after="designation")
    def performance_section(scope: SummaryScope) -> Section | None:
        ...  # return None when there are no observations for the scope and year

Builders only read. Paragraphs can point at an annex with `{annex:<key>}`; the document
letters the annexes in order and replaces the marker ("Annex B").
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.functions import Lower

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
from performance.formatting import format_percent
from performance.models import Standard
from performance.periods import Period, PeriodKind
from performance.queries import LeagueRow, group_comparison, system_trend
from performance.tables import LeagueTable, SystemTrendTable
from performance.views import league_chart, trend_chart, trend_rows
from systems import charts as system_charts
from systems.dates import DatePrecision
from systems.maturity import (
    Matrix,
    MatrixRow,
    build_matrix,
    describe_matrix,
    latest_assessments_as_at,
    level_score,
)
from systems.maturity_tables import MaturityTable
from systems.models import (
    LATER_EVENT_KINDS,
    CoverageScope,
    Designation,
    DesignationEvent,
    EventKind,
    Footprint,
    MaturityFramework,
    Region,
    System,
    SystemFootprint,
    SystemStatusKind,
    Wave,
)
from systems.series import ics_count_series
from systems.tables import SystemTable
from systems.views import status_periods
from systems.wording import number_word

from .document import Annex, ChartBlock, NumberedList, Section, table_block
from .narrative import (
    SYSTEM,
    Noun,
    PlanOutcome,
    Standing,
    Tally,
    above_average_point,
    above_average_sentences,
    comparison_sentence,
    count_phrase,
    names_list,
    plan_sentences,
    rest_sentence,
    sentence,
    system_standing_sentence,
    verb,
)

ICS = Noun("integrated care system (ICS)", "integrated care systems (ICSs)")


@dataclass(frozen=True)
class SummaryScope:
    """What a summary is about: all systems, a region, a wave or one system; the date the
    designation picture is taken on; and the financial year its finance section reports."""

    scope: str
    as_at: dt.date
    year: FinancialYear | None = None
    region: Region | None = None
    wave: Wave | None = None
    system: System | None = None

    @classmethod
    def of(cls, summary) -> "SummaryScope":
        return cls(
            scope=summary.scope,
            as_at=summary.as_at,
            year=summary.year,
            region=summary.region,
            wave=summary.wave,
            system=summary.system,
        )

    @property
    def label(self) -> str:
        if self.region is not None:
            return f"{self.region.name} region"
        if self.wave is not None:
            return self.wave.name
        if self.system is not None:
            return self.system.name
        return "All systems"

    def system_ids(self, day: dt.date):
        """The systems in scope on `day`, as a subquery of ids, or None for every system.
        A region holds the systems whose footprint lay in it that day; a wave, the systems
        designated in it."""
        if self.region is not None:
            return (
                SystemFootprint.objects.as_at(day)
                .filter(footprint__region=self.region)
                .values("system")
            )
        if self.wave is not None:
            return Designation.objects.filter(wave=self.wave).values("system")
        if self.system is not None:
            return System.objects.filter(pk=self.system.pk).values("pk")
        return None

    def designations(self):
        """Designations in scope: a region's are those of systems that ever lay in it; a
        system's include those of systems it absorbed (Nottinghamshire's Wave 1 came with
        Greater Nottingham)."""
        designations = Designation.objects.filter(designated_on__lte=self.as_at)
        if self.region is not None:
            in_region = SystemFootprint.objects.filter(footprint__region=self.region).values(
                "system"
            )
            designations = designations.filter(system__in=in_region)
        elif self.wave is not None:
            designations = designations.filter(wave=self.wave)
        elif self.system is not None:
            absorbed = DesignationEvent.objects.filter(
                related_system=self.system,
                kind__in=[EventKind.ABSORBED_INTO, EventKind.MERGED_INTO],
                occurred_on__lte=self.as_at,
            ).values("system")
            designations = designations.filter(Q(system=self.system) | Q(system__in=absorbed))
        return designations.select_related("system", "wave").order_by(
            "wave__sequence", Lower("system__name"), "system__slug"
        )


SectionBuilder = Callable[[SummaryScope], Section | None]


@dataclass(frozen=True)
class RegisteredSection:
    key: str
    build: SectionBuilder


SECTIONS: list[RegisteredSection] = []


def section(key: str, *, after: str | None = None):
    """Register a section builder under `key`, at the end or straight after another."""

    def register(build: SectionBuilder) -> SectionBuilder:
        entry = RegisteredSection(key, build)
        keys = [registered.key for registered in SECTIONS]
        if key in keys:
            SECTIONS[keys.index(key)] = entry
        elif after is not None and after in keys:
            SECTIONS.insert(keys.index(after) + 1, entry)
        else:
            SECTIONS.append(entry)
        return build

    return register


def build_sections(scope: SummaryScope, progress=None) -> list[Section]:
    """Every registered section with something to say, in order."""
    built = []
    for index, registered in enumerate(SECTIONS):
        if progress is not None:
            progress(index, len(SECTIONS), registered.key)
        result = registered.build(scope)
        if result is not None:
            built.append(result)
    return built


# -- words ------------------------------------------------------------------------------------


def on_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def when(value: dt.date, precision: str, display: str) -> str:
    """'on 27 September 2018', 'in June 2019', 'in 2020'."""
    return f"on {display}" if precision == DatePrecision.DAY else f"in {display}"


def wave_noun(wave: Wave) -> Noun:
    """'Wave 1 ICS(s)', or for waves named by their date 'ICS(s) of the June 2019 wave'."""
    if wave.name.lower().startswith("wave"):
        return Noun(f"{wave.name} ICS", f"{wave.name} ICSs")
    return Noun(f"ICS of the {wave.name} wave", f"ICSs of the {wave.name} wave")


STATUS_PHRASES = {
    SystemStatusKind.STP: "a sustainability and transformation partnership (STP)",
    SystemStatusKind.SHADOW_ACS: "a shadow accountable care system",
    SystemStatusKind.ICS: "an integrated care system (ICS)",
    SystemStatusKind.ICB: "an integrated care system with a statutory integrated care board",
    SystemStatusKind.MERGED: "merged into or absorbed by another system",
    SystemStatusKind.CLOSED: "closed",
}


def event_note(event: DesignationEvent) -> str:
    """What later became of a designated system, as the board paper's notes say it."""
    date = when(event.occurred_on, event.precision, event.occurred_display)
    if event.kind == EventKind.ABSORBED_INTO:
        text = f"{event.system.name} was absorbed into {event.related_system.name} {date}"
    elif event.kind == EventKind.MERGED_INTO:
        text = f"{event.system.name} merged into {event.related_system.name} {date}"
    else:
        what = event.describe(from_point_of_view_of=event.system)
        text = f"{event.system.name}: {what[0].lower()}{what[1:]} {date}"
    text = sentence(text + (" (unverified)" if event.unverified else ""))
    if event.kind == EventKind.BOUNDARY_CHANGE and event.note:
        text += " " + sentence(event.note)
    return text


# -- designation ------------------------------------------------------------------------------


@section("designation")
def designation_section(scope: SummaryScope) -> Section:
    """Waves and their systems as at the date, as Annex A of the September 2018 board paper,
    with notes on systems later absorbed, merged or moved; the designation chart of the
    overview page (one system's status timeline for a system scope); every system then."""
    day = scope.as_at
    designations = list(scope.designations())
    designated_ids = {d.system_id for d in designations}
    events = list(
        DesignationEvent.objects.filter(
            system__in=designated_ids,
            kind__in=LATER_EVENT_KINDS,
            occurred_on__lte=day,
        )
        .select_related("system", "related_system")
        .order_by("occurred_on", "pk")
    )
    events_by_system: dict[int, list[DesignationEvent]] = {}
    for event in events:
        events_by_system.setdefault(event.system_id, []).append(event)

    paragraphs, to_note, charts = [], [], []
    waves = []
    for designation in designations:
        if designation.wave not in waves:
            waves.append(designation.wave)
    by_wave = {wave.pk: [d for d in designations if d.wave_id == wave.pk] for wave in waves}

    if scope.system is not None:
        paragraphs += _system_designation_paragraphs(scope, designations)
        to_note.append(paragraphs[0])
        statuses = list(scope.system.statuses.order_by("effective_from"))
        # The paper speaks as at its date: statuses from later are left out, and the one in
        # force then runs to the date.
        periods = [
            (label, start, min(end, day) if end else None, status)
            for label, start, end, status in status_periods(statuses)
            if start <= day
        ]
        if periods:
            figure = system_charts.status_timeline(
                [(label, start, end) for label, start, end, _ in periods], day
            )
            charts.append(
                ChartBlock(
                    title=f"Status of {scope.system.name} over time",
                    description="; ".join(
                        f"{label} from {status.effective_from_display}"
                        for label, _start, _end, status in periods
                    )
                    + ".",
                    figure=figure,
                )
            )
    else:
        paragraphs += _counts_paragraphs(scope)
        to_note.append(paragraphs[0].split(". ")[0].rstrip(".") + ".")
        if waves:
            parts = [
                f"{wave.name} ({wave.announced_display}, "
                f"{number_word(len(by_wave[wave.pk]))} "
                f"{SYSTEM.of(len(by_wave[wave.pk]))})"
                for wave in waves
            ]
            lead = (
                f"systems were designated in {number_word(len(waves))} "
                f"wave{'s' if len(waves) != 1 else ''} by {on_date(day)}"
                if scope.wave is None
                else f"{scope.wave.name} was announced {when(scope.wave.announced_on, scope.wave.announced_precision, scope.wave.announced_display)}"  # noqa: E501
            )
            paragraphs.append(
                sentence(f"{lead}: {names_list(parts)}")
                + " {annex:designation} lists the systems designated in each wave."
            )
        else:
            paragraphs.append(sentence(f"no system in scope had been designated by {on_date(day)}"))
        series = ics_count_series(until=day)
        all_waves = list(Wave.objects.filter(effective_on__lte=day).order_by("sequence"))
        figure = system_charts.designation_over_time(
            series, [(w.name, w.effective_on, w.effective_display) for w in all_waves]
        )
        last = series[-1] if series else None
        charts.append(
            ChartBlock(
                title="ICS designation over time, England",
                description=(
                    "Step chart of ICS systems and of STP footprints covered by an ICS, from "
                    f"2016 to {on_date(day)}, with the waves marked."
                    + (
                        f" On {on_date(last.day)} there were {last.ics_systems} ICS systems "
                        f"covering {last.ics_footprints} of {last.footprints} footprints."
                        if last
                        else ""
                    )
                ),
                figure=figure,
            )
        )

    absorbed = [e for e in events if e.kind in (EventKind.ABSORBED_INTO, EventKind.MERGED_INTO)]
    if absorbed and scope.system is None:
        paragraphs.append(
            sentence(
                f"{count_phrase(len({e.system_id for e in absorbed}), len(designated_ids), Noun('designated system', 'designated systems'))} "  # noqa: E501
                f"{verb(len({e.system_id for e in absorbed}), 'has', 'have')} since been absorbed "
                "into or merged with a larger system: "
                + names_list(
                    [
                        f"{e.system.name} into {e.related_system.name} ({e.occurred_display})"
                        for e in absorbed
                    ]
                )
            )
        )

    annexes = []
    if designations:
        lists = []
        for wave in waves:
            items, notes, marks = [], [], 0
            for designation in by_wave[wave.pk]:
                later = events_by_system.get(designation.system_id, [])
                name = designation.system.name
                if designation.unverified:
                    name += " (unverified)"
                if later:
                    marks += 1
                    marker = "*" * marks
                    items.append(f"{name}{marker}")
                    notes.append(f"{marker} " + " ".join(event_note(e) for e in later))
                else:
                    items.append(name)
            lists.append(
                NumberedList(
                    title=f"{wave.name} integrated care systems "
                    f"(designated {wave.announced_display})",
                    items=items,
                    notes=notes,
                )
            )
        annexes.append(
            Annex(
                key="designation",
                title="Integrated care systems",
                paragraphs=[
                    f"The systems designated in each wave by {on_date(day)}, with notes on "
                    "what later became of them up to that date."
                ],
                lists=lists,
            )
        )
    systems_table = _systems_table(scope)
    if systems_table is not None:
        annexes.append(
            Annex(key="systems", title=f"Systems on {on_date(day)}", tables=[systems_table])
        )
    return Section(
        key="designation",
        title="Designation of integrated care systems",
        purpose=f"the designation of integrated care systems as at {on_date(day)}",
        paragraphs=paragraphs,
        charts=charts,
        to_note=to_note,
        annexes=annexes,
    )


def _counts_paragraphs(scope: SummaryScope) -> list[str]:
    day = scope.as_at
    if scope.region is None and scope.wave is None:
        ics = System.objects.ics_as_at(day).count()
        covered = Footprint.objects.with_ics_as_at(day).count()
        footprints = Footprint.objects.as_at(day).count()
        text = (
            f"On {on_date(day)} there {verb(ics, 'was', 'were')} {ics} "
            f"{ICS.of(ics)}, covering {covered} of the {footprints} STP footprints in England "
            "wholly or in part."
        )
        if ics != covered:
            text += (
                " Systems and footprints are counted separately because some early ICSs "
                "covered only part of a footprint."
            )
        return [text]
    ids = scope.system_ids(day)
    current = System.objects.current_as_at(day).filter(pk__in=ids)
    total = current.count()
    ics = System.objects.ics_as_at(day).filter(pk__in=ids).count()
    where = (
        f"systems in the {scope.region.name} region"
        if scope.region is not None
        else f"systems designated in {scope.wave.name} still in existence"
    )
    noun = Noun(where.replace("systems", "system", 1), where)
    if not total:
        return [sentence(f"on {on_date(day)} there were no {where}")]
    return [
        sentence(
            f"on {on_date(day)}, {count_phrase(ics, total, noun)} "
            f"{verb(ics if ics else 2, 'was', 'were')} integrated care systems"
            if total > 1
            else f"on {on_date(day)} the one {noun.singular} "
            f"{'was' if ics else 'was not'} an integrated care system"
        )
    ]


def _system_designation_paragraphs(scope: SummaryScope, designations) -> list[str]:
    system, day = scope.system, scope.as_at
    status = system.status_as_at(day)
    if status is None:
        first = system.statuses.order_by("effective_from").first()
        text = f"{system.name} had not yet formed on {on_date(day)}" + (
            f"; it dates from {first.effective_from_display}" if first else ""
        )
    else:
        text = f"on {on_date(day)} {system.name} was {STATUS_PHRASES[status]}"
    paragraphs = [sentence(text)]
    for designation in designations:
        date = when(
            designation.designated_on, designation.precision, designation.designated_display
        )
        if designation.system_id == system.pk:
            paragraphs.append(sentence(f"it was designated in {designation.wave.name} {date}"))
        else:
            paragraphs.append(
                sentence(
                    f"it carries the {designation.wave.name} designation of "
                    f"{designation.system.name} (designated {date}), which it absorbed"
                )
            )
    if not designations:
        paragraphs.append(sentence(f"it had not been designated by {on_date(day)}"))
    return paragraphs


def _systems_table(scope: SummaryScope):
    """The systems page's table for the scope on the date (every system that existed then;
    for a wave, every system designated in it)."""
    if scope.system is not None:
        return None
    day = scope.as_at
    systems = System.objects.with_overview_as_at(day)
    if scope.wave is None:
        systems = systems.filter(pk__in=System.objects.current_as_at(day).values("pk"))
    ids = scope.system_ids(day)
    if ids is not None:
        systems = systems.filter(pk__in=ids)
    table = SystemTable(list(systems), orderable=False)
    return table_block(
        table,
        caption=f"{scope.label}: systems on {on_date(day)}",
        sheet_name=f"Systems {day:%Y-%m-%d}",
    )


# -- the groups the finance and performance sections speak of ----------------------------------


def wave_groups(scope: SummaryScope, year: FinancialYear) -> list[tuple[Wave, list[Designation]]]:
    """Each wave with designations in scope by the end of `year`, and those designations (the
    systems as designated, by name): the groups the finance and performance sections both
    write about, so they speak of the same systems. One query."""
    ids = scope.system_ids(year.starts_on)
    designations = (
        Designation.objects.filter(designated_on__lte=year.ends_on)
        .filter(system__in=ids if ids is not None else System.objects.all())
        .select_related("system", "wave")
        .order_by("wave__sequence", Lower("system__name"), "system__slug")
    )
    groups: dict[int, tuple[Wave, list[Designation]]] = {}
    for designation in designations:
        groups.setdefault(designation.wave_id, (designation.wave, []))[1].append(designation)
    return list(groups.values())


def designated_system_ids(day: dt.date) -> set[int]:
    """Every system designated in any wave by `day`: the ICSs, against whom the rest are
    'non-ICSs'."""
    return set(
        Designation.objects.filter(designated_on__lte=day).values_list("system_id", flat=True)
    )


# -- finance ----------------------------------------------------------------------------------


@section("finance", after="designation")
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
        charts.append(
            ChartBlock(title=chart.title, description=chart.description, figure=chart.figure)
        )

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
        charts.append(
            ChartBlock(title=chart.title, description=chart.description, figure=chart.figure)
        )
    years = [y for y in years_with_figures() if y.has_figures]
    history = plan_outturn_rows(System.objects.filter(pk=system.pk), years)
    if history:
        chart = plan_outturn_chart(history, years, system)
        charts.append(
            ChartBlock(title=chart.title, description=chart.description, figure=chart.figure)
        )
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


# -- performance against the national average -------------------------------------------------

# Tables of more rows than this go to the annex only; shorter ones are also shown in the section.
SHORT_TABLE_ROWS = 12
# The league page's columns that a board paper's in-section table leaves to the annex.
COMPACT_LEAGUE_EXCLUDE = ("region", "wave", "status", "numerator", "denominator", "providers")


def standard_phrase(standard: Standard) -> str:
    """'the cancer 62-day standard', as the paragraphs name a standard."""
    return f"the {standard.short_name} standard"


def best_first(rows: list[LeagueRow]) -> list[LeagueRow]:
    """League rows as the league page orders them: best value first (in the standard's
    direction), systems without figures last, by name."""

    def key(row: LeagueRow):
        if not row.has_figures:
            return (1, 0, row.system.name)
        value = row.value if not row.standard.higher_is_better else -row.value
        return (0, value, row.system.name)

    return sorted(rows, key=key)


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
        best_first(rows),
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
        PerformanceGroup(wave_noun(wave), wave_noun(wave).plural, [d.system_id for d in members])
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


@section("performance", after="designation")
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
    if illustrative:
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
                    "it" if sentences else system.name,
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
                caption=f"{system.name}'s performance by financial year against England's",
                sheet_name="Performance by year",
                illustrative=trend_illustrative,
            )
        )
        for trend in trends:
            chart = trend_chart(system, trend)
            charts.append(
                ChartBlock(title=chart.title, description=chart.description, figure=chart.figure)
            )
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
                        sheet_name=f"{item.standard.short_name} {year.slug}",
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
                sheet_name=f"League {item.standard.short_name} {year.slug}",
                exclude=exclude,
            )
            for item in items
        ],
    )


# -- maturity ---------------------------------------------------------------------------------


def _rated_noun(framework: MaturityFramework, scope: SummaryScope) -> Noun:
    """What the framework rated, in scope: the STP progress dashboard rated STPs."""
    singular, plural = ("STP", "STPs") if framework.name.startswith("STP") else SYSTEM_WORDS
    if scope.region is not None:
        where = f" in the {scope.region.name} region"
        return Noun(singular + where, plural + where)
    if scope.wave is not None:
        return Noun(
            f"system designated in {scope.wave.name}", f"systems designated in {scope.wave.name}"
        )
    return Noun(singular, plural)


SYSTEM_WORDS = ("system", "systems")


def _rated_total(framework, day: dt.date, scope: SummaryScope, rated: set[int]) -> int:
    """How many systems in scope the framework could have rated on `day`: those that existed
    then (for the STP progress dashboard, those covering a whole STP footprint, as the
    dashboard rated the 44 STPs), and at least those it did rate."""
    ids = scope.system_ids(day)
    systems = System.objects.current_as_at(day)
    if ids is not None:
        systems = systems.filter(pk__in=ids)
    if framework.name.startswith("STP") and scope.wave is None:
        systems = systems.filter(
            pk__in=SystemFootprint.objects.as_at(day)
            .filter(scope=CoverageScope.WHOLE)
            .values("system")
        )
    return len(set(systems.values_list("pk", flat=True)) | rated)


def maturity_sentences(scope: SummaryScope, framework, assessments: list) -> list[str]:
    """Who was rated at which level under one framework, best level first: "Five of the 44
    STPs were rated Outstanding in the STP progress dashboard (July 2017): ... The other 34
    have no rating recorded." Only ratings held are counted; the rest are never guessed."""

    def name(assessment) -> str:
        marks = [
            w
            for w, flag in (
                ("unverified", assessment.unverified),
                ("illustrative", assessment.illustrative),
            )
            if flag
        ]
        return assessment.system.name + (f" ({', '.join(marks)})" if marks else "")

    by_level: dict[int, list] = {}
    for assessment in assessments:
        by_level.setdefault(assessment.level_id, []).append(assessment)
    ordered = sorted(
        by_level.values(),
        key=lambda group: (
            -level_score(group[0].level.order, group[0].level_count, framework.best_end)
        ),
    )
    dates = {a.assessed_display for a in assessments}
    when_rated = (
        f" in {next(iter(dates))}"
        if len(dates) == 1 and next(iter(dates)) not in framework.name
        else ""
    )
    if scope.system is not None:
        only = assessments[0]
        when_rated = (
            f" in {only.assessed_display}" if only.assessed_display not in framework.name else ""
        )
        return [
            sentence(
                f"{name(only)} was rated {only.level.name} in the {framework.name}{when_rated}"
            )
        ]
    day = max(a.assessed_on for a in assessments)
    rated = {a.system_id for a in assessments}
    total = _rated_total(framework, day, scope, rated)
    noun = _rated_noun(framework, scope)
    sentences = []
    for index, group in enumerate(ordered):
        names = names_list(sorted(name(a) for a in group))
        count = len(group)
        if index == 0:
            sentences.append(
                sentence(
                    f"{count_phrase(count, total, noun)} {verb(count, 'was', 'were')} rated "
                    f"{group[0].level.name} in the {framework.name}{when_rated}: {names}"
                )
            )
        else:
            sentences.append(
                sentence(
                    f"{number_word(count)} {verb(count, 'was', 'were')} rated "
                    f"{group[0].level.name}: {names}"
                )
            )
    unrated = total - len(rated)
    if unrated:
        sentences.append(
            sentence(
                f"the other {number_word(unrated)} {verb(unrated, 'has', 'have')} no rating "
                "recorded under it: only ratings found in the sources are loaded, none made up"
            )
        )
    return sentences


@section("maturity", after="finance")
def maturity_section(scope: SummaryScope) -> Section | None:
    """Each system's latest rating under each framework as at the date: who was rated at which
    level, the /maturity/ page's heat map (its matrix, less the systems and frameworks with no
    rating, which the words account for) and Table. None when no system in scope has a
    rating by then."""
    day = scope.as_at
    ids = scope.system_ids(day)
    assessments = list(latest_assessments_as_at(day, systems=ids))
    if not assessments:
        return None
    frameworks = list(
        MaturityFramework.objects.filter(in_force_from__lte=day).order_by("in_force_from", "name")
    )
    paragraphs, to_note = [], []
    by_framework: dict[int, list] = {}
    for assessment in assessments:
        by_framework.setdefault(assessment.framework_id, []).append(assessment)
    unrated_frameworks = []
    for framework in frameworks:
        mine = by_framework.get(framework.pk)
        if not mine:
            unrated_frameworks.append(framework.name)
            continue
        sentences = maturity_sentences(scope, framework, mine)
        paragraphs.append(" ".join(sentences))
        to_note.append(sentences[0])
    if unrated_frameworks:
        whom = scope.system.name if scope.system is not None else "no system in scope"
        paragraphs.append(
            sentence(
                f"{whom} had {'no rating' if scope.system is not None else 'a rating'} under "
                + " or ".join(f"the {name}" for name in unrated_frameworks)
                + f" by {on_date(day)}"
            )
        )
    paragraphs.append(
        "A rating holds until the system's next assessment under the same framework; "
        "frameworks do not replace each other's ratings, and their levels are not comparable "
        "except as a place between each framework's worst and best."
        + (
            " {annex:maturity} gives each rating with its date and source."
            if scope.system is None
            else ""
        )
    )
    # The /maturity/ page's matrix for the date, over the systems in scope.
    systems = System.objects.current_as_at(day)
    if ids is not None:
        systems = systems.filter(pk__in=ids)
    matrix = build_matrix(
        systems.values_list("pk", "name", "slug"), assessments, frameworks=frameworks
    )
    charts = []
    printed = _rated_only(matrix)
    if printed.cell_count and scope.system is None:
        where = f"as at {on_date(day)}"
        left_out = len(matrix.rows) - len(printed.rows)
        charts.append(
            ChartBlock(
                title=f"Each system's latest rating under each framework, {where}",
                description=describe_matrix(printed, where)
                + (
                    f" The {number_word(left_out)} systems in scope with no rating are left out."
                    if left_out
                    else ""
                ),
                figure=system_charts.maturity_heatmap(printed),
            )
        )
    illustrative = any(a.illustrative for a in assessments)
    exclude = [
        column
        for column, used in (
            ("domains", any(a.domain_ratings.all() for a in assessments)),
            ("unverified", any(a.unverified for a in assessments)),
            ("illustrative", illustrative),
            # Hidden on the page, but table_block's exported values would still carry it
            # under no header: shown when there is an address, left out when there is none.
            ("source_url", any(a.source_url for a in assessments)),
        )
        if not used
    ]
    maturity_table = MaturityTable(assessments, exclude=exclude, orderable=False)
    if "source_url" not in exclude:
        maturity_table.columns.show("source_url")
    table = table_block(
        maturity_table,
        caption=f"{scope.label}: each system's latest rating under each framework as at "
        f"{on_date(day)}",
        sheet_name=f"Maturity {day:%Y-%m-%d}",
        illustrative=illustrative,
    )
    # One system's few ratings sit in the section; a scope's, with their long sources, in an
    # annex, as the paper keeps its tables to the back.
    annexes = []
    if scope.system is None:
        annexes.append(
            Annex(
                key="maturity",
                title=f"Maturity ratings as at {on_date(day)}",
                paragraphs=[
                    "Each system's latest rating under each framework, with the date it was "
                    "given and where it is recorded. Systems with no rating are not listed."
                ],
                tables=[table],
            )
        )
    return Section(
        key="maturity",
        title=f"Maturity ratings as at {on_date(day)}",
        purpose=f"each system's latest maturity rating as at {on_date(day)}",
        paragraphs=paragraphs,
        charts=charts,
        tables=[table] if scope.system is not None else [],
        to_note=to_note,
        annexes=annexes,
    )


def _rated_only(matrix: Matrix) -> Matrix:
    """The matrix without its unrated rows and columns, for print: a page can scroll past
    44 grey rows, a paper should not."""
    columns = [i for i, _ in enumerate(matrix.columns) if any(r.cells[i] for r in matrix.rows)]
    rows = [
        MatrixRow(row.system, row.url_code, [row.cells[i] for i in columns])
        for row in matrix.rows
        if any(row.cells[i] for i in columns)
    ]
    return Matrix(columns=[matrix.columns[i] for i in columns], rows=rows, scale=matrix.scale)
