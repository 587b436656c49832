"""The reference data shipped in `systems/reference_data/`: regions, footprints, systems, their
dated names, their population estimates, codes, statuses, waves, designations, events, the
successions of the 1 April 2026 reorganisation (with the members that moved to each
successor) and the sub-ICB locations under the ICBs from 1 July 2022, and, loaded by the
maturity app through the same loader, maturity frameworks (levels, domains) and the known
assessments under them, each row with its source.

Loading is idempotent: each row is matched on its natural key and written only when it differs,
so a second load changes nothing (and adds no history). Rows entered by admins that are not in
the files are left alone.
"""

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.db import models, transaction
from django.db.models import F, Q

from core.dates import DatePrecision, covers, format_partial_date, parse_partial_date

from .backdating import backdate_practice_memberships
from .models import (
    Code,
    CodeScheme,
    Designation,
    DesignationEvent,
    EventKind,
    Footprint,
    Membership,
    Organisation,
    OrganisationKind,
    Population,
    Region,
    SubIcbLocation,
    System,
    SystemFootprint,
    SystemName,
    SystemStatus,
    Wave,
)

DATA_DIR = Path(__file__).resolve().parent / "reference_data"
SNAPSHOT_DIR = DATA_DIR / "snapshots"

# Real public extracts shipped with the project (sources and licence in snapshots/SOURCES.md),
# loaded through the same importers as any upload. The trust list does not state its date:
# its latest open date is 1 October 2020 and it still lists trusts that closed on 31 March
# 2021, so it describes a day in between; it is dated from the earliest such day.
SNAPSHOTS = [
    ("ods-trusts", "etr-2020-10.csv", dt.date(2020, 10, 1)),
    ("practice-mapping", "gp-reg-pat-prac-map-2022-01.csv", None),
]


class ReferenceDataError(Exception):
    pass


@dataclass
class LoadSummary:
    counts: dict[str, Counter] = field(default_factory=dict)

    def add(self, kind: str, outcome: str):
        self.counts.setdefault(kind, Counter())[outcome] += 1

    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{kind}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for kind, c in self.counts.items()
        ]


def upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, str]:
    """Create or update one row, writing only when something differs."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj, "created"
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if not changed:
        return obj, "unchanged"
    obj.full_clean()
    obj.save()
    return obj, "updated"


def _rows(name: str):
    path = DATA_DIR / f"{name}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            yield number, {key: (value or "").strip() for key, value in row.items()}


def _sourced(row) -> dict:
    return {"source": row["source"], "unverified": row["unverified"] == "1", "note": row["note"]}


def _date(text: str):
    return parse_partial_date(text)[0] if text else None


def _by_slug(model: type[models.Model]) -> dict:
    """Every row of `model` by its slug: what later rows of the reference data name."""
    return {row.slug: row for row in model._default_manager.all()}


def _dated(text: str):
    return parse_partial_date(text)


@transaction.atomic
def load_reference_data(*, include_snapshots: bool = True) -> LoadSummary:
    summary = LoadSummary()

    def load(kind, name, build):
        for number, row in _rows(name):
            try:
                model, lookup, values = build(row)
                _, outcome = upsert(model, lookup, values)
            except Exception as error:
                raise ReferenceDataError(f"{name}.csv row {number}: {error}") from error
            summary.add(kind, outcome)

    def region(row):
        return Region, {"slug": row["slug"]}, {"name": row["name"], **_sourced(row)}

    load("regions", "regions", region)
    regions = _by_slug(Region)

    def footprint(row):
        established_on, precision = _dated(row["established_on"])
        return (
            Footprint,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "region": regions[row["region"]],
                "established_on": established_on,
                "established_precision": precision,
                "ended_on": _date(row["ended_on"]),
                **_sourced(row),
            },
        )

    load("footprints", "footprints", footprint)
    footprints = _by_slug(Footprint)
    # Mergers point at footprints loaded in the same pass, so they are linked afterwards.
    for _, row in _rows("footprints"):
        if row["merged_into"]:
            upsert(
                Footprint,
                {"slug": row["slug"]},
                {"merged_into": footprints[row["merged_into"]]},
            )

    def system(row):
        return (
            System,
            {"slug": row["slug"]},
            {"name": row["name"], "official_name": row["official_name"], **_sourced(row)},
        )

    load("systems", "systems", system)
    systems = _by_slug(System)

    def system_footprint(row):
        valid_from, precision = _dated(row["valid_from"])
        return (
            SystemFootprint,
            {"system": systems[row["system"]], "valid_from": valid_from},
            {
                "precision": precision,
                "footprint": footprints[row["footprint"]],
                "scope": row["scope"],
                "valid_until": _date(row["valid_until"]),
                **_sourced(row),
            },
        )

    load("system footprints", "system_footprints", system_footprint)

    owners = {"region": regions, "footprint": footprints, "system": systems}

    def code(row):
        valid_from, precision = _dated(row["valid_from"])
        owner = {row["owner_type"]: owners[row["owner_type"]][row["owner"]]}
        return (
            Code,
            {"scheme": row["scheme"], "code": row["code"], "valid_from": valid_from},
            {
                **owner,
                "precision": precision,
                "valid_until": _date(row["valid_until"]),
                **_sourced(row),
            },
        )

    load("codes", "codes", code)

    def system_name(row):
        valid_from, precision = _dated(row["valid_from"])
        return (
            SystemName,
            {"system": systems[row["system"]], "valid_from": valid_from},
            {
                "name": row["name"],
                "short_name": row["short_name"],
                "precision": precision,
                **_sourced(row),
            },
        )

    load("system names", "system_names", system_name)
    load("populations", "populations", population_row(systems))

    def status(row):
        effective_from, precision = _dated(row["effective_from"])
        return (
            SystemStatus,
            {"system": systems[row["system"]], "effective_from": effective_from},
            {"status": row["status"], "precision": precision, **_sourced(row)},
        )

    load("statuses", "statuses", status)

    def wave(row):
        announced_on, announced_precision = _dated(row["announced_on"])
        effective_on, effective_precision = _dated(row["effective_on"])
        return (
            Wave,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "sequence": int(row["sequence"]),
                "announced_on": announced_on,
                "announced_precision": announced_precision,
                "effective_on": effective_on,
                "effective_precision": effective_precision,
                "description": row["description"],
                **_sourced(row),
            },
        )

    load("waves", "waves", wave)
    waves = _by_slug(Wave)

    def designation(row):
        designated_on, precision = _dated(row["designated_on"])
        return (
            Designation,
            {"system": systems[row["system"]], "wave": waves[row["wave"]]},
            {"designated_on": designated_on, "precision": precision, **_sourced(row)},
        )

    load("designations", "designations", designation)

    def event(row):
        occurred_on, precision = _dated(row["occurred_on"])
        return (
            DesignationEvent,
            {
                "system": systems[row["system"]],
                "kind": row["kind"],
                "occurred_on": occurred_on,
                "related_system": systems[row["related_system"]] if row["related_system"] else None,
            },
            {
                "precision": precision,
                "previous_name": row["previous_name"],
                "new_name": row["new_name"],
                **_sourced(row),
            },
        )

    load("events", "events", event)

    def succession(row):
        occurred_on, precision = _dated(row["occurred_on"])
        kind, subject, other = SUCCESSION_EVENTS[row["kind"]]
        return (
            DesignationEvent,
            {
                "system": systems[row[subject]],
                "kind": kind,
                "occurred_on": occurred_on,
                "related_system": systems[row[other]],
            },
            {"precision": precision, **_sourced(row)},
        )

    load("successions", "successions", succession)
    # Apps built on systems (maturity) load their rows here, through the same loader and in
    # INSTALLED_APPS order; systems never imports them.
    for config in apps.get_app_configs():
        load_rows = getattr(config, "load_reference_rows", None)
        if load_rows is not None:
            load_rows(load, systems)
    if include_snapshots:
        load_snapshots(summary)
    # After the snapshots, which made the memberships that move and the CCGs that sub-ICB
    # locations continue.
    successions = Successions.read()
    move_members_to_successors(summary, systems, successions)
    load_sub_icb_locations(summary, successions)
    # Apps' real figures (performance's A&E), in INSTALLED_APPS order: they need the
    # organisations and memberships of the shipped extracts, so they come with them.
    if include_snapshots:
        for config in apps.get_app_configs():
            load_figures = getattr(config, "load_reference_figures", None)
            if load_figures is not None:
                load_figures(summary)
    return summary


# populations.csv's age bands at and over 65, which add up to those aged 65 and over.
BANDS_65_AND_OVER = ("aged_65_to_69", "aged_70_to_74", "aged_75_to_79", "aged_80_and_over")


def population_row(systems: dict[str, System]):
    """A row of populations.csv as a `Population`: all ages, and those aged 65 and over as
    the sum of the bands from 65; a row whose bands do not add up to its total is refused."""

    def build(row):
        estimated_on, precision = _dated(row["estimated_on"])
        all_ages = int(row["all_ages"])
        aged_65_and_over = sum(int(row[band]) for band in BANDS_65_AND_OVER)
        if int(row["under_65"]) + aged_65_and_over != all_ages:
            raise ReferenceDataError(f"the age bands do not add up to all ages ({all_ages})")
        return (
            Population,
            {"system": systems[row["system"]], "estimated_on": estimated_on},
            {
                "precision": precision,
                "ons_code": row["ons_code"],
                "all_ages": all_ages,
                "aged_65_and_over": aged_65_and_over,
                **_sourced(row),
            },
        )

    return build


# A row of successions.csv as an event: (kind, the system it is recorded on, the other one).
# An acquisition is recorded on the system that grew.
SUCCESSION_EVENTS = {
    "merger": (EventKind.MERGED_INTO, "predecessor", "successor"),
    "split": (EventKind.SPLIT_INTO, "predecessor", "successor"),
    "acquisition": (EventKind.ACQUIRED_PART_OF, "successor", "predecessor"),
}
SUCCESSION_SOURCE = "Reference data: members moved to the successor system"


@dataclass
class Successions:
    """The 1 April 2026 reorganisation as the loader applies it (successions.csv and
    succession_assignments.csv): which successor each member or sub-ICB location of a
    dissolved system went to."""

    # (predecessor slug, day) -> [(successor slug, kind, row)]
    targets: dict[tuple[str, dt.date], list[tuple[str, str, dict]]]
    # (predecessor slug, ODS code or "*") -> (successor slug, row)
    assigned: dict[tuple[str, str], tuple[str, dict]]

    @classmethod
    def read(cls) -> "Successions":
        targets: dict[tuple[str, dt.date], list[tuple[str, str, dict]]] = {}
        for _, row in _rows("successions"):
            key = (row["predecessor"], _date(row["occurred_on"]))
            targets.setdefault(key, []).append((row["successor"], row["kind"], row))
        assigned = {
            (row["predecessor"], row["organisation"]): (row["successor"], row)
            for _, row in _rows("succession_assignments")
        }
        return cls(targets, assigned)

    def successor(self, predecessor: str, day: dt.date, code: str) -> tuple[str, dict]:
        """The successor the holder of ODS `code` in `predecessor` went to on `day`, and the
        row that says so: the only successor, else the one succession_assignments.csv names
        for the code, else its `*` row."""
        targets = self.targets[(predecessor, day)]
        if len(targets) == 1:
            return targets[0][0], targets[0][2]
        found = self.assigned.get((predecessor, code), self.assigned.get((predecessor, "*")))
        if found is None:
            raise ReferenceDataError(
                f"succession_assignments.csv names no successor of {predecessor} for {code}"
            )
        return found


def move_members_to_successors(
    summary: LoadSummary, systems: dict[str, System], successions: Successions
) -> None:
    """Move each member of a dissolved system to its successor on the day of the succession:
    the membership ends the day before and a new one, with the same share, starts that day.

    A predecessor with one successor passes all its members to it; one divided between
    several passes each member to the successor `succession_assignments.csv` names for it
    (`Successions.successor`). Shares an organisation brings to a successor it was
    already a member of, or from two predecessors, are added into one membership. Idempotent:
    a member already moved (a membership of the successor starting that day) is left alone.
    """
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    from core.caching import bump_data_version

    counts = summary.counts.setdefault("members moved to successors", Counter())
    closing, opening = [], {}
    for predecessor_slug, day in successions.targets:
        predecessor = systems[predecessor_slug]
        last_day = day - dt.timedelta(days=1)
        members = Membership.objects.as_at(last_day).filter(system=predecessor)
        for membership in members.select_related("organisation"):
            code = membership.organisation.ods_code
            successor_slug, row = successions.successor(predecessor_slug, day, code)
            key = (membership.organisation_id, systems[successor_slug].pk, day)
            share, sources = opening.get(key, (Decimal(0), []))
            opening[key] = (share + membership.share, [*sources, row])
            if membership.valid_until is None or membership.valid_until > last_day:
                membership.valid_until = last_day
                membership.version += 1
                closing.append(membership)
    already = set(
        Membership.objects.filter(
            valid_from__in={day for *_, day in opening},
            organisation_id__in={organisation for organisation, *_ in opening},
        ).values_list("organisation_id", "system_id", "valid_from")
    )
    new = []
    for (organisation_id, system_id, day), (share, rows) in opening.items():
        if (organisation_id, system_id, day) in already:
            counts["unchanged"] += 1
            continue
        # A membership the organisation already has with the successor is folded into the
        # new one, so that one organisation is never twice a member of one system.
        ongoing = Membership.objects.as_at(day).filter(
            organisation_id=organisation_id, system_id=system_id, valid_from__lt=day
        )
        for membership in ongoing:
            share += membership.share
            membership.valid_until = day - dt.timedelta(days=1)
            membership.version += 1
            closing.append(membership)
        unverified = any(row["unverified"] == "1" for row in rows)
        notes = sorted({row["note"] for row in rows if row["note"]})
        new.append(
            Membership(
                organisation_id=organisation_id,
                system_id=system_id,
                share=min(share, Decimal(1)),
                valid_from=day,
                source=f"{SUCCESSION_SOURCE}: {rows[0]['source']}"[:500],
                unverified=unverified,
                note=" ".join(notes),
            )
        )
        counts["created"] += 1
    if closing:
        bulk_update_with_history(closing, Membership, ["valid_until", "version"], batch_size=1000)
        counts["updated"] += len(closing)
    if new:
        bulk_create_with_history(new, Membership, batch_size=1000)
    if closing or new:
        bump_data_version()


SUB_ICB_SUCCESSION_SOURCE = "Reference data: sub-ICB location moved with its ICB"
SUB_ICB_SUCCESSION_NOTE = (
    "Taken to have continued under {successor} with its code and ONS code, the name following "
    "the pattern of 2024: no source the project holds lists sub-ICB locations after {day}."
)


def load_sub_icb_locations(summary: LoadSummary, successions: Successions) -> None:
    """Load sub_icb_locations.csv: each sub-ICB location's periods under its ICB (named by
    ODS code, the system holding that code on the day), each ending the day before the next,
    and, where its last ICB was dissolved, a further period under the successor
    `Successions.successor` names, as for the ICB's member organisations. Each period is
    linked to the CCG organisation of the same code where there is one. Idempotent."""
    icb_codes = list(
        Code.objects.filter(scheme=CodeScheme.ODS, system__isnull=False).select_related("system")
    )
    ccgs = dict(
        Organisation.objects.filter(kind=OrganisationKind.CCG).values_list("ods_code", "pk")
    )
    systems_by_slug = _by_slug(System)

    def icb(ods_code: str, day: dt.date) -> System:
        for code in icb_codes:
            if code.code == ods_code and covers(code.valid_from, code.valid_until, day):
                return code.system
        raise ReferenceDataError(f"no system has the ODS code {ods_code} on {day}")

    periods: dict[str, list[dict]] = {}
    for number, row in _rows("sub_icb_locations"):
        valid_from, precision = _dated(row["valid_from"])
        try:
            system = icb(row["icb"], valid_from)
        except ReferenceDataError as error:
            raise ReferenceDataError(f"sub_icb_locations.csv row {number}: {error}") from error
        periods.setdefault(row["code"], []).append(
            {
                "valid_from": valid_from,
                "precision": precision,
                "system": system,
                "ons_code": row["ons_code"],
                "name": row["name"],
                **_sourced(row),
            }
        )
    for code, rows in periods.items():
        rows.sort(key=lambda period: period["valid_from"])
        last = rows[-1]
        moves = sorted(
            day
            for predecessor, day in successions.targets
            if predecessor == last["system"].slug and day > last["valid_from"]
        )
        if moves:
            day = moves[0]
            successor_slug, row = successions.successor(last["system"].slug, day, code)
            successor = systems_by_slug[successor_slug]
            dated_name = successor.dated_name(day)
            short = dated_name.short_name if dated_name else successor.name
            note = SUB_ICB_SUCCESSION_NOTE.format(successor=short, day=format_partial_date(day))
            rows.append(
                {
                    "valid_from": day,
                    "precision": DatePrecision.DAY,
                    "system": successor,
                    "ons_code": last["ons_code"],
                    "name": f"NHS {short} ICB - {code}",
                    "source": f"{SUB_ICB_SUCCESSION_SOURCE}: {row['source']}"[:500],
                    "unverified": True,
                    "note": " ".join(filter(None, [row["note"], note])),
                }
            )
        for period, following in zip(rows, [*rows[1:], None], strict=True):
            until = following["valid_from"] - dt.timedelta(days=1) if following else None
            lookup = {"code": code, "valid_from": period.pop("valid_from")}
            system = period.pop("system")
            values = {
                **period,
                "system_id": system.pk,
                "valid_until": until,
                "clinical_commissioning_group_id": ccgs.get(code),
            }
            try:
                _, outcome = upsert(SubIcbLocation, lookup, values)
            except Exception as error:
                raise ReferenceDataError(f"sub-ICB location {code}: {error}") from error
            summary.add("sub-ICB locations", outcome)


def load_snapshots(summary: LoadSummary) -> None:
    from .importers import import_file

    for kind, filename, as_at in SNAPSHOTS:
        path = SNAPSHOT_DIR / filename
        if not path.exists():
            continue
        _, result = import_file(
            kind, path.read_bytes(), as_at=as_at, skip_skippable=True, source_note=filename
        )
        for label, counts in result.counts.items():
            summary.counts.setdefault(f"{filename}: {label}", Counter()).update(
                created=counts["created"],
                updated=counts["updated"] + counts["closed"],
                unchanged=counts["unchanged"],
            )
    # Without this, a practice would belong to no system before its January 2022 extract.
    carried = backdate_practice_memberships()
    summary.counts.setdefault("practice and PCN memberships carried back", Counter()).update(
        created=carried["created"], unchanged=carried["unchanged"]
    )
    # No later extract ships to close them, but CCGs ceased to exist when the ICBs began.
    closed = close_organisations_of_kind(
        OrganisationKind.CCG, last_day=CCGS_ABOLISHED, source=CCG_ABOLITION_SOURCE
    )
    summary.counts.setdefault("CCGs closed on 30 June 2022", Counter()).update(updated=closed)


CCGS_ABOLISHED = dt.date(2022, 6, 30)
CCG_ABOLITION_SOURCE = "Health and Care Act 2022: CCGs abolished, ICBs established 1 July 2022"


def close_organisations_of_kind(kind: str, *, last_day: dt.date, source: str) -> int:
    """Close every organisation of `kind` on `last_day`, ending its memberships then.
    Idempotent: returns how many organisations it changed."""
    from core.caching import bump_data_version

    open_organisations = Organisation.objects.filter(kind=kind).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=last_day)
    )
    organisation_ids = list(open_organisations.values_list("pk", flat=True))
    if organisation_ids:
        # By id, not by a join on kind: right after a bulk load the planner has no statistics
        # and a self-joining UPDATE can take minutes.
        Membership.objects.filter(
            organisation_id__in=organisation_ids, valid_from__lte=last_day
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=last_day)).update(
            valid_until=last_day, version=F("version") + 1
        )
        Organisation.objects.filter(pk__in=organisation_ids).update(
            closed_on=last_day, version=F("version") + 1
        )
        bump_data_version()
    return len(organisation_ids)
