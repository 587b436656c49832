"""The performance rules as pure functions, and the periods they are reported over."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from core.wording import counting_phrase
from performance import rules
from performance.periods import Period, PeriodKind

D = Decimal


def test_value_is_numerator_over_denominator():
    assert rules.value(9, 10) == D("0.9")
    assert rules.value(D("4.5"), D("9")) == D("0.5")


def test_value_of_nothing_counted_is_none():
    assert rules.value(0, 0) is None


def test_national_figures_sum_numerators_not_percentages():
    """9 of 10 (90%) and 500 of 1,000 (50%) is 509 of 1,010 (50.4%), not the 70% an average
    of the two percentages would give."""
    figure = rules.national_figures_of(
        [
            rules.ProviderMonth("small", dt.date(2017, 4, 1), 9, 10),
            rules.ProviderMonth("large", dt.date(2017, 4, 1), 500, 1000),
        ]
    )
    assert (figure.numerator, figure.denominator) == (509, 1010)
    assert round(figure.value, 4) == D("0.5040")


def test_system_figures_follow_membership_month_by_month():
    """A provider that moves system on 1 October counts towards the old system for April to
    September and the new one from October."""
    months = [dt.date(2017, m, 1) for m in range(4, 13)] + [dt.date(2018, m, 1) for m in (1, 2, 3)]
    observations = [rules.ProviderMonth("trust", month, 80, 100) for month in months]
    memberships = [
        rules.MemberPeriod("trust", "old", D(1), dt.date(2016, 4, 1), dt.date(2017, 9, 30)),
        rules.MemberPeriod("trust", "new", D(1), dt.date(2017, 10, 1), None),
    ]
    figures = rules.figures_by_system(observations, memberships)
    assert figures["old"] == rules.Figures(D(480), D(600), providers=1, observations=6)
    assert figures["new"] == rules.Figures(D(480), D(600), providers=1, observations=6)


def test_split_trust_counts_by_its_share():
    observations = [rules.ProviderMonth("split", dt.date(2017, 4, 1), 90, 100)]
    memberships = [
        rules.MemberPeriod("split", "a", D("0.6"), dt.date(2016, 4, 1), None),
        rules.MemberPeriod("split", "b", D("0.4"), dt.date(2016, 4, 1), None),
    ]
    figures = rules.figures_by_system(observations, memberships)
    assert figures["a"] == rules.Figures(D("54.0"), D("60.0"), providers=1, observations=1)
    assert figures["b"] == rules.Figures(D("36.0"), D("40.0"), providers=1, observations=1)


def test_figures_count_providers_once_and_flag_illustrative_observations():
    """Two months of one provider are one provider; one made-up month makes the whole
    figure illustrative, and mixed: one of its two observations is made up."""
    observations = [
        rules.ProviderMonth("trust", dt.date(2017, 4, 1), 8, 10),
        rules.ProviderMonth("trust", dt.date(2017, 5, 1), 9, 10, illustrative=True),
        rules.ProviderMonth("other", dt.date(2017, 5, 1), 1, 10),
    ]
    memberships = [rules.MemberPeriod("trust", "a", D(1), dt.date(2016, 4, 1), None)]
    assert rules.figures_by_system(observations, memberships) == {
        "a": rules.Figures(
            D(17),
            D(20),
            providers=1,
            illustrative=True,
            observations=2,
            illustrative_observations=1,
        )
    }
    national = rules.national_figures_of(observations)
    assert national == rules.Figures(
        D(18), D(30), providers=2, illustrative=True, observations=3, illustrative_observations=1
    )
    assert national.provenance == "mixed"
    assert rules.national_figures_of(observations[:1]).provenance == "real"
    assert rules.national_figures_of(observations[1:2]).provenance == "illustrative"


@pytest.mark.parametrize(
    ("start", "end", "covered"),
    [
        (dt.date(2017, 10, 1), None, True),  # from this day, still a member
        (dt.date(2017, 10, 2), None, False),
        (dt.date(2016, 4, 1), dt.date(2017, 10, 1), True),  # its last day
        (dt.date(2016, 4, 1), dt.date(2017, 9, 30), False),
    ],
)
def test_membership_holds_on_its_first_and_last_day(start, end, covered):
    membership = rules.MemberPeriod("trust", "a", D(1), start, end)
    assert membership.holds_on(dt.date(2017, 10, 1)) is covered


@pytest.mark.parametrize(
    ("system", "national", "higher_is_better", "above"),
    [
        (D("0.91"), D("0.90"), True, True),
        (D("0.89"), D("0.90"), True, False),
        (D("0.90"), D("0.90"), True, False),  # equal is not above
        (D("0.10"), D("0.12"), False, True),
        (None, D("0.90"), True, None),
        (D("0.90"), None, True, None),
    ],
)
def test_above_national_respects_direction(system, national, higher_is_better, above):
    assert rules.above_national(system, national, higher_is_better=higher_is_better) is above


@pytest.mark.parametrize(
    ("value", "higher_is_better", "met"),
    [
        (D("0.95"), True, True),
        (D("0.9499"), True, False),
        (D("0.05"), False, True),
        (D("0.06"), False, False),
        (None, True, None),
    ],
)
def test_target_met_respects_direction(value, higher_is_better, met):
    target = D("0.95") if higher_is_better else D("0.05")
    assert rules.target_met(value, target, higher_is_better=higher_is_better) is met


def test_gap_is_in_percentage_points():
    assert rules.gap_points(D("0.912"), D("0.897")) == D("1.500")
    assert rules.gap_points(None, D("0.9")) is None


@dataclass(frozen=True)
class Ranked:
    name: str
    value: Decimal | None
    higher_is_better: bool = True

    @property
    def standing(self):
        return rules.standing(self.value, higher_is_better=self.higher_is_better)


@pytest.mark.parametrize(
    ("higher_is_better", "order"),
    [(True, ["C", "A", "B", "None"]), (False, ["B", "A", "C", "None"])],
)
def test_best_first_follows_the_standards_direction(higher_is_better, order):
    """Best first in the standard's direction; a system without a figure is last either way."""
    rows = [
        Ranked("None", None, higher_is_better),
        Ranked("A", D("0.8"), higher_is_better),
        Ranked("B", D("0.7"), higher_is_better),
        Ranked("C", D("0.9"), higher_is_better),
    ]
    assert [row.name for row in rules.best_first(rows)] == order


def test_best_first_breaks_ties_by_name():
    rows = [Ranked("B", D("0.5")), Ranked("Z", None), Ranked("A", D("0.5")), Ranked("Y", None)]
    assert [row.name for row in rules.best_first(rows)] == ["A", "B", "Y", "Z"]


@pytest.mark.parametrize(
    ("count", "total", "words"),
    [
        (0, 10, "none"),
        (1, 10, "one of the ten"),
        (9, 10, "all but one"),
        (10, 10, "all"),
        (2, 2, "both"),
        (1, 1, "the one"),
        (13, 42, "13 of the 42"),
    ],
)
def test_counting_phrase_edge_cases(count, total, words):
    assert counting_phrase(count, total) == words


NAMES = [f"System {n}" for n in range(10)]


@pytest.mark.parametrize(
    ("above", "counted", "without", "expected"),
    [
        (
            NAMES[:9],
            10,
            0,
            "For 2017/18, all but one of the ten Wave 1 systems were above the national "
            "average for cancer 62-day: " + ", ".join(NAMES[:9]) + ".",
        ),
        (
            NAMES,
            10,
            0,
            "For 2017/18, all ten Wave 1 systems were above the national average for cancer "
            "62-day: " + ", ".join(NAMES) + ".",
        ),
        (
            [],
            10,
            0,
            "For 2017/18, none of the ten Wave 1 systems was above the national average for "
            "cancer 62-day.",
        ),
        (
            NAMES[:1],
            10,
            0,
            "For 2017/18, one of the ten Wave 1 systems was above the national average for "
            "cancer 62-day: System 0.",
        ),
        (
            NAMES[:4],
            6,
            4,
            "For 2017/18, four of the six Wave 1 systems with figures were above the national "
            "average for cancer 62-day: " + ", ".join(NAMES[:4]) + ". Four other Wave 1 "
            "systems had no figures.",
        ),
        ([], 0, 3, "For 2017/18, no Wave 1 system had figures for cancer 62-day."),
        (
            NAMES[:2],
            2,
            0,
            "For 2017/18, both Wave 1 systems were above the national average for cancer "
            "62-day: System 0, System 1.",
        ),
        (
            NAMES[:1],
            1,
            0,
            "For 2017/18, the one Wave 1 system was above the national average for cancer "
            "62-day: System 0.",
        ),
        (
            [],
            1,
            2,
            "For 2017/18, the one Wave 1 system with figures was not above the national average "
            "for cancer 62-day. Two other Wave 1 systems had no figures.",
        ),
    ],
)
def test_above_sentence_counts_in_words_and_names_them(above, counted, without, expected):
    sentence = rules.above_sentence(
        period_label="2017/18",
        group_label="Wave 1",
        standard_label="cancer 62-day",
        above=above,
        counted=counted,
        without_figures=without,
    )
    assert sentence == expected


# -- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "first", "last", "label"),
    [
        ("2017-18", dt.date(2017, 4, 1), dt.date(2018, 3, 1), "2017/18"),
        ("2017-18-q3", dt.date(2017, 10, 1), dt.date(2017, 12, 1), "Q3 2017/18"),
        ("2017-18-q4", dt.date(2018, 1, 1), dt.date(2018, 3, 1), "Q4 2017/18"),
        ("2017-11", dt.date(2017, 11, 1), dt.date(2017, 11, 1), "November 2017"),
        ("2099-00", dt.date(2099, 4, 1), dt.date(2100, 3, 1), "2099/00"),
    ],
)
def test_period_reads_and_writes_its_slug(slug, first, last, label):
    period = Period.from_slug(slug)
    assert (period.first_month, period.last_month, period.label) == (first, last, label)
    assert period.slug == slug
    assert len(period.months) == {"month": 1, "quarter": 3, "year": 12}[period.kind]


@pytest.mark.parametrize("slug", ["2017-19", "2017-13", "2017-18-q5", "17-18", "", "2017/18"])
def test_period_refuses_what_is_not_one(slug):
    with pytest.raises(ValueError, match="not a period"):
        Period.from_slug(slug)


def test_period_containing_a_day():
    day = dt.date(2018, 2, 14)
    assert Period.containing(day, PeriodKind.YEAR).slug == "2017-18"
    assert Period.containing(day, PeriodKind.QUARTER).slug == "2017-18-q4"
    assert Period.containing(day, PeriodKind.MONTH).slug == "2018-02"
    assert Period.financial_year(2017).ends_on == dt.date(2018, 3, 31)
