"""NHS England's monthly “A&E Attendances and Emergency Admissions” provider CSV.

One file a month (e.g. `Monthly-AE-March-2019.csv`), one row per organisation, with a national
`TOTAL` row (recognised by `TOTAL` in its period, code, parent or name, in any case, and
skipped: England's figure is computed from the providers). The period column (`MSitAE-MARCH-2019`)
gives the month. Three layouts have been published:

- to March 2020: `Number of A&E attendances Type 1` … `Number of attendances over 4hrs Other A&E
  Department`;
- April to July 2020: the same without “Number of” (`A&E attendances Type 1`, `Attendances over
  4hrs Other Department`);
- from August 2020: as April 2020, with six “Booked Appointments” columns (attendances and over
  4 hours, by department type).

Per provider and month:

- `ae-4-hour`: denominator = attendances over all department types (type 1, type 2, other);
  numerator = those attendances less the ones over 4 hours. This is NHS England's measure.
- `ae-4-hour-type-1`: the same for type 1 (major A&E) departments only; a provider without
  type 1 attendances has no type 1 figure.

Booked appointments (from August 2020) are counted as attendances in addition to the unbooked
ones, in both numerator and denominator, and booked type 1 appointments in the type 1 view: NHS
England collects them as separate data items, and its “total attendances” include them.
Public code that reads these files disagrees on this (one reader treats them as a subset of the
type columns); it has not been checked here against a published England total, so this choice
is unverified. A provider with no attendances at all has no observation (a rate of nothing).
"""

import re

from systems.importers.base import Layout, ParsedFile, clean_code, read_published_table

from .base import (
    OneMonth,
    Providers,
    importer,
    month_named,
    observation,
    published_count,
    standards,
)

KIND = "NHS England A&E Attendances and Emergency Admissions, provider CSV"
PUBLICATION = "NHS England, A&E Attendances and Emergency Admissions"
TYPES = ("1", "2", "other")
_PERIOD = re.compile(r"MSitAE-([A-Za-z]+)-(\d{4})", re.IGNORECASE)

_NAMES = {"period": "Period", "code": "Org Code", "parent": "Parent Org", "name": "Org name"}
BEFORE_APRIL_2020 = Layout(
    "to March 2020",
    {
        **_NAMES,
        "attendances 1": "Number of A&E attendances Type 1",
        "attendances 2": "Number of A&E attendances Type 2",
        "attendances other": "Number of A&E attendances Other A&E Department",
        "over 1": "Number of attendances over 4hrs Type 1",
        "over 2": "Number of attendances over 4hrs Type 2",
        "over other": "Number of attendances over 4hrs Other A&E Department",
    },
)
_FROM_APRIL_2020 = {
    **_NAMES,
    "attendances 1": "A&E attendances Type 1",
    "attendances 2": "A&E attendances Type 2",
    "attendances other": "A&E attendances Other A&E Department",
    "over 1": "Attendances over 4hrs Type 1",
    "over 2": "Attendances over 4hrs Type 2",
    "over other": "Attendances over 4hrs Other Department",
}
APRIL_TO_JULY_2020 = Layout("April to July 2020", _FROM_APRIL_2020)
FROM_AUGUST_2020 = Layout(
    "August 2020 onwards",
    {
        **_FROM_APRIL_2020,
        "booked attendances 1": "A&E attendances Booked Appointments Type 1",
        "booked attendances 2": "A&E attendances Booked Appointments Type 2",
        "booked attendances other": "A&E attendances Booked Appointments Other Department",
        "booked over 1": "Attendances over 4hrs Booked Appointments Type 1",
        "booked over 2": "Attendances over 4hrs Booked Appointments Type 2",
        "booked over other": "Attendances over 4hrs Booked Appointments Other Department",
    },
)
LAYOUTS = (FROM_AUGUST_2020, APRIL_TO_JULY_2020, BEFORE_APRIL_2020)


def is_total(table, cells) -> bool:
    return any(
        clean_code(table.cell(cells, role)) == "TOTAL"
        for role in ("period", "code", "parent", "name")
    )


def parse(raw: bytes, *, source_note: str) -> ParsedFile:
    """Read and check a file; writes nothing."""
    parsed = ParsedFile(kind=KIND, as_at=None)
    layout, table = read_published_table(
        raw, parsed, layouts=LAYOUTS, what="NHS England's monthly A&E provider CSV"
    )
    ids = standards("ae-4-hour", "ae-4-hour-type-1")
    providers = Providers(table, "code")
    file_month, first_seen = OneMonth(), {}
    for number, cells in table.rows:
        if is_total(table, cells):
            continue
        errors = len(parsed.errors)
        try:
            month = month_named(table.cell(cells, "period"), _PERIOD)
            file_month.check(number, month)
        except ValueError as error:
            parsed.error(number, table.column("period"), str(error))
        counts = _counts(parsed, number, table, layout, cells)
        code = clean_code(table.cell(cells, "code"))
        if code in first_seen:
            parsed.error(number, table.column("code"), f"{code} is in row {first_seen[code]} too")
            continue
        first_seen[code] = number
        provider = providers.find(
            parsed, number, table.column("code"), code, table.cell(cells, "name")
        )
        if provider is None or len(parsed.errors) > errors:
            continue
        source = f"{PUBLICATION}, {month:%B %Y} ({source_note})"
        attendances = sum(counts[f"attendances {t}"] for t in TYPES)
        over = sum(counts[f"over {t}"] for t in TYPES)
        if attendances:
            parsed.records.append(
                observation(
                    number,
                    provider,
                    ids["ae-4-hour"],
                    month,
                    attendances - over,
                    attendances,
                    source,
                )
            )
        if counts["attendances 1"]:
            parsed.records.append(
                observation(
                    number,
                    provider,
                    ids["ae-4-hour-type-1"],
                    month,
                    counts["attendances 1"] - counts["over 1"],
                    counts["attendances 1"],
                    source,
                )
            )
    return parsed


def _counts(parsed, number, table, layout, cells) -> dict[str, int]:
    """Attendances and those over 4 hours by department type, booked ones added in; reports
    a cell that is not a count, and more over 4 hours than attendances."""
    counts, errors = {}, len(parsed.errors)
    for role in layout.columns:
        if role in _NAMES:
            continue
        try:
            counts[role] = int(published_count(table.cell(cells, role)))
        except ValueError as error:
            parsed.error(number, table.column(role), str(error))
            counts[role] = 0
    if len(parsed.errors) > errors:
        return counts  # the comparisons below would only repeat the unreadable cell
    for t in TYPES:
        for what in ("attendances", "over"):
            counts[f"{what} {t}"] += counts.get(f"booked {what} {t}", 0)
        if counts[f"over {t}"] > counts[f"attendances {t}"]:
            parsed.error(
                number,
                table.column(f"over {t}"),
                f"{counts[f'over {t}']} attendances over 4 hours are more than the "
                f"{counts[f'attendances {t}']} attendances of type {t}",
            )
    return counts


import_ae_file = importer(parse)
