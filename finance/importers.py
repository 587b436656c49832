"""Organisations' control totals, plans and outturns for one financial year, from CSV.

No public machine-readable file of per-trust control totals exists, so this is the project's
own format: a header row naming the columns (in any order), then one row per organisation.

| column | required | what |
|---|---|---|
| `ods_code` | yes | the organisation's ODS code (an NHS trust, or a CCG from 2018/19) |
| `control_total`, `plan`, `outturn` | yes | £ thousands, surplus positive |
| `accepted` | no | yes/no, true/false or 1/0; empty means yes |
| `funding_available` | no | sustainability funding available, £ thousands; empty means 0 |
| `funding_linked_share` | no | share of that funding linked to the system total, 0 to 1 |

Amounts may use thousands separators (`-12,345.5`) and a leading minus or brackets
(`(12,345)`) for deficits; anything else (`£`, `k`, `+`, exponents) is refused rather than
guessed at. The file is read as systems' importers read theirs (byte-order marks, CRLF,
non-breaking spaces, lower-case codes, blank lines) and written all or nothing: every bad row is
reported with its row number, column and reason, and nothing is written unless all are good.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from core.bulk import end_import, stage_change, write_with_history
from systems.importers import ImportHasErrors, ImportSummary, UploadFormat
from systems.importers.base import (
    ImportRefused,
    ParsedFile,
    clean_code,
    clean_text,
    read_header_table,
)
from systems.importers.lock import hold_import_lock
from systems.models import TRUST_KINDS, Organisation, OrganisationKind

from .models import FinancialYear, OrganisationYear

__all__ = [
    "COLUMNS",
    "CONTROL_TOTALS_UPLOAD",
    "ImportHasErrors",
    "ImportRefused",
    "financial_year",
    "import_control_totals",
    "parse",
]

KIND = "Control totals (CSV)"
REQUIRED = ("ods_code", "control_total", "plan", "outturn")
OPTIONAL = ("accepted", "funding_available", "funding_linked_share")
COLUMNS = REQUIRED + OPTIONAL
AMOUNTS = ("control_total", "plan", "outturn")
WRITTEN_FIELDS = (*OrganisationYear.FIGURES, "source")
CCG_CONTROL_TOTALS_FROM = 2018

# Digits with or without comma thousands separators, and an optional fraction.
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SIGNED = re.compile(rf"^(-?)({_NUMBER})$")
_BRACKETED = re.compile(rf"^\(({_NUMBER})\)$")
_YEAR = re.compile(r"^(\d{4})[-/](\d{2}|\d{4})$")
_TRUTHS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
_LARGEST = Decimal(10) ** 12  # MONEY fields hold 12 digits before the point


@dataclass(frozen=True)
class FiguresRecord:
    row: int
    organisation_id: int
    ods_code: str
    values: dict = field(hash=False)


@dataclass
class ImportCounts:
    counts: Counter = field(default_factory=Counter)

    def add(self, outcome: str):
        self.counts[outcome] += 1

    def changed(self) -> int:
        return self.counts["created"] + self.counts["updated"]

    def line(self, year: FinancialYear) -> str:
        c = self.counts
        return (
            f"{year} figures: {c['created']} created, {c['updated']} updated, "
            f"{c['unchanged']} unchanged"
        )


def financial_year(text: str) -> FinancialYear:
    """The financial year written 2018-19 (or 2018/19); ValueError says what went wrong."""
    match = _YEAR.match((text or "").strip())
    if not match or int(match[2][-2:]) != (int(match[1]) + 1) % 100:
        raise ValueError(f"“{text}” is not a financial year: write it as 2018-19.")
    try:
        return FinancialYear.objects.get(start_year=int(match[1]))
    except FinancialYear.DoesNotExist:
        known = ", ".join(y.slug for y in FinancialYear.objects.all())
        raise ValueError(f"There is no financial year {text}; the years are {known}.") from None


def parse_amount(text: str) -> Decimal:
    """£ thousands as people type them: 1234, 1,234.5, -1,234 or (1,234)."""
    value = clean_text(text)
    signed = _SIGNED.match(value)
    bracketed = _BRACKETED.match(value)
    if not (signed or bracketed):
        raise ValueError(
            f"“{text}” is not an amount: write £ thousands as 1234, 1,234.5, -1,234 or (1,234)"
        )
    digits = (signed or bracketed)[2 if signed else 1].replace(",", "")
    try:
        amount = Decimal(digits)
    except InvalidOperation as error:  # the pattern admits only digits; this is belt and braces
        raise ValueError(f"“{text}” is not an amount") from error
    if (signed and signed[1]) or bracketed:
        amount = -amount
    return amount


def _money(text: str, *, negative_allowed: bool = True) -> Decimal:
    amount = parse_amount(text)
    if -amount.as_tuple().exponent > 2:
        raise ValueError(f"“{text}” has more than 2 decimal places")
    if abs(amount) >= _LARGEST:
        raise ValueError(f"“{text}” is too large for an amount in £ thousands")
    if amount < 0 and not negative_allowed:
        raise ValueError(f"“{text}” is negative; funding available cannot be")
    return amount


def _share(text: str) -> Decimal:
    try:
        share = parse_amount(text)
    except ValueError:
        raise ValueError(f"“{text}” is not a number between 0 and 1") from None
    if not Decimal(0) <= share <= Decimal(1):
        raise ValueError(f"{text} is out of range: a share is between 0 and 1")
    if -share.as_tuple().exponent > 4:
        raise ValueError(f"“{text}” has more than 4 decimal places")
    return share


def _accepted(text: str) -> bool:
    try:
        return _TRUTHS[clean_text(text).lower()]
    except KeyError:
        raise ValueError(f"“{text}” is not yes, no, true, false, 1 or 0") from None


def parse(raw: bytes, *, year: FinancialYear) -> ParsedFile:
    """Read and check a control totals file for `year`; writes nothing."""
    parsed = ParsedFile(kind=KIND, as_at=year.starts_on)
    table = read_header_table(
        raw,
        parsed,
        columns=COLUMNS,
        required=REQUIRED,
        what="figures",
        kind="a control totals file",
    )
    if table is None:
        return parsed
    at = table.position["ods_code"]
    codes = {clean_code(cells[at]) for _, cells in table.rows}
    organisations = {
        o.ods_code: o
        for o in Organisation.objects.filter(ods_code__in=codes).only(
            "pk", "ods_code", "name", "kind", "opened_on", "closed_on"
        )
    }
    first_seen: dict[str, int] = {}
    for number, cells in table.rows:

        def cell(name, cells=cells):
            return table.cell(cells, name)

        column = table.column
        problems = []
        code = clean_code(cell("ods_code"))
        organisation = organisations.get(code)
        if not code:
            problems.append(("ods_code", "is empty"))
        elif code in first_seen:
            problems.append(("ods_code", f"{code} again (first in row {first_seen[code]})"))
        elif organisation is None:
            problems.append(("ods_code", f"{code} is not a known organisation's ODS code"))
        else:
            first_seen[code] = number
            reason = _not_eligible(organisation, year)
            if reason:
                problems.append(("ods_code", reason))
        values = {}
        for name in AMOUNTS:
            if not clean_text(cell(name)):
                problems.append((name, "is empty"))
                continue
            try:
                values[name] = _money(cell(name))
            except ValueError as error:
                problems.append((name, str(error)))
        for name, read, default in (
            ("accepted", _accepted, True),
            ("funding_available", lambda t: _money(t, negative_allowed=False), Decimal(0)),
            ("funding_linked_share", _share, Decimal(0)),
        ):
            if not clean_text(cell(name)):
                values[name] = default
                continue
            try:
                values[name] = read(cell(name))
            except ValueError as error:
                problems.append((name, str(error)))
        for name, reason in problems:
            parsed.error(number, column(name), reason)
        if not problems:
            parsed.records.append(FiguresRecord(number, organisation.pk, code, values))
    return parsed


def _not_eligible(organisation: Organisation, year: FinancialYear) -> str:
    """Why this organisation cannot have figures for `year`, or ''."""
    if organisation.kind == OrganisationKind.CCG:
        if year.start_year < CCG_CONTROL_TOTALS_FROM:
            return f"{organisation} is a CCG; CCGs had control totals from 2018/19"
    elif organisation.kind not in TRUST_KINDS:
        return (
            f"{organisation} is a {organisation.get_kind_display().lower()}; control totals "
            "belong to NHS trusts and CCGs"
        )
    if organisation.closed_on and organisation.closed_on < year.starts_on:
        return f"{organisation} closed on {organisation.closed_on:%d %b %Y}, before {year} began"
    if organisation.opened_on and organisation.opened_on > year.ends_on:
        return f"{organisation} opened on {organisation.opened_on:%d %b %Y}, after {year} ended"
    return ""


def import_control_totals(
    raw: bytes,
    *,
    year: FinancialYear,
    source: str,
    dry_run: bool = False,
    user=None,
) -> tuple[ParsedFile, ImportCounts]:
    """Parse a file and write it whole: raises ImportRefused (the file cannot be read) or
    ImportHasErrors (rows have errors) and writes nothing then. Figures are created or updated
    per organisation and year, with history, as real (`illustrative=False`) figures whose source
    is `source` (the file name). With `dry_run`, does the work, reports it and rolls it back."""
    parsed = parse(raw, year=year)
    if parsed.errors:
        raise ImportHasErrors(parsed)
    counts = ImportCounts()
    reason = f"Imported from {source}"[:100]
    with transaction.atomic():
        hold_import_lock()
        existing = {
            figure.organisation_id: figure
            for figure in OrganisationYear.objects.select_for_update().filter(
                year=year, organisation_id__in=[r.organisation_id for r in parsed.records]
            )
        }
        new, changed = [], []
        for record in parsed.records:
            values = {**record.values, "illustrative": False, "source": source}
            figure = existing.get(record.organisation_id)
            if figure is None:
                new.append(
                    OrganisationYear(organisation_id=record.organisation_id, year=year, **values)
                )
                counts.add("created")
            elif stage_change(figure, values):
                changed.append(figure)
                counts.add("updated")
            else:
                counts.add("unchanged")
        write_figures(new, changed, user=user, reason=reason)
        end_import(dry_run=dry_run, changed=counts.changed())
    return parsed, counts


def write_figures(new: list, changed: list, *, user=None, reason: str = "") -> None:
    """Bulk-create and bulk-update organisations' figures with their history rows."""
    write_with_history(OrganisationYear, new, changed, WRITTEN_FIELDS, user=user, reason=reason)


class FiguresSummary(ImportSummary):
    """Created, updated and unchanged figures (nothing is ever closed)."""

    OUTCOMES = ("created", "updated", "unchanged")


def _upload(raw: bytes, *, source_note: str, dry_run: bool, user, year: str):
    try:
        financial = financial_year(year)
    except ValueError as error:
        raise ImportRefused(str(error)) from None
    parsed, counts = import_control_totals(
        raw, year=financial, source=source_note, dry_run=dry_run, user=user
    )
    summary = FiguresSummary()
    for outcome in FiguresSummary.OUTCOMES:
        summary.add(f"{financial} figures", outcome, counts.counts[outcome])
    return parsed, summary


CONTROL_TOTALS_UPLOAD = UploadFormat(
    "control-totals",
    "Control totals, plans and outturns (CSV)",
    "A header row naming ods_code, control_total, plan, outturn and optionally accepted, "
    "funding_available, funding_linked_share; £ thousands; give the financial year.",
    ("finance.add_organisationyear", "finance.change_organisationyear"),
    _upload,
    ("year",),
)
