"""Write systems/reference_data/sub_icb_locations.csv: the 106 sub-ICB locations (the former
CCGs, keeping their codes) under their ICBs from 1 July 2022, as dated rows.

A development-time script; the project ships the CSV it writes and never reads .rda files.
Run it with a Python that has `rdata` (`pip install rdata`, not a runtime dependency):

    python scripts/convert_sub_icb_locations.py ../shared/data-sources

What each row rests on:
- the ICB from 1 July 2022 is the one over the CCG's STP in the January 2022 practice mapping
  (the snapshot the project ships, the CCG memberships the loader makes), except where the
  ICB boundaries of 1 July 2022 moved the whole CCG (Bassetlaw, checked against the ONS July
  2022 ICB boundaries in boundaries_icb22.rda);
- names, ONS codes and ICBs as at April 2024 come from the ONS lookup in lookup_lsoa21_icb24.rda;
  where the CCG's ONS code of January 2022 differs from the 2024 one, the change is dated
  (RECODED) and a row is added from that date when it is after 1 July 2022;
- a location that agrees in both is taken to have held its 2024 name and code from 1 July 2022.

The moves of 1 April 2026 are not written here: the loader moves each location with its ICB
through the same succession rule as the member organisations (systems/reference.py).
"""

import csv
import sys
from pathlib import Path

import rdata

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "systems" / "reference_data"
MAPPING = DATA / "snapshots" / "gp-reg-pat-prac-map-2022-01.csv"
ICB_DAY = "2022-07-01"
LOOKUP_SOURCE = (
    "ONS, LSOA (2021) to Sub ICB Locations to Integrated Care Boards (April 2024) lookup, "
    "geographr lookup_lsoa21_icb24 (commit c026be5c)"
)
MAPPING_SOURCE = (
    "NHS Digital, patients registered at a GP practice, January 2022 (the CCG's STP); Health "
    "and Care Act 2022 (CCGs became sub-ICB locations on 1 July 2022)"
)
LICENCE = "Open Government Licence v3"
BOUNDARIES_SOURCE = (
    "ONS, Integrated Care Boards (July 2022) boundaries, geographr boundaries_icb22 "
    "(commit c026be5c)"
)
BOUNDARY_CHANGES_SOURCE = (
    "NHS England, Integrated care board boundary changes 2022/23 (April 2022, 'Other geography "
    "codes'), as quoted in a public NHS England analysts' SQL script"
)

# CCGs that the ICB boundaries of 1 July 2022 put, whole, under another ICB than their STP's:
# code -> (ICB ODS code, places inside the CCG, as (longitude, latitude), checked against the
# July 2022 ICB boundaries).
MOVED_ON_ICB_DAY = {
    "02Q": ("QT1", {"Worksop": (-1.1230, 53.3016), "Retford": (-0.9430, 53.3225)}),
}

# Sub-ICB locations whose ONS code changed after January 2022: code -> (date, source, note).
# The boundary changes of 1 July 2022 (Glossop to Derbyshire, West Birmingham to Birmingham
# and Solihull, and others) gave six of them new ONS codes from that day. Two more, not in
# that list, changed with the boundary change between Surrey Heartlands and Sussex that
# recoded those two ICBs in April 2023 (E54000052 -> E54000063, E54000053 -> E54000064).
JULY_2022 = (ICB_DAY, BOUNDARY_CHANGES_SOURCE, "with the ICB boundary changes of 1 July 2022")
APRIL_2023 = (
    "2023-04",
    LOOKUP_SOURCE,
    "taken to be April 2023, with the boundary change that recoded the Surrey Heartlands and "
    "Sussex ICBs (the day is not known)",
)
RECODED = dict.fromkeys(("01Y", "15M", "D2P2L", "15E", "06H", "78H"), JULY_2022)
RECODED |= dict.fromkeys(("70F", "92A"), APRIL_2023)


def rings(geometry):
    if hasattr(geometry, "shape"):
        yield [tuple(point) for point in geometry]
    else:
        for part in geometry:
            yield from rings(part)


def contains(geometry, point) -> bool:
    """Even-odd rule over every ring of a (multi)polygon: holes count against."""
    x, y = point
    inside = False
    for ring in rings(geometry):
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                inside = not inside
    return inside


def ccgs_in_january_2022() -> dict[str, dict]:
    """Each CCG of the January 2022 practice mapping: its name, ONS code and STP's ODS code."""
    ccgs: dict[str, dict] = {}
    with MAPPING.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            seen = ccgs.setdefault(
                row["CCG_CODE"],
                {"name": row["CCG_NAME"], "ons": row["ONS_CCG_CODE"], "stp": row["STP_CODE"]},
            )
            if seen["stp"] != row["STP_CODE"]:
                raise SystemExit(f"{row['CCG_CODE']} is under two STPs in the mapping")
    return ccgs


def check_moves(sources: Path, icb_names: dict[str, str]) -> None:
    """Each whole-CCG move of 1 July 2022 must agree with the ONS July 2022 boundaries."""
    converted = rdata.read_rda(str(sources / "boundaries_icb22.rda"), default_encoding="utf8")
    frame = converted["boundaries_icb22"]
    boundaries = dict(zip(frame["icb22_name"], frame["geometry"], strict=True))
    for code, (icb, places) in MOVED_ON_ICB_DAY.items():
        for place, point in places.items():
            found = [name for name, shape in boundaries.items() if contains(shape, point)]
            if found != [icb_names[icb]]:
                raise SystemExit(f"{code}: {place} is in {found}, not {icb_names[icb]}")


def main(sources: Path) -> None:
    converted = rdata.read_rda(str(sources / "lookup_lsoa21_icb24.rda"), default_encoding="utf8")
    frame = converted["lookup_lsoa21_icb24"]
    columns = ["sicbl24_code_nhs", "sicbl24_code", "sicbl24_name", "icb24_code_nhs", "icb24_name"]
    distinct = {tuple(row) for row in zip(*(frame[c] for c in columns), strict=True)}
    locations = {
        code: {"ons": ons, "name": " ".join(str(name).split()), "icb": icb, "icb_name": icb_name}
        for code, ons, name, icb, icb_name in distinct
    }
    ccgs = ccgs_in_january_2022()
    if len(locations) != 106 or set(locations) != set(ccgs):
        raise SystemExit("the 2024 lookup and the January 2022 CCGs do not have the same 106 codes")
    check_moves(sources, {loc["icb"]: loc["icb_name"] for loc in locations.values()})

    rows = []

    def row(code, ons, icb, valid_from, source, unverified, note):
        rows.append(
            {
                "code": code,
                "ons_code": ons,
                "name": locations[code]["name"],
                "icb": icb,
                "valid_from": valid_from,
                "source": source,
                "licence": LICENCE,
                "unverified": "1" if unverified else "",
                "note": note,
            }
        )

    for code in sorted(locations):
        now, then = locations[code], ccgs[code]
        icb = then["stp"]
        source = f"{MAPPING_SOURCE}; name and ONS code: {LOOKUP_SOURCE}"
        notes = [f"Continues {then['name']} ({code}, {then['ons']} in January 2022)."]
        unverified = False
        if code in MOVED_ON_ICB_DAY:
            icb = MOVED_ON_ICB_DAY[code][0]
            source = f"{BOUNDARIES_SOURCE}; name and ONS code: {LOOKUP_SOURCE}"
            notes.append(
                f"The CCG's STP was {then['stp']}; the ICB boundaries of 1 July 2022 put the "
                f"whole area under {icb}, as does the April 2024 lookup."
            )
        if icb != now["icb"]:
            raise SystemExit(
                f"{code}: under {icb} in 2022 and {now['icb']} in 2024, no dated change"
            )
        ons = now["ons"]
        later = None
        if then["ons"] != now["ons"]:
            day, recode_source, why = RECODED[code]
            unverified = True
            if day == ICB_DAY:
                source = f"{source}; ONS code from 1 July 2022: {recode_source}"
                notes.append(f"ONS code {then['ons']} became {now['ons']}, {why}.")
            else:
                ons = then["ons"]
                source = source.replace("name and ONS code:", "name:")
                notes.append(f"Kept the CCG's ONS code until it changed, {why}.")
                later = (day, recode_source, f"ONS code {then['ons']} became {now['ons']}, {why}.")
        else:
            notes.append(
                "The name and ONS code are those of April 2024; the ONS code is the CCG's, so "
                "they are taken to have held from 1 July 2022."
            )
        row(code, ons, icb, ICB_DAY, source, unverified, " ".join(notes))
        if later:
            day, recode_source, note = later
            row(code, now["ons"], icb, day, recode_source, True, note)
    with (DATA / "sub_icb_locations.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows for {len(locations)} sub-ICB locations")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data-sources")
