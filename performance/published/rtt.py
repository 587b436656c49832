"""NHS England's monthly Referral to Treatment (RTT) “full CSV data file”, incomplete pathways.

The file (e.g. `20190330-RTT-MARCH-2019-full-extract.csv`, inside the month's zip) has a row per
provider, commissioner, RTT part and treatment function, with the patients in each week band
(`Gt 00 To 01 Weeks SUM 1` …) and `Total All`. Two layouts: bands to 52 weeks (to March 2021)
and to 104 weeks (from April 2021). The period column (`RTT-MARCH-2019`) gives the month.

`rtt-18-weeks` per provider and month, from the incomplete pathways (`RTT Part Type` `Part_2`;
`Part_2A`, the incomplete pathways with a decision to admit, is a subset of them and never
added; the completed pathways and new periods are other measures):

- denominator = `Total All`, numerator = the patients in the 18 bands up to 18 weeks
  (`Gt 00 To 01` … `Gt 17 To 18`), the within-18-weeks figure NHS England publishes;
- summed over the provider's commissioners (all of them, including `NONC`, commissioners
  outside England: the provider's own figure counts every patient it is treating);
- for each commissioner, the treatment function `C_999` (Total) row where there is one, which
  already adds up the others; only where a commissioner has no `C_999` row are its treatment
  functions added up. The two are never both counted.

The full file is large (hundreds of megabytes) and imports are limited in size; the rows this
importer reads (header, `Part_2`) can be cut out of it and imported alone, in the same layout.
"""

import re
from collections import defaultdict

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

KIND = "NHS England RTT full CSV data file (incomplete pathways)"
PUBLICATION = "NHS England, Referral to Treatment Waiting Times, incomplete pathways"
INCOMPLETE = "PART_2"
TOTAL_FUNCTION = "C_999"
WITHIN = 18  # weeks
_PERIOD = re.compile(r"RTT-([A-Za-z]+)-(\d{4})", re.IGNORECASE)


def _band(week: int) -> str:
    return f"Gt {week:02d} To {week + 1:02d} Weeks SUM 1"


def _layout(name: str, weeks: int) -> Layout:
    bands = {f"band {week}": _band(week) for week in range(weeks)}
    return Layout(
        name,
        {
            "period": "Period",
            "provider": "Provider Org Code",
            "provider name": "Provider Org Name",
            "commissioner": "Commissioner Org Code",
            "part": "RTT Part Type",
            "function": "Treatment Function Code",
            **bands,
            f"band {weeks}": f"Gt {weeks} Weeks SUM 1",
            "total": "Total All",
        },
    )


LAYOUTS = (_layout("to March 2021 (52 weeks)", 52), _layout("April 2021 onwards (104 weeks)", 104))


def parse(raw: bytes, *, source_note: str) -> ParsedFile:
    """Read and check a file; writes nothing."""
    parsed = ParsedFile(kind=KIND, as_at=None)
    layout, table = read_published_table(
        raw, parsed, layouts=LAYOUTS, what="NHS England's RTT full CSV data file"
    )
    standard_id = standards("rtt-18-weeks")["rtt-18-weeks"]
    bands = [role for role in layout.columns if role.startswith("band ")]
    file_month = OneMonth()
    # provider code -> commissioner -> "total" or "functions" -> [within, all]
    sums = defaultdict(lambda: defaultdict(lambda: {"total": None, "functions": [0, 0]}))
    first_row, seen, incomplete = {}, {}, []
    for number, cells in table.rows:
        try:
            file_month.check(number, month_named(table.cell(cells, "period"), _PERIOD))
        except ValueError as error:
            parsed.error(number, table.column("period"), str(error))
        if clean_code(table.cell(cells, "part")) != INCOMPLETE:
            continue
        code = clean_code(table.cell(cells, "provider"))
        key = (code, *(clean_code(table.cell(cells, r)) for r in ("commissioner", "function")))
        if key in seen:
            parsed.error(
                number,
                table.column("function"),
                f"{key[0]}'s incomplete pathways for commissioner {key[1]} and treatment "
                f"function {key[2]} are in row {seen[key]} too",
            )
            continue
        seen[key] = number
        figures = _figures(parsed, number, table, cells, bands)
        first_row.setdefault(code, (number, cells))
        incomplete.append(number)
        if figures is None:
            continue
        counted = sums[code][key[1]]
        if key[2] == TOTAL_FUNCTION:
            counted["total"] = figures
        else:
            counted["functions"][0] += figures[0]
            counted["functions"][1] += figures[1]
    if not incomplete and not parsed.errors:
        parsed.error(table.header_row + 1, table.column("part"), f"no row is {INCOMPLETE}")
    providers = Providers(table, "provider")
    for code, (number, cells) in first_row.items():
        provider = providers.find(
            parsed, number, table.column("provider"), code, table.cell(cells, "provider name")
        )
        if provider is None or parsed.errors:
            continue
        counted = [c["total"] or c["functions"] for c in sums[code].values()]
        within, total = sum(c[0] for c in counted), sum(c[1] for c in counted)
        parsed.records.append(
            observation(
                number,
                provider,
                standard_id,
                file_month.month,
                within,
                total,
                f"{PUBLICATION}, {file_month.month:%B %Y} ({source_note})",
            )
        )
    return parsed


def _figures(parsed, number, table, cells, bands) -> tuple[int, int] | None:
    """(patients within 18 weeks, Total All) of a row, or None with its errors reported."""
    counts, errors = {}, len(parsed.errors)
    for role in [*bands, "total"]:
        try:
            counts[role] = int(published_count(table.cell(cells, role)))
        except ValueError as error:
            parsed.error(number, table.column(role), str(error))
    if len(parsed.errors) > errors:
        return None
    in_bands = sum(counts[role] for role in bands)
    if in_bands > counts["total"]:
        parsed.error(
            number,
            table.column("total"),
            f"{counts['total']} is less than the {in_bands} patients in the week bands",
        )
        return None
    return sum(counts[f"band {week}"] for week in range(WITHIN)), counts["total"]


import_rtt_file = importer(parse)
