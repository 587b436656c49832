"""Importers for public reference files, one module per format, behind one writer.

`parse_file(kind, raw, as_at=...)` reads and checks a file without writing; `import_file(...)`
parses and then writes it all-or-nothing (or only reports, with `dry_run`).

`UploadFormat` describes any app's importer to the admin upload (`systems.admin_imports`): the
reference files here, control totals in finance, observations in performance.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from . import ods_trusts, ons_lookup, practice_mapping
from .base import MAX_IMPORT_BYTES, ImportRefused, ImportSummary, ParsedFile, RowIssue
from .context import ReferenceCodes
from .writer import ImportHasErrors, apply_import

__all__ = [
    "FORMATS",
    "MAX_IMPORT_BYTES",
    "REFERENCE_UPLOADS",
    "ImportHasErrors",
    "ImportRefused",
    "ImportSummary",
    "ParsedFile",
    "RowIssue",
    "UploadFormat",
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
            raise ImportRefused(
                "An ODS trust list does not say its date: give the date it describes "
                "(--as-at, or the upload form's date)."
            )
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
    complete_extract: bool = False,
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
        complete_extract=complete_extract,
        user=user,
    )
    return parsed, summary


@dataclass(frozen=True)
class UploadFormat:
    """A kind of file the admin upload accepts, and how to import it.

    `run(raw, *, source_note, dry_run, user, **options)` parses and writes the file all or
    nothing, raising ImportRefused or ImportHasErrors to write nothing; `options` are the
    upload form's answers to the questions this format asks (`OPTIONS`)."""

    slug: str
    label: str
    description: str
    permissions: tuple[str, ...]
    run: Callable[..., tuple[ParsedFile, ImportSummary]]
    options: tuple[str, ...] = ()

    # What a format may ask besides the file, each a field of the upload form.
    OPTIONS = ("as_at", "year", "skip_skippable", "complete_extract")


def _reference_upload(slug: str, description: str, options: tuple[str, ...]) -> UploadFormat:
    def run(raw, *, source_note, dry_run, user, **answers):
        return import_file(
            slug, raw, source_note=source_note, dry_run=dry_run, user=user, **answers
        )

    return UploadFormat(
        slug, FORMATS[slug].label, description, ("systems.import_organisation",), run, options
    )


REFERENCE_UPLOADS = (
    _reference_upload(
        "ods-trusts",
        "etr.csv, no header, 27 columns; give the date it describes.",
        ("as_at", "skip_skippable", "complete_extract"),
    ),
    _reference_upload(
        "practice-mapping",
        "gp-reg-pat-prac-map.csv, dated by its EXTRACT_DATE.",
        ("skip_skippable", "complete_extract"),
    ),
    _reference_upload(
        "ons-lookup",
        "stp18cd,stp18nm and the like, dated 1 April of the year in its column names.",
        (),
    ),
)
