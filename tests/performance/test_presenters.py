"""What the performance pages and the board paper are shaped from: the league chart and the
league table order systems best first by the one rule, `performance.rules.best_first`, in the
standard's direction."""

from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from performance import rules
from performance.periods import Period
from performance.presenters import league_chart, summarise_league
from performance.queries import LeagueRow
from performance.rules import NO_FIGURES, Figures
from performance.tables import LeagueTable

D = Decimal
NATIONAL = Figures(D(80), D(100))


def standard(*, higher_is_better: bool):
    return SimpleNamespace(
        pk=1,
        code="test",
        name="A test standard",
        short_name="test",
        target=D("0.9"),
        target_percent="90%",
        higher_is_better=higher_is_better,
    )


def league_row(name: str, counts, the_standard) -> LeagueRow:
    system = SimpleNamespace(name=name, slug=name.lower().replace(" ", "-"), pk=name)
    figures = NO_FIGURES if counts is None else Figures(D(counts[0]), D(counts[1]), 1)
    return LeagueRow(system, figures, NATIONAL, the_standard)


def table_order(rows: list[LeagueRow]) -> list[str]:
    """The league table's rows in its default order, as the page draws them."""
    return [row.record.system.name for row in LeagueTable(rows).rows]


counts = st.one_of(
    st.none(),
    st.integers(min_value=1, max_value=200).flatmap(
        lambda den: st.tuples(st.integers(min_value=0, max_value=den), st.just(den))
    ),
)


@given(
    st.lists(st.tuples(st.sampled_from("ABCDEFGHIJ"), counts), unique_by=lambda r: r[0]),
    st.booleans(),
)
def test_league_table_default_order_is_best_first(systems, higher_is_better):
    """On any rows, in either direction, the table's default sort is `rules.best_first`, and
    the chart draws the rows with figures in that order."""
    the_standard = standard(higher_is_better=higher_is_better)
    rows = [league_row(f"System {name}", c, the_standard) for name, c in systems]
    ranked = rules.best_first(rows)
    assert table_order(rows) == [row.system.name for row in ranked]
    chart = league_chart(rows, the_standard, Period.financial_year(2017))
    drawn = [row.system.name for row in chart.data] if chart else []
    assert drawn == [row.system.name for row in ranked if row.has_figures]


def test_lower_is_better_puts_the_lowest_value_first():
    """Where fewer is better, 10% beats 30%: first in the table and the chart, and the
    chart's description names the highest value last."""
    the_standard = standard(higher_is_better=False)
    rows = [
        league_row("High", (30, 100), the_standard),
        league_row("None", None, the_standard),
        league_row("Low", (10, 100), the_standard),
    ]
    assert table_order(rows) == ["Low", "High", "None"]
    chart = league_chart(rows, the_standard, Period.financial_year(2017))
    assert [row.system.name for row in chart.data] == ["Low", "High"]
    assert "Best: Low (10.0%); highest: High (30.0%)." in chart.description
    summary = summarise_league(rows, NATIONAL)
    assert (summary.systems, summary.above) == (2, 2)  # both below England's 80%
