"""The project's own footprint ONS codes, read from the shipped reference CSVs: which system
held each code on a day. Shared by the development-time conversion scripts, which match the
codes in public files to systems through it (a code the project does not know is an error)."""

import csv
import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "systems" / "reference_data"


def _year_or_date(text: str) -> dt.date:
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return dt.date(*parts[:3])


def _valid(row, day):
    start = _year_or_date(row["valid_from"])
    end = dt.date.fromisoformat(row["valid_until"]) if row["valid_until"] else None
    return start <= day and (end is None or end >= day)


def systems_by_ons_code(day: dt.date) -> dict[str, str]:
    """The slug of the system that covered the whole of each footprint on `day`, by the
    footprint's ONS code valid then."""
    with (DATA / "codes.csv").open(encoding="utf-8") as handle:
        footprint_by_code = {
            row["code"]: row["owner"]
            for row in csv.DictReader(handle)
            if row["owner_type"] == "footprint" and row["scheme"] == "ons" and _valid(row, day)
        }
    with (DATA / "system_footprints.csv").open(encoding="utf-8") as handle:
        system_by_footprint = {
            row["footprint"]: row["system"]
            for row in csv.DictReader(handle)
            if row["scope"] == "whole" and _valid(row, day)
        }
    return {code: system_by_footprint[fp] for code, fp in footprint_by_code.items()}
