"""The financial years shipped in `finance/reference_data/financial_years.csv`.

The years are reference data every finance page and import needs, so they are loaded after
every `migrate` (finance/apps.py) and again, cheaply, by the finance commands. Loading only
creates years that are missing: once a year exists its row belongs to the finance editors, and
an edit made in the admin is never overwritten by the file.
"""

import csv
from pathlib import Path

from django.apps import apps as global_apps

from systems.caching import bump_data_version

DATA_DIR = Path(__file__).resolve().parent / "reference_data"
YEARS_FILE = DATA_DIR / "financial_years.csv"


def financial_year_rows() -> list[dict]:
    with YEARS_FILE.open(newline="", encoding="utf-8") as handle:
        return [
            {
                "start_year": int(row["start_year"]),
                "funding_schemes": row["funding_schemes"].strip(),
                "transfers_allowed": row["transfers_allowed"].strip() == "1",
                "source": row["source"].strip(),
            }
            for row in csv.DictReader(handle)
        ]


def load_financial_years(apps=global_apps, using: str = "default") -> int:
    """Create the shipped financial years that do not exist yet; return how many were made."""
    FinancialYear = apps.get_model("finance", "FinancialYear")
    existing = set(FinancialYear._default_manager.using(using).values_list("start_year", flat=True))
    missing = [
        FinancialYear(**row) for row in financial_year_rows() if row["start_year"] not in existing
    ]
    if missing:
        FinancialYear._default_manager.using(using).bulk_create(missing)
        bump_data_version()  # a bulk write sends no signals
    return len(missing)


def load_financial_years_after_migrate(sender=None, using="default", apps=global_apps, **kwargs):
    """post_migrate handler: the years exist whenever the finance tables do."""
    try:
        apps.get_model("finance", "FinancialYear")
    except LookupError:  # finance migrated back to zero
        return
    load_financial_years(apps=apps, using=using)
