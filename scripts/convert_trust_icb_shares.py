"""Write performance/reference_data/trust_icb_shares_2022.csv: each NHS trust of 2022, its name,
and the share of its patients that came from each ICB (2022) footprint.

A development-time script; the project ships the CSV it writes and never reads .rda files.
Run it with a Python that has `rdata` (`pip install rdata pandas`, not runtime dependencies):

    python scripts/convert_trust_icb_shares.py ../shared/data-sources

The inputs are two lookups packaged by humaniverse/geographr (commit c026be5c) from ONS Open
Geography Portal data, Open Government Licence v3:

- `lookup_nhs_trusts22_icb22.rda`: the proportion of each trust's admitted patients that came
  from each ICB (2022), for the 138 trusts it covers (the proportions of a trust add up to 1);
- `lookup_nhs_trusts22_stp21.rda`: each of 209 trusts of 2022 with its name and one STP (2021).

A trust in the first is written with its proportions (`basis` "patients"); a trust only in the
second is written with its one STP and a proportion of 1 (`basis` "main STP"). Proportions are
written as published, to six places; nothing is dropped here (the loader drops tiny shares and
says so). The file opens with `#` lines naming its sources and licence, then a header row.
"""

import csv
import sys
from pathlib import Path

import rdata

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "performance" / "reference_data" / "trust_icb_shares_2022.csv"
PREAMBLE = (
    "# NHS trusts (2022) and the share of each trust's patients from each ICB (2022) footprint",
    "# ONS Open Geography Portal lookups as packaged in humaniverse/geographr (commit c026be5c): "
    "lookup_nhs_trusts22_icb22 (proportions) and lookup_nhs_trusts22_stp21 (names, main STP)",
    "# Licence: Open Government Licence v3.0",
    "# basis: patients = proportion of the trust's admitted patients from that footprint; "
    "main STP = the one STP (2021) the lookup gives a trust it has no proportions for",
)
COLUMNS = ("trust_code", "trust_name", "ons_code", "proportion", "basis")


def frame(folder: Path, name: str):
    return rdata.conversion.convert(rdata.parser.parse_file(folder / f"{name}.rda"))[name]


def main(folder: str) -> None:
    shares = frame(Path(folder), "lookup_nhs_trusts22_icb22")
    trusts = frame(Path(folder), "lookup_nhs_trusts22_stp21")
    names = dict(zip(trusts.nhs_trust22_code, trusts.nhs_trust22_name, strict=True))
    rows = []
    for record in shares.itertuples(index=False):
        code = str(record.nhs_trust22_code)
        proportion = float(record.proportion_trust_came_from_icb)
        if not 0 < proportion <= 1:
            raise SystemExit(f"{code} {record.icb22_code}: proportion {proportion}")
        rows.append(
            (code, names.get(code, ""), str(record.icb22_code), f"{proportion:.6f}", "patients")
        )
    with_shares = {row[0] for row in rows}
    for record in trusts.itertuples(index=False):
        code = str(record.nhs_trust22_code)
        if code not in with_shares:
            rows.append(
                (code, str(record.nhs_trust22_name), str(record.stp21_code), "1", "main STP")
            )
    rows.sort(key=lambda row: (row[0], row[2]))
    with OUTPUT.open("w", newline="", encoding="utf-8") as handle:
        handle.write("\n".join(PREAMBLE) + "\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    print(f"{OUTPUT.relative_to(ROOT)}: {len(rows)} rows, {len({r[0] for r in rows})} trusts")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent / "shared" / "data-sources"))
