"""Write the 1 April 2026 ICB reorganisation into the project's reference data:

- systems/reference_data/successions.csv: each predecessor -> successor row of the ODS
  succession records (icb_successions_2026.csv), by system slug;
- systems/reference_data/succession_assignments.csv: for each ICB split between successors,
  which successor each of its member organisations (practices, PCNs, trusts) and each of its
  sub-ICB locations is assumed to have gone to, with the basis of the assumption. No source
  the project holds says which part of a split ICB went where, so every assignment is
  unverified.

A development-time script, standard library only, run after convert_sub_icb_locations.py:

    python scripts/build_successions_2026.py ../shared/data-sources
"""

import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "systems" / "reference_data"
SNAPSHOTS = DATA / "snapshots"
SOURCE = (
    "NHS ODS succession records, 1 April 2026, as tabulated in rcpch/rcpch-nhs-organisations "
    "documentation/docs/developer/icb-history-planning.md (commit a96174be), Open Government "
    "Licence v3"
)
NEW_SYSTEMS = {
    "S1Y5D": "central-east",
    "D7T5G": "essex",
    "T6Y0W": "norfolk-and-suffolk",
    "S9B9J": "surrey-and-sussex",
    "S0E4D": "thames-valley",
    "Z9B2Z": "west-and-north-london",
}
KINDS = {"merger": "merger", "split": "split", "acquisition": "acquisition"}

# Sub-ICB locations (the former CCGs, January 2022 codes) of the two ICBs split along county
# lines, assumed to follow the county their successor is named after.
BY_SUB_ICB = {
    "06K": "central-east",  # East and North Hertfordshire
    "06N": "central-east",  # Herts Valleys
    "07H": "essex",  # West Essex
    "06L": "norfolk-and-suffolk",  # Ipswich and East Suffolk
    "07K": "norfolk-and-suffolk",  # West Suffolk
    "06T": "essex",  # North East Essex
}
SUB_ICB_NOTE = (
    "Assumed from the successors' names: the practice's sub-ICB location (former CCG {ccg}, "
    "January 2022) is in {county}, so it is taken to have gone to {successor}."
)
COUNTY = {"06K": "Hertfordshire", "06N": "Hertfordshire", "07H": "Essex", "06L": "Suffolk"}
COUNTY |= {"07K": "Suffolk", "06T": "Essex"}

# Frimley was one sub-ICB location (D4U1Y): its practices are assigned by the county of their
# postcode district, Berkshire to Thames Valley, Surrey to Surrey and Sussex, Hampshire to
# Hampshire and Isle of Wight.
FRIMLEY_DISTRICTS = {
    "hampshire-and-the-isle-of-wight": {"GU11", "GU12", "GU13", "GU14", "GU17", "GU46", "GU51"}
    | {"GU52"},
    "surrey-and-sussex": {"GU9", "GU10", "GU15", "GU16", "GU18", "GU19", "GU20", "GU24", "TW20"},
    "thames-valley": {"GU47"},  # Sandhurst, Berkshire; SL and RG districts below
}
FRIMLEY_SUB_ICB = "D4U1Y"
# Trusts by the postcode area of their headquarters (the ODS trust list of October 2020).
TRUST_AREAS = {
    "hertfordshire-and-west-essex": {"CM": "essex", "*": "central-east"},
    "suffolk-and-north-east-essex": {"CO": "essex", "*": "norfolk-and-suffolk"},
}
FRIMLEY_TRUSTS = {"GU": "surrey-and-sussex", "RG": "thames-valley", "SL": "thames-valley"}
# What an organisation no row names (one an editor added) is assumed to follow.
DEFAULTS = {
    "hertfordshire-and-west-essex": "central-east",
    "suffolk-and-north-east-essex": "norfolk-and-suffolk",
    "frimley-health": "thames-valley",
}


def ods_to_slug() -> dict[str, str]:
    with (DATA / "codes.csv").open(encoding="utf-8") as handle:
        codes = {
            row["code"]: row["owner"]
            for row in csv.DictReader(handle)
            if row["owner_type"] == "system" and row["scheme"] == "ods"
        }
    return codes | NEW_SYSTEMS


def frimley_practice(postcode: str) -> str:
    district = postcode.split()[0]
    for successor, districts in FRIMLEY_DISTRICTS.items():
        if district in districts:
            return successor
    if district.startswith(("SL", "RG")):
        return "thames-valley"
    raise SystemExit(f"no rule for a Frimley practice in {district}")


def area(postcode: str) -> str:
    return "".join(ch for ch in postcode.split()[0] if ch.isalpha())


def assign_sub_icb_locations(assign, assignments: list[dict], slugs: dict[str, str]) -> None:
    """The sub-ICB locations of the split ICBs (sub_icb_locations.csv, written first by
    convert_sub_icb_locations.py) go where their practices were assigned: by BY_SUB_ICB, and
    Frimley's one location to the successor that took most of its practices."""
    with (DATA / "sub_icb_locations.csv").open(encoding="utf-8") as handle:
        locations = {row["code"]: row for row in csv.DictReader(handle)}
    with (DATA / "system_names.csv").open(encoding="utf-8") as handle:
        named = sorted(csv.DictReader(handle), key=lambda row: row["valid_from"])
    short = {row["system"]: row["short_name"] for row in named}  # the latest of each
    for code, successor in BY_SUB_ICB.items():
        location = locations[code]
        assign(
            slugs[location["icb"]],
            code,
            location["name"],
            successor,
            "sub-ICB location",
            f"Assumed from the successors' names: the sub-ICB location {code} is in "
            f"{COUNTY[code]}, so it is taken to have gone to {short[successor]}, as its practices "
            "are.",
        )
    frimley = Counter(
        row["successor"]
        for row in assignments
        if row["predecessor"] == "frimley-health" and row["basis"] == "postcode district"
    )
    successor = frimley.most_common(1)[0][0]
    spread = ", ".join(f"{n} to {short[s]}" for s, n in sorted(frimley.items()))
    assign(
        "frimley-health",
        FRIMLEY_SUB_ICB,
        locations[FRIMLEY_SUB_ICB]["name"],
        successor,
        "its practices",
        f"Frimley's one sub-ICB location covered parts of all three successors; no source the "
        f"project holds says what became of its code, so it is taken to have continued under "
        f"{short[successor]}, which took most of its practices ({spread}).",
    )


def main(sources: Path) -> None:
    slugs = ods_to_slug()
    with (sources / "icb_successions_2026.csv").open(encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    successions = [
        {
            "predecessor": slugs[row["predecessor_ods"]],
            "successor": slugs[row["successor_ods"]],
            "occurred_on": row["date"],
            "kind": KINDS[row["kind"]],
            "source": SOURCE,
            "unverified": "",
            "note": f"{row['predecessor_name']} ({row['predecessor_ods']}) -> "
            f"{row['successor_name']} ({row['successor_ods']}), {row['kind']}.",
        }
        for row in records
    ]
    split = {row["predecessor"] for row in successions if row["kind"] != "merger"}
    code_of = {slug: code for code, slug in slugs.items()}

    assignments = []

    def assign(predecessor, organisation, name, successor, basis, note):
        assignments.append(
            {
                "predecessor": predecessor,
                "organisation": organisation,
                "organisation_name": name,
                "successor": successor,
                "basis": basis,
                "source": SOURCE,
                "unverified": "1",
                "note": note,
            }
        )

    pcn_votes: dict[tuple[str, str], Counter] = {}
    pcn_names = {}
    mapping = SNAPSHOTS / "gp-reg-pat-prac-map-2022-01.csv"
    with mapping.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            predecessor = slugs.get(row["STP_CODE"])
            if predecessor not in split:
                continue
            if predecessor == "frimley-health":
                successor = frimley_practice(row["PRACTICE_POSTCODE"])
                basis = "postcode district"
                note = (
                    f"Frimley was one sub-ICB location (D4U1Y); assigned by the county of "
                    f"the practice's postcode district ({row['PRACTICE_POSTCODE'].split()[0]})."
                )
            else:
                ccg = row["CCG_CODE"]
                successor = BY_SUB_ICB[ccg]
                basis = "sub-ICB location"
                note = SUB_ICB_NOTE.format(ccg=ccg, county=COUNTY[ccg], successor=successor)
            assign(predecessor, row["PRACTICE_CODE"], row["PRACTICE_NAME"], successor, basis, note)
            if row["PCN_CODE"] and row["PCN_CODE"] != "U":
                key = (predecessor, row["PCN_CODE"])
                pcn_votes.setdefault(key, Counter())[successor] += 1
                pcn_names[row["PCN_CODE"]] = row["PCN_NAME"]
    for (predecessor, pcn), votes in sorted(pcn_votes.items()):
        successor = sorted(votes.items(), key=lambda item: (-item[1], item[0]))[0][0]
        spread = ", ".join(f"{n} to {s}" for s, n in sorted(votes.items()))
        assign(
            predecessor,
            pcn,
            pcn_names[pcn],
            successor,
            "its practices",
            f"Assigned where most of its practices went ({spread}).",
        )
    etr = SNAPSHOTS / "etr-2020-10.csv"
    with etr.open(encoding="utf-8-sig") as handle:
        for cells in csv.reader(handle):
            predecessor = slugs.get(cells[3])
            if predecessor not in split or cells[11]:
                continue
            postcode_area = area(cells[9])
            if predecessor == "frimley-health":
                successor = FRIMLEY_TRUSTS[postcode_area]
            else:
                rules = TRUST_AREAS[predecessor]
                successor = rules.get(postcode_area, rules["*"])
            assign(
                predecessor,
                cells[0],
                cells[1],
                successor,
                "headquarters postcode",
                f"Assigned by the postcode of its headquarters ({cells[9]}); a trust serving "
                "several successors is not apportioned.",
            )
    assign_sub_icb_locations(assign, assignments, slugs)
    for predecessor in sorted(split):
        assign(
            predecessor,
            "*",
            "",
            DEFAULTS[predecessor],
            "default",
            f"Any other member of {predecessor} ({code_of[predecessor]}) is assumed to have "
            f"gone to {DEFAULTS[predecessor]}.",
        )
    for name, rows in (
        ("successions", successions),
        ("succession_assignments", assignments),
    ):
        with (DATA / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        print(f"{name}.csv: {len(rows)} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data-sources")
