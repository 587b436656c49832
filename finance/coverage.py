"""What the finance data cover (`core.coverage`): the financial years with organisations'
control totals, and whether each year's figures are real, illustrative or both."""

from django.db.models import F

from core.coverage import CoverageRow, CoverageSource, coverage_part

from .models import FinancialYear, OrganisationYear

FINANCE = "finance"


def figure_parts() -> list:
    return [
        coverage_part(
            OrganisationYear.objects.all(),
            FINANCE,
            label=F("year__start_year"),
            flag=F("illustrative"),
        )
    ]


def years_covered(rows: list[CoverageRow]) -> dict[int, set[bool]]:
    """The start year of each financial year with figures, with the illustrative flags its
    figures carry ({False}: real, {True}: illustrative, both: some of each)."""
    years: dict[int, set[bool]] = {}
    for row in rows:
        years.setdefault(int(row.label), set()).add(row.illustrative)
    return dict(sorted(years.items()))


def _kind_of(flags: set[bool]) -> str:
    if flags == {False}:
        return "real"
    if flags == {True}:
        return "illustrative"
    return "partly illustrative"


def _runs(years: dict[int, set[bool]]) -> list[tuple[int, int, str]]:
    """Consecutive years whose figures are of one kind: (first, last, kind)."""
    runs: list[tuple[int, int, str]] = []
    for start_year, flags in years.items():
        kind = _kind_of(flags)
        if runs and runs[-1][1] == start_year - 1 and runs[-1][2] == kind:
            runs[-1] = (runs[-1][0], start_year, kind)
        else:
            runs.append((start_year, start_year, kind))
    return runs


def _label(start_year: int) -> str:
    return FinancialYear(start_year=start_year).label


def finance_statement(rows: list[CoverageRow]) -> str:
    years = years_covered(rows)
    if not years:
        return "No control totals are recorded yet."
    parts = [
        f"{_label(first)}{'' if first == last else f' to {_label(last)}'} ({kind})"
        for first, last, kind in _runs(years)
    ]
    sentence = "Organisations' control totals, plans and outturns for " + ", ".join(parts)
    if any(True in flags for flags in years.values()):
        sentence += ". Illustrative figures are made up for demonstration, not real ones"
    return sentence + "."


def finance_notice(rows: list[CoverageRow], on, period) -> str:
    years = years_covered(rows)
    if period is None or not years or period.start_year <= max(years):
        return ""
    return (
        f"Control totals are recorded up to {_label(max(years))}; {period.label} comes after "
        "that, so there are none for it."
    )


def finance_coverage_sources() -> list[CoverageSource]:
    return [
        CoverageSource(
            kind=FINANCE,
            heading="Finance",
            parts=figure_parts,
            statement=finance_statement,
            notice=finance_notice,
        )
    ]
