"""Write systems/reference_data/system_names.csv: the statutory names of the 42 ICBs from
1 July 2022, and of the six created on 1 April 2026.

A development-time script; the project ships the CSV it writes and never reads .rda files.
Run it with a Python that has `rdata` (`pip install rdata`, not a runtime dependency):

    python scripts/convert_icb_names.py ../shared/data-sources

The 2022 names and E54 codes come from the ONS July 2022 ICB list as packaged in
boundaries_icb22.rda; each is matched to its system through the project's own footprint ONS
codes valid on 1 July 2022 (a code the project does not know is an error). The 2026 names come
from the ODS succession records in icb_successions_2026.csv.
"""

import csv
import datetime as dt
import sys
from pathlib import Path

import rdata
from reference_codes import DATA, ROOT, systems_by_ons_code

ICB_DAY = dt.date(2022, 7, 1)
ONS_SOURCE = (
    "ONS, Integrated Care Boards (July 2022) names and codes in England, as packaged in "
    "humaniverse/geographr boundaries_icb22 (commit c026be5c)"
)
ONS_LICENCE = "Open Government Licence v3; contains OS data (c) Crown copyright"
ODS_SOURCE = (
    "NHS ODS succession records, 1 April 2026, as tabulated in rcpch/rcpch-nhs-organisations "
    "documentation/docs/developer/icb-history-planning.md (commit a96174be)"
)
ODS_LICENCE = "Open Government Licence v3"
NEW_SYSTEMS = {
    "S1Y5D": "central-east",
    "D7T5G": "essex",
    "T6Y0W": "norfolk-and-suffolk",
    "S9B9J": "surrey-and-sussex",
    "S0E4D": "thames-valley",
    "Z9B2Z": "west-and-north-london",
}


def short_name(name: str) -> str:
    return name.removeprefix("NHS ").removesuffix(" Integrated Care Board")


def main(sources: Path) -> None:
    converted = rdata.read_rda(str(sources / "boundaries_icb22.rda"), default_encoding="utf8")
    frame = converted["boundaries_icb22"]
    by_code = systems_by_ons_code(ICB_DAY)
    rows = []
    for name, code in sorted(zip(frame["icb22_name"], frame["icb22_code"], strict=True)):
        name = " ".join(str(name).split())
        rows.append(
            {
                "system": by_code[code],
                "name": name,
                "short_name": short_name(name),
                "valid_from": ICB_DAY.isoformat(),
                "ons_code": code,
                "source": ONS_SOURCE,
                "licence": ONS_LICENCE,
                "unverified": "",
                "note": "",
            }
        )
    if len(rows) != 42 or len({row["system"] for row in rows}) != 42:
        raise SystemExit(f"expected 42 ICBs on 42 systems, found {len(rows)}")
    with (sources / "icb_successions_2026.csv").open(encoding="utf-8") as handle:
        successors = {
            row["successor_ods"]: row
            for row in csv.DictReader(handle)
            if row["successor_ods"] in NEW_SYSTEMS
        }
    for ods, row in sorted(successors.items(), key=lambda item: NEW_SYSTEMS[item[0]]):
        short = row["successor_name"].removeprefix("NHS ")
        rows.append(
            {
                "system": NEW_SYSTEMS[ods],
                "name": f"NHS {short} Integrated Care Board",
                "short_name": short,
                "valid_from": row["date"],
                "ons_code": row["successor_ons_2026"],
                "source": ODS_SOURCE,
                "licence": ODS_LICENCE,
                "unverified": "1",
                "note": (
                    f"The succession records give “{row['successor_name']}” ({ods}); the full "
                    "name follows the statutory pattern of the 2022 ICBs. The ONS code comes "
                    "from a single third-party code file."
                ),
            }
        )
    with (DATA / "system_names.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} names")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data-sources")
