"""What period each kind of data covers, stated on every page ("About this data").

Each domain app says, in its app config's `coverage_sources()`, which kinds of data it owns
(the NHS structure, memberships, performance figures, control totals): for each, the queries
that summarise its rows (`coverage_part`: first and last date, how many rows, grouped by a
label and the illustrative flag) and the functions that word the summary and the notice shown
when a page looks past the last fact. Core never imports a domain app: it collects the parts,
runs them as one UNION query, caches the rows by the data version and words them for a page.

A page says which kinds it shows with a `coverage_kinds` attribute on its view (or its app
config's `coverage_shown`). A page about one period names it in its context
(`coverage_period`: anything with `label`, `starts_on` and `start_year`) and shows the
structure as on its first day; other pages show it on the as-at date, unless their view or
app sets `coverage_follows_as_at = False` (pages over many years, without the date control).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import BooleanField, CharField, Count, DateField, Max, Min, Value
from django.db.models.functions import Cast

from .caching import cached_fragment
from .dates import DatePrecision, format_partial_date, last_possible_day

COLUMNS = (
    "coverage_kind",
    "coverage_label",
    "coverage_flag",
    "coverage_first",
    "coverage_last",
    "coverage_rows",
)


@dataclass(frozen=True)
class CoverageRow:
    """A summary of some rows of one kind of data: the dates they span (None where the kind
    has no dates), how many there are, a label they share (a date's precision, a source, a
    year) and whether they are illustrative."""

    kind: str
    label: str
    illustrative: bool
    first: dt.date | None
    last: dt.date | None
    rows: int


@dataclass(frozen=True)
class CoverageSource:
    """One kind of data and how its coverage is found and said.

    `parts()` gives querysets made by `coverage_part`; `statement(rows)` says what the rows
    cover, or that and a list of its parts; `notice(rows, on, period)` says, or returns empty, why
    a page showing the day `on` or the `period` goes beyond them."""

    kind: str
    heading: str
    parts: Callable[[], list]
    statement: Callable[[list[CoverageRow]], str | tuple[str, list[str]]]
    notice: Callable[[list[CoverageRow], dt.date | None, object], str]


def coverage_part(queryset, kind: str, *, first=None, last=None, label=None, flag=None):
    """`queryset` summarised in the shape every part of the coverage query shares: grouped by
    `label` and `flag` (expressions; none means one group), the earliest `first` and latest
    `last` (expressions naming dates; none means no dates) and a count."""
    no_date = Cast(Value(None), DateField())
    last = first if last is None else last
    return (
        queryset.order_by()
        .annotate(
            coverage_kind=Value(kind, CharField()),
            coverage_label=Value("", CharField()) if label is None else Cast(label, CharField()),
            coverage_flag=Value(False, BooleanField()) if flag is None else flag,
        )
        .values("coverage_kind", "coverage_label", "coverage_flag")
        .annotate(
            coverage_first=no_date if first is None else Min(first),
            coverage_last=no_date if last is None else Max(last),
            coverage_rows=Count("pk"),
        )
    )


def coverage_sources() -> dict[str, CoverageSource]:
    """Every kind of data the installed apps state coverage for, by kind."""
    found = {}
    for config in apps.get_app_configs():
        for source in getattr(config, "coverage_sources", list)():
            found[source.kind] = source
    return found


def coverage_rows(version: int | None = None) -> list[CoverageRow]:
    """Every kind's summary rows, read in one query and cached until the data change."""

    def build() -> list[CoverageRow]:
        parts = [part for source in coverage_sources().values() for part in source.parts()]
        if not parts:
            return []
        union = parts[0].union(*parts[1:], all=True).order_by()
        return [
            CoverageRow(
                kind=row["coverage_kind"],
                label=row["coverage_label"] or "",
                illustrative=bool(row["coverage_flag"]),
                first=_as_date(row["coverage_first"]),
                last=_as_date(row["coverage_last"]),
                rows=row["coverage_rows"],
            )
            for row in union
            if row["coverage_rows"]
        ]

    return cached_fragment(("coverage",), build, version)


def _precision(row: CoverageRow) -> str:
    return row.label or DatePrecision.DAY


def dated_span(rows: list[CoverageRow]) -> tuple[str, str, dt.date | None]:
    """For rows labelled with the precision of their dates: the first and last dates, said
    no more precisely than known, and the last day the last one can mean (None when there
    are no dates)."""
    dated = [row for row in rows if row.first is not None]
    if not dated:
        return "", "", None
    # Of rows on the same day, the least precise decides what may be said.
    first = min(
        dated,
        key=lambda row: (row.first, -last_possible_day(row.first, _precision(row)).toordinal()),
    )
    last = max(dated, key=lambda row: (row.last, last_possible_day(row.last, _precision(row))))
    return (
        format_partial_date(first.first, _precision(first)),
        format_partial_date(last.last, _precision(last)),
        last_possible_day(last.last, _precision(last)),
    )


def _as_date(value) -> dt.date | None:
    # A UNION's later parts are not converted by the first part's fields on every backend.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class CoverageStatement:
    kind: str
    heading: str
    text: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageCoverage:
    """What a page says about its data: one statement per kind it shows, and the notices."""

    statements: list[CoverageStatement]
    notices: list[str]


def coverage_for_page(
    kinds: Iterable[str], *, on: dt.date | None, period=None, version: int | None = None
) -> PageCoverage:
    """The statements and notices for a page showing `kinds` of data, the structure as it
    stood on `on` (None: no one date) and, for a page about one period, `period`."""
    sources = coverage_sources()
    rows = coverage_rows(version)
    statements, notices = [], []
    for kind in kinds:
        source = sources.get(kind)
        if source is None:
            continue
        own = [row for row in rows if row.kind == kind]
        said = source.statement(own)
        text, items = said if isinstance(said, tuple) else (said, [])
        statements.append(CoverageStatement(kind, source.heading, text, tuple(items)))
        notice = source.notice(own, on, period)
        if notice:
            notices.append(notice)
    return PageCoverage(statements, notices)


def view_setting(func, name: str, default):
    """A coverage setting of the view `func` (a URL pattern's callback): its class's or its
    own attribute `name`, else its app config's, else `default`."""
    for holder in (getattr(func, "view_class", None), func):
        if hasattr(holder, name):
            return getattr(holder, name)
    config = apps.get_containing_app_config(getattr(func, "__module__", "") or "")
    return getattr(config, name, default)


def kinds_for_view(func) -> tuple[str, ...]:
    """The kinds of data the view shows: `coverage_kinds` on the view, else `coverage_shown`
    on its app config, else none."""
    kinds = view_setting(func, "coverage_kinds", None)
    return tuple(kinds if kinds is not None else view_setting(func, "coverage_shown", ()))


def follows_as_at(func) -> bool:
    """Whether the view shows the structure on the as-at date (`coverage_follows_as_at`,
    true unless the view or its app says otherwise: pages that follow a financial year or a
    period, or span many years, hide the date control)."""
    return bool(view_setting(func, "coverage_follows_as_at", True))
