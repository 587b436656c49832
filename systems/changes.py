"""What changed between two dates: the rows of the changes page, its organisation moves and
its one-sentence summary.

A change "between A and B" is one dated after A and on or before B, so the picture on A plus
the changes gives the picture on B. A fact known only to the month or year is placed by its
first day and said no more precisely than it is known.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django import forms
from django.utils.text import capfirst

from core.dates import format_partial_date
from core.wording import Noun, number_word

from .lineage import join_names
from .models import (
    Code,
    Designation,
    DesignationEvent,
    EventKind,
    Membership,
    Organisation,
    System,
    SystemName,
    SystemStatus,
    SystemStatusKind,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChangeWindowForm(forms.Form):
    """Dates A and B, from `?from=YYYY-MM-DD&to=YYYY-MM-DD`; A must be before B."""

    # "from" is a Python keyword, so the field is declared through the class namespace.
    locals()["from"] = forms.DateField(label="From (date A)", widget=DATE_WIDGET)
    to = forms.DateField(label="To (date B)", widget=DATE_WIDGET)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start >= end:
            raise forms.ValidationError(
                f"The first date ({start:%-d %B %Y}) must be before the second "
                f"({end:%-d %B %Y}): choose an earlier 'from' date or a later 'to' date."
            )
        return cleaned


def change_window(query, as_at: dt.date) -> ChangeWindowForm:
    """The bound form for the page's query string. A date left out defaults to the page's
    as-at date (B) and the same day a year before it (A)."""
    defaults = {"from": _year_before(as_at).isoformat(), "to": as_at.isoformat()}
    given = {name: query[name] for name in defaults if query.get(name)}
    return ChangeWindowForm({**defaults, **given})


def _year_before(day: dt.date) -> dt.date:
    # 29 February has no twin a year before: the day before it stands in.
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Change:
    """One row of the changes table."""

    date: dt.date
    precision: str
    kind: str
    system: System
    what: str
    source: str
    unverified: bool
    # Orders changes on one day: designations, then events, statuses, names and codes.
    order: int
    # The event kind or status behind the row, for the summary.
    detail: str = ""

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.precision)


def change_rows(start: dt.date, end: dt.date) -> list[Change]:
    """Every recorded change to a system dated after `start` and on or before `end`, in date
    order: designations, designation events, status changes, new dated names and new codes.
    Five queries."""
    designations = Designation.objects.between(start, end).select_related("wave", "system")
    events = DesignationEvent.objects.between(start, end).select_related("system", "related_system")
    statuses = SystemStatus.objects.between(start, end).select_related("system")
    names = SystemName.objects.between(start, end).select_related("system")
    codes = Code.objects.between(start, end).filter(system__isnull=False).select_related("system")
    rows = [
        *(
            _row(d, d.designated_on, "Designated", f"Designated in {d.wave.name}", 0, d.wave.name)
            for d in designations
        ),
        *(_row(e, e.occurred_on, e.get_kind_display(), e.describe(), 1, e.kind) for e in events),
        *(
            _row(s, s.effective_from, "Status", f"Status: {s.get_status_display()}", 2, s.status)
            for s in statuses
        ),
        *(_row(n, n.valid_from, "Name", f"Named {n.name} ({n.short_name})", 3) for n in names),
        *(
            _row(c, c.valid_from, "Code", f"{c.get_scheme_display()} code {c.code}", 4)
            for c in codes
        ),
    ]
    return sorted(rows, key=lambda row: (row.date, row.order, row.system.name))


def _row(fact, day, kind, what, order, detail="") -> Change:
    return Change(
        date=day,
        precision=fact.precision,
        kind=kind,
        system=fact.system,
        what=what,
        source=fact.source,
        unverified=fact.unverified,
        order=order,
        detail=detail,
    )


@dataclass(frozen=True)
class Move:
    """An organisation whose system on date A differs from its system on date B."""

    organisation: Organisation
    systems_before: list[System]
    systems_after: list[System]


def organisation_moves(start: dt.date, end: dt.date) -> list[Move]:
    """The organisations that were members of systems on both dates and whose systems differ,
    by name. Organisations that opened or closed between the dates are not moves. Four
    queries, however many organisations moved."""
    before = Membership.objects.systems_by_organisation(start)
    after = Membership.objects.systems_by_organisation(end)
    moved = {
        org: (before[org], after[org])
        for org in before.keys() & after.keys()
        if before[org] != after[org]
    }
    if not moved:
        return []
    system_ids = set().union(*(b | a for b, a in moved.values()))
    systems = System.objects.with_names_as_at(end).in_bulk(system_ids)
    organisations = Organisation.objects.filter(pk__in=moved).order_by("name", "ods_code")
    return [
        Move(
            organisation=organisation,
            systems_before=sorted((systems[i] for i in moved[organisation.pk][0]), key=str),
            systems_after=sorted((systems[i] for i in moved[organisation.pk][1]), key=str),
        )
        for organisation in organisations
    ]


# What the summary says of each event kind, counted by system: "four were absorbed".
EVENT_VERBS = {
    EventKind.MERGED_INTO: Noun("merged into another system", "merged into other systems"),
    EventKind.ABSORBED_INTO: Noun("was absorbed", "were absorbed"),
    EventKind.SPLIT_INTO: Noun("was split", "were split"),
    EventKind.ACQUIRED_PART_OF: Noun("took part of another system", "took part of other systems"),
    EventKind.RENAMED: Noun("was renamed", "were renamed"),
    EventKind.BOUNDARY_CHANGE: Noun("changed boundary", "changed boundaries"),
    EventKind.RECODED: Noun("was recoded", "were recoded"),
}
# The statuses a system takes on by becoming something new (ending is told by the events).
STATUS_VERBS = {
    SystemStatusKind.SHADOW_ACS: Noun("became a shadow ACS", "became shadow ACSs"),
    SystemStatusKind.ICS: Noun("became an ICS", "became ICSs"),
    SystemStatusKind.ICB: Noun("became a statutory ICB", "became statutory ICBs"),
    SystemStatusKind.CLOSED: Noun("closed", "closed"),
}


def change_summary(start: dt.date, end: dt.date, rows: list[Change], moves: list[Move]) -> str:
    """A few short sentences: "Between 1 October 2018 and 1 April 2021, 28 systems were
    designated (in the June 2019, 2020, December 2020 and April 2021 waves) and 32 became
    ICSs. Systems changed shape: four were absorbed and one was renamed. 78 organisations
    moved system." Designations and statuses first, then changes of shape, new names and
    codes, and moves, each a sentence when there is any. Each kind of change counts systems,
    not rows (a split names each successor)."""
    window = f"Between {format_partial_date(start)} and {format_partial_date(end)}"
    becoming = []
    designated = [row for row in rows if row.order == 0]
    if designated:
        count = len({row.system.pk for row in designated})
        waves = list(dict.fromkeys(row.detail for row in designated))
        wave_words = Noun("wave", "waves").of(len(waves))
        becoming.append(
            f"{number_word(count)} {Noun('system was', 'systems were').of(count)} designated "
            f"(in the {join_names(waves)} {wave_words})"
        )
    becoming += _counted(rows, 2, STATUS_VERBS)
    sentences = [join_names(becoming)] if becoming else []
    if shape := _counted(rows, 1, EVENT_VERBS):
        sentences.append(f"systems changed shape: {join_names(shape)}")
    naming = []
    for order, noun in ((3, Noun("new name", "new names")), (4, Noun("new code", "new codes"))):
        count = sum(1 for row in rows if row.order == order)
        if count:
            naming.append(f"{number_word(count)} {noun.of(count)}")
    if naming:
        sentences.append(f"{join_names(naming)} came into use")
    if moves:
        organisations = Noun("organisation moved", "organisations moved").of(len(moves))
        sentences.append(f"{number_word(len(moves))} {organisations} system")
    if not sentences:
        return f"{window}, no change to any system is recorded."
    first, *rest = sentences
    return " ".join([f"{window}, {first}.", *(f"{capfirst(sentence)}." for sentence in rest)])


def _counted(rows: list[Change], order: int, verbs: dict[str, Noun]) -> list[str]:
    systems_by_detail = Counter(
        detail for detail, _ in {(row.detail, row.system.pk) for row in rows if row.order == order}
    )
    return [
        f"{number_word(systems_by_detail[detail])} {verb.of(systems_by_detail[detail])}"
        for detail, verb in verbs.items()
        if systems_by_detail[detail]
    ]
