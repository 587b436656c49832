"""Illustrative finance figures, so the finance pages have something to show.

No public machine-readable file of per-trust control totals was found, so the demonstration
figures are made up: every one is stored with `illustrative=True` and the source
"Illustrative demo data (not real figures)", and real figures (imported, or entered in the
admin) are never overwritten by them.

Which trusts: the NHS trusts that are members of a system on 1 April of each year, 2016/17 to
2021/22, with the illustrative back-dated memberships of `systems.demo` for the years before
the shipped trust list (October 2020).

The figures are reproducible: each trust's figures for a year come from a random generator
seeded with (seed, ODS code, year), so the same seed gives the same figures whatever else is in
the database, and re-running changes nothing.
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from core.caching import bump_data_version
from systems.demo import backdate_illustrative_memberships
from systems.models import TRUST_KINDS, Membership, System

from .importers import write_figures
from .models import FinancialYear, OrganisationYear
from .reference import load_financial_years

DEFAULT_SEED = 2018
DEMO_YEARS = range(2016, 2022)  # 2016/17 to 2021/22
FIGURES_SOURCE = "Illustrative demo data (not real figures)"
DORSET = "dorset"
LINKING_FROM = 2018  # sustainability funding could be linked to the system total from 2018/19
DORSET_LINKS_ALL_FROM = 2019


@dataclass
class DemoSummary:
    memberships: Counter = field(default_factory=Counter)
    figures: dict[str, Counter] = field(default_factory=dict)

    def changed(self) -> int:
        return self.memberships.get("created", 0) + sum(
            c["created"] + c["updated"] for c in self.figures.values()
        )

    def lines(self) -> list[str]:
        """The figures written (systems.demo reports the back-dated memberships)."""
        lines = []
        for year, c in self.figures.items():
            lines.append(
                f"{year} illustrative figures: {c['created']} created, {c['updated']} updated, "
                f"{c['unchanged']} unchanged, {c['real']} trusts with real figures left alone"
            )
        return lines


@transaction.atomic
def load_demo_data(*, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Back-date trust memberships where none exist and write illustrative figures for every
    trust member in each year 2016/17 to 2021/22. Idempotent for a given seed."""
    load_financial_years()
    summary = DemoSummary(memberships=backdate_illustrative_memberships())
    for year in FinancialYear.objects.filter(start_year__in=DEMO_YEARS):
        _write_year(year, seed, summary.figures.setdefault(str(year), Counter()))
    if summary.changed():
        bump_data_version()
    return summary


def _write_year(year: FinancialYear, seed: int, counts: Counter) -> None:
    ics = set(System.objects.ics_as_at(year.starts_on).values_list("pk", flat=True))
    members = defaultdict(list)  # organisation id -> [(ODS code, system slug, system id)]
    for organisation_id, ods_code, slug, system_id in (
        Membership.objects.as_at(year.starts_on)
        .filter(organisation__kind__in=TRUST_KINDS)
        .values_list("organisation_id", "organisation__ods_code", "system__slug", "system_id")
    ):
        members[organisation_id].append((ods_code, slug, system_id))
    existing = {
        figure.organisation_id: figure
        for figure in OrganisationYear.objects.select_for_update().filter(year=year)
    }
    new, changed = [], []
    for organisation_id, systems in sorted(members.items(), key=lambda item: item[1][0][0]):
        values = {
            **demo_figures(
                seed,
                systems[0][0],
                year,
                in_dorset=any(slug == DORSET for _, slug, _ in systems),
                in_ics=any(system_id in ics for _, _, system_id in systems),
            ),
            "illustrative": True,
            "source": FIGURES_SOURCE,
        }
        figure = existing.get(organisation_id)
        if figure is None:
            new.append(OrganisationYear(organisation_id=organisation_id, year=year, **values))
            counts["created"] += 1
        elif not figure.illustrative:
            counts["real"] += 1
        elif any(getattr(figure, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(figure, name, value)
            figure.version += 1  # bulk updates skip Versioned.save
            changed.append(figure)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    write_figures(new, changed, reason="Illustrative demo data")


def demo_figures(
    seed: int, ods_code: str, year: FinancialYear, *, in_dorset: bool, in_ics: bool
) -> dict:
    """One trust's made-up figures for one year, in £ thousands.

    A trust keeps its character from year to year (its usual position is drawn once, from its
    code); each year adds noise. Control totals lie between -30,000 and +15,000; most trusts
    accept theirs and plan to meet it, those that decline plan worse; outturn is plan plus
    noise either way, so whether a system beats its plan is left to chance.
    """
    character = random.Random(f"{seed}:{ods_code}")
    usual = character.triangular(-30_000, 15_000, -1_500)
    size = character.uniform(0.5, 1.5)
    rng = random.Random(f"{seed}:{ods_code}:{year.start_year}")
    control_total = min(15_000, max(-30_000, usual + rng.gauss(0, 2_000)))
    accepted = rng.random() < 0.85
    on_plan = rng.random() < 0.6
    plan_drift = rng.uniform(-1_500, 500)
    declined_gap = rng.uniform(1_000, 10_000)
    outturn_noise = rng.gauss(0, 2_500)
    funding = rng.uniform(1_000, 6_000) * size
    link_draw = rng.random()

    if accepted:
        plan = control_total if on_plan else control_total + plan_drift
    else:
        plan = control_total - declined_gap
    outturn = plan + outturn_noise
    if year.start_year < LINKING_FROM:
        linked = Decimal(0)
    elif in_dorset and year.start_year >= DORSET_LINKS_ALL_FROM:
        linked = Decimal(1)
    elif not in_ics:
        linked = Decimal(0)
    elif year.start_year == LINKING_FROM:  # most of the first ICSs declined to link
        linked = (
            Decimal(0) if link_draw < 0.7 else Decimal("0.5") if link_draw < 0.9 else Decimal(1)
        )
    else:  # by 2020 only Dorset linked all of it
        linked = Decimal(0) if link_draw < 0.6 else Decimal("0.5")
    return {
        "control_total": _thousands(control_total),
        "plan": _thousands(plan),
        "outturn": _thousands(outturn),
        "accepted": accepted,
        # Years whose funding schemes are not recorded get no funding rather than a guess.
        "funding_available": _thousands(funding) if year.funding_schemes else Decimal(0),
        "funding_linked_share": linked,
    }


def _thousands(value: float) -> Decimal:
    return Decimal(round(value))
