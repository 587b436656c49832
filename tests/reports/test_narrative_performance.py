"""Paragraph 5 of the board paper (performance against the national average), as plain
functions of who was above it: the counting words follow the data."""

import pytest

from core.wording import Noun
from reports.narrative import (
    Standing,
    above_average_point,
    above_average_sentences,
    rest_sentence,
    system_standing_sentence,
)

WAVE_1 = Noun("Wave 1 ICS", "Wave 1 ICSs")
CANCER = "the cancer 62-day standard"
NAMES = ["Berkshire West", "Dorset", "Frimley Health", "Greater Manchester"]


def standings(above: int, names=NAMES, missing=()):
    """The first `above` of `names` above the national average, the rest not, and `missing`
    without figures."""
    return [Standing(name, True, index < above) for index, name in enumerate(names)] + [
        Standing(name, False) for name in missing
    ]


@pytest.mark.parametrize(
    ("above", "expected"),
    [
        (
            0,
            "None of the four Wave 1 ICSs performed above the national average for the cancer "
            "62-day standard in 2017/18.",
        ),
        (
            1,
            "One of the four Wave 1 ICSs performed above the national average for the cancer "
            "62-day standard in 2017/18 (Berkshire West).",
        ),
        (
            3,
            "All but one of the four Wave 1 ICSs performed above the national average for the "
            "cancer 62-day standard in 2017/18 (Berkshire West, Dorset and Frimley Health).",
        ),
        (
            4,
            "All four Wave 1 ICSs performed above the national average for the cancer 62-day "
            "standard in 2017/18.",
        ),
    ],
)
def test_above_average_sentences_count_none_one_all_but_one_and_all(above, expected):
    """The counting words and the names of those above follow the data; "all" names nobody."""
    assert above_average_sentences([(CANCER, standings(above))], WAVE_1, "2017/18") == [expected]


def test_above_average_sentences_name_systems_without_figures_rather_than_count_them():
    """A system with no figures is left out of the count and named in a sentence of its own."""
    result = above_average_sentences(
        [(CANCER, standings(2, missing=["Buckinghamshire"]))], WAVE_1, "2017/18"
    )
    assert result == [
        "Two of the four Wave 1 ICSs with figures performed above the national average for the "
        "cancer 62-day standard in 2017/18 (Berkshire West and Dorset).",
        "Buckinghamshire has no figures for 2017/18: no provider with observations was counted "
        "towards it, so it is named here rather than counted.",
    ]


def test_above_average_sentences_shorten_later_standards_over_the_same_systems():
    """Once the group is named, later standards read as the paper's "Eight performed above"."""
    result = above_average_sentences(
        [(CANCER, standings(3)), ("the RTT 18-week standard", standings(2))], WAVE_1, "2017/18"
    )
    assert result[1] == (
        "Two performed above the national average for the RTT 18-week standard (Berkshire West "
        "and Dorset)."
    )


def test_above_average_sentences_say_per_standard_who_lacks_figures_when_it_differs():
    result = above_average_sentences(
        [
            (CANCER, standings(1, names=NAMES[:3], missing=[NAMES[3]])),
            ("the RTT 18-week standard", standings(4)),
        ],
        WAVE_1,
        "2017/18",
    )
    assert result[1] == (
        "Greater Manchester has no figures for the cancer 62-day standard in 2017/18."
    )
    assert result[2].startswith("All four Wave 1 ICSs performed above the national average for")


def test_above_average_sentences_with_one_system_with_figures_name_it():
    result = above_average_sentences(
        [(CANCER, standings(0, names=["Dorset"], missing=["Buckinghamshire"]))], WAVE_1, "2017/18"
    )
    assert result[0] == (
        "Dorset, the only Wave 1 ICS with figures, did not perform above the national average "
        "for the cancer 62-day standard in 2017/18."
    )


def test_above_average_sentences_with_no_figures_at_all_say_so_once():
    result = above_average_sentences(
        [(CANCER, standings(0, names=[], missing=["A", "B"])), ("x", standings(0, [], ["A", "B"]))],
        WAVE_1,
        "2017/18",
    )
    assert result == ["None of the two Wave 1 ICSs has figures for 2017/18."]


def test_above_average_point_puts_every_standard_in_one_sentence():
    point = above_average_point(
        [(CANCER, standings(3)), ("the RTT 18-week standard", standings(0))], WAVE_1, "2017/18"
    )
    assert point == (
        "Of the four Wave 1 ICSs, all but one performed above the national average for the "
        "cancer 62-day standard in 2017/18 and none for the RTT 18-week standard."
    )


def test_rest_sentence_compares_with_the_non_icss():
    text = rest_sentence(
        [("the A&E 4-hour standard", 17, 35), ("the RTT 18-week standard", 13, 35)],
        Noun("non-ICS", "non-ICSs"),
    )
    assert text == (
        "By comparison, of the 35 non-ICSs with figures, 17 performed above the national average "
        "for the A&E 4-hour standard and 13 for the RTT 18-week standard."
    )
    assert rest_sentence([("x", 0, 0)], Noun("non-ICS", "non-ICSs")) is None


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (
            "above",
            "Dorset performed above the national average for x in 2017/18: 91.2% against 88.4%.",
        ),
        ("at", "Dorset performed at the national average for x in 2017/18: 91.2% against 91.2%."),
        (None, "Dorset has no figures for x in 2017/18."),
    ],
)
def test_system_standing_sentence_gives_both_values(position, expected):
    national = "91.2%" if position == "at" else "88.4%"
    assert (
        system_standing_sentence(
            "Dorset", "x", "2017/18", position=position, value="91.2%", national=national
        )
        == expected
    )
