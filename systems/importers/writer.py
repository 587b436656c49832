"""The one action that writes an import: all of it, or none of it.

Organisations are created or updated by ODS code. Memberships keep their history: an
organisation that has moved system since the last extract of the same kind has its old
membership closed the day before the file's date and a new one opened on it; one the file no
longer lists has its membership closed. Memberships entered by hand (another source, such as a
split trust's shares) are left alone. Re-importing the same file changes nothing.

A file that would close more than a small share of the current memberships, because it no
longer lists their organisations, is taken for part of an extract (five trusts, not the national
list) and refused unless the user says it is a complete national extract. One import runs at a
time (`lock.hold_import_lock`).

Rows are written in bulk (with their history rows), so a national file is a handful of queries
per thousand rows, not several per row.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.caching import bump_data_version

from ..models import Code, Membership, Organisation, OrganisationKind
from .base import ImportRefused, ImportSummary, ParsedFile
from .context import ReferenceCodes
from .lock import hold_import_lock
from .records import CodeRecord, OrganisationRecord

BATCH = 1000
SOURCE_LENGTH = 500  # Sourced.source


class ImportHasErrors(Exception):
    def __init__(self, parsed: ParsedFile):
        self.parsed = parsed
        super().__init__(f"{len(parsed.errors)} rows have errors")


def _label(kind: str) -> str:
    return OrganisationKind(kind).label


def apply_import(
    parsed: ParsedFile,
    *,
    source: str,
    source_note: str = "",
    skip_skippable: bool = False,
    dry_run: bool = False,
    complete_extract: bool = False,
    user=None,
) -> ImportSummary:
    """Write a parsed file. `source` names the kind of file (memberships from earlier files of
    the same kind are this import's to close); `source_note` (e.g. the file name) is added to
    what is recorded. Refuses (writing nothing) if any row has an error, or has a
    skippable problem and skipping was not chosen, or if it would close too many memberships
    (`ImportSummary.closing_warning`) and is not said to be a `complete_extract`. With
    `dry_run`, does all the work and reports it (the warning too), then rolls it back."""
    if parsed.errors or (parsed.skippable and not skip_skippable):
        raise ImportHasErrors(parsed)
    summary = ImportSummary(skipped=parsed.skippable)
    with transaction.atomic():
        hold_import_lock()
        organisations = [r for r in parsed.records if isinstance(r, OrganisationRecord)]
        label = (f"{source}, {source_note}" if source_note else source)[:SOURCE_LENGTH]
        if organisations:
            _write_organisations(organisations, parsed.as_at, source, label, summary, user)
        codes = [r for r in parsed.records if isinstance(r, CodeRecord)]
        if codes:
            _write_codes(codes, parsed.as_at, label, summary)
        if summary.changed() and connection.vendor == "postgresql":
            # Thousands of rows may have just arrived: give the planner statistics for the
            # queries that follow, in this transaction and after it.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE systems_organisation, systems_membership")
        if dry_run:
            transaction.set_rollback(True)
        elif summary.closing_warning() and not complete_extract:
            raise ImportRefused(
                f"{summary.closing_warning()} If it is a complete national extract, import "
                "it as one (--complete-extract, or the tick box)."
            )
        elif summary.changed():
            bump_data_version()
    return summary


def _write_organisations(records, as_at: dt.date, source: str, label: str, summary, user):
    kinds = {record.kind for record in records}
    ours = Q(source__startswith=source)
    latest = (
        Membership.objects.filter(ours, organisation__kind__in=kinds)
        .order_by("-valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    if latest and latest > as_at:
        raise ImportRefused(
            f"This file describes {as_at:%d %b %Y}, before the last import of its kind "
            f"({latest:%d %b %Y}). Import extracts in date order."
        )
    systems = ReferenceCodes.as_at(as_at).system_ids
    existing = {
        o.ods_code: o
        for o in Organisation.objects.filter(ods_code__in=[r.ods_code for r in records])
    }
    new, changed = [], []
    seen = set()
    for record in records:
        if record.ods_code in seen:
            continue  # one organisation in several systems: several records
        seen.add(record.ods_code)
        organisation = existing.get(record.ods_code)
        if organisation is None:
            organisation = Organisation(
                ods_code=record.ods_code,
                name=record.name,
                kind=record.kind,
                opened_on=record.opened_on,
                closed_on=record.closed_on,
                source=label,
            )
            new.append(organisation)
            existing[record.ods_code] = organisation
            summary.add(_label(record.kind), "created")
            continue
        updates = {"name": record.name}
        if record.opened_on:
            updates["opened_on"] = record.opened_on
        if (
            organisation.kind == OrganisationKind.NHS_TRUST
            or record.kind != OrganisationKind.NHS_TRUST
        ):
            # A kind an admin has made more precise (acute, mental health...) is kept.
            updates["kind"] = record.kind
        if any(getattr(organisation, k) != v for k, v in updates.items()):
            for key, value in updates.items():
                setattr(organisation, key, value)
            # A change form opened before the import must not save over it.
            organisation.version += 1
            changed.append(organisation)
            summary.add(_label(organisation.kind), "updated")
        else:
            summary.add(_label(organisation.kind), "unchanged")
    bulk_create_with_history(new, Organisation, batch_size=BATCH, default_user=user)
    if changed:
        bulk_update_with_history(
            changed,
            Organisation,
            ["name", "opened_on", "kind", "version"],
            batch_size=BATCH,
            default_user=user,
        )

    current = defaultdict(list)
    for membership in Membership.objects.as_at(as_at).filter(
        Q(organisation_id__in=[o.pk for o in existing.values()])
        | (ours & Q(organisation__kind__in=kinds))
    ):
        current[membership.organisation_id].append(membership)
    summary.current_memberships = sum(
        membership.source.startswith(source)
        for memberships in current.values()
        for membership in memberships
    )

    # What the file says: each organisation's systems, with shares where it spans several.
    desired: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for record in records:
        desired[existing[record.ods_code].pk][systems[record.system_code]] = record.share

    opened, closing, removed = [], [], []
    for organisation_id, wanted in desired.items():
        memberships = current.get(organisation_id, [])
        if any(not m.source.startswith(source) for m in memberships):
            summary.add("Membership", "unchanged", len(memberships))  # entered by hand
            continue
        kept = set()
        for membership in memberships:
            if wanted.get(membership.system_id) == membership.share:
                kept.add(membership.system_id)
                summary.add("Membership", "unchanged")
            elif membership.valid_from >= as_at:
                removed.append(membership)  # a corrected file for the same date
            else:
                membership.valid_until = as_at - dt.timedelta(days=1)
                membership.version += 1
                closing.append(membership)
                summary.add("Membership", "closed")
        for system_id, share in wanted.items():
            if system_id not in kept:
                opened.append(
                    Membership(
                        organisation_id=organisation_id,
                        system_id=system_id,
                        share=share,
                        valid_from=as_at,
                        source=label,
                    )
                )
                summary.add("Membership", "created")
    # Organisations of these kinds the file no longer lists have left (or closed).
    for organisation_id, memberships in current.items():
        if organisation_id in desired:
            continue
        for membership in memberships:
            if not membership.source.startswith(source) or membership.valid_from >= as_at:
                continue
            membership.valid_until = as_at - dt.timedelta(days=1)
            membership.version += 1
            closing.append(membership)
            summary.add("Membership", "closed")
            summary.left += 1
    for membership in removed:
        membership.delete()
    if closing:
        bulk_update_with_history(
            closing, Membership, ["valid_until", "version"], batch_size=BATCH, default_user=user
        )
    bulk_create_with_history(opened, Membership, batch_size=BATCH, default_user=user)


def _write_codes(records, as_at: dt.date, source: str, summary):
    owners = {(r.owner_type, r.owner_id) for r in records}
    existing = defaultdict(list)
    for code in Code.objects.filter(scheme="ons").filter(
        footprint_id__in=[i for t, i in owners if t == "footprint"]
    ) | Code.objects.filter(scheme="ons", region_id__in=[i for t, i in owners if t == "region"]):
        owner = (
            ("footprint", code.footprint_id) if code.footprint_id else ("region", code.region_id)
        )
        existing[owner].append(code)
    for record in records:
        kind = "Footprint ONS code" if record.owner_type == "footprint" else "Region ONS code"
        codes = existing[(record.owner_type, record.owner_id)]
        if any(c.code == record.code for c in codes):
            summary.add(kind, "unchanged")
            continue
        for code in codes:
            valid = code.valid_from <= as_at and (
                code.valid_until is None or code.valid_until >= as_at
            )
            if valid and code.valid_from < as_at:
                code.valid_until = as_at - dt.timedelta(days=1)
                code.save(update_fields=["valid_until"])
                summary.add(kind, "closed")
        Code.objects.create(
            scheme="ons",
            code=record.code,
            valid_from=as_at,
            source=f"{source} ({record.name})"[:SOURCE_LENGTH],
            **{f"{record.owner_type}_id": record.owner_id},
        )
        summary.add(kind, "created")
