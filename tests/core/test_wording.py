"""The counting words, decided once (`counting_phrase`) and written with or without their
noun: the three forms never disagree on which words a count gets."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.wording import (
    Noun,
    count_phrase,
    counting_phrase,
    number_word,
    short_counting_phrase,
)

WAVE_1 = Noun("Wave 1 ICS", "Wave 1 ICSs")


@pytest.mark.parametrize(
    ("count", "total", "words"),
    [
        (0, 10, "none"),
        (0, 0, "none"),
        (1, 10, "one of the ten"),
        (6, 10, "six of the ten"),
        (9, 10, "all but one"),
        (10, 10, "all"),
        (2, 2, "both"),
        (1, 2, "one of the two"),
        (1, 1, "the one"),
        (13, 42, "13 of the 42"),
    ],
)
def test_counting_phrase_words(count, total, words):
    assert counting_phrase(count, total) == words


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [
        (0, 10, "none of the ten Wave 1 ICSs"),
        (1, 10, "one of the ten Wave 1 ICSs"),
        (6, 10, "six of the ten Wave 1 ICSs"),
        (9, 10, "all but one of the ten Wave 1 ICSs"),
        (10, 10, "all ten Wave 1 ICSs"),
        (2, 2, "both Wave 1 ICSs"),
        (1, 2, "one of the two Wave 1 ICSs"),
        (1, 1, "the one Wave 1 ICS"),
        (0, 1, "no Wave 1 ICS"),
        (0, 0, "no Wave 1 ICSs"),
        (13, 41, "13 of the 41 Wave 1 ICSs"),
    ],
)
def test_count_phrase_puts_the_noun_in_place(count, total, expected):
    assert count_phrase(count, total, WAVE_1) == expected


@pytest.mark.parametrize(("count", "total"), [(3, 2), (-1, 2), (0, -1)])
def test_count_phrase_refuses_a_count_outside_the_total(count, total):
    with pytest.raises(ValueError):
        count_phrase(count, total, WAVE_1)


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [
        (0, 10, "none"),
        (8, 10, "eight"),
        (9, 10, "all but one"),
        (10, 10, "all ten"),
        (2, 2, "both"),
        (1, 2, "one"),
        (13, 42, "13"),
        (42, 42, "all 42"),
    ],
)
def test_short_counting_phrase_once_the_group_is_named(count, total, expected):
    assert short_counting_phrase(count, total) == expected


counts = st.integers(min_value=0, max_value=60).flatmap(
    lambda total: st.tuples(st.integers(min_value=0, max_value=total), st.just(total))
)


@given(counts)
def test_the_forms_agree_on_the_words(count_and_total):
    """With the group named or not, a count gets the same words: once there are two or more
    to count, the noun phrase begins with the short form, which begins as the counting
    words do ("six" of "six of the ten")."""
    count, total = count_and_total
    words = counting_phrase(count, total)
    short = short_counting_phrase(count, total)
    if total >= 2:
        assert count_phrase(count, total, WAVE_1).startswith(short + " ")
        assert words.startswith(short.split()[0])


@given(counts)
def test_count_phrase_ends_on_the_noun_in_its_number(count_and_total):
    """One of one takes the singular ('the one Wave 1 ICS', 'no Wave 1 ICS'); the rest the
    plural."""
    count, total = count_and_total
    phrase = count_phrase(count, total, WAVE_1)
    assert phrase.endswith(WAVE_1.singular if total == 1 else WAVE_1.plural)


@given(counts)
def test_count_phrase_names_the_total_unless_the_words_do(count_and_total):
    """'six of the ten ...' and 'all ten ...' say the total; 'both' and 'the one' need not."""
    count, total = count_and_total
    phrase = count_phrase(count, total, WAVE_1)
    if total > 2:
        assert f" {number_word(total)} " in f" {phrase} "
