"""Which area of England to draw for each system on a date, and where no boundary is known.

The project ships two sets of boundaries (systems/reference_data/boundaries/, written by
scripts/convert_boundaries.py from ONS): the 42 STPs of April 2021 and the 42 ICBs of July
2022, each area keyed by its ONS code. A date before 1 July 2022 is drawn with the STPs, a
later one with the ICBs. A system's area is its footprint's, found through the footprint's ONS
codes (any of them: a recoded footprint keeps its area). Other dates are derived along the
recorded events, never guessed:

- a footprint that later merged whole into one the boundaries know (the three northern
  footprints before August 2018, merged into Cumbria and North East) is drawn as that merged
  area, once for all of them, with a note that the lines between them are not known;
- a footprint formed by merging whole footprints the boundaries know (West and North London,
  April 2026) is drawn as their parts together, the old internal line still showing;
- a system that covered part of a footprint, or whose area changed (a boundary change, a split,
  taking part of another) between the boundaries' date and the page's, is not drawn: the map
  says so in words instead (Frimley's successors in 2026, Hampshire and the Isle of Wight once
  it took part of Frimley).

`map_layout` is that rule as a pure function over plain values; `load_map_layout` reads the
values for it (three queries whatever the number of systems).
"""

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from core.dates import on_partial_date

from .lineage import join_names

BOUNDARIES = Path(__file__).resolve().parent / "reference_data" / "boundaries"
BOUNDARY_FILES = ("stp21", "icb22")
STATIC_PREFIX = "boundaries"

# Events after which a system's area is no longer the one a boundary file drew.
AREA_CHANGING_EVENT_KINDS = ("boundary_change", "split_into", "acquired_part_of")
EVENT_PHRASES = {
    "boundary_change": "its boundary changed",
    "split_into": "it took in part of a system split",
    "acquired_part_of": "it took part of another system",
}


@dataclass(frozen=True)
class BoundarySet:
    """One shipped boundary file: the ONS codes of the areas it draws (the ids of its
    features, which the browser reads from the file itself, `static_path`), the day they
    describe and where they come from."""

    name: str
    title: str
    valid_on: dt.date
    source: str
    licence: str
    codes: frozenset[str]

    @property
    def citation(self) -> str:
        return f"{self.source}. {self.licence}."

    @property
    def static_path(self) -> str:
        """The file's path among the static files (settings.STATICFILES_DIRS serves this
        folder under `boundaries/`): a page's map loads its areas from there, fetched once
        and cached by the browser, rather than carrying them in every page."""
        return f"{STATIC_PREFIX}/{self.name}.geojson"


@cache
def boundary_sets() -> tuple[BoundarySet, ...]:
    """The shipped boundary files, earliest first (read once per process)."""
    sets = []
    for name in BOUNDARY_FILES:
        collection = json.loads((BOUNDARIES / f"{name}.geojson").read_text(encoding="utf-8"))
        sets.append(
            BoundarySet(
                name=name,
                title=collection["title"],
                valid_on=dt.date.fromisoformat(collection["valid_on"]),
                source=collection["source"],
                licence=collection["licence"],
                codes=frozenset(feature["id"] for feature in collection["features"]),
            )
        )
    return tuple(sorted(sets, key=lambda s: s.valid_on))


def boundary_set_for(day: dt.date, sets: Iterable[BoundarySet] | None = None) -> BoundarySet:
    """The boundaries to draw `day` with: the latest on or before it, else the earliest."""
    ordered = sorted(sets or boundary_sets(), key=lambda s: s.valid_on)
    started = [s for s in ordered if s.valid_on <= day]
    return started[-1] if started else ordered[0]


@dataclass(frozen=True)
class FootprintFacts:
    id: int
    slug: str
    name: str
    ons_codes: frozenset[str]
    merged_into: int | None = None


@dataclass(frozen=True)
class ShownSystem:
    """A system a page shows, with the footprint it covered on the page's date (None if none
    is recorded) and whether it covered all of it."""

    id: int
    name: str
    footprint: int | None
    whole: bool = True


@dataclass(frozen=True)
class AreaEvent:
    system: int
    kind: str
    related_system: int | None
    occurred_on: dt.date
    precision: str = "day"


@dataclass
class MapArea:
    """One area drawn: its id, the features of the boundary set that draw it (one, or the
    parts a merged footprint was formed from), and the systems shown in it (more than one
    where the boundaries between them are not known)."""

    id: str
    features: tuple[str, ...]
    systems: list[int] = field(default_factory=list)
    note: str = ""


@dataclass
class MapLayout:
    """What a map of `day` draws: the areas, the systems not drawn and why, and the notes."""

    day: dt.date
    boundaries: BoundarySet
    areas: list[MapArea]
    gaps: dict[int, str]

    def area_of(self, system: int) -> MapArea | None:
        return next((a for a in self.areas if system in a.systems), None)

    @property
    def notes(self) -> list[str]:
        return [a.note for a in self.areas if a.note]


def _own_code(footprint: FootprintFacts, boundaries: BoundarySet) -> str | None:
    return next((c for c in sorted(footprint.ons_codes) if c in boundaries.codes), None)


def area_change(
    system: int, events: Iterable[AreaEvent], boundaries: BoundarySet, day: dt.date
) -> AreaEvent | None:
    """The first event that changed `system`'s area between the boundaries' date and `day`
    (either way round): an event on the boundaries' own date is the one they show."""
    start, end = sorted((boundaries.valid_on, day))
    changes = [
        e
        for e in events
        if e.kind in AREA_CHANGING_EVENT_KINDS
        and system in (e.system, e.related_system)
        and start < e.occurred_on <= end
    ]
    return min(changes, key=lambda e: e.occurred_on, default=None)


def _merged_parts(
    footprint: FootprintFacts, footprints: dict[int, FootprintFacts], boundaries: BoundarySet
) -> list[str] | None:
    """The codes of the footprints that merged whole into `footprint`, if the boundaries know
    every one of them."""
    parts = [f for f in footprints.values() if f.merged_into == footprint.id]
    codes = [_own_code(f, boundaries) for f in parts]
    return sorted(codes) if parts and all(codes) else None


def map_layout(
    day: dt.date,
    systems: Iterable[ShownSystem],
    footprints: dict[int, FootprintFacts],
    events: Iterable[AreaEvent],
    boundaries: BoundarySet | None = None,
) -> MapLayout:
    """The areas to draw for `systems` on `day` and, for each system not drawn, why: every
    system shown is either in exactly one area or in `gaps`."""
    boundaries = boundaries or boundary_set_for(day)
    events = list(events)
    systems = list(systems)
    areas: dict[str, MapArea] = {}
    gaps: dict[int, str] = {}
    names: dict[str, list[str]] = {}
    later: dict[str, str] = {}  # area id -> the footprint a "drawn as merged" area became

    def place(area_id: str, features: tuple[str, ...], system: ShownSystem) -> None:
        area = areas.setdefault(area_id, MapArea(area_id, features))
        area.systems.append(system.id)
        names.setdefault(area_id, []).append(system.name)

    for system in systems:
        footprint = footprints.get(system.footprint) if system.footprint else None
        if footprint is None:
            gaps[system.id] = "no footprint is recorded for it on this date"
            continue
        if not system.whole:
            gaps[system.id] = (
                f"it covered part of {footprint.name}, and the boundary of that part is not held"
            )
            continue
        own = _own_code(footprint, boundaries)
        successor = footprints.get(footprint.merged_into) if footprint.merged_into else None
        successor_code = _own_code(successor, boundaries) if successor else None
        if own is None and successor_code:
            # Drawn as the area it later merged into: the change that merged it is what this
            # shows, so it is not also a reason to leave it out.
            place(f"{successor_code}-before", (successor_code,), system)
            later[f"{successor_code}-before"] = successor.name
            continue
        change = area_change(system.id, events, boundaries, day)
        if change is not None:
            gaps[system.id] = (
                f"{EVENT_PHRASES[change.kind]} "
                f"{on_partial_date(change.occurred_on, change.precision)}"
                f", and its boundary {'before' if day < boundaries.valid_on else 'since'} "
                "then is not held"
            )
            continue
        if own:
            place(own, (own,), system)
            continue
        parts = _merged_parts(footprint, footprints, boundaries)
        if parts:
            place(f"{footprint.slug}-merged", tuple(parts), system)
            areas[f"{footprint.slug}-merged"].note = (
                f"{system.name} is drawn as the areas it was formed from, together; the line "
                "between them still shows."
            )
            continue
        gaps[system.id] = f"no boundary of {footprint.name} is held for this date"

    for area_id, area in areas.items():
        shown = join_names(names[area_id])
        if area_id in later and len(area.systems) > 1:
            area.note = (
                f"{shown} are drawn as one area, {later[area_id]}, which they later formed: "
                "the boundaries between them are not held."
            )
        elif area_id in later:
            area.note = (
                f"{shown} is drawn as {later[area_id]}, the area it later became part of: "
                "its own boundary is not held."
            )
        elif len(area.systems) > 1:
            area.note = f"{shown} are drawn as one area: the boundaries between them are not held."
    return MapLayout(day, boundaries, list(areas.values()), gaps)


def load_map_layout(day: dt.date, systems: Iterable[tuple[int, str]]) -> MapLayout:
    """`map_layout` for the systems (id, name as shown) on `day`, read from the database in
    three queries whatever their number."""
    from django.db.models import FilteredRelation, Q

    from .models import CodeScheme, DesignationEvent, Footprint, SystemFootprint

    systems = list(systems)
    coverage = {
        system: (footprint, scope)
        for system, footprint, scope in SystemFootprint.objects.as_at(day)
        .filter(system_id__in=[s for s, _ in systems])
        .values_list("system_id", "footprint_id", "scope")
    }
    facts: dict[int, tuple] = {}
    codes: dict[int, set[str]] = {}
    ons = FilteredRelation("codes", condition=Q(codes__scheme=CodeScheme.ONS))
    for pk, slug, name, merged_into, code in (
        Footprint.objects.annotate(ons=ons)
        .order_by()
        .values_list("pk", "slug", "name", "merged_into", "ons__code")
    ):
        facts[pk] = (slug, name, merged_into)
        codes.setdefault(pk, set()).update([code] if code else [])
    footprints = {
        pk: FootprintFacts(pk, slug, name, frozenset(codes[pk]), merged_into)
        for pk, (slug, name, merged_into) in facts.items()
    }
    events = [
        AreaEvent(*row)
        for row in DesignationEvent.objects.filter(kind__in=AREA_CHANGING_EVENT_KINDS).values_list(
            "system_id", "kind", "related_system_id", "occurred_on", "precision"
        )
    ]
    shown = [
        ShownSystem(
            pk,
            name,
            coverage.get(pk, (None, None))[0],
            coverage.get(pk, (None, "whole"))[1] == "whole",
        )
        for pk, name in systems
    ]
    return map_layout(day, shown, footprints, events)
