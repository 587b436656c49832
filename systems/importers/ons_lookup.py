"""ONS code lookups for STPs, ICBs and NHS England regions (`stp18cd,stp18nm`,
`nhser20cd,nhser20nm,stp20cd,stp20nm`, `icb22cd,icb22nm`, ...).

Each code is matched to a footprint or region by a code it already has, or else by name, and
recorded as valid from the file's date (given, or 1 April of the year in the column names, when
ONS publishes them). A code that matches nothing is reported, not guessed.
"""

import datetime as dt
import re

from ..models import Code, CodeScheme, Footprint, Region, SystemFootprint
from .base import (
    ImportRefused,
    ParsedFile,
    clean_code,
    clean_text,
    given_date,
    not_after_today,
    read_rows,
)
from .records import CodeRecord

KIND = "ONS code lookup"
SOURCE = "ONS code lookup"
COLUMN = re.compile(r"^(stp|icb|nhser)(\d\d)(cd|nm)$")
CODE_PATTERN = {"footprint": re.compile(r"^E54\d{6}$"), "region": re.compile(r"^E40\d{6}$")}
_DROP = re.compile(
    r"\b(nhs|integrated care board|icb|stp|health and care partnership|partnership|"
    r"health and social care|health and care|ics)\b"
)


def name_key(name: str) -> str:
    text = clean_text(name).lower().replace("&", " and ")
    text = _DROP.sub(" ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(word for word in text.split() if word not in {"the", "of", "and"})


def _footprint_names(as_at: dt.date) -> dict[str, int]:
    names = {name_key(f.name): f.pk for f in Footprint.objects.as_at(as_at)}
    for coverage in (
        SystemFootprint.objects.as_at(as_at).filter(scope="whole").select_related("system")
    ):
        for name in (coverage.system.name, coverage.system.official_name):
            if name:
                names.setdefault(name_key(name), coverage.footprint_id)
    return names


def parse(raw: bytes, *, as_at: dt.date | None = None) -> ParsedFile:
    rows = read_rows(raw)
    header_row, header = rows[0]
    columns = {}
    for index, name in enumerate(header):
        match = COLUMN.match(clean_text(name).lower())
        if match:
            columns[(match[1], match[3])] = (index, int(match[2]))
    entities = [
        prefix
        for prefix in ("stp", "icb", "nhser")
        if (prefix, "cd") in columns and (prefix, "nm") in columns
    ]
    if not entities:
        raise ImportRefused(
            "This is not an ONS lookup of STPs, ICBs or regions: the header needs a code and a "
            "name column such as stp18cd,stp18nm or nhser20cd,nhser20nm."
        )
    code_index, year = columns[(entities[0], "cd")]
    if as_at is not None:
        given_date(as_at)
    parsed = ParsedFile(kind=KIND, as_at=as_at or dt.date(2000 + year, 4, 1))
    if as_at is None:
        try:
            not_after_today(parsed.as_at)
        except ValueError as error:
            parsed.error(
                header_row, header[code_index].strip(), f"the year in the name means {error}"
            )
    as_at = parsed.as_at
    known = {
        (owner, code): owner_id
        for code, owner, owner_id in [
            (c, "footprint", f)
            for c, f in Code.objects.filter(
                scheme=CodeScheme.ONS, footprint__isnull=False
            ).values_list("code", "footprint_id")
        ]
        + [
            (c, "region", r)
            for c, r in Code.objects.filter(
                scheme=CodeScheme.ONS, region__isnull=False
            ).values_list("code", "region_id")
        ]
    }
    footprints = _footprint_names(as_at)
    regions = {name_key(r.name): r.pk for r in Region.objects.all()}
    seen: dict[tuple[str, str], tuple[int, str]] = {}  # (owner type, code) -> row, name
    owners: dict[tuple[str, int], tuple[int, str]] = {}  # (owner type, id) -> row, code
    for number, cells in rows[1:]:
        if len(cells) != len(header):
            parsed.error(number, "whole row", f"has {len(cells)} columns, expected {len(header)}")
            continue
        for prefix in entities:
            owner_type = "region" if prefix == "nhser" else "footprint"
            code_at, name_at = columns[(prefix, "cd")][0], columns[(prefix, "nm")][0]
            code = clean_code(cells[code_at])
            name = clean_text(cells[name_at])
            column = header[code_at].strip()
            if not CODE_PATTERN[owner_type].match(code):
                parsed.error(number, column, f"“{cells[code_at]}” is not an ONS {owner_type} code")
                continue
            if (owner_type, code) in seen:
                # A region repeats on every row of a region-to-STP lookup, with its one name.
                first_row, first_name = seen[(owner_type, code)]
                if name != first_name:
                    parsed.error(
                        number,
                        header[name_at].strip(),
                        f"{code} is “{name}” here but “{first_name}” in row {first_row}",
                    )
                continue
            seen[(owner_type, code)] = (number, name)
            owner_id = known.get((owner_type, code))
            if owner_id is None:
                owner_id = (regions if owner_type == "region" else footprints).get(name_key(name))
            if owner_id is None:
                parsed.error(
                    number,
                    header[name_at].strip(),
                    f"no {owner_type} on {as_at:%d %b %Y} is called “{name}” or has code {code}",
                )
                continue
            if (owner_type, owner_id) in owners:
                first_row, first_code = owners[(owner_type, owner_id)]
                parsed.error(
                    number,
                    column,
                    f"{code} is for the same {owner_type} as {first_code} in row {first_row}",
                )
                continue
            owners[(owner_type, owner_id)] = (number, code)
            parsed.records.append(CodeRecord(number, owner_type, owner_id, "ons", code, name))
    return parsed
