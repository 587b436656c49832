"""What the maturity data cover (`core.coverage`): the dates of the ratings recorded."""

from django.db.models import F

from core.coverage import CoverageRow, CoverageSource, coverage_part, dated_span

from .models import Assessment

MATURITY = "maturity"


def assessment_parts() -> list:
    return [
        coverage_part(
            Assessment.objects.all(),
            MATURITY,
            first=F("assessed_on"),
            label=F("precision"),
            flag=F("illustrative"),
        )
    ]


def maturity_statement(rows: list[CoverageRow]) -> str:
    first, last, _ = dated_span(rows)
    if not last:
        return "No maturity ratings are recorded yet."
    count = sum(row.rows for row in rows)
    span = first if first == last else f"{first} to {last}"
    sentence = f"{count:,} rating{'' if count == 1 else 's'} of systems, made {span}"
    if any(row.illustrative for row in rows):
        sentence += "; some are illustrative, made up for demonstration"
    return sentence + "."


def maturity_notice(rows, on, period) -> str:
    """None: a rating holds until the next, so a later date shows the last one."""
    return ""


def maturity_coverage_sources() -> list[CoverageSource]:
    return [
        CoverageSource(
            kind=MATURITY,
            heading="Maturity ratings",
            parts=assessment_parts,
            statement=maturity_statement,
            notice=maturity_notice,
        )
    ]
