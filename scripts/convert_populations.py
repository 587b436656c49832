"""Write systems/reference_data/populations.csv: the ONS mid-2019 population estimates of the
42 STP footprints of April 2020, all ages and by age band, each on the system that covered
the whole footprint then.

A development-time script; the project ships the CSV it writes. Run it with any Python 3:

    python scripts/convert_populations.py ../shared/data-sources

The source file (stp_populations_2019.csv) names footprints by their April 2020 ONS codes
(stp20cd); each is matched to its system through the project's own footprint ONS codes valid
on 1 April 2020 (`reference_codes.systems_by_ons_code`). A code the project does not know, a
footprint without a system, or a row whose bands do not add up to its total is an error: no
row is dropped.
"""

import csv
import datetime as dt
import sys
from pathlib import Path

from reference_codes import DATA, ROOT, systems_by_ons_code

CODES_DAY = dt.date(2020, 4, 1)
# ONS mid-year estimates describe the population on 30 June.
ESTIMATED_ON = dt.date(2019, 6, 30)
SOURCE = (
    "ONS, Clinical Commissioning Group population estimates, mid-2019 (all ages and by age), "
    "aggregated to STPs (April 2020 codes) by odileeds/covid-19, "
    "LocalAuthorities/data/vaccines/STP-populations-2019.csv (commit 18cccbc4)"
)
LICENCE = "Open Government Licence v3"
BANDS = {
    "under_65": "Under 65",
    "aged_65_to_69": "65-69",
    "aged_70_to_74": "70-74",
    "aged_75_to_79": "75-79",
    "aged_80_and_over": "80+",
}


def convert(path: Path) -> list[dict]:
    by_code = systems_by_ons_code(CODES_DAY)
    rows = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            code = row["stp20cd"].strip()
            if code not in by_code:
                raise SystemExit(
                    f"{path.name} row {number}: {code} is not an ONS footprint code the "
                    f"project holds for {CODES_DAY:%-d %B %Y}"
                )
            bands = {field: int(row[column]) for field, column in BANDS.items()}
            total = int(row["All"])
            if sum(bands.values()) != total:
                raise SystemExit(f"{path.name} row {number}: the age bands do not add up to All")
            rows.append(
                {
                    "system": by_code[code],
                    "ons_code": code,
                    "ons_name": " ".join(row["stp20nm"].split()),
                    "estimated_on": ESTIMATED_ON.isoformat(),
                    "all_ages": total,
                    **bands,
                    "source": SOURCE,
                    "licence": LICENCE,
                    "unverified": "",
                    "note": "",
                }
            )
    if len({row["system"] for row in rows}) != len(rows):
        raise SystemExit("two footprints matched the same system")
    return sorted(rows, key=lambda row: row["system"])


def main(sources: Path) -> None:
    rows = convert(sources / "stp_populations_2019.csv")
    with (DATA / "populations.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} populations")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data-sources")
