"""The financial years shipped in `finance/reference_data/financial_years.csv`.

The years are reference data every finance page and import needs, so they are loaded after
every `migrate` (finance/apps.py) and again, cheaply, by the finance commands. Loading only
creates years that are missing (`core.reference`): once a year exists its row belongs to the
finance editors.
"""

from pathlib import Path

from django.apps import apps as global_apps

from core.reference import create_missing, has_model, read_reference_rows

DATA_DIR = Path(__file__).resolve().parent / "reference_data"
YEARS_FILE = DATA_DIR / "financial_years.csv"


def financial_year_row(row: dict) -> dict:
    return {
        "start_year": int(row["start_year"]),
        "funding_schemes": row["funding_schemes"].strip(),
        "transfers_allowed": row["transfers_allowed"].strip() == "1",
        "source": row["source"].strip(),
    }


def financial_year_rows() -> list[dict]:
    return read_reference_rows(YEARS_FILE, financial_year_row)


def load_financial_years(apps=global_apps, using: str = "default") -> int:
    """Create the shipped financial years that do not exist yet; return how many were made."""
    FinancialYear = apps.get_model("finance", "FinancialYear")
    return create_missing(FinancialYear, financial_year_rows(), "start_year", using)


def load_financial_years_after_migrate(sender=None, using="default", apps=global_apps, **kwargs):
    """post_migrate handler: the years exist whenever the finance tables do."""
    if has_model(apps, "finance", "FinancialYear"):  # not when finance is migrated to zero
        load_financial_years(apps=apps, using=using)
