"""NHS Digital "Patients registered at a GP practice" mapping, `gp-reg-pat-prac-map.csv`.

One row per practice with its PCN, CCG, STP and NHS England region, and the extract date
(e.g. `01Jan2022`), which is the date the file describes. Practices, PCNs and CCGs become
members of the STP's system from that date.
"""

import contextlib
import datetime as dt

from ..models import OrganisationKind
from .base import ImportRefused, ParsedFile, clean_code, clean_text, parse_date, read_rows
from .context import ReferenceCodes
from .records import CodeRecord, OrganisationRecord

KIND = "NHS Digital GP practice mapping"
SOURCE = "NHS Digital, Patients registered at a GP practice: practice mapping"
HEADER = [
    "PUBLICATION",
    "EXTRACT_DATE",
    "PRACTICE_CODE",
    "PRACTICE_NAME",
    "PRACTICE_POSTCODE",
    "PCN_CODE",
    "PCN_NAME",
    "ONS_CCG_CODE",
    "CCG_CODE",
    "CCG_NAME",
    "ONS_STP_CODE",
    "STP_CODE",
    "STP_NAME",
    "ONS_COMM_REGION_CODE",
    "COMM_REGION_CODE",
    "COMM_REGION_NAME",
]
DATE_FORMATS = ("%d%b%Y", "%Y-%m-%d", "%d/%m/%Y")


def parse(
    raw: bytes, *, as_at: dt.date | None = None, codes_for=ReferenceCodes.as_at
) -> ParsedFile:
    rows = read_rows(raw)
    _, header = rows[0]
    names = [clean_code(name) for name in header]
    missing = [name for name in HEADER if name not in names]
    if missing:
        raise ImportRefused(
            "This is not an NHS Digital practice mapping: the header lacks " + ", ".join(missing)
        )
    at = {name: names.index(name) for name in HEADER}
    body = rows[1:]
    if not body:
        raise ImportRefused("The file has a header but no practices.")

    def cell(cells, name):
        index = at[name]
        return cells[index] if index < len(cells) else ""

    extract_dates = set()
    for _, cells in body:
        with contextlib.suppress(ValueError):
            extract_dates.add(parse_date(cell(cells, "EXTRACT_DATE"), DATE_FORMATS))
    extract_dates.discard(None)
    file_date = min(extract_dates) if extract_dates else None
    as_at = as_at or file_date
    if as_at is None:
        raise ImportRefused("The file has no readable EXTRACT_DATE: give the date it describes.")
    codes = codes_for(as_at)
    parsed = ParsedFile(kind=KIND, as_at=as_at)

    practices: dict[str, int] = {}
    parents: dict[tuple[str, str], tuple[str, int]] = {}  # (kind, code) -> (system code, row)
    ons_seen: set[str] = set()
    for number, cells in body:
        if len(cells) != len(names):
            parsed.error(number, "whole row", f"has {len(cells)} columns, expected {len(names)}")
            continue
        try:
            extract = parse_date(cell(cells, "EXTRACT_DATE"), DATE_FORMATS)
        except ValueError:
            parsed.error(number, "EXTRACT_DATE", f"“{cell(cells, 'EXTRACT_DATE')}” is not a date")
            continue
        if extract and file_date and extract != file_date:
            parsed.error(number, "EXTRACT_DATE", f"{extract} differs from the file's {file_date}")
            continue
        practice = clean_code(cell(cells, "PRACTICE_CODE"))
        if not practice:
            parsed.error(number, "PRACTICE_CODE", "is empty")
            continue
        if practice in practices:
            parsed.error(
                number, "PRACTICE_CODE", f"{practice} again (first in row {practices[practice]})"
            )
            continue
        practices[practice] = number
        stp = clean_code(cell(cells, "STP_CODE"))
        system_id = codes.system_ids.get(stp)
        if system_id is None:
            parsed.error(
                number,
                "STP_CODE",
                f"{stp or 'empty'} is not an STP or ICB code on {as_at:%d %b %Y}",
            )
            continue
        region = clean_code(cell(cells, "COMM_REGION_CODE"))
        region_id = codes.region_codes.get(region)
        if region_id is None:
            parsed.error(
                number, "COMM_REGION_CODE", f"{region or 'empty'} is not an NHS England region code"
            )
            continue
        if codes.system_region.get(system_id) not in (None, region_id):
            parsed.error(
                number, "COMM_REGION_CODE", f"{stp} is not in region {region} on {as_at:%d %b %Y}"
            )
            continue
        ccg = clean_code(cell(cells, "CCG_CODE"))
        if not ccg:
            parsed.error(number, "CCG_CODE", "is empty")
            continue
        pcn = clean_code(cell(cells, "PCN_CODE"))
        conflict = False
        for kind, code in (("CCG", ccg), ("PCN", pcn)):
            if not code:
                continue
            seen = parents.setdefault((kind, code), (stp, number))
            if seen[0] != stp:
                parsed.error(
                    number,
                    f"{kind}_CODE",
                    f"{code} is in {stp} here but in {seen[0]} in row {seen[1]}",
                )
                conflict = True
        if conflict:
            continue
        parsed.records.append(
            OrganisationRecord(
                number,
                practice,
                clean_text(cell(cells, "PRACTICE_NAME")),
                OrganisationKind.GP_PRACTICE,
                stp,
            )
        )
        if parents[("CCG", ccg)][1] == number:
            parsed.records.append(
                OrganisationRecord(
                    number, ccg, clean_text(cell(cells, "CCG_NAME")), OrganisationKind.CCG, stp
                )
            )
        if pcn and parents[("PCN", pcn)][1] == number:
            parsed.records.append(
                OrganisationRecord(
                    number, pcn, clean_text(cell(cells, "PCN_NAME")), OrganisationKind.PCN, stp
                )
            )
        ons_stp = clean_code(cell(cells, "ONS_STP_CODE"))
        footprint_id = codes.system_footprint.get(system_id)
        if ons_stp and ons_stp not in ons_seen and footprint_id:
            ons_seen.add(ons_stp)
            if codes.footprint_ons.get(ons_stp) != footprint_id:
                parsed.records.append(
                    CodeRecord(
                        number,
                        "footprint",
                        footprint_id,
                        "ons",
                        ons_stp,
                        clean_text(cell(cells, "STP_NAME")),
                    )
                )
    return parsed
