"""NHS Digital "Patients registered at a GP practice" mapping, `gp-reg-pat-prac-map.csv`.

One row per practice with its PCN, CCG, STP and NHS England region, and the extract date
(e.g. `01Jan2022`), which is the date the file describes. Practices, PCNs and CCGs become
members of the STP's system from that date.
"""

import contextlib
import datetime as dt
from collections import Counter
from decimal import ROUND_DOWN, Decimal

from ..models import OrganisationKind
from .base import (
    MAX_NAME_LENGTH,
    ODS_CODE,
    ImportRefused,
    ParsedFile,
    clean_code,
    clean_text,
    ends_mid_row,
    given_date,
    not_after_today,
    parse_date,
    read_rows,
)
from .context import ReferenceCodes
from .ons_lookup import CODE_PATTERN as ONS_CODE
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
# The code NHS Digital gives practices that are in no PCN (68 of them in January 2022); the
# published count of 1,255 PCN codes includes it.
UNALLOCATED_PCN = "U"
DATE_FORMATS = ("%d%b%Y", "%Y-%m-%d", "%d/%m/%Y")
# Code columns and the name each code carries: the same code has the same name on every row.
NAMED_CODES = (
    ("COMM_REGION_CODE", "COMM_REGION_NAME"),
    ("STP_CODE", "STP_NAME"),
    ("CCG_CODE", "CCG_NAME"),
    ("PCN_CODE", "PCN_NAME"),
)


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

    extract_dates = {}
    for number, cells in body:
        with contextlib.suppress(ValueError):
            extract_dates.setdefault(parse_date(cell(cells, "EXTRACT_DATE"), DATE_FORMATS), number)
    extract_dates.pop(None, None)
    file_date = min(extract_dates) if extract_dates else None
    if as_at is not None:
        given_date(as_at)
    as_at = as_at or file_date
    if as_at is None:
        raise ImportRefused("The file has no readable EXTRACT_DATE: give the date it describes.")
    codes = codes_for(as_at)
    parsed = ParsedFile(kind=KIND, as_at=as_at)
    if file_date is not None:
        try:
            not_after_today(file_date)
        except ValueError as error:
            parsed.error(extract_dates[file_date], "EXTRACT_DATE", str(error))

    practices: dict[str, int] = {}
    # (kind, code) -> first row, name, and how many of its practices are in each STP
    parents: dict[tuple[str, str], dict] = {}
    ons_seen: set[str] = set()
    # (code column, code) -> (name, row): a code has one name throughout the file
    named: dict[tuple[str, str], tuple[str, int]] = {}
    for number, cells in body:
        if len(cells) != len(names):
            parsed.error(number, "whole row", f"has {len(cells)} columns, expected {len(names)}")
            continue
        problems = _row_problems(
            number, cells, cell, file_date=file_date, practices=practices, codes=codes, as_at=as_at
        )
        pcn = clean_code(cell(cells, "PCN_CODE"))
        if pcn == UNALLOCATED_PCN or clean_text(cell(cells, "PCN_NAME")).lower() == "unallocated":
            pcn = ""  # a practice in no network: "U" is not a PCN
        elif not ODS_CODE.match(pcn):
            problems.append(("PCN_CODE", f"“{cell(cells, 'PCN_CODE')}” is not an ODS code"))
        for code_column, name_column in NAMED_CODES:
            code = clean_code(cell(cells, code_column))
            name = clean_text(cell(cells, name_column))
            if not code or (code_column == "PCN_CODE" and not pcn):
                continue
            first_name, first_row = named.setdefault((code_column, code), (name, number))
            if name != first_name:
                problems.append(
                    (
                        name_column,
                        f"{code} is “{name}” here but “{first_name}” in row {first_row}",
                    )
                )
        for column, reason in problems:
            parsed.error(number, column, reason)
        if problems:
            continue
        practice = clean_code(cell(cells, "PRACTICE_CODE"))
        stp = clean_code(cell(cells, "STP_CODE"))
        system_id = codes.system_ids[stp]
        ccg = clean_code(cell(cells, "CCG_CODE"))
        parsed.records.append(
            OrganisationRecord(
                number,
                practice,
                clean_text(cell(cells, "PRACTICE_NAME")),
                OrganisationKind.GP_PRACTICE,
                stp,
            )
        )
        for kind, code, name in (
            (OrganisationKind.CCG, ccg, cell(cells, "CCG_NAME")),
            (OrganisationKind.PCN, pcn, cell(cells, "PCN_NAME")),
        ):
            if code:
                parent = parents.setdefault(
                    (kind, code), {"row": number, "name": clean_text(name), "stps": Counter()}
                )
                parent["stps"][stp] += 1
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
    if body and ends_mid_row(raw):
        parsed.error(
            body[-1][0],
            "whole row",
            "the file stops in this row without a line end: it looks cut short; download it again",
        )
    # A PCN (or CCG) whose practices are in more than one system is a member of each, with
    # the share of its practices there: 4 PCNs crossed STP boundaries in January 2022.
    for (kind, code), parent in parents.items():
        for stp, share in practice_shares(parent["stps"]).items():
            parsed.records.append(
                OrganisationRecord(parent["row"], code, parent["name"], kind, stp, share=share)
            )
    return parsed


def _row_problems(
    number, cells, cell, *, file_date, practices, codes, as_at
) -> list[tuple[str, str]]:
    """Every problem with a row's date, practice, STP, region and CCG, as (column, reason)."""
    problems = []
    try:
        extract = parse_date(cell(cells, "EXTRACT_DATE"), DATE_FORMATS)
    except ValueError:
        problems.append(("EXTRACT_DATE", f"“{cell(cells, 'EXTRACT_DATE')}” is not a date"))
    else:
        if extract and file_date and extract != file_date:
            problems.append(("EXTRACT_DATE", f"{extract} differs from the file's {file_date}"))
    practice = clean_code(cell(cells, "PRACTICE_CODE"))
    if not practice:
        problems.append(("PRACTICE_CODE", "is empty"))
    elif not ODS_CODE.match(practice):
        problems.append(("PRACTICE_CODE", f"“{cell(cells, 'PRACTICE_CODE')}” is not an ODS code"))
    elif practice in practices:
        problems.append(("PRACTICE_CODE", f"{practice} again (first in row {practices[practice]})"))
    else:
        practices[practice] = number
    if len(clean_text(cell(cells, "PRACTICE_NAME"))) > MAX_NAME_LENGTH:
        problems.append(("PRACTICE_NAME", f"is longer than {MAX_NAME_LENGTH} characters"))
    stp = clean_code(cell(cells, "STP_CODE"))
    system_id = codes.system_ids.get(stp)
    if system_id is None:
        problems.append(
            ("STP_CODE", f"{stp or 'empty'} is not an STP or ICB code on {as_at:%d %b %Y}")
        )
    region = clean_code(cell(cells, "COMM_REGION_CODE"))
    region_id = codes.region_codes.get(region)
    if region_id is None:
        problems.append(
            ("COMM_REGION_CODE", f"{region or 'empty'} is not an NHS England region code")
        )
    elif system_id is not None and codes.system_region.get(system_id) not in (None, region_id):
        problems.append(
            ("COMM_REGION_CODE", f"{stp} is not in region {region} on {as_at:%d %b %Y}")
        )
    ccg = clean_code(cell(cells, "CCG_CODE"))
    if not ccg:
        problems.append(("CCG_CODE", "is empty"))
    elif not ODS_CODE.match(ccg):
        problems.append(("CCG_CODE", f"“{cell(cells, 'CCG_CODE')}” is not an ODS code"))
    ons_stp = clean_code(cell(cells, "ONS_STP_CODE"))
    if ons_stp and not ONS_CODE["footprint"].match(ons_stp):
        problems.append(
            ("ONS_STP_CODE", f"“{cell(cells, 'ONS_STP_CODE')}” is not an ONS STP or ICB code")
        )
    for name_column in ("PCN_NAME", "CCG_NAME"):
        if len(clean_text(cell(cells, name_column))) > MAX_NAME_LENGTH:
            problems.append((name_column, f"is longer than {MAX_NAME_LENGTH} characters"))
    return problems


def practice_shares(counts: Counter) -> dict[str, Decimal]:
    """Shares proportional to practice counts, to 4 places, adding up to exactly 1."""
    total = sum(counts.values())
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shares = {
        stp: (Decimal(n) / total).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
        for stp, n in ordered[1:]
    }
    shares[ordered[0][0]] = Decimal(1) - sum(shares.values(), Decimal(0))
    return shares
