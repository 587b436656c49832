"""Sentences in a board paper's register, computed from the figures.

Pure functions: names and counts in, sentences out. The counting words and where their noun
goes ("all but one *of the ten* Wave 1 ICSs", "*all ten* Wave 1 ICSs", "*none of the* ...")
are `core.wording`'s, the rule the finance and performance pages use; this module writes the
sentences around them and the lists of names.
"""

import re
from dataclasses import dataclass

from core.wording import Noun, count_phrase, number_word, short_counting_phrase

SYSTEM = Noun("system", "systems")


def sentence(text: str) -> str:
    """Capitalise the first letter only (names keep their capitals) and end with a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def names_list(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'. Names that themselves contain "and" ("South Yorkshire
    and Bassetlaw") get a serial comma, as the board paper writes them, so the list still
    reads unambiguously; names that contain a comma ("Durham, Darlington, Teesside, ...")
    are kept apart with semicolons."""
    names = list(names)
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if any("," in _outside_brackets(name) for name in names):
        # "Durham, Darlington, Teesside, ..." is one name: semicolons keep names apart.
        return f"{'; '.join(names[:-1])}; and {names[-1]}"
    if len(names) == 2 and not any(" and " in name for name in names):
        return f"{names[0]} and {names[1]}"
    serial = "," if any(" and " in name for name in names) else ""
    return f"{', '.join(names[:-1])}{serial} and {names[-1]}"


def _outside_brackets(text: str) -> str:
    return re.sub(r"\([^)]*\)", "", text)


def verb(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural


def with_figures(noun: Noun) -> Noun:
    """'Wave 1 ICS with figures': the group, once some of it has no figures to count."""
    return Noun(f"{noun.singular} with figures", f"{noun.plural} with figures")


# -- finance -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanOutcome:
    """One system's year against its plan, as the narrative needs it."""

    name: str
    has_figures: bool
    beat_plan: bool = False
    worse_than_plan: bool = False


def plan_sentences(outcomes: list[PlanOutcome], group: Noun, year_label: str) -> list[str]:
    """Paragraph 6 of the September 2018 board paper, from the figures: who in the group
    delivered a better financial position than planned, who did worse, who has no figures.

    "Six of the ten Wave 1 ICSs delivered a better financial position than they planned in
    2017/18 (A, B, ...). The remaining four Wave 1 ICSs performed worse than they planned."
    """
    counted = [o for o in outcomes if o.has_figures]
    missing = [o.name for o in outcomes if not o.has_figures]
    better = [o.name for o in counted if o.beat_plan]
    worse = [o.name for o in counted if o.worse_than_plan]
    level = [o.name for o in counted if not o.beat_plan and not o.worse_than_plan]
    sentences = []
    if not outcomes:
        return sentences
    noun = with_figures(group) if missing else group
    if not counted:
        total = len(outcomes)
        sentences.append(
            sentence(
                f"{count_phrase(0, total, group)} {verb(total, 'has', 'have')} figures for "
                f"{year_label}"
                if total > 1
                else f"{outcomes[0].name}, the one {group.singular}, has no figures for "
                f"{year_label}"
            )
        )
        return sentences
    if len(counted) == 1:
        only = counted[0]
        outcome = (
            "a better financial position than it planned"
            if only.beat_plan
            else "a worse financial position than it planned"
            if only.worse_than_plan
            else "exactly the financial position it planned"
        )
        sentences.append(
            sentence(f"{only.name}, the only {noun.singular}, delivered {outcome} in {year_label}")
        )
    else:
        phrase = count_phrase(len(better), len(counted), noun)
        named = f" ({names_list(better)})" if better and len(better) < len(counted) else ""
        sentences.append(
            sentence(
                f"{phrase} delivered a better financial position than "
                f"{verb(len(better), 'it', 'they') if better else 'they'} planned in "
                f"{year_label}{named}"
            )
        )
        if better and worse and not level:
            remaining = len(worse)
            if remaining == 1:
                sentences.append(
                    sentence(
                        f"the remaining {group.singular}, {worse[0]}, performed worse than it "
                        f"planned"
                    )
                )
            else:
                sentences.append(
                    sentence(
                        f"the remaining {number_word(remaining)} {group.plural} performed worse "
                        "than they planned"
                    )
                )
        elif worse and len(worse) < len(counted):
            sentences.append(
                sentence(
                    f"{names_list(worse)} performed worse than "
                    f"{verb(len(worse), 'it', 'they')} planned"
                )
            )
        if level:
            sentences.append(
                sentence(
                    f"{names_list(level)} delivered exactly the position "
                    f"{verb(len(level), 'it', 'they')} planned"
                )
            )
    if missing:
        sentences.append(
            sentence(
                f"{names_list(missing)} {verb(len(missing), 'has', 'have')} no figures for "
                f"{year_label}: no member organisation with figures was counted towards "
                f"{verb(len(missing), 'it', 'them')} on 1 April"
            )
        )
    return sentences


@dataclass(frozen=True)
class Tally:
    beat: int
    total: int

    @property
    def share(self) -> float:
        return self.beat / self.total if self.total else 0.0


def comparison_sentence(
    group: Noun, mine: Tally, others: Tally, year_label: str, other_waves: Tally = Tally(0, 0)
):
    """ "Overall, Wave 1 ICSs performed better against their financial plans in 2017/18 than
    non-ICSs and the country as a whole", decided by the share of systems that beat their
    plan, with the counts that decide it on one stated basis: the systems with figures, which
    are the group, the non-ICSs and the ICSs of `other_waves`, so the parts add up to the
    whole. None when a side has no systems to compare."""
    everyone = Tally(
        mine.beat + others.beat + other_waves.beat,
        mine.total + others.total + other_waves.total,
    )
    if not mine.total or not others.total:
        return None

    def compared(a: Tally, b: Tally) -> str:
        if a.share > b.share:
            return "better"
        if a.share < b.share:
            return "worse"
        return "as well"

    against_others, against_all = compared(mine, others), compared(mine, everyone)
    if against_others == against_all:
        judgement = (
            f"as well against their financial plans in {year_label} as non-ICSs and the "
            "country as a whole"
            if against_others == "as well"
            else f"{against_others} against their financial plans in {year_label} than non-ICSs "
            "and the country as a whole"
        )
    else:

        def part(word: str, whom: str) -> str:
            return f"as well as {whom}" if word == "as well" else f"{word} than {whom}"

        judgement = (
            f"{part(against_others, 'non-ICSs')} against their financial plans in {year_label}, "
            f"and {part(against_all, 'the country as a whole')}"
        )
    parts = [f"{number_word(others.beat)} of the {number_word(others.total)} non-ICSs"]
    if other_waves.total:
        parts.append(
            f"{number_word(other_waves.beat)} of the {number_word(other_waves.total)} "
            f"{Noun('ICS', 'ICSs').of(other_waves.total)} of other waves"
        )
    parts.append(f"{number_word(everyone.beat)} of all {number_word(everyone.total)}")
    return sentence(
        f"overall, {group.plural} performed {judgement}: of the {number_word(everyone.total)} "
        f"systems with figures, {number_word(mine.beat)} of the {number_word(mine.total)} "
        f"{group.of(mine.total)} did better than plan, against {names_list(parts)}"
    )


# -- performance against the national average ------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """One system on one standard over a year, as the narrative needs it: whether it has a
    figure and whether that figure was above the national average."""

    name: str
    has_figures: bool
    above: bool = False


def above_average_sentences(
    results: list[tuple[str, list[Standing]]], group: Noun, year_label: str
) -> list[str]:
    """Paragraph 5 of the September 2018 board paper, from the figures: for each standard
    (`results` pairs a phrase such as "the cancer 62-day standard" with the group's
    standings), how many of the group performed above the national average, and which.

    "All but one of the ten Wave 1 ICSs performed above the national average for the cancer
    62-day standard in 2017/18 (A, B, ...). Eight performed above the national average for
    the RTT 18-week standard (...)." Systems without figures are named, never counted in.
    """
    results = [(phrase, standings) for phrase, standings in results if standings]
    if not results:
        return []
    missing_by_standard = [
        [s.name for s in standings if not s.has_figures] for _, standings in results
    ]
    same_missing = all(missing == missing_by_standard[0] for missing in missing_by_standard)
    total = len(results[0][1])
    if same_missing and len(missing_by_standard[0]) == total:
        if total == 1:
            return [
                sentence(
                    f"{results[0][1][0].name}, the one {group.singular}, has no figures for "
                    f"{year_label}"
                )
            ]
        return [sentence(f"{count_phrase(0, total, group)} has figures for {year_label}")]

    sentences = []
    previous = None
    for (phrase, standings), missing in zip(results, missing_by_standard, strict=True):
        counted = [s for s in standings if s.has_figures]
        above = [s.name for s in counted if s.above]
        noun = with_figures(group) if missing else group
        where = f"for {phrase} in {year_label}"
        names = [s.name for s in counted]
        if not counted:
            sentences.append(
                sentence(
                    f"{count_phrase(0, len(standings), group)} has figures {where}"
                    if len(standings) > 1
                    else f"{standings[0].name}, the one {group.singular}, has no figures {where}"
                )
            )
            continue
        named = f" ({names_list(above)})" if 0 < len(above) < len(counted) else ""
        if len(counted) == 1:
            only = counted[0]
            performed = "performed above" if only.above else "did not perform above"
            text = (
                f"{only.name}, the only {noun.singular}, {performed} the national average {where}"
            )
        elif names == previous:
            # The group and the year are said already: "Eight performed above ... for RTT".
            text = (
                f"{short_counting_phrase(len(above), len(counted))} performed above the "
                f"national average for {phrase}{named}"
            )
        else:
            text = (
                f"{count_phrase(len(above), len(counted), noun)} performed above the national "
                f"average {where}{named}"
            )
        sentences.append(sentence(text))
        previous = names
        if missing and not same_missing:
            sentences.append(
                sentence(
                    f"{names_list(missing)} {verb(len(missing), 'has', 'have')} no figures {where}"
                )
            )
    if same_missing and missing_by_standard[0]:
        missing = missing_by_standard[0]
        sentences.append(
            sentence(
                f"{names_list(missing)} {verb(len(missing), 'has', 'have')} no figures for "
                f"{year_label}: no provider with observations was counted towards "
                f"{verb(len(missing), 'it', 'them')}, so {verb(len(missing), 'it is', 'they are')} "
                "named here rather than counted"
            )
        )
    return sentences


def above_average_point(
    results: list[tuple[str, list[Standing]]], group: Noun, year_label: str
) -> str | None:
    """The same in one sentence for the cover: "Of the ten Wave 1 ICSs, all but one
    performed above the national average for the cancer 62-day standard in 2017/18, eight for
    ... and seven for ...". None when the standards were not counted over the same systems
    (the first sentence of `above_average_sentences` says it then)."""
    results = [(phrase, standings) for phrase, standings in results if standings]
    counted = [[s.name for s in standings if s.has_figures] for _, standings in results]
    if not results or len(counted[0]) < 2 or any(names != counted[0] for names in counted):
        return None
    missing = len(results[0][1]) - len(counted[0])
    noun = with_figures(group) if missing else group
    total = len(counted[0])
    parts = [
        f"{short_counting_phrase(sum(s.has_figures and s.above for s in standings), total)} "
        f"{'performed above the national average ' if index == 0 else ''}for {phrase}"
        + (f" in {year_label}" if index == 0 else "")
        for index, (phrase, standings) in enumerate(results)
    ]
    return sentence(f"of the {number_word(total)} {noun.plural}, {names_list(parts)}")


def rest_sentence(results: list[tuple[str, int, int]], others: Noun) -> str | None:
    """The comparison with everyone else: "By comparison, of the 35 non-ICSs with figures, 17
    performed above the national average for the A&E 4-hour standard, 13 for ... and 12 for
    ...". results: (standard phrase, above, counted). None when no other system has
    figures."""
    results = [r for r in results if r[2]]
    if not results:
        return None
    counts = {counted for _, _, counted in results}
    if len(counts) == 1:
        counted = counts.pop()
        parts = [
            f"{number_word(above)} "
            f"{'performed above the national average ' if index == 0 else ''}for {phrase}"
            for index, (phrase, above, _) in enumerate(results)
        ]
        return sentence(
            f"by comparison, of the {number_word(counted)} {with_figures(others).of(counted)}, "
            + names_list(parts)
        )
    parts = [
        f"{number_word(above)} of {number_word(counted)} {others.plural} with figures "
        f"{'performed above the national average ' if index == 0 else ''}for {phrase}"
        for index, (phrase, above, counted) in enumerate(results)
    ]
    return sentence("by comparison, " + names_list(parts))


def system_standing_sentence(
    name: str, phrase: str, year_label: str, *, position: str | None, value: str, national: str
) -> str:
    """One system on one standard: "Dorset performed above the national average for the
    A&E 4-hour standard in 2017/18: 91.2% against 88.4%." position: "above", "below", "at"
    or None (no figures)."""
    if position is None:
        return sentence(f"{name} has no figures for {phrase} in {year_label}")
    return sentence(
        f"{name} performed {position} the national average for {phrase} in {year_label}: "
        f"{value} against {national}"
    )
