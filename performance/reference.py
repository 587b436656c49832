"""The national standards shipped in `performance/reference_data/standards.csv`.

Standards are reference data every performance page, import and demo needs, so they are loaded
after every `migrate` (performance/apps.py) and again, cheaply, by the performance commands.
Only missing standards are created: once a standard exists its row belongs to the editors, and
an edit made in the admin is never overwritten by the file.
"""

from decimal import Decimal
from pathlib import Path

from core.reference import ReferenceFile

DATA_DIR = Path(__file__).resolve().parent / "reference_data"


def standard_row(row: dict) -> dict:
    return {
        "code": row["code"].strip(),
        "sequence": int(row["sequence"]),
        "name": row["name"].strip(),
        "short_name": row["short_name"].strip(),
        "target": Decimal(row["target"].strip()),
        "higher_is_better": row["higher_is_better"].strip() == "1",
        "description": row["description"].strip(),
        "source": row["source"].strip(),
    }


STANDARDS = ReferenceFile(
    "performance", "Standard", DATA_DIR / "standards.csv", "code", standard_row
)


# Creates the shipped standards that do not exist yet; returns how many were made.
load_standards = STANDARDS.load
# post_migrate handler (performance/apps.py): the standards exist whenever its tables do.
load_standards_after_migrate = STANDARDS.load_after_migrate
