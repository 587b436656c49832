"""The national standards shipped in `performance/reference_data/standards.csv`.

Standards are reference data every performance page, import and demo needs, so they are loaded
after every `migrate` (performance/apps.py) and again, cheaply, by the performance commands.
Only missing standards are created: once a standard exists its row belongs to the editors, and
an edit made in the admin is never overwritten by the file.
"""

import csv
from decimal import Decimal
from pathlib import Path

from django.apps import apps as global_apps

from systems.caching import bump_data_version

DATA_DIR = Path(__file__).resolve().parent / "reference_data"
STANDARDS_FILE = DATA_DIR / "standards.csv"


def standard_rows() -> list[dict]:
    with STANDARDS_FILE.open(newline="", encoding="utf-8") as handle:
        return [
            {
                "code": row["code"].strip(),
                "sequence": int(row["sequence"]),
                "name": row["name"].strip(),
                "short_name": row["short_name"].strip(),
                "target": Decimal(row["target"].strip()),
                "higher_is_better": row["higher_is_better"].strip() == "1",
                "description": row["description"].strip(),
                "source": row["source"].strip(),
            }
            for row in csv.DictReader(handle)
        ]


def load_standards(apps=global_apps, using: str = "default") -> int:
    """Create the shipped standards that do not exist yet; return how many were made."""
    Standard = apps.get_model("performance", "Standard")
    existing = set(Standard._default_manager.using(using).values_list("code", flat=True))
    missing = [Standard(**row) for row in standard_rows() if row["code"] not in existing]
    if missing:
        Standard._default_manager.using(using).bulk_create(missing)
        bump_data_version()  # a bulk write sends no signals
    return len(missing)


def load_standards_after_migrate(sender=None, using="default", apps=global_apps, **kwargs):
    """post_migrate handler: the standards exist whenever the performance tables do."""
    try:
        apps.get_model("performance", "Standard")
    except LookupError:  # performance migrated back to zero
        return
    load_standards(apps=apps, using=using)
