"""The national standards shipped in `performance/reference_data/standards.csv`.

Standards are reference data every performance page, import and demo needs, so they are loaded
after every `migrate` (performance/apps.py) and again, cheaply, by the performance commands.
Only missing standards are created: once a standard exists its row belongs to the editors, and
an edit made in the admin is never overwritten by the file.
"""

from decimal import Decimal
from pathlib import Path

from django.apps import apps as global_apps

from core.reference import create_missing, has_model, read_reference_rows

DATA_DIR = Path(__file__).resolve().parent / "reference_data"
STANDARDS_FILE = DATA_DIR / "standards.csv"


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


def standard_rows() -> list[dict]:
    return read_reference_rows(STANDARDS_FILE, standard_row)


def load_standards(apps=global_apps, using: str = "default") -> int:
    """Create the shipped standards that do not exist yet; return how many were made."""
    Standard = apps.get_model("performance", "Standard")
    return create_missing(Standard, standard_rows(), "code", using)


def load_standards_after_migrate(sender=None, using="default", apps=global_apps, **kwargs):
    """post_migrate handler: the standards exist whenever the performance tables do."""
    if has_model(apps, "performance", "Standard"):  # not when performance is migrated to zero
        load_standards(apps=apps, using=using)
