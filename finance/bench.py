"""Made-up figures for the page benchmark (systems/management/commands/bench_pages.py).

The benchmark's data have no finance figures; this gives every trust and CCG that is a member
of a system on 1 April of one year a control total, plan and outturn, marked illustrative, so
the finance pages are timed over national-scale data.
"""

from decimal import Decimal

from core.caching import bump_data_version
from systems.models import TRUST_KINDS, Membership, Organisation, OrganisationKind

from .models import FinancialYear, OrganisationYear

KINDS_WITH_CONTROL_TOTALS = (*TRUST_KINDS, OrganisationKind.CCG)


def illustrative_figures(*, start_year: int = 2021) -> FinancialYear:
    """Create the year if need be and one illustrative figure set per member trust and CCG
    that has none; return the year."""
    year, _ = FinancialYear.objects.get_or_create(
        start_year=start_year, defaults={"transfers_allowed": start_year >= 2019}
    )
    members = Membership.objects.as_at(year.starts_on).values("organisation")
    organisations = (
        Organisation.objects.filter(pk__in=members, kind__in=KINDS_WITH_CONTROL_TOTALS)
        .exclude(finance_years__year=year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    figures = []
    for n, pk in enumerate(organisations):
        # Deterministic spread of surpluses and deficits, some better and some worse than plan.
        control_total = Decimal((n * 7919) % 40000 - 25000)
        plan = control_total + Decimal((n % 7) * 250 - 500)
        outturn = plan + Decimal((n % 11) * 300 - 1500)
        figures.append(
            OrganisationYear(
                organisation_id=pk,
                year=year,
                control_total=control_total,
                plan=plan,
                outturn=outturn,
                funding_available=Decimal((n % 5) * 1000),
                funding_linked_share=Decimal("0.5"),
                illustrative=True,
                source="benchmark",
            )
        )
    OrganisationYear.objects.bulk_create(figures, batch_size=2000)
    bump_data_version()  # bulk_create sends no signals
    return year


BENCH_YEARS = range(2016, 2022)


def bench_pages() -> list[tuple[str, str]]:
    """The finance pages `manage.py bench_pages` times, on illustrative figures for every
    year 2016/17 to 2021/22 (the page shows 2021/22)."""
    from systems.models import System

    for start_year in BENCH_YEARS:
        year = illustrative_figures(start_year=start_year)
    busiest = System.objects.get(slug="greater-manchester")
    return [
        ("finance year", f"/finance/{year.slug}/"),
        ("finance year CSV", f"/finance/{year.slug}/?_export=csv"),
        ("finance system year", f"/finance/{year.slug}/{busiest.slug}/"),
        ("plan against outturn", "/finance/plan-vs-outturn/"),
    ]


def every_system_every_year() -> int:
    """Every system's control total, plan, outturn and funding for every year, in one pass
    (one grouped query a year); returns the number of system-years computed."""
    from systems.models import System

    from .queries import with_control_totals

    computed = 0
    for year in FinancialYear.objects.order_by("start_year"):
        computed += len(with_control_totals(System.objects.current_as_at(year.starts_on), year))
    return computed


def bench_computations() -> list[tuple[str, object, float]]:
    return [("finance: every system, every year, one pass", every_system_every_year, 1000)]
