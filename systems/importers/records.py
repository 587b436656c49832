"""The plain records importers produce and the writer consumes."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class OrganisationRecord:
    row: int
    ods_code: str
    name: str
    kind: str
    system_code: str  # the ODS code of the system (STP/ICB) it belongs to on the file's date
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None
    share: Decimal = Decimal(1)  # of the organisation, where it spans several systems


@dataclass(frozen=True)
class CodeRecord:
    row: int
    owner_type: str  # "footprint" or "region"
    owner_id: int
    scheme: str
    code: str
    name: str
