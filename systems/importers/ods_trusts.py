"""NHS Digital ODS trust list, `etr.csv`.

No header, 27 columns: 0 code, 1 name, 2 NHS England region code, 3 STP/ICB code, 4-8 address,
9 postcode, 10 open date (YYYYMMDD), 11 close date. Some extracts quote every field. Column 3
meant area team codes in older extracts; a code that is not an STP or ICB known on the file's
date is reported, so such a file is refused rather than misread.
"""

import datetime as dt
import re

from ..models import OrganisationKind
from .base import (
    MAX_NAME_LENGTH,
    ImportRefused,
    ParsedFile,
    clean_code,
    clean_text,
    given_date,
    parse_date,
    read_rows,
)
from .context import ReferenceCodes
from .records import OrganisationRecord

KIND = "ODS trust list (etr.csv)"
SOURCE = "NHS Digital ODS trust list (etr.csv)"
COLUMNS = 27
TRUST_CODE = re.compile(r"^[A-Z0-9]{3}$")
WELSH_REGION = "W00"


def trust_kind(name: str) -> str:
    # ODS does not say what kind of trust it is; only ambulance trusts say so in their name.
    return (
        OrganisationKind.AMBULANCE_TRUST
        if "AMBULANCE" in name.upper()
        else OrganisationKind.NHS_TRUST
    )


def parse(raw: bytes, *, as_at: dt.date | None, codes: ReferenceCodes) -> ParsedFile:
    if as_at is None:
        raise ImportRefused("An ODS trust list does not say its date: give the date it describes.")
    given_date(as_at)
    parsed = ParsedFile(kind=KIND, as_at=as_at)
    rows = read_rows(raw)
    if all(len(cells) != COLUMNS for _, cells in rows[:5]):
        raise ImportRefused(
            f"This is not an ODS trust list: its rows have {len(rows[0][1])} columns, "
            f"not {COLUMNS}."
        )
    first_seen: dict[str, int] = {}
    for number, cells in rows:
        if len(cells) != COLUMNS:
            parsed.error(number, "whole row", f"has {len(cells)} columns, expected {COLUMNS}")
            continue
        code = clean_code(cells[0])
        name = clean_text(cells[1])
        region = clean_code(cells[2])
        system_code = clean_code(cells[3])
        problems = []
        if not TRUST_CODE.match(code):
            problems.append(("column 1 (code)", f"“{cells[0]}” is not a trust code"))
        elif code in first_seen:
            problems.append(("column 1 (code)", f"{code} again (first in row {first_seen[code]})"))
        else:
            first_seen[code] = number
        if not name:
            problems.append(("column 2 (name)", "is empty"))
        elif len(name) > MAX_NAME_LENGTH:
            problems.append(("column 2 (name)", f"is longer than {MAX_NAME_LENGTH} characters"))
        dates = []
        for index, label in ((10, "column 11 (open date)"), (11, "column 12 (close date)")):
            try:
                dates.append(parse_date(cells[index], ("%Y%m%d",)))
            except ValueError:
                dates.append(None)
                problems.append((label, f"“{cells[index]}” is not a YYYYMMDD date"))
        opened_on, closed_on = dates
        if opened_on and closed_on and closed_on < opened_on:
            problems.append(("column 12 (close date)", "is before the open date"))
        if problems:
            for column, reason in problems:
                parsed.error(number, column, reason)
            continue
        if region == WELSH_REGION:
            parsed.skip(number, "column 3 (region)", f"{code} {name} is a Welsh organisation")
            continue
        if closed_on and closed_on <= as_at:
            parsed.skip(number, "column 12 (close date)", f"{code} {name} closed on {closed_on}")
            continue
        if opened_on and opened_on > as_at:
            parsed.skip(number, "column 11 (open date)", f"{code} {name} opens after {as_at}")
            continue
        if region not in codes.region_codes:
            problems.append(
                ("column 3 (region)", f"{region or 'empty'} is not an NHS England region code")
            )
        if system_code not in codes.system_ids:
            problems.append(
                (
                    "column 4 (STP/ICB code)",
                    f"{system_code or 'empty'} is not an STP or ICB code on {as_at:%d %b %Y}",
                )
            )
        if problems:
            for column, reason in problems:
                parsed.error(number, column, reason)
            continue
        parsed.records.append(
            OrganisationRecord(
                row=number,
                ods_code=code,
                name=name,
                kind=trust_kind(name),
                system_code=system_code,
                opened_on=opened_on,
                closed_on=closed_on,
            )
        )
    return parsed
