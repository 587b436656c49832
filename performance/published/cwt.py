"""NHS England's Cancer Waiting Times provider data extract, 62-day standard.

The extract (e.g. `CWT-CRS-Oct-2023-Data-Extract-Provider.xlsx`, its one sheet saved as CSV) is
flat: a row per month, standard, provider, route, treatment modality and cancer type, with
`TOTAL TREATED` (`TOTAL` in the 2022-23 extract), `WITHIN STANDARD` and `BREACHES`. It may
cover several months; each row's `PERIOD` gives its month (an Excel date: the number Excel
stores, `45017`, or the date as Excel writes it, `01/04/2023`, or `2023-04-01`).

`cancer-62-day` per provider and month, from the urgent referral to first treatment rows:
`STANDARD` `62 Days` (to September 2023, when the other routes were separate standards), or
`62-day Combined` with `STAGE/ROUTE` `Urgent Suspected Cancer` (from October 2023, and the
restated April to September 2023 figures). Each provider, month and route is published twice,
broken down by cancer type (with `ALL MODALITIES`) and by treatment modality (with `ALL
CANCERS`); there is no row for all of both. The figure adds up the cancer types, and the
modalities must add up to the same (otherwise the row is reported): never both.

Half counts: a patient whose care was shared between two providers counts a half to each, so
counts can end in `.5`. Observations hold whole patients, so the provider's month total and
its number within the standard are each rounded to the nearest whole number, halves to the
even neighbour (`whole`); the source says so. A rate moves by at most half a patient on each.
"""

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

from systems.importers.base import (
    Layout,
    ParsedFile,
    clean_code,
    clean_text,
    not_after_today,
    read_published_table,
)

from .base import Providers, importer, observation, published_count, standards, whole

KIND = "NHS England Cancer Waiting Times provider extract (62-day)"
PUBLICATION = "NHS England, Cancer Waiting Times, 62 days from urgent referral to first treatment"
URGENT_ROUTE = "URGENT SUSPECTED CANCER"
ALL_MODALITIES = "ALL MODALITIES"
ALL_CANCERS = "ALL CANCERS"
EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL = re.compile(r"^\d{5}$")

_COLUMNS = {
    "period": "PERIOD",
    "standard": "STANDARD",
    "code": "ORG CODE",
    "route": "STAGE/ROUTE",
    "modality": "TREATMENT MODALITY",
    "cancer": "CANCER TYPE",
    "within": "WITHIN STANDARD",
    "breaches": "BREACHES",
}
LAYOUTS = (
    Layout("2023-24 onwards (TOTAL TREATED)", {**_COLUMNS, "total": "TOTAL TREATED"}),
    Layout("2022-23 (TOTAL)", {**_COLUMNS, "total": "TOTAL"}),
)


def is_62_day_urgent(standard: str, route: str) -> bool:
    return standard == "62 DAYS" or (standard == "62-DAY COMBINED" and route == URGENT_ROUTE)


def parse_period(text: str) -> dt.date:
    """The month of a PERIOD cell, which must be the first of it."""
    value = clean_text(text)
    try:
        if _SERIAL.match(value):
            day = EXCEL_EPOCH + dt.timedelta(days=int(value))
        elif "/" in value:
            day = dt.datetime.strptime(value, "%d/%m/%Y").date()
        else:
            day = dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"“{text}” is not a date (write 01/04/2023 or 2023-04-01)") from None
    if day.day != 1:
        raise ValueError(f"“{text}” is not the first of a month")
    return not_after_today(day)


def parse(raw: bytes, *, source_note: str) -> ParsedFile:
    """Read and check a file; writes nothing."""
    parsed = ParsedFile(kind=KIND, as_at=None)
    _layout, table = read_published_table(
        raw, parsed, layouts=LAYOUTS, what="NHS England's Cancer Waiting Times provider extract"
    )
    standard_id = standards("cancer-62-day")["cancer-62-day"]
    # (provider, month) -> "cancers" or "modalities" -> [total, within]
    sums = defaultdict(lambda: {"cancers": [Decimal(0)] * 2, "modalities": [Decimal(0)] * 2})
    first_row, seen, broken = {}, {}, set()
    for number, cells in table.rows:
        cell = {role: clean_code(table.cell(cells, role)) for role in _COLUMNS if role != "period"}
        if not is_62_day_urgent(cell["standard"], cell["route"]):
            continue
        errors = len(parsed.errors)
        try:
            month = parse_period(table.cell(cells, "period"))
        except ValueError as error:
            parsed.error(number, table.column("period"), str(error))
            continue
        breakdown = _breakdown(parsed, number, table, cell)
        key = (cell["code"], month, cell["route"], cell["modality"], cell["cancer"])
        if key in seen:
            parsed.error(number, table.column("cancer"), f"repeats row {seen[key]}")
        seen.setdefault(key, number)
        counts = _counts(parsed, number, table, cells)
        if len(parsed.errors) > errors:
            broken.add((cell["code"], month))
            continue
        first_row.setdefault((cell["code"], month), (number, cells))
        added = sums[(cell["code"], month)][breakdown]
        added[:] = [added[0] + counts["total"], added[1] + counts["within"]]
    providers = Providers(table, "code")
    for (code, month), (number, _cells) in first_row.items():
        if (code, month) in broken:
            continue  # its figures are incomplete, and its rows' errors are reported
        by_cancer, by_modality = sums[(code, month)]["cancers"], sums[(code, month)]["modalities"]
        if any(by_modality) and any(by_cancer) and by_cancer != by_modality:
            parsed.error(
                number,
                table.column("total"),
                f"{code}'s {month:%B %Y} figures by cancer type add to {shown(by_cancer[0])} "
                f"treated, {shown(by_cancer[1])} within the standard, but by treatment modality "
                f"to {shown(by_modality[0])} and {shown(by_modality[1])}",
            )
            continue
        provider = providers.find(parsed, number, table.column("code"), code)
        if provider is None or parsed.errors:
            continue
        total, within = by_cancer if any(by_cancer) else by_modality
        source = f"{PUBLICATION}, {month:%B %Y} ({source_note}); half counts rounded"
        parsed.records.append(
            observation(number, provider, standard_id, month, whole(within), whole(total), source)
        )
    return parsed


def shown(count: Decimal) -> str:
    """A count as the file writes it: 70, 11.5."""
    return format(count.normalize(), "f")


def _breakdown(parsed, number, table, cell) -> str:
    if cell["modality"] == ALL_MODALITIES and cell["cancer"] != ALL_CANCERS:
        return "cancers"
    if cell["cancer"] == ALL_CANCERS and cell["modality"] != ALL_MODALITIES:
        return "modalities"
    parsed.error(
        number,
        table.column("modality"),
        f"a row is one cancer type with {ALL_MODALITIES} or one modality with {ALL_CANCERS}, "
        f"not {cell['cancer']} with {cell['modality'] or 'no modality'}",
    )
    return "cancers"


def _counts(parsed, number, table, cells) -> dict[str, Decimal]:
    counts = {}
    for role in ("total", "within", "breaches"):
        try:
            counts[role] = published_count(table.cell(cells, role), halves=True)
        except ValueError as error:
            parsed.error(number, table.column(role), str(error))
    if len(counts) == 3 and counts["within"] + counts["breaches"] != counts["total"]:
        parsed.error(
            number,
            table.column("total"),
            f"{shown(counts['total'])} is not the {shown(counts['within'])} within the standard "
            f"plus the {shown(counts['breaches'])} breaches",
        )
    return counts


import_cwt_file = importer(parse)
