"""The financial years shipped in `finance/reference_data/financial_years.csv`.

The years are reference data every finance page and import needs, so they are loaded after
every `migrate` (finance/apps.py) and again, cheaply, by the finance commands. Loading only
creates years that are missing (`core.reference`): once a year exists its row belongs to the
finance editors.
"""

from pathlib import Path

from core.reference import ReferenceFile

DATA_DIR = Path(__file__).resolve().parent / "reference_data"


def financial_year_row(row: dict) -> dict:
    return {
        "start_year": int(row["start_year"]),
        "funding_schemes": row["funding_schemes"].strip(),
        "transfers_allowed": row["transfers_allowed"].strip() == "1",
        "source": row["source"].strip(),
    }


FINANCIAL_YEARS = ReferenceFile(
    "finance", "FinancialYear", DATA_DIR / "financial_years.csv", "start_year", financial_year_row
)


# Creates the shipped financial years that do not exist yet; returns how many were made.
load_financial_years = FINANCIAL_YEARS.load
# post_migrate handler (finance/apps.py): the years exist whenever the finance tables do.
load_financial_years_after_migrate = FINANCIAL_YEARS.load_after_migrate


def load_plan_findings(load, systems: dict) -> None:
    """Paragraph 6 of the September 2018 board paper, from
    `systems/reference_data/finance_findings.csv` (the systems reference loader calls this
    through the app's config, after the systems and waves the findings name)."""
    from core.findings import load_published_findings

    from .models import PublishedFinding

    load_published_findings(
        load,
        "finance_findings",
        PublishedFinding,
        lambda row: {"comparison": row["comparison"]},
        systems,
    )
