"""What a system came from and what became of it, in words: the system page's predecessors
and successors, the wave page's notes, the notes on pages about a system that had ended, and
the board paper's, all in `systems.wording`'s words.

Successions are events (`DesignationEvent`): a merger, absorption or split is recorded on the
system that ended, naming a successor (one event per successor of a split); an acquisition of
part of a system on the system that grew. Systems are named as they were on the day of the
event (`name_in_force`): Frimley split between "Hampshire and Isle of Wight", ...

What passes with a succession: a system merged or absorbed into another passes it its
designation and so its ICS status (`DesignationQuerySet.carried_by`). A system split between
several passes nothing: no successor of a split is "designated in Wave 1" because part of it
was, and the wave page says instead what became of the system designated then.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Q
from django.db.models.functions import Coalesce

from core.dates import DatePrecision, format_partial_date, on_partial_date

from .models import ENDED_STATUSES, DesignationEvent, EventKind, System, name_in_force
from .rules import ACQUIRING_EVENT_KINDS, SUCCEEDING_EVENT_KINDS
from .wording import FORMED, GAVE, PART_TAKEN, RECEIVED, Wording

# The events of a lineage: those that end a system and pass it, whole or in part, to another,
# and acquisitions of part of one.
LINEAGE_EVENT_KINDS = (*SUCCEEDING_EVENT_KINDS, *ACQUIRING_EVENT_KINDS)


@dataclass(frozen=True)
class LinkedSystem:
    system: System
    name: str  # as on the day of the event
    prefix: str  # "part of " where a system was formed from part of it
    unverified: bool


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C': as the page's sentence template joins them."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass
class LineageSentence:
    """One sentence of a system's lineage: "Split on 1 April 2026 between A, B and C",
    "Merged into D on 1 April 2026". `kind` is the event kind (or `wording.PART_TAKEN`,
    `wording.FORMED`); `lead` and `tail` frame the systems when the sentence stands alone,
    `after_name` and `tail` when it follows the system's name."""

    kind: str
    day: dt.date
    precision: str
    lead: str
    after_name: str
    tail: str
    systems: list[LinkedSystem] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ends_system(self) -> bool:
        """Whether the system it is about ended with it (it did not only lose part)."""
        return self.kind in SUCCEEDING_EVENT_KINDS

    def text(self, subject: str = "", join: Callable[[list[str]], str] = join_names) -> str:
        """The sentence as plain text, after `subject` if given, without its full stop."""
        names = join(
            [f"{o.prefix}{o.name}{' (unverified)' if o.unverified else ''}" for o in self.systems]
        )
        lead = f"{subject} {self.after_name}" if subject else self.lead
        return " ".join(part for part in (lead, names, self.tail) if part)


def _sentence(kind: str, day: dt.date, precision: str, wording: Wording) -> LineageSentence:
    on = on_partial_date(day, precision)
    if wording.dated_lead:
        return LineageSentence(
            kind, day, precision, wording.alone.format(on=on), wording.after_name.format(on=on), ""
        )
    return LineageSentence(kind, day, precision, wording.alone, wording.after_name, on)


def lineage_events(system_ids: Iterable[int], until: dt.date | None = None):
    """The succession events naming any of `system_ids` on either side (up to `until`, if
    given), oldest first, each system annotated with its name on the day (one query)."""
    ids = list(system_ids)
    events = DesignationEvent.objects.filter(kind__in=LINEAGE_EVENT_KINDS).filter(
        Q(system__in=ids) | Q(related_system__in=ids)
    )
    if until is not None:
        events = events.filter(occurred_on__lte=until)
    return (
        events.select_related("system", "related_system")
        .annotate(
            system_name_then=Coalesce(
                name_in_force(OuterRef("system"), OuterRef("occurred_on")), F("system__name")
            ),
            related_name_then=Coalesce(
                name_in_force(OuterRef("related_system"), OuterRef("occurred_on")),
                F("related_system__name"),
            ),
        )
        .order_by("occurred_on", "kind", "system__name", "related_system__name", "pk")
    )


def shape_lineage(
    system_id: int, events: Iterable[DesignationEvent], first_status_on: dt.date | None = None
) -> dict[str, list[LineageSentence]]:
    """Pure: the predecessors and successors of one system from the events naming it, one
    sentence per day and kind, in date order. A system that took in others after it began
    (`first_status_on`) says "merged with" or "absorbed", not "formed from"."""
    successors: dict[tuple, LineageSentence] = {}
    predecessors: dict[tuple, LineageSentence] = {}

    def add(groups, kind, event, wording, other, name, prefix=""):
        key = (event.occurred_on, event.precision, kind)
        if key not in groups:
            groups[key] = _sentence(kind, event.occurred_on, event.precision, wording)
        entry = groups[key]
        entry.systems.append(LinkedSystem(other, name, prefix, event.unverified))
        if event.source not in entry.sources:
            entry.sources.append(event.source)
        if event.note and event.note not in entry.notes:
            entry.notes.append(event.note)

    for event in events:
        if system_id not in (event.system_id, event.related_system_id):
            continue
        mine = event.system_id == system_id
        if event.kind == EventKind.ACQUIRED_PART_OF:
            if mine:
                add(
                    predecessors,
                    event.kind,
                    event,
                    RECEIVED[event.kind],
                    event.related_system,
                    event.related_name_then,
                )
            else:
                # Part of this system went to the acquirer: a share of its split.
                add(
                    successors,
                    EventKind.SPLIT_INTO,
                    event,
                    GAVE[EventKind.SPLIT_INTO],
                    event.system,
                    event.system_name_then,
                )
        elif mine:
            add(
                successors,
                event.kind,
                event,
                GAVE[event.kind],
                event.related_system,
                event.related_name_then,
            )
        elif first_status_on is None or event.occurred_on <= first_status_on:
            prefix = "part of " if event.kind == EventKind.SPLIT_INTO else ""
            add(
                predecessors,
                FORMED,
                event,
                RECEIVED[FORMED],
                event.system,
                event.system_name_then,
                prefix,
            )
        else:
            add(
                predecessors,
                event.kind,
                event,
                RECEIVED[event.kind],
                event.system,
                event.system_name_then,
            )

    for entry in [*successors.values(), *predecessors.values()]:
        # Whole systems before parts, each by name.
        entry.systems.sort(key=lambda other: (other.prefix != "", other.name))
    for key, entry in list(successors.items()):
        if entry.kind == EventKind.SPLIT_INTO and len(entry.systems) == 1:
            # One system took part of it and it carried on: not a split between several.
            part = _sentence(PART_TAKEN, entry.day, entry.precision, GAVE[PART_TAKEN])
            part.systems, part.sources, part.notes = entry.systems, entry.sources, entry.notes
            successors[key] = part
    return {"predecessors": list(predecessors.values()), "successors": list(successors.values())}


def lineage_sentences(
    system: System, first_status_on: dt.date | None
) -> dict[str, list[LineageSentence]]:
    """The system page's predecessors and successors with dates, both ways (one query):
    "Split on 1 April 2026 between ...", "Formed on 1 April 2026 from ...", "Took part of
    ... on 1 April 2026"."""
    return shape_lineage(system.pk, lineage_events([system.pk]), first_status_on)


def successors_by_system(
    system_ids: Iterable[int], until: dt.date | None = None
) -> dict[int, list[LineageSentence]]:
    """What became of each of `system_ids` (up to `until`, if given): its successor
    sentences, for the systems that have any (one query)."""
    ids = set(system_ids)
    events = list(lineage_events(ids, until))
    shaped = {pk: shape_lineage(pk, events)["successors"] for pk in ids}
    return {pk: sentences for pk, sentences in shaped.items() if sentences}


@dataclass(frozen=True)
class EndedNotice:
    """Said on a page about a system that had ended by its date: when, and where its members
    went. `successors` is empty for a system that closed with none."""

    name: str
    ended: str  # "on 31 March 2026", "in June 2019"
    successors: list[LinkedSystem]


def ended_notice(system: System, day: dt.date) -> EndedNotice | None:
    """For a system that had ended by `day` (its `status_as_at`, from `with_status_as_at`),
    when it ended and its successors then (one query); None for one that had not."""
    if getattr(system, "status_as_at", None) not in ENDED_STATUSES:
        return None
    sentences = [
        s for s in successors_by_system([system.pk], day).get(system.pk, []) if s.ends_system
    ]
    if not sentences:
        ended = system.statuses.filter(effective_from__lte=day).order_by("-effective_from").first()
        start, precision = ended.effective_from, ended.precision
    else:
        start, precision = sentences[-1].day, sentences[-1].precision
    if precision == DatePrecision.DAY:
        ended_on = on_partial_date(start - dt.timedelta(days=1))
    else:
        ended_on = f"in {format_partial_date(start, precision)}"
    successors = [other for sentence in sentences[-1:] for other in sentence.systems]
    return EndedNotice(system.shown_name, ended_on, successors)


def latest_succession(until: dt.date) -> tuple[dt.date, str] | None:
    """The day (and its precision) of the latest merger, absorption or split up to `until`,
    or None before the first (one query)."""
    return (
        DesignationEvent.objects.filter(kind__in=SUCCEEDING_EVENT_KINDS, occurred_on__lte=until)
        .order_by("-occurred_on")
        .values_list("occurred_on", "precision")
        .first()
    )
