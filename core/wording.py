"""Counting words as board papers write them ("all but one of the ten first wave ICSs").

Shared by every app that writes sentences about counts of systems (finance, performance,
reports), so the words are chosen once. `counting_phrase` decides them ("all", "all but one",
"six of the ten", "none"); `count_phrase` puts a noun in the right place around them ("all
ten Wave 1 ICSs", "none of the ten ..."), and `short_counting_phrase` is what is left once
the group has been named ("all ten", "eight"). Both are written from `counting_phrase`, so
the three cannot disagree on which words a count gets.
"""

from dataclasses import dataclass

NUMBER_WORDS = [
    "none",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


@dataclass(frozen=True)
class Noun:
    """What is being counted, in both numbers: Noun("Wave 1 ICS", "Wave 1 ICSs")."""

    singular: str
    plural: str

    def of(self, count: int) -> str:
        return self.singular if count == 1 else self.plural


def number_word(n: int) -> str:
    """`six` for 6, `42` for 42, `2,109` for 2109: words up to twelve, figures after."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


def counting_phrase(count: int, total: int) -> str:
    """'all', 'all but one', 'none' or 'six of the ten': board-paper counting words."""
    if total == 0 or count == 0:
        return "none"
    if count == total:
        return "all" if total > 2 else ("both" if total == 2 else "the one")
    if count == total - 1 and total > 2:
        return "all but one"
    return f"{number_word(count)} of the {number_word(total)}"


def count_phrase(count: int, total: int, noun: Noun) -> str:
    """The counting words with their noun: 'all ten Wave 1 ICSs', 'all but one of the ten
    Wave 1 ICSs', 'six of the ten Wave 1 ICSs', 'none of the ten Wave 1 ICSs', 'both
    systems', 'the one system', 'no system' (of one). Lower case: a sentence capitalises it.
    Refuses a count outside 0 to total."""
    if total < 0 or not 0 <= count <= total:
        raise ValueError(f"cannot count {count} of {total}")
    if total == 0:
        return f"no {noun.plural}"
    words = counting_phrase(count, total)
    of_the_total = f"of the {number_word(total)} {noun.plural}"
    if words == "none":
        return f"no {noun.singular}" if total == 1 else f"none {of_the_total}"
    if words == "all":
        return f"all {number_word(total)} {noun.plural}"
    if words == "both":
        return f"both {noun.plural}"
    if words == "the one":
        return f"the one {noun.singular}"
    if words == "all but one":
        return f"all but one {of_the_total}"
    return f"{words} {noun.plural}"


def short_counting_phrase(count: int, total: int) -> str:
    """The counting words alone, once the group has been named: 'all ten', 'all but one',
    'eight', 'none', 'both', 'the one'."""
    words = counting_phrase(count, total)
    if words == "all":
        return f"all {number_word(total)}"
    if words in ("none", "both", "the one", "all but one"):
        return words
    return number_word(count)
