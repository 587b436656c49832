"""Organisation names as people write them.

ODS publishes many names in capitals ("THE DENSHAM SURGERY"). Pages, exports and board papers
show them in title case ("The Densham Surgery"), keeping acronyms (NHS, PCN, CCG, GP, ICB) and
short joining words ("of", "and", "upon") as people write them. The stored name is left as ODS
gave it, so a re-import compares like with like, a search by the published name still finds
it, and the data package (which mirrors the sources) keeps the original; only what is shown
changes. A name that already has a lower-case letter was written by a person and is shown as
it is.
"""

import re
from functools import lru_cache

# Kept in capitals wherever they appear as a word: acronyms in NHS organisation names.
ACRONYMS = frozenset(
    {
        "NHS",
        "NHSE",
        "NHSI",
        "PCN",
        "PCNS",
        "CCG",
        "CCGS",
        "GP",
        "GPS",
        "ICB",
        "ICS",
        "STP",
        "UK",
        "CIC",
        "LLP",
        "PLC",
        "HQ",
        "UTC",
        "WIC",
        "OOH",
        "IAPT",
        "CAMHS",
        "ENT",
        "ICU",
        "MIU",
        "BMI",
        "II",
        "III",
        "IV",
    }
)
# Written in lower case unless they begin the name (or follow an opening bracket).
JOINING_WORDS = frozenset(
    {"and", "of", "the", "on", "in", "upon", "at", "for", "by", "with", "to", "under", "super"}
)
# A word is a run of letters, digits and apostrophes; everything else (spaces, hyphens,
# brackets, "&", full stops) is kept as it is between words.
WORD = re.compile(r"[A-Za-z0-9']+")


def _word(word: str, first: bool) -> str:
    upper = word.upper()
    if upper in ACRONYMS:
        return upper
    lower = word.lower()
    if lower in JOINING_WORDS and not first:
        return lower
    if len(word) == 1:
        # An initial ("DR A SMITH"), or a marker such as "(A)".
        return upper
    if lower[0].isdigit():
        # "1ST", "2ND": an ordinal or a number, with its letters in lower case.
        return lower
    if lower.startswith("mc") and len(lower) > 2:
        return "Mc" + lower[2:].capitalize()
    head, apostrophe, tail = lower.partition("'")
    if apostrophe and tail and tail != "s":
        # O'NEILL -> O'Neill, but ST JOHN'S -> St John's.
        return f"{head.capitalize()}'{tail.capitalize()}"
    return lower.capitalize()


@lru_cache(maxsize=20_000)  # a download of a large system's members names each many times
def readable_name(name: str | None) -> str | None:
    """`name` in title case when it is written wholly in capitals, acronyms and joining words
    kept as people write them; any other name (or None) unchanged.

    "THE DENSHAM SURGERY" -> "The Densham Surgery";
    "NHS NORTH OF ENGLAND CCG" -> "NHS North of England CCG";
    "ST JOHN'S MEDICAL CENTRE (A)" -> "St John's Medical Centre (A)".
    """
    if not name or name != name.upper() or not any(ch.isalpha() for ch in name):
        return name
    pieces = []
    position = 0
    for number, match in enumerate(WORD.finditer(name)):
        between = name[position : match.start()]
        # A word straight after an opening bracket starts a phrase of its own.
        first = number == 0 or between.endswith("(")
        pieces.append(between)
        pieces.append(_word(match.group(), first))
        position = match.end()
    pieces.append(name[position:])
    return "".join(pieces)
