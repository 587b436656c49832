"""Providers' monthly performance against the national standards, from CSV.

The project's own format (NHS England publishes each standard in a different layout; a
spreadsheet of them is easily saved as this): a header row naming the columns, in any order,
then one row per provider, standard and month.

| column | required | what |
|---|---|---|
| `standard` | yes | the standard's code: `ae-4-hour`, `rtt-18-weeks` or `cancer-62-day` |
| `provider_ods_code` | yes | the provider's ODS code (an NHS trust) |
| `month` | yes | the month observed: `2017-11` or `2017-11-01` (the first of the month) |
| `numerator` | yes | patients within the standard: a whole number, `1234` or `1,234` |
| `denominator` | yes | all patients counted: a whole number, at least the numerator |
| `source` | no | where the row comes from; empty means the file's name |

The file is read as the other importers read theirs (byte-order marks, CRLF, non-breaking
spaces, lower-case codes, blank lines) and written all or nothing: every bad row is reported
with its row number, column and reason, and nothing is written unless every row is good.
Observations are created or updated per provider, standard and month, with their history, as
real figures (`illustrative=False`) that replace illustrative ones; importing the same file
again changes nothing.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import transaction

from core.bulk import end_import, stage_change, write_with_history
from systems.importers import (
    ImportHasErrors,
    ImportRefused,
    ImportSummary,
    ParsedFile,
    UploadFormat,
)
from systems.importers.base import clean_code, clean_text, not_after_today, read_header_table
from systems.importers.lock import hold_import_lock
from systems.models import TRUST_KINDS, Organisation

from .models import Observation, Standard

__all__ = [
    "COLUMNS",
    "OBSERVATIONS_UPLOAD",
    "ImportHasErrors",
    "ImportRefused",
    "import_observations",
    "parse",
]

KIND = "Performance observations (CSV)"
REQUIRED = ("standard", "provider_ods_code", "month", "numerator", "denominator")
COLUMNS = (*REQUIRED, "source")
OBSERVATION_FIELDS = ["numerator", "denominator", "illustrative", "source"]
SUMMARY_KIND = "Observations"
BATCH = 2000
# An UPDATE of many rows is one CASE per field over the batch, which slows with its square.
UPDATE_BATCH = 250
EARLIEST_MONTH = dt.date(2000, 1, 1)

_COUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_LARGEST = 2_147_483_647  # PositiveIntegerField


@dataclass(frozen=True)
class ObservationRecord:
    row: int
    provider_id: int
    standard_id: int
    month: dt.date
    values: dict = field(hash=False)


class ObservationSummary(ImportSummary):
    """Created, updated and unchanged observations (nothing is ever closed)."""

    OUTCOMES = ("created", "updated", "unchanged")


def parse_count(text: str) -> int:
    """A whole number of patients: 1234 or 1,234."""
    value = clean_text(text)
    if not _COUNT.match(value):
        raise ValueError(f"“{text}” is not a whole number of patients (write 1234 or 1,234)")
    count = int(value.replace(",", ""))
    if count > _LARGEST:
        raise ValueError(f"“{text}” is too large")
    return count


def parse_month(text: str) -> dt.date:
    """`2017-11` or `2017-11-01` as the first day of the month."""
    value = clean_text(text)
    match = _MONTH.match(value)
    if not match:
        raise ValueError(f"“{text}” is not a month: write 2017-11 or 2017-11-01")
    try:
        day = dt.date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError:
        raise ValueError(f"“{text}” is not a date") from None
    if day.day != 1:
        raise ValueError(f"“{text}” is not the first of a month: write the month as {day:%Y-%m}")
    if day < EARLIEST_MONTH:
        raise ValueError(f"“{text}” is before {EARLIEST_MONTH.year}")
    return not_after_today(day)


def parse(raw: bytes, *, source: str) -> ParsedFile:
    """Read and check an observations file; writes nothing."""
    parsed = ParsedFile(kind=KIND, as_at=None)
    table = read_header_table(
        raw, parsed, columns=COLUMNS, required=REQUIRED, what="performance observations"
    )
    if table is None:
        return parsed
    standards = {s.code: s.pk for s in Standard.objects.only("pk", "code")}
    codes = {clean_code(table.cell(cells, "provider_ods_code")) for _, cells in table.rows}
    providers = {
        o.ods_code: o
        for o in Organisation.objects.filter(ods_code__in=codes).only(
            "pk", "ods_code", "name", "kind"
        )
    }
    first_seen: dict[tuple, int] = {}
    for number, cells in table.rows:
        problems = []
        code = clean_text(table.cell(cells, "standard")).lower()
        standard_id = standards.get(code)
        if not code:
            problems.append(("standard", "is empty"))
        elif standard_id is None:
            problems.append(
                ("standard", f"{code} is not a standard; the standards are {', '.join(standards)}")
            )
        ods_code = clean_code(table.cell(cells, "provider_ods_code"))
        provider = providers.get(ods_code)
        if not ods_code:
            problems.append(("provider_ods_code", "is empty"))
        elif provider is None:
            problems.append(("provider_ods_code", f"{ods_code} is not a known organisation"))
        elif provider.kind not in TRUST_KINDS:
            problems.append(
                (
                    "provider_ods_code",
                    f"{provider} is a {provider.get_kind_display().lower()}; performance is "
                    "reported by NHS trusts",
                )
            )
        month = None
        try:
            month = parse_month(table.cell(cells, "month"))
        except ValueError as error:
            problems.append(("month", str(error)))
        counts = {}
        for name in ("numerator", "denominator"):
            try:
                counts[name] = parse_count(table.cell(cells, name))
            except ValueError as error:
                problems.append((name, str(error)))
        if len(counts) == 2 and counts["numerator"] > counts["denominator"]:
            problems.append(
                (
                    "numerator",
                    f"{counts['numerator']} is more than the denominator ({counts['denominator']})",
                )
            )
        if not problems:
            key = (standard_id, provider.pk, month)
            if key in first_seen:
                problems.append(
                    (
                        "month",
                        f"{ods_code} has {code} for {month:%B %Y} already (row {first_seen[key]})",
                    )
                )
            else:
                first_seen[key] = number
        for name, reason in problems:
            parsed.error(number, table.column(name), reason)
        if not problems:
            row_source = clean_text(table.cell(cells, "source")) or source
            parsed.records.append(
                ObservationRecord(
                    number,
                    provider.pk,
                    standard_id,
                    month,
                    {**counts, "illustrative": False, "source": row_source[:500]},
                )
            )
    return parsed


def import_observations(
    raw: bytes, *, source: str, dry_run: bool = False, user=None
) -> tuple[ParsedFile, ObservationSummary]:
    """Parse a file and write it whole: raises ImportRefused (the file cannot be read) or
    ImportHasErrors (rows have errors) and writes nothing then. With `dry_run`, does the
    work, reports it and rolls it back."""
    parsed = parse(raw, source=source)
    if parsed.errors:
        raise ImportHasErrors(parsed)
    summary = save_observations(
        parsed.records, reason=f"Imported from {source}", dry_run=dry_run, user=user
    )
    return parsed, summary


def save_observations(
    records: list[ObservationRecord],
    *,
    reason: str,
    dry_run: bool = False,
    user=None,
    kind=lambda record: SUMMARY_KIND,
    skipped=(),
) -> ObservationSummary:
    """Create or update an observation per record (provider, standard and month), with its
    history naming `user` and `reason`, in one transaction under the import lock; counts each
    record under `kind(record)`. With `dry_run`, does the work, reports it and rolls it back."""
    summary = ObservationSummary(skipped=list(skipped))
    with transaction.atomic():
        hold_import_lock()
        months = [r.month for r in records] or [EARLIEST_MONTH]
        existing = {
            (o.standard_id, o.provider_id, o.month): o
            for o in Observation.objects.select_for_update().filter(
                provider_id__in={r.provider_id for r in records},
                standard_id__in={r.standard_id for r in records},
                month__gte=min(months),
                month__lte=max(months),
            )
        }
        new, changed = [], []
        for record in records:
            observation = existing.get((record.standard_id, record.provider_id, record.month))
            if observation is None:
                new.append(
                    Observation(
                        provider_id=record.provider_id,
                        standard_id=record.standard_id,
                        month=record.month,
                        **record.values,
                    )
                )
                summary.add(kind(record), "created")
            elif stage_change(observation, record.values):
                changed.append(observation)
                summary.add(kind(record), "updated")
            else:
                summary.add(kind(record), "unchanged")
        write_observations(new, changed, user=user, reason=reason[:100])
        end_import(dry_run=dry_run, changed=summary.changed())
    return summary


def write_observations(new: list, changed: list, *, user=None, reason: str = "") -> None:
    """Bulk-create and bulk-update observations with their history rows."""
    write_with_history(
        Observation,
        new,
        changed,
        OBSERVATION_FIELDS,
        user=user,
        reason=reason,
        batch_size=BATCH,
        update_batch_size=UPDATE_BATCH,
    )


def _upload(raw: bytes, *, source_note: str, dry_run: bool, user):
    return import_observations(raw, source=source_note, dry_run=dry_run, user=user)


OBSERVATIONS_UPLOAD = UploadFormat(
    "performance-observations",
    "Performance observations (CSV)",
    "A header row naming standard, provider_ods_code, month, numerator, denominator and "
    "optionally source; one row per provider, standard and month.",
    ("performance.add_observation", "performance.change_observation"),
    _upload,
)
