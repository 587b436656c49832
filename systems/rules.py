"""The rules about systems over time, as pure functions over plain values.

Each has a database twin where a page needs the answer for many systems in one query:
`status_on` is `SystemQuerySet.with_status_as_at`, `lineage` is
`DesignationQuerySet.carried_by`. tests/systems/test_rules_twins.py holds each twin equal to
its rule on random data.
"""

import datetime as dt
from collections.abc import Iterable

# What makes a system carry another's designations: the other was absorbed into it or merged
# into it. (EventKind's values, spelled here so the rules need no models.)
ABSORBING_EVENT_KINDS = ("absorbed_into", "merged_into")


def status_on(history: Iterable[tuple[dt.date, str]], day: dt.date) -> str | None:
    """The status in force on `day`: of (effective_from, status) pairs in any order, the one
    with the latest start on or before `day`; None before the first."""
    started = [
        (effective_from, status) for effective_from, status in history if effective_from <= day
    ]
    return max(started, key=lambda pair: pair[0])[1] if started else None


def lineage(
    system_id: int, events: Iterable[tuple[int, str, int | None, dt.date]], day: dt.date
) -> set[int]:
    """The systems whose designations `system_id` carries on `day`: itself, and each system
    absorbed into or merged into it by then (Nottinghamshire carries Greater Nottingham's
    Wave 1), so a merger does not erase when an area became an ICS. A split passes nothing:
    no successor of a split system carries its designation (part of an area designated is
    not the successor designated).

    events: (system_id, kind, related_system_id, occurred_on)."""
    carried = {system_id}
    for source_id, kind, related_id, occurred_on in events:
        if related_id == system_id and kind in ABSORBING_EVENT_KINDS and occurred_on <= day:
            carried.add(source_id)
    return carried


# What passes a system, or part of it, to a successor: recorded on the system that gave it...
SUCCEEDING_EVENT_KINDS = (*ABSORBING_EVENT_KINDS, "split_into")
# ...or on the system that took part of another.
ACQUIRING_EVENT_KINDS = ("acquired_part_of",)


def successors(
    system_ids: Iterable[int], events: Iterable[tuple[int, str, int | None]]
) -> set[int]:
    """`system_ids` and every system that succeeded any of them, through every step (a
    successor's successor too), whole or in part.

    events: (system_id, kind, related_system_id)."""
    following: dict[int, set[int]] = {}
    for source_id, kind, related_id in events:
        if kind in SUCCEEDING_EVENT_KINDS:
            following.setdefault(source_id, set()).add(related_id)
        elif kind in ACQUIRING_EVENT_KINDS:
            following.setdefault(related_id, set()).add(source_id)
    found, frontier = set(system_ids), list(system_ids)
    while frontier:
        for successor in following.get(frontier.pop(), ()):
            if successor not in found:
                found.add(successor)
                frontier.append(successor)
    return found
