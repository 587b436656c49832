"""The national standards shipped in `performance/reference_data/standards.csv`.

Standards are reference data every performance page, import and demo needs, so they are loaded
after every `migrate` (performance/apps.py) and again, cheaply, by the performance commands.
Only missing standards are created: once a standard exists its row belongs to the editors, and
an edit made in the admin is never overwritten by the file.
"""

import csv
import datetime as dt
import re
from collections import Counter
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

from core.reference import ReferenceFile
from systems.reference import LoadSummary

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


# -- real A&E figures, April 2016 to March 2019 ----------------------------------------------
#
# NHS England's monthly A&E attendances and 4-hour breaches by provider and department type
# (ae_attendances_2016_2019.csv, written by scripts/convert_ae_attendances.py) become real
# observations on both A&E standards, loaded with the reference data. Providers the database
# does not know yet become organisations, and NHS trusts become members of the systems over
# the footprints their patients came from (trust_icb_shares_2022.csv) for the months before
# the shipped trust list, so that real figures reach systems through sourced memberships.

AE_FILE = DATA_DIR / "ae_attendances_2016_2019.csv"
SHARES_FILE = DATA_DIR / "trust_icb_shares_2022.csv"
AE_PUBLISHER = "NHS England, A&E Attendances and Emergency Admissions"
AE_LICENCE = "OGL v3"
# Shown under tables and charts with real A&E figures, and in board papers.
AE_SOURCE_LINE = f"{AE_PUBLISHER}, monthly provider figures (Open Government Licence v3)"
# Each standard from the file and the department types it counts (None: all of them).
AE_STANDARD_TYPES = {"ae-4-hour": None, "ae-4-hour-type-1": {"1"}}
TRUST_CODE = re.compile(r"^R[A-Z0-9]{2}$")
PRACTICE_CODE = re.compile(r"^[A-W][0-9]{5}$")
PLACEHOLDER_NAME = "{code} (name not in the shipped data)"
PLACEHOLDER_SOURCE = (
    f"{AE_PUBLISHER} ({AE_FILE.name}): a provider in the statistics; its name is not in the "
    "shipped data"
)
NAMED_SOURCE = (
    "ONS lookup of NHS trusts (2022), via humaniverse/geographr (trust_icb_shares_2022.csv, OGL v3)"
)
# Memberships before the shipped trust list's: from the first month of the A&E file to the day
# before the trust list's memberships begin.
MEMBERSHIPS_FROM = dt.date(2016, 4, 1)
# A footprint with less than this share of a trust's patients is left out, and the trust's
# other shares scaled up to add up to 1: a trust is not made a member of a dozen systems for
# a handful of patients each.
SHARE_THRESHOLD = Decimal("0.05")
MEMBERSHIP_SOURCE = (
    "ONS lookup of NHS trusts (2022) to ICBs (2022), share of each trust's admitted patients "
    "from each footprint, via humaniverse/geographr (trust_icb_shares_2022.csv, OGL v3)"
)
TRUST_LIST_BACKDATED_SOURCE = (
    "NHS Digital ODS trust list (etr.csv), October 2020, carried back to April 2016 for trusts "
    "not in the 2022 trust-to-ICB lookup"
)
TRUST_LIST_BACKDATED_NOTE = (
    "The trust is not in the 2022 trust-to-ICB lookup (it merged or closed by then): its "
    "October 2020 system is taken to hold from April 2016 (or its opening) to September 2020, "
    "the acute trust at the heart of a sub-footprint Wave 1 system counting towards that "
    "system until it was absorbed. Not verified."
)
MEMBERSHIP_NOTE = (
    "The 2022 trust-to-ICB patient shares applied to 2016-2020: the lookup describes 2022 "
    "trusts and ICB footprints, not the earlier years. Footprints with less than 5% of the "
    "trust's patients are left out and the rest scaled to add up to 1; a trust the lookup gives "
    "no shares for counts wholly towards its main STP. Attributed to the system over the whole "
    "STP footprint, except that the acute trust at the heart of a sub-footprint Wave 1 system "
    "(Berkshire West, Buckinghamshire, Greater Nottingham, Blackpool and Fylde Coast) counts "
    "its main share towards that system until it was absorbed in 2019; the three "
    "northern STPs merged in August 2018 are not told apart, their trusts counting in the "
    "merged system throughout."
)


def ae_source(month: dt.date) -> str:
    """The source stored on a real A&E observation for `month`."""
    return f"{AE_PUBLISHER}, {month:%B %Y} ({AE_FILE.name}, {AE_LICENCE})"


def _data_rows(path: Path) -> list[dict]:
    """A shipped data file's rows: `#` lines (its source and licence) first, then a header."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def ae_counts() -> dict[tuple[str, str, dt.date], tuple[int, int]]:
    """(standard code, ODS code, month) -> (seen within four hours, attendances), summed over
    the department types each standard counts; a provider with no such department that month
    has no entry."""
    counts: dict[tuple[str, str, dt.date], tuple[int, int]] = {}
    for row in _data_rows(AE_FILE):
        month = dt.date.fromisoformat(f"{row['period']}-01")
        attendances, breaches = int(row["attendances"]), int(row["breaches"])
        for code, types in AE_STANDARD_TYPES.items():
            if types is not None and row["type"] not in types:
                continue
            key = (code, row["org_code"], month)
            within, total = counts.get(key, (0, 0))
            counts[key] = (within + attendances - breaches, total + attendances)
    return counts


def trust_shares() -> dict[str, tuple[str, dict[str, Decimal]]]:
    """ODS code -> (the trust's 2022 name, {ONS footprint code: share}), the shares after
    `SHARE_THRESHOLD`, scaled to add up to 1 and rounded down to four places (so they never
    add up to more than 1)."""
    names: dict[str, str] = {}
    raw: dict[str, dict[str, Decimal]] = {}
    for row in _data_rows(SHARES_FILE):
        names[row["trust_code"]] = row["trust_name"]
        raw.setdefault(row["trust_code"], {})[row["ons_code"]] = Decimal(row["proportion"])
    shares = {}
    for code, proportions in raw.items():
        kept = {ons: share for ons, share in proportions.items() if share >= SHARE_THRESHOLD}
        if not kept:  # no footprint reaches the threshold: the largest one stands for all
            ons = max(proportions, key=proportions.get)
            kept = {ons: proportions[ons]}
        total = sum(kept.values())
        shares[code] = (
            names[code],
            {
                ons: (share / total).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
                for ons, share in kept.items()
            },
        )
    return shares


def provider_kind(code: str, name: str) -> str:
    """The kind of a provider known only by its ODS code (and a name, where one is shipped):
    trust codes are NHS trusts (ambulance trusts by name), practice codes GP practices, every
    other code (independent-sector and other non-NHS providers) other."""
    from systems.importers.ods_trusts import trust_kind
    from systems.models import OrganisationKind

    if TRUST_CODE.match(code):
        return trust_kind(name)
    if PRACTICE_CODE.match(code):
        return OrganisationKind.GP_PRACTICE
    return OrganisationKind.OTHER


def _count(summary, kind: str, outcome: str, number: int = 1) -> None:
    summary.counts.setdefault(kind, Counter())[outcome] += number


def _providers(codes: set[str], shares, summary) -> dict[str, int]:
    """Organisation id by ODS code for every provider in the A&E file, creating the missing
    ones: named from the trust lookup where it has them, else with a placeholder name."""
    from simple_history.utils import bulk_create_with_history

    from systems.models import Organisation

    known = dict(Organisation.objects.filter(ods_code__in=codes).values_list("ods_code", "pk"))
    new = []
    for code in sorted(codes - set(known)):
        name = shares[code][0] if code in shares else ""
        new.append(
            Organisation(
                ods_code=code,
                name=name or PLACEHOLDER_NAME.format(code=code),
                kind=provider_kind(code, name),
                source=NAMED_SOURCE if name else PLACEHOLDER_SOURCE,
            )
        )
    if new:
        bulk_create_with_history(new, Organisation, batch_size=1000)
        known.update(
            Organisation.objects.filter(ods_code__in=[o.ods_code for o in new]).values_list(
                "ods_code", "pk"
            )
        )
    _count(summary, "A&E providers", "created", len(new))
    _count(summary, "A&E providers", "unchanged", len(codes) - len(new))
    return known


def _footprint_systems() -> dict[str, int]:
    """System id by ONS footprint code: the system over the whole footprint at some time
    between April 2016 and September 2020 (the earliest, where there were several)."""
    from systems.backdating import TRUST_LIST_DATE
    from systems.models import Code, CodeScheme, CoverageScope, SystemFootprint

    by_footprint: dict[int, int] = {}
    for footprint_id, system_id in (
        SystemFootprint.objects.filter(scope=CoverageScope.WHOLE, valid_from__lt=TRUST_LIST_DATE)
        .exclude(valid_until__lt=MEMBERSHIPS_FROM)
        .order_by("valid_from", "pk")
        .values_list("footprint_id", "system_id")
    ):
        by_footprint.setdefault(footprint_id, system_id)
    return {
        code: by_footprint[footprint_id]
        for code, footprint_id in Code.objects.filter(
            scheme=CodeScheme.ONS, footprint__isnull=False
        ).values_list("code", "footprint_id")
        if footprint_id in by_footprint
    }


def _trust_memberships(shares, summary) -> None:
    """Each trust in the lookup a member of the systems over its footprints, by its shares,
    from April 2016 (or its opening) to the day before the shipped trust list. A trust with
    a membership before then from anywhere but the lookup or the illustrative demo (entered
    by hand) is left alone; the demo's back-dated guesses are replaced. Idempotent."""
    from simple_history.utils import bulk_create_with_history

    from systems.backdating import (
        TRUST_LIST_DATE,
        backdate_trust_memberships,
        sub_footprint_periods,
        sub_footprint_systems,
    )
    from systems.demo import MEMBERSHIP_SOURCE as DEMO_SOURCE
    from systems.models import Membership, Organisation

    last_day = TRUST_LIST_DATE - dt.timedelta(days=1)
    systems = _footprint_systems()
    sub_systems = sub_footprint_systems()
    trusts = {o.ods_code: o for o in Organisation.objects.filter(ods_code__in=list(shares))}
    earlier: dict[int, set[str]] = {}
    for organisation_id, source in Membership.objects.filter(
        organisation_id__in=[o.pk for o in trusts.values()], valid_from__lt=TRUST_LIST_DATE
    ).values_list("organisation_id", "source"):
        earlier.setdefault(organisation_id, set()).add(source)
    replaced, new = [], []
    for code, (_, footprint_shares) in sorted(shares.items()):
        trust = trusts.get(code)
        if trust is None:
            continue
        held = earlier.get(trust.pk, set())
        if MEMBERSHIP_SOURCE in held or held - {DEMO_SOURCE}:
            _count(summary, "trust memberships before October 2020", "unchanged")
            continue
        start = max(MEMBERSHIPS_FROM, trust.opened_on or MEMBERSHIPS_FROM)
        if start > last_day:
            continue
        by_system: dict[int, Decimal] = {}
        for ons, share in footprint_shares.items():
            by_system[systems[ons]] = by_system.get(systems[ons], Decimal(0)) + share
        if held:
            replaced.append(trust.pk)
        main = max(by_system, key=lambda system_id: (by_system[system_id], -system_id))
        for system_id, share in sorted(by_system.items()):
            # The trust's main share goes to the sub-footprint Wave 1 system it was the heart
            # of, while that system stood (the rule the trust-list back-dating follows too).
            periods = (
                sub_footprint_periods(code, system_id, start, last_day, sub_systems)
                if system_id == main
                else [(system_id, start, last_day)]
            )
            new += [
                Membership(
                    organisation_id=trust.pk,
                    system_id=period_system,
                    share=share,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    source=MEMBERSHIP_SOURCE,
                    unverified=True,
                    note=MEMBERSHIP_NOTE,
                )
                for period_system, valid_from, valid_until in periods
            ]
    if replaced:
        Membership.objects.filter(
            organisation_id__in=replaced, source=DEMO_SOURCE, valid_from__lt=TRUST_LIST_DATE
        ).delete()
    bulk_create_with_history(new, Membership, batch_size=1000)
    _count(summary, "trust memberships before October 2020", "created", len(new))
    # Trusts of the shipped October 2020 list the lookup has no shares for (merged or closed
    # by 2022): their October 2020 membership carried back, sourced and unverified, so their
    # real figures reach a system through a stated assumption, not the demo's made-up one.
    carried = backdate_trust_memberships(
        source=TRUST_LIST_BACKDATED_SOURCE,
        note=TRUST_LIST_BACKDATED_NOTE,
        reason="Reference data: October 2020 trust list carried back",
    )
    _count(summary, "trust memberships before October 2020", "created", carried["created"])


def _observations(counts, providers, summary) -> None:
    """Write the real A&E observations: new ones created, illustrative ones and earlier loads
    of this file that differ replaced; real figures from elsewhere (imported, entered) are left
    alone."""
    from core.bulk import stage_change, write_with_history

    from .models import Observation, Standard

    standards = {s.code: s.pk for s in Standard.objects.filter(code__in=AE_STANDARD_TYPES)}
    months = sorted({month for _, _, month in counts})
    existing = {
        (o.standard_id, o.provider_id, o.month): o
        for o in Observation.objects.filter(
            standard_id__in=standards.values(), month__gte=months[0], month__lte=months[-1]
        ).only("pk", "provider_id", "standard_id", "month", *OBSERVATION_FIELDS, "version")
    }
    new, changed = [], []
    for (standard, code, month), (within, total) in sorted(counts.items()):
        key = (standards[standard], providers[code], month)
        values = {
            "numerator": within,
            "denominator": total,
            "illustrative": False,
            "source": ae_source(month),
        }
        found = existing.get(key)
        kind = f"real A&E observations ({standard})"
        if found is None:
            new.append(Observation(standard_id=key[0], provider_id=key[1], month=month, **values))
            _count(summary, kind, "created")
        elif not (found.illustrative or found.source == values["source"]):
            _count(summary, kind, "left alone (real, from elsewhere)")
        elif stage_change(found, values):
            changed.append(found)
            _count(summary, kind, "updated")
        else:
            _count(summary, kind, "unchanged")
    # New rows without history rows, as the demo data's: the history would double the cost of
    # the load (budget 5 s), and each row's source names the file and month it came from. A
    # figure changed over an earlier one keeps its history.
    Observation.objects.bulk_create(new, batch_size=2000)
    write_with_history(
        Observation,
        [],
        changed,
        OBSERVATION_FIELDS,
        reason="Shipped reference data",
        update_batch_size=250,
    )


OBSERVATION_FIELDS = ("numerator", "denominator", "illustrative", "source")


def load_real_ae(summary: LoadSummary | None = None) -> LoadSummary:
    """Load the shipped A&E file: providers, their memberships before the trust list, and real
    observations on both A&E standards. Idempotent: a second load writes nothing."""
    from core.caching import bump_data_version

    result = LoadSummary() if summary is None else summary
    load_standards()
    counts = ae_counts()
    shares = trust_shares()
    providers = _providers({code for _, code, _ in counts}, shares, result)
    _trust_memberships(shares, result)
    _observations(counts, providers, result)
    if any(c["created"] + c["updated"] for c in result.counts.values()):
        bump_data_version()
    return result


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
