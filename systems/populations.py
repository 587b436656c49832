"""How many people a system serves, as far as it is known: the one rule the system page, the
league table's per-head figures and their exports all follow.

The estimates (`Population`) are for whole footprints: ONS's mid-2019 estimates for the 42
footprints of April 2020, each on the system that covered the whole footprint then. Any other
system's population is known only where it follows from those without guessing:

- a system with its own estimate has it (the latest, where there are several);
- a system formed wholly from others (each merged or absorbed into it, none split) has the
  sum of their estimates, when each has one and all are for the same day: West and North
  London, from North Central and North West London in 2026;
- a system that took part of another (a split, an acquisition) is not known, since how the
  other's population divided is not in the data; nor is one that covered part of a footprint
  (Berkshire West, 2017-19), nor one that had ended before the estimates' footprints were
  drawn (the three northern footprints merged in 2018).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from core.caching import cached_fragment
from core.dates import on_partial_date

from .models import CoverageScope, DesignationEvent, EventKind, Population, SystemFootprint
from .rules import ABSORBING_EVENT_KINDS
from .wording import GAVE

# Events that end a system, passing it whole or in part to another.
_ENDING_KINDS = (*ABSORBING_EVENT_KINDS, EventKind.SPLIT_INTO)
# Events after which a system's area is no longer the footprint its estimate is for.
_AREA_CHANGING_KINDS = (EventKind.BOUNDARY_CHANGE, EventKind.ACQUIRED_PART_OF)
SUM_OF_PREDECESSORS = "sum of predecessors' {label} estimates"


@dataclass(frozen=True)
class PopulationFigure:
    """What is known of one system's population: the figures and how they were arrived at,
    or (`all_ages` None) why they are not known."""

    all_ages: int | None
    aged_65_and_over: int | None
    label: str  # the estimates' date as said: "mid-2019"
    basis: str  # "ONS estimate for E54000050", "sum of predecessors' mid-2019 estimates (...)"
    sources: tuple[str, ...] = ()
    reason: str = ""  # why not known
    caveats: tuple[str, ...] = field(default_factory=tuple)  # later changes to its area
    unverified: bool = False

    @property
    def known(self) -> bool:
        return self.all_ages is not None

    @property
    def share_65_and_over(self) -> Decimal | None:
        if not self.all_ages:
            return None
        return Decimal(self.aged_65_and_over) / Decimal(self.all_ages)

    @property
    def source(self) -> str:
        return "; ".join(self.sources)

    @property
    def summary(self) -> str:
        """'1,234,567, of whom 234,567 (19.0%) aged 65 and over', or why it is not known."""
        if not self.known:
            return f"Not known: {self.reason}"
        share = f"{self.share_65_and_over * 100:.1f}%"
        return f"{self.all_ages:,}, of whom {self.aged_65_and_over:,} ({share}) aged 65 and over"


@dataclass(frozen=True)
class Populations:
    """Every system's population as far as it is known (`of`), and the date of the estimates
    it rests on, as said ("mid-2019"; empty when there are none)."""

    figures: dict[int, PopulationFigure]
    label: str
    sources: tuple[str, ...]

    def of(self, system_id: int) -> PopulationFigure:
        return self.figures.get(system_id) or PopulationFigure(
            None, None, self.label, "", reason=_NONE_RECORDED
        )


_NONE_RECORDED = "no population estimate is recorded for it"


def _names(systems: Iterable) -> str:
    names = sorted(system.name for system in systems)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def population_figure(
    system_id: int,
    own: dict[int, Population],
    events: list[DesignationEvent],
    part_footprints: dict[int, str],
) -> PopulationFigure:
    """Pure: what is known of the population of `system_id`, from every system's latest
    estimate (`own`), the succession and boundary events, and the footprints each system
    covered only part of (by system id, the footprint's name). See the module's rule."""
    estimate = own.get(system_id)
    if estimate is not None:
        caveats = tuple(
            f"{event.describe(from_point_of_view_of=_system(event, system_id))} "
            f"{on_partial_date(event.occurred_on, event.precision)}"
            for event in events
            if event.kind in _AREA_CHANGING_KINDS
            and system_id in (event.system_id, event.related_system_id)
            and event.occurred_on > estimate.estimated_on
        )
        return PopulationFigure(
            estimate.all_ages,
            estimate.aged_65_and_over,
            estimate.estimated_display,
            f"estimate for its footprint ({estimate.ons_code})"
            if estimate.ons_code
            else "estimate for its area",
            (estimate.source,),
            caveats=caveats,
            unverified=estimate.unverified,
        )
    label = max((e.estimated_on, e.estimated_display) for e in own.values())[1] if own else ""
    whole = [
        e for e in events if e.related_system_id == system_id and e.kind in ABSORBING_EVENT_KINDS
    ]
    parts = [
        e
        for e in events
        if (e.related_system_id == system_id and e.kind == EventKind.SPLIT_INTO)
        or (e.system_id == system_id and e.kind == EventKind.ACQUIRED_PART_OF)
    ]
    if parts:
        givers = [e.system if e.kind == EventKind.SPLIT_INTO else e.related_system for e in parts]
        taken = " and ".join(f"part of {name}" for name in sorted({g.name for g in givers}))
        return PopulationFigure(
            None,
            None,
            label,
            "",
            reason=f"it took in {taken}, and the estimates, which are for whole footprints, do "
            "not say how many people such a part served",
        )
    if whole:
        estimates = [own.get(e.system_id) for e in whole]
        missing = [e.system for e, found in zip(whole, estimates, strict=True) if found is None]
        if missing:
            return PopulationFigure(
                None,
                None,
                label,
                "",
                reason=f"no estimate is recorded for {_names(missing)}, from which it was formed",
            )
        if len({e.estimated_on for e in estimates}) > 1:
            return PopulationFigure(
                None,
                None,
                label,
                "",
                reason="the systems it was formed from have estimates for different dates",
            )
        said = estimates[0].estimated_display
        return PopulationFigure(
            sum(e.all_ages for e in estimates),
            sum(e.aged_65_and_over for e in estimates),
            said,
            f"{SUM_OF_PREDECESSORS.format(label=said)} ({_names(e.system for e in whole)})",
            tuple(dict.fromkeys(e.source for e in estimates)),
            unverified=any(e.unverified for e in estimates) or any(e.unverified for e in whole),
        )
    if system_id in part_footprints:
        return PopulationFigure(
            None,
            None,
            label,
            "",
            reason=f"it covered part of the {part_footprints[system_id]} footprint, and the "
            "estimates are for whole footprints",
        )
    latest = max((e.estimated_on for e in own.values()), default=None)
    ended = [
        e
        for e in events
        if e.system_id == system_id
        and e.kind in _ENDING_KINDS
        and latest is not None
        and e.occurred_on <= latest
    ]
    if ended:
        return PopulationFigure(
            None,
            None,
            label,
            "",
            reason=f"it {_ending(ended)}, before {label}: the estimates are for the footprints "
            "of its successors",
        )
    return PopulationFigure(None, None, label, "", reason=_NONE_RECORDED)


def _ending(events: list[DesignationEvent]) -> str:
    """How a system ended, in the lineage's words: "merged into X in August 2018"."""
    first = min(events, key=lambda e: e.occurred_on)
    same = [e for e in events if (e.occurred_on, e.kind) == (first.occurred_on, first.kind)]
    wording = GAVE[first.kind]
    on = on_partial_date(first.occurred_on, first.precision)
    others = _names(e.related_system for e in same)
    if wording.dated_lead:
        return f"{wording.after_name.format(on=on)} {others}"
    return f"{wording.after_name} {others} {on}"


def _system(event: DesignationEvent, system_id: int):
    return event.system if event.system_id == system_id else event.related_system


def read_populations() -> Populations:
    """Every system's population as far as it is known (`population_figure`), cached until
    the data change: three small queries of reference data, none when warm."""

    def build():
        own = Population.objects.select_related("system").latest_by_system()
        events = list(
            DesignationEvent.objects.filter(
                kind__in={*_ENDING_KINDS, *_AREA_CHANGING_KINDS}
            ).select_related("system", "related_system")
        )
        part_footprints = dict(
            SystemFootprint.objects.filter(scope=CoverageScope.PART)
            .order_by("valid_from")
            .values_list("system_id", "footprint__name")
        )
        ids = {*own, *(e.system_id for e in events), *(e.related_system_id for e in events)}
        ids |= set(part_footprints)
        figures = {pk: population_figure(pk, own, events, part_footprints) for pk in ids}
        latest = max(own.values(), key=lambda e: e.estimated_on, default=None)
        return Populations(
            figures,
            latest.estimated_display if latest else "",
            tuple(dict.fromkeys(e.source for e in own.values())),
        )

    return cached_fragment(("populations",), build)
