"""Judgements in tables (met or missed, above or not) as coloured tags with words on screen,
Yes or No in an export (core.tables.YesNoColumn), and a minus sign that stays with its
amount (finance.money)."""

import django_tables2 as tables

from core.tables import YesNoColumn
from finance.money import format_millions, format_money, format_pounds


class Judged(tables.Table):
    met = YesNoColumn(yes="Met", no="Missed")
    accepted = YesNoColumn(yes="Accepted", no="Not accepted", yes_colour="blue", no_colour="grey")
    plain = YesNoColumn()


class WithoutFigures(YesNoColumn):
    has_figures = staticmethod(lambda record: record.get("figures", True))


class Guarded(tables.Table):
    met = WithoutFigures(yes="Met", no="Missed")


def test_judgement_is_a_tag_with_words_on_screen_and_yes_or_no_in_an_export():
    table = Judged(
        [
            {"met": True, "accepted": False, "plain": True},
            {"met": False, "accepted": True, "plain": False},
        ]
    )
    first, second = table.rows
    assert first.get_cell("met") == (
        '<strong class="nhsuk-tag nhsuk-tag--green app-tag--judgement">Met</strong>'
    )
    assert second.get_cell("met") == (
        '<strong class="nhsuk-tag nhsuk-tag--red app-tag--judgement">Missed</strong>'
    )
    assert 'nhsuk-tag--grey app-tag--judgement">Not accepted<' in first.get_cell("accepted")
    assert 'nhsuk-tag--blue app-tag--judgement">Accepted<' in second.get_cell("accepted")
    assert ">Yes<" in first.get_cell("plain") and ">No<" in second.get_cell("plain")
    assert list(table.as_values()) == [
        ["Met", "Accepted", "Plain"],
        [True, False, True],
        [False, True, False],
    ]


def test_judgement_without_figures_is_a_dash_and_an_empty_cell():
    table = Guarded([{"met": False, "figures": False}])
    (row,) = table.rows
    assert row.get_cell("met") == "—"
    assert list(table.as_values())[1] == [None]


def test_minus_sign_is_joined_to_its_amount():
    """U+2212, with a word joiner where a line could otherwise break between two signs."""
    assert format_money(-1234.4) == "\u22121,234"
    assert format_pounds(-700) == "\u2212\u2060£700k"
    assert format_millions(-1114300) == "\u2212\u2060£1,114.3m"
    assert format_pounds(700) == "£700k"
