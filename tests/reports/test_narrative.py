"""The board paper's sentences, as plain functions of the figures (the counting words
themselves: tests/core/test_wording.py)."""

import pytest

from core.wording import Noun
from reports.narrative import (
    PlanOutcome,
    Tally,
    comparison_sentence,
    names_list,
    plan_sentences,
    sentence,
)

WAVE_1 = Noun("Wave 1 ICS", "Wave 1 ICSs")


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ([], ""),
        (["Dorset"], "Dorset"),
        (["Dorset", "Frimley Health"], "Dorset and Frimley Health"),
        (
            ["Dorset", "Frimley Health", "Surrey Heartlands"],
            "Dorset, Frimley Health and Surrey Heartlands",
        ),
        (
            ["Dorset", "South Yorkshire and Bassetlaw", "Surrey Heartlands"],
            "Dorset, South Yorkshire and Bassetlaw, and Surrey Heartlands",
        ),
    ],
)
def test_names_list_joins_with_and(names, expected):
    assert names_list(names) == expected


def test_sentence_capitalises_first_letter_only_and_ends_with_a_stop():
    assert sentence("all but one of the ten ICSs") == "All but one of the ten ICSs."
    assert sentence("iPhone users.") == "IPhone users."


def outcomes(better=(), worse=(), level=(), missing=()):
    return (
        [PlanOutcome(name, True, beat_plan=True) for name in better]
        + [PlanOutcome(name, True, worse_than_plan=True) for name in worse]
        + [PlanOutcome(name, True) for name in level]
        + [PlanOutcome(name, False) for name in missing]
    )


def test_plan_sentences_read_like_paragraph_6_of_the_board_paper():
    better = [
        "Berkshire West",
        "Dorset",
        "Frimley Health",
        "Greater Manchester",
        "South Yorkshire and Bassetlaw",
        "Surrey Heartlands",
    ]
    worse = ["Bedfordshire, Luton and Milton Keynes", "Blackpool", "Buckinghamshire", "Nottingham"]
    assert plan_sentences(outcomes(better, worse), WAVE_1, "2017/18") == [
        "Six of the ten Wave 1 ICSs delivered a better financial position than they planned in "
        "2017/18 (Berkshire West, Dorset, Frimley Health, Greater Manchester, South Yorkshire "
        "and Bassetlaw, and Surrey Heartlands).",
        "The remaining four Wave 1 ICSs performed worse than they planned.",
    ]


def test_plan_sentences_with_none_better():
    assert plan_sentences(outcomes(worse=["A", "B", "C"]), WAVE_1, "2018/19") == [
        "None of the three Wave 1 ICSs delivered a better financial position than they planned "
        "in 2018/19."
    ]


def test_plan_sentences_with_one_better():
    assert plan_sentences(outcomes(["A"], ["B", "C"]), WAVE_1, "2018/19") == [
        "One of the three Wave 1 ICSs delivered a better financial position than it planned in "
        "2018/19 (A).",
        "The remaining two Wave 1 ICSs performed worse than they planned.",
    ]


def test_plan_sentences_with_all_but_one_better_names_the_one():
    result = plan_sentences(outcomes(["A", "B", "C"], ["D"]), WAVE_1, "2018/19")
    assert result[0].startswith("All but one of the four Wave 1 ICSs delivered")
    assert result[1] == "The remaining Wave 1 ICS, D, performed worse than it planned."


def test_plan_sentences_with_all_better_lists_no_names():
    assert plan_sentences(outcomes(["A", "B", "C"]), WAVE_1, "2018/19") == [
        "All three Wave 1 ICSs delivered a better financial position than they planned in 2018/19."
    ]


def test_plan_sentences_count_only_systems_with_figures_and_name_the_rest():
    result = plan_sentences(outcomes(["A"], ["B"], missing=["C", "D"]), WAVE_1, "2017/18")
    assert result[0] == (
        "One of the two Wave 1 ICSs with figures delivered a better financial position than it "
        "planned in 2017/18 (A)."
    )
    assert result[-1].startswith("C and D have no figures for 2017/18")


def test_plan_sentences_with_level_and_worse():
    result = plan_sentences(outcomes(["A"], ["B"], level=["C"]), WAVE_1, "2017/18")
    assert result[1:] == [
        "B performed worse than it planned.",
        "C delivered exactly the position it planned.",
    ]


def test_plan_sentences_with_one_system_name_it():
    assert plan_sentences(outcomes(["Dorset"]), WAVE_1, "2017/18") == [
        "Dorset, the only Wave 1 ICS, delivered a better financial position than it planned in "
        "2017/18."
    ]


def test_plan_sentences_with_no_figures_at_all():
    assert plan_sentences(outcomes(missing=["A", "B"]), WAVE_1, "2017/18") == [
        "None of the two Wave 1 ICSs have figures for 2017/18."
    ]


def test_comparison_sentence_follows_the_shares():
    better = comparison_sentence(WAVE_1, Tally(6, 10), Tally(10, 32), "2017/18")
    assert better.startswith(
        "Overall, Wave 1 ICSs performed better against their financial plans in 2017/18 than "
        "non-ICSs and the country as a whole"
    )
    assert better.endswith(
        ": of the 42 systems with figures, six of the ten Wave 1 ICSs did better than plan, "
        "against ten of the 32 non-ICSs and 16 of all 42."
    )
    worse = comparison_sentence(WAVE_1, Tally(1, 10), Tally(10, 32), "2017/18")
    assert "performed worse against" in worse
    assert comparison_sentence(WAVE_1, Tally(1, 2), Tally(0, 0), "2017/18") is None


def test_comparison_sentence_parts_add_up_to_the_whole_with_other_waves():
    """The ICSs of other waves are counted in the whole and named as a part of it, so the
    parts (10 + 4 + 35) make the whole (49), and the better-than-plan counts add up too."""
    text = comparison_sentence(
        WAVE_1, Tally(3, 10), Tally(20, 35), "2018/19", other_waves=Tally(2, 4)
    )
    assert text.endswith(
        ": of the 49 systems with figures, three of the ten Wave 1 ICSs did better than plan, "
        "against 20 of the 35 non-ICSs, two of the four ICSs of other waves and 25 of all 49."
    )
