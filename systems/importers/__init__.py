"""Importers for public reference files, one module per format, behind one writer.

`parse_file(kind, raw, as_at=...)` reads and checks a file without writing; `import_file(...)`
parses and then writes it all-or-nothing (or only reports, with `dry_run`).
"""

import datetime as dt
from dataclasses import dataclass

from . import ods_trusts, ons_lookup, practice_mapping
from .base import MAX_IMPORT_BYTES, ImportRefused, ImportSummary, ParsedFile, RowIssue
from .context import ReferenceCodes
from .writer import ImportHasErrors, apply_import

__all__ = [
    "FORMATS",
    "MAX_IMPORT_BYTES",
    "ImportHasErrors",
    "ImportRefused",
    "ImportSummary",
    "ParsedFile",
    "RowIssue",
    "import_file",
    "parse_file",
]


@dataclass(frozen=True)
class Format:
    slug: str
    label: str
    source: str
    needs_date: bool


FORMATS = {
    "ods-trusts": Format("ods-trusts", ods_trusts.KIND, ods_trusts.SOURCE, True),
    "practice-mapping": Format(
        "practice-mapping", practice_mapping.KIND, practice_mapping.SOURCE, False
    ),
    "ons-lookup": Format("ons-lookup", ons_lookup.KIND, ons_lookup.SOURCE, False),
}


def parse_file(kind: str, raw: bytes, *, as_at: dt.date | None = None) -> ParsedFile:
    if kind == "ods-trusts":
        if as_at is None:
            raise ImportRefused("An ODS trust list does not say its date: give --as-at.")
        return ods_trusts.parse(raw, as_at=as_at, codes=ReferenceCodes.as_at(as_at))
    if kind == "practice-mapping":
        return practice_mapping.parse(raw, as_at=as_at)
    if kind == "ons-lookup":
        return ons_lookup.parse(raw, as_at=as_at)
    raise ValueError(f"unknown import format {kind!r}")


def import_file(
    kind: str,
    raw: bytes,
    *,
    as_at: dt.date | None = None,
    skip_skippable: bool = False,
    dry_run: bool = False,
    user=None,
    source_note: str = "",
) -> tuple[ParsedFile, ImportSummary]:
    parsed = parse_file(kind, raw, as_at=as_at)
    summary = apply_import(
        parsed,
        source=FORMATS[kind].source,
        source_note=source_note,
        skip_skippable=skip_skippable,
        dry_run=dry_run,
        user=user,
    )
    return parsed, summary
