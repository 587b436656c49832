"""Counting words as board papers write them ("all but one of the ten first wave ICSs").

Shared by every app that writes sentences about counts of systems (finance, performance,
reports), so the words are chosen once.
"""

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


def number_word(n: int) -> str:
    """`six` for 6, `42` for 42: words up to twelve, figures after."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def counting_phrase(count: int, total: int) -> str:
    """'all', 'all but one', 'none' or 'six of the ten': board-paper counting words."""
    if total == 0 or count == 0:
        return "none"
    if count == total:
        return "all" if total > 2 else ("both" if total == 2 else "the one")
    if count == total - 1 and total > 2:
        return "all but one"
    return f"{number_word(count)} of the {number_word(total)}"
