"""The performance rules, once, as pure functions.

A figure for a system or for the nation over a period is the sum of its providers' numerators
over the sum of their denominators, never an average of percentages: a large trust's patients
weigh as much as a small trust's. A provider counts towards the system it was a member of on the
first day of each month, weighted by its share when it is split between systems; the nation
counts every provider once, whole.

A system is above the national average when its value beats the national value in the
standard's direction (higher is better for all three constitutional standards); equal is not
above. A target is met when the value reaches it in the same direction.

`performance.queries` is the database twin of `system_figures` and `national_figure` here; a
property test holds them equal.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from systems.wording import counting_phrase, number_word

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


# -- aggregation in plain Python: the twin of performance.queries ---------------------------


@dataclass(frozen=True)
class Figure:
    """Summed (share-weighted) numerator and denominator."""

    numerator: Decimal
    denominator: Decimal

    @property
    def value(self) -> Decimal | None:
        return value(self.numerator, self.denominator)

    def __add__(self, other: "Figure") -> "Figure":
        return Figure(self.numerator + other.numerator, self.denominator + other.denominator)


NO_FIGURE = Figure(ZERO, ZERO)


@dataclass(frozen=True)
class ProviderMonth:
    provider: object
    month: dt.date
    numerator: int
    denominator: int


@dataclass(frozen=True)
class MemberPeriod:
    provider: object
    system: object
    share: Decimal
    valid_from: dt.date
    valid_until: dt.date | None  # last day of membership; None means it still holds

    def holds_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


def system_figures(
    observations: Iterable[ProviderMonth], memberships: Iterable[MemberPeriod]
) -> dict[object, Figure]:
    """Each system's figure over the given observations: every observation counts towards
    each system its provider was a member of on the first of its month, times the share."""
    by_provider = defaultdict(list)
    for membership in memberships:
        by_provider[membership.provider].append(membership)
    totals: dict[object, Figure] = defaultdict(lambda: NO_FIGURE)
    for observation in observations:
        for membership in by_provider[observation.provider]:
            if membership.holds_on(observation.month):
                totals[membership.system] += Figure(
                    membership.share * observation.numerator,
                    membership.share * observation.denominator,
                )
    return dict(totals)


def national_figure(observations: Iterable[ProviderMonth]) -> Figure:
    """Every provider's observations, each counted once and whole."""
    total = NO_FIGURE
    for observation in observations:
        total += Figure(Decimal(observation.numerator), Decimal(observation.denominator))
    return total


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
    noun = ("system" if counted == 1 else "systems") + (" with figures" if missing else "")
    phrase = counting_phrase(count, counted)
    if phrase == "none":
        subject = (
            f"none of the {number_word(counted)} {group_label} {noun} was"
            if counted > 1
            else f"the one {group_label} {noun} was not"
        )
    elif phrase == "all":
        subject = f"all {number_word(counted)} {group_label} {noun} were"
    elif phrase == "both":
        subject = f"both {group_label} {noun} were"
    elif phrase == "the one":
        subject = f"the one {group_label} {noun} was"
    elif phrase == "all but one":
        subject = f"all but one of the {number_word(counted)} {group_label} {noun} were"
    else:
        subject = f"{phrase} {group_label} {noun} {'was' if count == 1 else 'were'}"
    names = f": {', '.join(above)}" if above else ""
    return (
        f"For {period_label}, {subject} above the national average for {standard_label}"
        f"{names}.{missing}"
    )
