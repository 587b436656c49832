"""The performance rules, once, as pure functions.

A figure for a system or for the nation over a period is the sum of its providers' numerators
over the sum of their denominators, never an average of percentages: a large trust's patients
weigh as much as a small trust's. A provider counts towards the system it was a member of on the
first day of each month, weighted by its share when it is split between systems; the nation
counts every provider once, whole.

A system is above the national average when its value beats the national value in the
standard's direction (higher is better for all three constitutional standards); equal is not
above. A target is met when the value reaches it in the same direction.

A league lists systems best first: by how well each did in the standard's direction
(`standing`), systems without a figure last, then by name. The league page's chart and table
and the board paper all order by `best_first` (the table through `standing`).

`performance.queries` is the database twin of `figures_by_system` and `national_figures_of`
here; a property test holds them equal.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from core.dates import covers
from core.wording import Noun, count_phrase, number_word

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def value(numerator, denominator) -> Decimal | None:
    """numerator / denominator as a fraction, or None when nothing was counted."""
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def gap_points(system_value: Decimal | None, national_value: Decimal | None) -> Decimal | None:
    """The system's value less the national value, in percentage points."""
    if system_value is None or national_value is None:
        return None
    return (system_value - national_value) * HUNDRED


def above_national(
    system_value: Decimal | None, national_value: Decimal | None, *, higher_is_better: bool
) -> bool | None:
    """Whether the system did better than the nation; None when either has no figure."""
    if system_value is None or national_value is None:
        return None
    if higher_is_better:
        return system_value > national_value
    return system_value < national_value


def target_met(
    figure_value: Decimal | None, target: Decimal, *, higher_is_better: bool
) -> bool | None:
    """Whether the value reached the target; None when there is no figure."""
    if figure_value is None:
        return None
    return figure_value >= target if higher_is_better else figure_value <= target


# -- best first ------------------------------------------------------------------------------


def standing(figure_value: Decimal | None, *, higher_is_better: bool) -> tuple[int, Decimal]:
    """How well a value did, as a sort key that grows with it in the standard's direction:
    any figure stands above none."""
    if figure_value is None:
        return (0, ZERO)
    return (1, figure_value if higher_is_better else -figure_value)


class Ranked(Protocol):
    @property
    def standing(self) -> tuple[int, Decimal]: ...

    @property
    def name(self) -> str: ...


def best_first[Row: Ranked](rows: Iterable[Row]) -> list[Row]:
    """Rows best first (highest `standing`), those without a figure last, ties by name."""
    return sorted(rows, key=lambda row: (-row.standing[0], -row.standing[1], row.name))


def ranks(standings: list[tuple[int, Decimal]]) -> list[int | None]:
    """Each standing's rank, 1 the best in the standard's direction: systems that did equally
    well share a rank and the next rank skips (1, 2, 2, 4); without a figure, no rank."""
    ordered = sorted((standing for standing in standings if standing[0]), reverse=True)
    first_place = {}
    for place, standing in enumerate(ordered, start=1):
        first_place.setdefault(standing, place)
    return [first_place[standing] if standing[0] else None for standing in standings]


# -- aggregation in plain Python: the twin of performance.queries ---------------------------


@dataclass(frozen=True)
class Figures:
    """A share-weighted sum of numerators and denominators, and what went into it."""

    numerator: Decimal
    denominator: Decimal
    providers: int = 0  # distinct providers counted
    illustrative: bool = False  # any made-up observation counted
    observations: int = 0  # provider-months counted
    illustrative_observations: int = 0  # of them, made up

    @property
    def real(self) -> bool:
        """Whether any real (not made-up) observation was counted: a figure can be both real
        and illustrative when it mixes them."""
        return self.observations > self.illustrative_observations

    @property
    def value(self) -> Decimal | None:
        return value(self.numerator, self.denominator)

    @property
    def provenance(self) -> str:
        """'real' when every observation counted is real, 'illustrative' when every one is
        made up, 'mixed' otherwise; 'none' with nothing counted."""
        if not self.observations:
            return "illustrative" if self.illustrative else "none"
        if not self.illustrative_observations:
            return "real"
        if self.illustrative_observations == self.observations:
            return "illustrative"
        return "mixed"


NO_FIGURES = Figures(ZERO, ZERO)


@dataclass(frozen=True)
class ProviderMonth:
    provider: object
    month: dt.date
    numerator: int
    denominator: int
    illustrative: bool = False


@dataclass(frozen=True)
class MemberPeriod:
    provider: object
    system: object
    share: Decimal
    valid_from: dt.date
    valid_until: dt.date | None  # last day of membership; None means it still holds

    def holds_on(self, day: dt.date) -> bool:
        return covers(self.valid_from, self.valid_until, day)


def _summed(weighted: Iterable[tuple[Decimal, ProviderMonth]]) -> Figures:
    numerator, denominator, providers, illustrative = ZERO, ZERO, set(), False
    counted = made_up = 0
    for share, observation in weighted:
        numerator += share * observation.numerator
        denominator += share * observation.denominator
        providers.add(observation.provider)
        illustrative = illustrative or observation.illustrative
        counted += 1
        made_up += observation.illustrative
    return Figures(numerator, denominator, len(providers), illustrative, counted, made_up)


def figures_by_system(
    observations: Iterable[ProviderMonth], memberships: Iterable[MemberPeriod]
) -> dict[object, Figures]:
    """Each system's figures over the given observations: every observation counts towards
    each system its provider was a member of on the first of its month, times the share."""
    by_provider = defaultdict(list)
    for membership in memberships:
        by_provider[membership.provider].append(membership)
    counted = defaultdict(list)
    for observation in observations:
        for membership in by_provider[observation.provider]:
            if membership.holds_on(observation.month):
                counted[membership.system].append((membership.share, observation))
    return {system: _summed(weighted) for system, weighted in counted.items()}


def national_figures_of(observations: Iterable[ProviderMonth]) -> Figures:
    """Every provider's observations, each counted once and whole."""
    return _summed((Decimal(1), observation) for observation in observations)


# -- words ------------------------------------------------------------------------------------


def above_sentence(
    *,
    period_label: str,
    group_label: str,
    standard_label: str,
    above: list[str],
    counted: int,
    without_figures: int = 0,
) -> str:
    """'For 2017/18, all but one of the ten Wave 1 systems were above the national average
    for cancer 62-day: A, B, ...' with the names of those above.

    counted: systems in the group with a figure for the period; without_figures: the rest of
    the group, said separately so a count never hides them.
    """
    count = len(above)
    missing = ""
    if without_figures:
        other = "system" if without_figures == 1 else "systems"
        missing = (
            f" {number_word(without_figures).capitalize()} other {group_label} {other} had "
            "no figures."
        )
    if counted == 0:
        return f"For {period_label}, no {group_label} system had figures for {standard_label}."
    with_figures = " with figures" if missing else ""
    noun = Noun(f"{group_label} system{with_figures}", f"{group_label} systems{with_figures}")
    if count == 0 and counted == 1:  # "the one ... was not above" reads better than "no ..."
        subject = f"the one {noun.singular} was not"
    else:
        subject = f"{count_phrase(count, counted, noun)} {'was' if count <= 1 else 'were'}"
    names = f": {', '.join(above)}" if above else ""
    return (
        f"For {period_label}, {subject} above the national average for {standard_label}"
        f"{names}.{missing}"
    )


# -- per head ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PerHeadCount:
    """What a standard's denominator counts, when it can be put per head of population."""

    column: str  # "A&E attendances", as a column heading says it
    choice: str  # "attendances", as the page's choice says it


# Standards whose denominator counts events over the period (every A&E attendance), so that
# it can be put per head of population; a waiting list counted at each month end (RTT
# incomplete pathways) adds up to no count of people over a period, so it is not offered.
PER_HEAD_COUNTS = {
    "ae-4-hour": PerHeadCount("A&E attendances", "attendances"),
    "ae-4-hour-type-1": PerHeadCount("Type 1 A&E attendances", "type 1 attendances"),
}
PER_THOUSAND = Decimal(1000)


def per_thousand(count: Decimal, population: int | None) -> Decimal | None:
    """`count` per 1,000 people of `population`; None when the population is not known."""
    if not population:
        return None
    return Decimal(count) / Decimal(population) * PER_THOUSAND
