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


def load_performance_findings(load, systems: dict) -> None:
    """Paragraph 5 of the September 2018 board paper, from
    `systems/reference_data/performance_findings.csv` (the systems reference loader calls this
    through the app's config, after the systems and waves the findings name)."""
    from core.findings import load_published_findings

    from .models import PublishedFinding, Standard

    standards = {standard.code: standard for standard in Standard.objects.all()}

    def question(row):
        return {"standard": standards[row["standard"]], "comparison": row["comparison"]}

    load_published_findings(load, "performance_findings", PublishedFinding, question, systems)
