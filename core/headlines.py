"""The words and cards every table page's headline shares: how many systems are shown, what
to say when none has figures, and the summary cards above the table.

A page's headline counts the systems its filters leave; when a filter other than "systems
shown" narrows the table, the headline says so ("4 of 9 systems shown met ..."), so a reader
never takes a filtered count for the national one.
"""

from collections.abc import Callable


def systems_shown(count: int, narrowed: bool) -> str:
    """`system` or `systems` for `count`, with ` shown` when filters narrow the table."""
    noun = "system" if count == 1 else "systems"
    return f"{noun} shown" if narrowed else noun


def no_system_has_figures(narrowed: bool) -> str:
    """`No system has figures`, or `No system matching these filters has figures`."""
    which = " matching these filters" if narrowed else ""
    return f"No system{which} has figures"


def systems_headline(
    count: int, narrowed: bool, *, none: Callable[[str], str], some: Callable[[str], str]
) -> str:
    """A table page's headline about `count` systems: `none(nothing)` when there are none,
    where `nothing` is `No system has figures` (or `... matching these filters ...`), and
    `some(shown)` otherwise, where `shown` is `systems` (or `systems shown`)."""
    if not count:
        return none(no_system_has_figures(narrowed))
    return some(systems_shown(count, narrowed))


def card(label: str, value: str, hint: str = "") -> dict:
    """One summary card (`_components/summary_cards.html`); an empty hint is not shown."""
    return {"label": label, "value": value, "hint": hint}


def count_card(label: str, count: int, total: int) -> dict:
    """A card counting systems: `6 of 10`."""
    return card(label, f"{count} of {total}")
