"""Write performance/reference_data/ae_attendances_2016_2019.csv: NHS England's monthly A&E
attendances, 4-hour breaches and emergency admissions by provider and department type, April
2016 to March 2019.

A development-time script; the project ships the CSV it writes and never reads .rda files.
Run it with a Python that has `rdata` (`pip install rdata pandas`, not runtime dependencies):

    python scripts/convert_ae_attendances.py ../shared/data-sources

The input is NHS England's "A&E Attendances and Emergency Admissions" statistics as packaged
in the R package NHSRdatasets (nhs-r-community/NHSRdatasets, data/ae_attendances.rda, commit
7fe35a54), Open Government Licence v3. Figures are written as published, one row per month,
provider and department type; nothing is summed, rounded or dropped. The file opens with
`#` lines naming its source, licence and period, then a header row.
"""

import csv
import datetime as dt
import sys
from pathlib import Path

import rdata

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "performance" / "reference_data" / "ae_attendances_2016_2019.csv"
EPOCH = dt.date(1970, 1, 1)  # R stores a Date as days since this day
PREAMBLE = (
    "# NHS England, A&E Attendances and Emergency Admissions, monthly provider figures",
    "# https://www.england.nhs.uk/statistics/statistical-work-areas/ae-waiting-times-and-activity/",
    "# As packaged in NHSRdatasets (nhs-r-community/NHSRdatasets, data/ae_attendances.rda, "
    "commit 7fe35a54)",
    "# Licence: Open Government Licence v3.0",
    "# Period: April 2016 to March 2019; department type 1, 2 or other; breaches are "
    "attendances over four hours",
)
COLUMNS = ("period", "org_code", "type", "attendances", "breaches", "admissions")


def whole(value: float, what: str) -> int:
    if value != int(value) or value < 0:
        raise SystemExit(f"{what}: {value} is not a count")
    return int(value)


def main(folder: str) -> None:
    parsed = rdata.parser.parse_file(Path(folder) / "ae_attendances.rda")
    frame = rdata.conversion.convert(parsed)["ae_attendances"]
    rows = []
    for record in frame.itertuples(index=False):
        month = EPOCH + dt.timedelta(days=whole(record.period, "period"))
        if month.day != 1:
            raise SystemExit(f"{record.org_code}: period {month} is not the first of a month")
        where = f"{record.org_code} {month:%Y-%m} type {record.type}"
        rows.append(
            (
                f"{month:%Y-%m}",
                str(record.org_code),
                str(record.type),
                whole(record.attendances, where),
                whole(record.breaches, where),
                whole(record.admissions, where),
            )
        )
    rows.sort(key=lambda row: (row[0], row[1], row[2]))
    with OUTPUT.open("w", newline="", encoding="utf-8") as handle:
        handle.write("\n".join(PREAMBLE) + "\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    print(f"{OUTPUT.relative_to(ROOT)}: {len(rows)} rows, {len({r[1] for r in rows})} providers")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent / "shared" / "data-sources"))
