"""The data package: everything as at a date in one zip of CSVs with a Frictionless
descriptor. It validates against its own descriptor (keys included), describes every file it
holds, has the rows the pages' tables have for the same date, says which rows are real and
which illustrative, neutralises formulas, and costs the same queries however much data."""

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import frictionless
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finance.models import FinancialYear
from performance.models import Observation, Standard
from performance.periods import Period
from performance.queries import (
    league_rows,
    league_systems,
    monthly_figures_by_system,
    standard_figures_by_system,
)
from reports.datapackage import build_package, cached_package, package_systems, systems_by_month
from systems.demo import MEMBERSHIP_SOURCE
from systems.models import Designation, SystemStatus
from systems.presenters import waves_with_counts
from tests.factories.finance import FinancialYearFactory, add_members_with_figures
from tests.factories.systems import (
    DesignationFactory,
    MembershipFactory,
    OrganisationFactory,
    WaveFactory,
    absorb,
    give_ods_code,
    make_system,
)
from tests.helpers import body

pytestmark = pytest.mark.django_db

JULY_2019 = dt.date(2019, 7, 1)
FILES = ["designations", "finance", "memberships", "performance", "statuses", "systems"]


def unzip(content: bytes, folder) -> dict[str, list[dict]]:
    """The package written out to `folder`, and each CSV's rows by resource name."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(folder)
        return {
            name.removesuffix(".csv"): list(
                csv.DictReader(io.StringIO(archive.read(name).decode()))
            )
            for name in archive.namelist()
            if name.endswith(".csv")
        }


def observe(system, *, months, illustrative=False, numerator=90, denominator=100):
    """A whole member of `system` from 2016, observed on every standard in `months`."""
    member = MembershipFactory(system=system, valid_from=dt.date(2016, 4, 1))
    Observation.objects.bulk_create(
        Observation(
            provider=member.organisation,
            standard=standard,
            month=month,
            numerator=numerator,
            denominator=denominator,
            illustrative=illustrative,
        )
        for standard in Standard.objects.all()
        for month in months
    )
    return member


MONTHS = [dt.date(2019, 5, 1), dt.date(2019, 6, 1), dt.date(2019, 7, 1), dt.date(2019, 8, 1)]


def populate(count: int) -> list:
    """`count` systems existing from 2016, each with a code, a member observed from May to
    August 2019 and a member with figures for 2018/19 and 2019/20; one absorbed in 2018."""
    years = [FinancialYearFactory(start_year=2018), FinancialYearFactory(start_year=2019)]
    systems = []
    for index in range(count):
        system = make_system(name=f"System {index:02d}", slug=f"system-{index:02d}")
        give_ods_code(system)
        observe(system, months=MONTHS, illustrative=index % 2 == 1)
        for year in years:
            add_members_with_figures(
                system,
                year,
                [(100, 90, 120)],
                valid_from=dt.date(2018, 4, 1),
                illustrative=index % 2 == 1,
            )
        systems.append(system)
    ended = make_system(
        name="Absorbed",
        slug="absorbed",
        statuses=[("stp", dt.date(2016, 1, 1)), ("merged", dt.date(2018, 9, 1))],
    )
    absorb(ended, into=systems[0], on=dt.date(2018, 9, 1))
    DesignationFactory(system=ended, designated_on=dt.date(2018, 5, 24))
    MembershipFactory(
        system=ended, valid_from=dt.date(2016, 4, 1), valid_until=dt.date(2018, 8, 31)
    )
    return systems


# -- validity ---------------------------------------------------------------------------------


def test_package_on_the_shipped_data_validates_against_its_own_descriptor(reference_data, tmp_path):
    """On the shipped reference data, with a system observed and with figures added,
    `frictionless validate datapackage.json` finds no error, keys included."""
    system = make_system(name="Figures", slug="figures")
    observe(system, months=MONTHS)
    add_members_with_figures(
        system, FinancialYearFactory(start_year=2018), [(10, 5, 12)], valid_from=dt.date(2018, 4, 1)
    )
    rows = unzip(build_package(JULY_2019), tmp_path)

    report = frictionless.validate(str(tmp_path / "datapackage.json"))

    assert report.valid, report.flatten(["type", "note"])
    assert report.stats["errors"] == 0
    assert [name for name in FILES if not rows[name]] == []


def test_every_file_is_described_and_every_description_has_its_file(db, tmp_path):
    populate(2)
    content = build_package(JULY_2019)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = sorted(archive.namelist())
        descriptor = json.loads(archive.read("datapackage.json"))

    described = sorted(resource["path"] for resource in descriptor["resources"])
    assert described == [f"{name}.csv" for name in FILES]
    assert names == sorted(["datapackage.json", *described])
    for resource in descriptor["resources"]:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            header = next(csv.reader(io.StringIO(archive.read(resource["path"]).decode())))
        assert header == [field["name"] for field in resource["schema"]["fields"]]
        assert all(field.get("description") for field in resource["schema"]["fields"])
        assert resource["sources"], resource["name"]
    assert descriptor["licenses"][0]["name"] == "OGL-UK-3.0"
    assert descriptor["name"] == "ics-tracker-2019-07-01"


def test_a_broken_foreign_key_fails_validation(db, tmp_path):
    """The validation checks the keys: a membership of a system that systems.csv does not
    hold is reported (so the passing check above can fail)."""
    populate(2)
    unzip(build_package(JULY_2019), tmp_path)
    path = tmp_path / "memberships.csv"
    text = path.read_text()
    path.write_text(text.replace("\nsystem-01,", "\nno-such-system,", 1))

    report = frictionless.validate(str(tmp_path / "datapackage.json"))

    assert not report.valid
    assert "foreign-key" in {error[0] for error in report.flatten(["type"])}


# -- rows as the pages show them ---------------------------------------------------------------


def _export_rows(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))[1:]


def test_row_counts_equal_the_pages_tables_for_the_same_date(analyst_client, tmp_path):
    """Systems: the systems list with every status (ended ones too); memberships: the members
    that list counts; designations: the overview's wave counts; performance: each month's
    league table up to the date (not August); finance: each year's control totals page."""
    populate(3)
    rows = unzip(build_package(JULY_2019), tmp_path)

    listed = _export_rows(
        analyst_client, f"{reverse('systems:list')}?as_at=2019-07-01&status=all&_export=csv"
    )
    assert len(rows["systems"]) == len(listed) == 4
    assert sum(int(row[-1]) for row in listed) == len(rows["memberships"])
    assert {row["system_id"] for row in rows["systems"]} >= {"absorbed", "system-00"}

    assert len(rows["designations"]) == sum(w.system_count for w in waves_with_counts(JULY_2019))
    assert len(rows["statuses"]) == SystemStatus.objects.count() == 5

    league = 0
    for month in MONTHS[:3]:
        period = Period.month(month.year, month.month)
        for standard in Standard.objects.all():
            found, _ = league_rows(league_systems(period), standard, period)
            league += len([row for row in found if row.has_figures])
    assert len(rows["performance"]) == league == 3 * 3 * Standard.objects.count()
    assert {row["month"] for row in rows["performance"]} == {
        "2019-05-01",
        "2019-06-01",
        "2019-07-01",
    }
    june = _export_rows(
        analyst_client,
        reverse("performance:league", args=["ae-4-hour", "2019-06"]) + "?_export=csv",
    )
    assert len(june) == len(
        [
            r
            for r in rows["performance"]
            if r["month"] == "2019-06-01" and r["standard"] == "ae-4-hour"
        ]
    )

    finance = 0
    for year in FinancialYear.objects.filter(start_year__in=[2018, 2019]):
        finance += len(
            _export_rows(analyst_client, reverse("finance:year", args=[year.slug]) + "?_export=csv")
        )
    assert len(rows["finance"]) == finance == 6


def test_figures_equal_the_pages_and_say_real_or_illustrative(analyst_client, tmp_path):
    """A league row's value and a control total are the pages' figures; the illustrative
    system's rows say so, with the illustrative source, and the real one's say Real."""
    populate(2)
    rows = unzip(build_package(JULY_2019), tmp_path)

    june = [
        r
        for r in rows["performance"]
        if r["month"] == "2019-06-01" and r["standard"] == "ae-4-hour"
    ]
    assert {r["value_percent"] for r in june} == {"90.0000"}
    assert {r["system_id"]: r["figures"] for r in june} == {
        "system-00": "Real",
        "system-01": "Illustrative",
    }
    assert (
        "Illustrative demo data" in next(r for r in june if r["system_id"] == "system-01")["source"]
    )

    finance = {(r["system_id"], r["year"]): r for r in rows["finance"]}
    assert finance[("system-00", "2019/20")]["control_total"] == "100.00"
    assert finance[("system-00", "2019/20")]["met_control_total"] == "Yes"
    assert finance[("system-01", "2018/19")]["figures"] == "Illustrative"
    assert finance[("system-00", "2018/19")]["figures"] == "Real"
    assert {r["figures"] for r in rows["systems"]} == {"Real"}


def test_illustrative_memberships_are_labelled_and_formulas_are_neutralised(db, tmp_path):
    system = make_system(slug="only")
    MembershipFactory(
        system=system,
        organisation=OrganisationFactory(name='=HYPERLINK("x")', ods_code="RX1"),
        valid_from=dt.date(2016, 4, 1),
        source=MEMBERSHIP_SOURCE,
    )
    rows = unzip(build_package(JULY_2019), tmp_path)

    (member,) = rows["memberships"]
    assert member["organisation_name"] == '\'=HYPERLINK("x")'
    assert member["figures"] == "Illustrative"
    assert member["share"] == "1.0000" and member["member_until"] == ""


def test_dates_before_the_date_only(db, tmp_path):
    """Statuses and designations after the date are left out; a status known only to the year
    is written as the year."""
    system = make_system(slug="later", statuses=[("stp", dt.date(2016, 1, 1))])
    SystemStatus.objects.filter(system=system).update(precision="year")
    SystemStatus.objects.create(system=system, status="ics", effective_from=dt.date(2020, 4, 1))
    Designation.objects.create(
        system=system,
        wave=WaveFactory(),
        designated_on=dt.date(2020, 4, 1),
        source="test",
    )
    rows = unzip(build_package(JULY_2019), tmp_path)

    assert [(r["status"], r["effective"]) for r in rows["statuses"]] == [("STP", "2016")]
    assert rows["designations"] == []
    assert rows["systems"][0]["status"] == "STP"


def test_months_figures_and_systems_are_each_league_tables(db):
    """The one-query monthly sums equal each month's league sums, and the systems taken for
    each month (from the statuses, by `status_on`) are that month's league systems: the
    absorbed system until August 2018, not after."""
    populate(2)
    months = [dt.date(2018, 8, 1), dt.date(2018, 9, 1), *MONTHS[:3]]
    monthly = monthly_figures_by_system(JULY_2019)
    for month in MONTHS[:3]:
        period = Period.month(month.year, month.month)
        for standard in Standard.objects.all():
            expected = standard_figures_by_system(standard, period)
            found = {
                system: figures
                for (standard_id, when, system), figures in monthly.items()
                if standard_id == standard.pk and when == month
            }
            assert found == expected
    assert all(month <= JULY_2019 for _, month, _ in monthly)

    chosen = systems_by_month(months, package_systems(JULY_2019))
    for month in months:
        period = Period.month(month.year, month.month)
        assert {s.slug for s in chosen[month]} == {s.slug for s in league_systems(period)}
    assert "absorbed" in {s.slug for s in chosen[dt.date(2018, 8, 1)]}
    assert "absorbed" not in {s.slug for s in chosen[dt.date(2018, 9, 1)]}


# -- cost ---------------------------------------------------------------------------------------


def _queries(as_at: dt.date) -> int:
    """Queries to build the package with nothing cached (England's monthly figures are)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        build_package(as_at)
    return len(captured)


def test_query_count_is_the_same_for_few_systems_and_many(db, django_assert_max_num_queries):
    """A fixed number of queries a file, and two a financial year for finance: 2 systems and
    8 (with their members, observations and figures) cost the same."""
    populate(2)
    few = _queries(JULY_2019)
    for index in range(6):
        system = make_system(name=f"More {index}", slug=f"more-{index}")
        observe(system, months=MONTHS)
        add_members_with_figures(
            system,
            FinancialYear.objects.get(start_year=2019),
            [(1, 1, 1)],
            valid_from=dt.date(2018, 4, 1),
        )
    cache.clear()
    # One for each of systems, memberships, statuses and designations; four for performance
    # (standards, the months' sums, England's, every status); one for the financial years
    # and two a year (two years here); and the data version England's figures are cached by.
    with django_assert_max_num_queries(4 + 4 + 1 + 2 * 2 + 1):
        build_package(JULY_2019)
    assert _queries(JULY_2019) == few


def test_cached_package_is_built_once_per_data_version(db):
    populate(1)
    first = cached_package(JULY_2019)
    with CaptureQueriesContext(connection) as captured:
        again = cached_package(JULY_2019)
    assert again == first and len(captured) == 1  # the data version
    make_system(slug="new-one")
    assert b"new-one" in zipfile.ZipFile(io.BytesIO(cached_package(JULY_2019))).read("systems.csv")


# -- the page, the links and the command ---------------------------------------------------------


def test_download_is_the_package_for_the_pages_date(analyst_client, tmp_path):
    populate(1)
    response = analyst_client.get(reverse("datapackage:download") + "?as_at=2019-07-01")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="ics-tracker-2019-07-01.zip"' in response["Content-Disposition"]
    rows = unzip(response.content, tmp_path)
    assert {r["system_id"] for r in rows["systems"]} == {"system-00", "absorbed"}


def test_page_and_systems_list_and_overview_link_to_the_download(analyst_client):
    page = analyst_client.get(reverse("datapackage:index") + "?as_at=2019-07-01").content.decode()
    assert f"{reverse('datapackage:download')}?as_at=2019-07-01" in page
    assert "memberships.csv" in page and "frictionless validate datapackage.json" in page

    listed = analyst_client.get(reverse("systems:list"), {"as_at": "2019-07-01"}).content.decode()
    assert f"{reverse('datapackage:download')}?as_at=2019-07-01" in listed  # the page's date
    overview = analyst_client.get(reverse("home")).content.decode()
    assert reverse("datapackage:index") in overview


def test_command_writes_the_package_for_a_date(db, tmp_path):
    populate(1)
    output = tmp_path / "x.zip"
    call_command(
        "export_datapackage", "--as-at", "2019-07-01", "--output", str(output), stdout=io.StringIO()
    )

    rows = unzip(output.read_bytes(), tmp_path / "out")
    assert {r["system_id"] for r in rows["systems"]} == {"system-00", "absorbed"}
    assert frictionless.validate(str(tmp_path / "out" / "datapackage.json")).valid
    assert Decimal(rows["finance"][0]["outturn"]) == Decimal(120)
