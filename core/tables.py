"""What every app's tables share: one row order whatever the sort, and the columns that several
apps draw the same way. The same Table renders the page and the export, so each column says
how it looks on screen (`render`) and what a spreadsheet gets (`value`)."""

import datetime as dt
from decimal import Decimal
from functools import lru_cache

import django_tables2 as tables
from django.utils.html import format_html
from django_tables2.data import TableListData, TableQuerysetData
from django_tables2.utils import OrderByTuple, call_with_appropriate

from .exports import DATE
from .names import readable_name

NUMERIC = {
    "th": {"class": "nhsuk-table__header--numeric"},
    "td": {"class": "nhsuk-table__cell--numeric"},
}


def _always(record) -> bool:
    return True


class OrderedTable(tables.Table):
    """A Table whose rows come in one order, whatever column the reader sorts by.

    A sort leaves rows with equal values (every ICS when sorted by status) in whatever order
    the database returns them, which changes with a restore, a vacuum or a query plan. So after
    the sort chosen (or the table's default), rows are ordered by `tiebreak`: accessors that
    end with a unique key of the rows, natural where there is one, so the order does not
    depend on the order rows were written in either. Unsorted (`order_by=()`), rows stay in
    the order given, which is then the caller's; a table only ever drawn that way may set
    `tiebreak = ()`.
    """

    tiebreak: tuple[str, ...] = ("pk",)

    @property
    def order_by(self):
        return tables.Table.order_by.fget(self)

    @order_by.setter
    def order_by(self, value):
        tables.Table.order_by.fset(self, value)
        if not self.tiebreak or not self.order_by:
            return
        if isinstance(self.data, TableListData):
            # Python's sort is stable: rows put in tiebreak order stay in it among equals.
            self.data.data.sort(key=OrderByTuple(self.tiebreak).key)
            self.data.order_by(self.order_by)
        elif isinstance(self.data, TableQuerysetData):
            queryset = self.data.data
            self.data.data = queryset.order_by(*queryset.query.order_by, *self.tiebreak)


class FiguresColumn(tables.Column):
    """Whether the row's figures are made-up demonstration ones ("Illustrative") or real
    ("Reported"); a dash where `has_figures(record)` says the row has none. Pages drop this
    column when no row is illustrative, so the word appears only where it applies."""

    def __init__(self, *args, has_figures=_always, **kwargs):
        self.has_figures = has_figures
        kwargs.setdefault("verbose_name", "Figures")
        kwargs.setdefault("accessor", "illustrative")
        super().__init__(*args, **kwargs)

    def render(self, value, record):
        if not self.has_figures(record):
            return "—"
        return "Illustrative" if value else "Reported"

    def value(self, value, record):
        return self.render(value, record) if self.has_figures(record) else None


class SpreadsheetColumn(tables.Column):
    """A column that says how an XLSX export writes it (core/exports.py `table_sheet`): in
    Excel's `number_format`, with `spreadsheet_value` turning the exported value (what a CSV
    gets) into the cell's, given the row's own value too. A CSV is not affected."""

    number_format = ""

    def spreadsheet_value(self, exported, value):
        return exported


class NumberColumn(SpreadsheetColumn):
    """A figure, right-aligned: `show(value)` on screen and `export(value)` in an export (a
    number a spreadsheet can add up), or a dash on screen and an empty cell in an export where
    `has_figures(record)` says the row has no figures. A subclass names the three it changes,
    and the spreadsheet number format it is written in."""

    show = staticmethod(str)
    has_figures = staticmethod(_always)

    @staticmethod
    def export(value):
        return value

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMERIC)
        super().__init__(*args, **kwargs)

    def render(self, value, record):
        return self.show(value) if self.has_figures(record) else "—"

    def value(self, value, record):
        return self.export(value) if self.has_figures(record) else None


class YesNoColumn(tables.Column):
    """A judgement shown on screen as a coloured tag with its words ("Met" in green, "Missed"
    in red), so colour is never the only signal; in an export it is Yes or No (the export
    writes a boolean that way). A dash and an empty cell where `has_figures(record)` says the
    row has no figures to judge. `yes` and `no` are the words, `yes_colour` and `no_colour`
    the NHS.UK tag colours."""

    has_figures = staticmethod(_always)

    def __init__(
        self,
        *args,
        yes: str = "Yes",
        no: str = "No",
        yes_colour: str = "green",
        no_colour: str = "red",
        **kwargs,
    ):
        self.words = {True: (yes, yes_colour), False: (no, no_colour)}
        super().__init__(*args, **kwargs)

    def render(self, value, record):
        if not self.has_figures(record):
            return "—"
        return tag(*self.words[bool(value)])

    def value(self, value, record):
        return bool(value) if self.has_figures(record) else None


def tag(words: str, colour: str) -> str:
    """An NHS.UK tag: `words` on a `colour` background (green, red, grey, blue ...)."""
    return format_html(
        '<strong class="nhsuk-tag nhsuk-tag--{} app-tag--judgement">{}</strong>', colour, words
    )


class TextColumn(tables.Column):
    """A cell written the same on screen and in an export: `text`, called with whichever of
    `record`, `value` and `table` it names."""

    def __init__(self, *args, text, **kwargs):
        self.text = text
        super().__init__(*args, **kwargs)

    def render(self, record, value, table):
        return call_with_appropriate(self.text, {"record": record, "value": value, "table": table})

    def value(self, record, value, table):
        return self.render(record, value, table)


class LinkedColumn(tables.Column):
    """A cell that links to a page on screen and is its plain value in an export.

    `url` is called with whichever of `record`, `value` and `table` it names, and gives the
    address."""

    def __init__(self, *args, url, **kwargs):
        self.url = url
        super().__init__(*args, **kwargs)

    def render(self, record, value, table):
        arguments = {"record": record, "value": value, "table": table}
        return format_html('<a href="{}">{}</a>', call_with_appropriate(self.url, arguments), value)

    def value(self, value):
        return value


class OrganisationNameColumn(LinkedColumn):
    """An organisation's name as people write it (core.names: "THE DENSHAM SURGERY" shows
    as "The Densham Surgery"), linking to its page on screen, and written the same in an
    export. Sorting still uses the stored name, which differs from the shown one only in
    case."""

    def render(self, record, value, table):
        return super().render(record, readable_name(value), table)

    def value(self, value):
        return readable_name(value)


@lru_cache(maxsize=4096)  # a long table repeats a few days many times
def day_label(day: dt.date) -> str:
    """A day as the tables write it: "1 Apr 2018"."""
    return f"{day.day} {day:%b %Y}"


class DayColumn(SpreadsheetColumn):
    """A day as the tables write it ("1 Apr 2018"), on screen and in a CSV; a spreadsheet gets
    a real date, written the same way."""

    number_format = DATE

    def render(self, value):
        return day_label(value)

    def spreadsheet_value(self, exported, value):
        return value if isinstance(value, dt.date) else exported


def percentage_fraction(exported):
    """An exported percentage (12.5 for 12.5%) as the fraction a cell formatted as a
    percentage holds (0.125)."""
    if isinstance(exported, int | float | Decimal) and not isinstance(exported, bool):
        return Decimal(exported) / 100
    return exported
