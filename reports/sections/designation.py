"""The designation section: waves and their systems as at the date."""

from core.dates import format_partial_date, on_partial_date
from core.wording import number_word
from systems.lineage import successors_by_system
from systems.models import (
    LATER_EVENT_KINDS,
    DesignationEvent,
    EventKind,
    Footprint,
    System,
    Wave,
)
from systems.presenters import (
    designation_figure,
    later_notes,
    status_figure,
    status_periods,
    succession_sentence,
)
from systems.series import ics_count_series
from systems.tables import SystemTable

from ..document import Annex, ChartBlock, NumberedList, Section, table_block
from ..narrative import (
    SYSTEM,
    Noun,
    count_phrase,
    names_list,
    sentence,
    verb,
)
from .scope import ICS, STATUS_PHRASES, SummaryScope, later_note, on_date

# -- designation ------------------------------------------------------------------------------


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
    # What became of each designated system (and of the one system in scope) by the date, in
    # the system page's words.
    in_scope = {scope.system.pk} if scope.system is not None else set()
    successors = successors_by_system(designated_ids | in_scope, until=day)

    paragraphs, to_note, charts = [], [], []
    waves = []
    for designation in designations:
        if designation.wave not in waves:
            waves.append(designation.wave)
    by_wave = {wave.pk: [d for d in designations if d.wave_id == wave.pk] for wave in waves}

    if scope.system is not None:
        paragraphs += _system_designation_paragraphs(scope, designations)
        paragraphs += [
            sentence(entry.text(subject=scope.system_name, join=names_list))
            for entry in successors.get(scope.system.pk, [])
        ]
        to_note.append(paragraphs[0])
        statuses = list(scope.system.statuses.order_by("effective_from"))
        # The paper speaks as at its date: statuses from later are left out, and the one in
        # force then runs to the date.
        periods = [period.until(day) for period in status_periods(statuses) if period.start <= day]
        if periods:
            figure = status_figure(periods, day)
            charts.append(
                ChartBlock(
                    title=f"Status of {scope.system_name} over time",
                    description="; ".join(
                        f"{period.label} from {period.start_display}" for period in periods
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
                else f"{scope.wave.name} was announced "
                + on_partial_date(scope.wave.announced_on, scope.wave.announced_precision)
            )
            paragraphs.append(
                sentence(f"{lead}: {names_list(parts)}")
                + " {annex:designation} lists the systems designated in each wave."
            )
        else:
            paragraphs.append(sentence(f"no system in scope had been designated by {on_date(day)}"))
        series = ics_count_series(until=day)
        all_waves = list(Wave.objects.filter(effective_on__lte=day).order_by("sequence"))
        figure = designation_figure(series, all_waves)
        last = series[-1] if series else None
        succession = succession_sentence(series)
        charts.append(
            ChartBlock(
                title="ICS designation over time, England",
                description=(
                    "Step chart of ICS systems and of STP footprints covered by an ICS, from "
                    f"2016 to {on_date(day)}, with the waves marked."
                    + (f" {succession.strip()}" if succession else "")
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

    ended = {
        pk: [entry for entry in entries if entry.ends_system]
        for pk, entries in successors.items()
        if any(entry.ends_system for entry in entries)
    }
    if ended and scope.system is None:
        names = {d.system_id: d.system.name for d in designations}
        paragraphs.append(
            sentence(
                f"{count_phrase(len(ended), len(designated_ids), Noun('designated system', 'designated systems'))} "  # noqa: E501
                f"{verb(len(ended), 'has', 'have')} since been absorbed into, merged with or "
                "split between other systems: "
                + names_list(
                    [
                        f"{names[pk]} {_succession_phrase(entry)}"
                        for pk, entries in ended.items()
                        for entry in entries
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
                later = later_notes(
                    events_by_system.get(designation.system_id, []),
                    successors.get(designation.system_id, []),
                )
                name = designation.system.name
                if designation.unverified:
                    name += " (unverified)"
                if later:
                    marks += 1
                    marker = "*" * marks
                    items.append(f"{name}{marker}")
                    notes.append(
                        f"{marker} "
                        + " ".join(later_note(designation.system.name, note) for note in later)
                    )
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


def _succession_phrase(entry) -> str:
    """ "into Delta (June 2019)", "between A, B and C (1 April 2026)": a successor sentence
    cut short for a list of many."""
    names = names_list([other.name for other in entry.systems])
    word = "between" if entry.kind == EventKind.SPLIT_INTO else "into"
    return f"{word} {names} ({format_partial_date(entry.day, entry.precision)})"


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
        text = f"{scope.system_name} had not yet formed on {on_date(day)}" + (
            f"; it dates from {first.effective_from_display}" if first else ""
        )
    else:
        text = f"on {on_date(day)} {scope.system_name} was {STATUS_PHRASES[status]}"
    paragraphs = [sentence(text)]
    for designation in designations:
        date = on_partial_date(designation.designated_on, designation.precision)
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
