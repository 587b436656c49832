"""The finance pages: what they show, that every page shows the same system total, what they
cost, what they export, and how they label illustrative figures."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finance.charts import contribution_waterfall, waterfall_steps
from finance.models import FinancialYear, OrganisationYear
from finance.money import format_money, format_pounds, money_value
from finance.queries import as_member_figures, member_figures
from finance.totals import system_totals
from tests.factories.finance import (
    FinancialYearFactory,
    OrganisationYearFactory,
    add_members_with_figures,
    publish_plan,
)
from tests.factories.systems import (
    DesignationFactory,
    FootprintFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    WaveFactory,
    give_ods_code,
    make_system,
)
from tests.helpers import body, constructed, without_tokens

pytestmark = pytest.mark.django_db

D = Decimal
ILLUSTRATIVE_TEXT = "made-up demonstration numbers, not real control totals"


@pytest.fixture
def year():
    """2019/20: members and statuses are taken on 1 April 2019."""
    return FinancialYearFactory(start_year=2019)


DEFAULT_FIGURES = ((D("-1000"), D("-900"), D("-800")),)


def finance_system(year, *, code=None, figures=DEFAULT_FIGURES, **kwargs):
    """An STP with an ODS code and one whole member per (control total, plan, outturn)."""
    system = make_system(**kwargs)
    give_ods_code(system, code)
    add_members_with_figures(system, year, figures, valid_from=dt.date(2018, 4, 1))
    return system


def make_finance_systems(count, year):
    wave = WaveFactory()
    systems = []
    for n in range(count):
        system = finance_system(
            year,
            figures=[
                (D(-1000 - n), D(-900), D(-800 - 3 * n)),
                (D(500), D(450), D(400)),
            ],
        )
        DesignationFactory(system=system, wave=wave)
        systems.append(system)
    return systems


def add_other_years(year):
    """The same figures for every member in every other shipped year."""
    OrganisationYear.objects.bulk_create(
        OrganisationYear(
            organisation_id=figures.organisation_id,
            year=other,
            control_total=figures.control_total,
            plan=figures.plan,
            outturn=figures.outturn,
        )
        for other in FinancialYear.objects.exclude(pk=year.pk)
        for figures in OrganisationYear.objects.filter(year=year)
    )


def _csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def _xlsx_rows(response):
    workbook = load_workbook(io.BytesIO(body(response)))
    sheet = workbook.worksheets[0]
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


def _csv_by_name(rows):
    header = rows[0]
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}


def _year_url(year, **query):
    return reverse("finance:year", args=[year.slug])


def _records(response):
    return {row.record.name: row.record for row in response.context["table"].rows}


# -- the index ------------------------------------------------------------------------------


def test_index_redirects_to_the_latest_year_with_figures(analyst_client):
    with_figures = FinancialYearFactory(start_year=2018)
    FinancialYearFactory(start_year=2019)  # entered, no figures yet
    OrganisationYearFactory(year=with_figures)
    response = analyst_client.get(reverse("finance:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("finance:year", args=["2018-19"])


def test_index_without_figures_goes_to_the_latest_year(analyst_client):
    """The shipped years are loaded after every migrate; none has figures yet."""
    latest = FinancialYear.objects.order_by("-start_year").first()
    response = analyst_client.get(reverse("finance:index"))
    assert response["Location"] == reverse("finance:year", args=[latest.slug])


def test_index_without_years_is_404_and_says_so(analyst_client):
    FinancialYear.objects.all().delete()
    response = analyst_client.get(reverse("finance:index"))
    assert response.status_code == 404
    assert "No financial year has been entered" in response.content.decode()


# -- every system in a year -----------------------------------------------------------------


def test_year_page_shows_each_systems_figures_and_a_headline(analyst_client, year):
    region = RegionFactory(name="North West", slug="north-west")
    met = finance_system(
        year,
        name="Met System",
        footprint=FootprintFactory(region=region),
        figures=[(D("-1000"), D("-900"), D("-800")), (D("200"), D("200"), D("250"))],
    )
    finance_system(year, name="Missed System", figures=[(D("100"), D("50"), D("40"))])
    DesignationFactory(
        system=met, wave=WaveFactory(name="Wave 1"), designated_on=dt.date(2018, 5, 24)
    )

    response = analyst_client.get(_year_url(year))
    assert response.status_code == 200
    records = _records(response)
    assert set(records) == {"Met System", "Missed System"}
    record = records["Met System"]
    assert record.control_total == D("-800")
    assert record.plan == D("-700")
    assert record.outturn == D("-550")
    assert record.variance == D("250")
    assert record.met_control_total and record.beat_plan
    assert record.member_count == 2
    assert record.region_name_as_at == "North West"
    assert record.wave_name == "Wave 1"
    html = response.content.decode()
    assert "1 of 2 systems met their control total in 2019/20" in html
    assert "\u2212800" in html  # minus sign, thousands separator on larger numbers
    assert reverse("finance:system", args=[year.slug, met.codes.get().code]) in html


def test_year_page_only_shows_systems_that_existed_on_1_april(analyst_client, year):
    finance_system(year, name="Existing")
    finance_system(year, name="Later", statuses=[("stp", dt.date(2019, 6, 1))])
    finance_system(
        year,
        name="Merged",
        statuses=[("stp", dt.date(2016, 1, 1)), ("merged", dt.date(2019, 3, 31))],
    )
    records = _records(analyst_client.get(_year_url(year)))
    assert set(records) == {"Existing"}


def test_year_page_hides_systems_without_figures_unless_asked(analyst_client, year):
    finance_system(year, name="Counted")
    finance_system(year, name="Empty", figures=[])
    assert set(_records(analyst_client.get(_year_url(year)))) == {"Counted"}
    response = analyst_client.get(_year_url(year), {"figures": "all"})
    records = _records(response)
    assert set(records) == {"Counted", "Empty"}
    # A system with no figures shows blanks, not a zero that "met" its control total.
    rows = _csv_by_name(
        _csv_rows(analyst_client.get(_year_url(year), {"figures": "all", "_export": "csv"}))
    )
    assert rows["Empty"]["Control total"] == "" and rows["Empty"]["Met control total"] == ""


def test_year_page_filters_by_region_wave_and_status(analyst_client, year):
    north = RegionFactory(name="North", slug="north")
    south = RegionFactory(name="South", slug="south")
    wave = WaveFactory()
    a = finance_system(year, name="A", footprint=FootprintFactory(region=north))
    finance_system(year, name="B", footprint=FootprintFactory(region=south))
    finance_system(
        year,
        name="C",
        footprint=FootprintFactory(region=north),
        statuses=[("stp", dt.date(2016, 1, 1)), ("ics", dt.date(2018, 5, 24))],
    )
    DesignationFactory(system=a, wave=wave)
    url = _year_url(year)
    assert set(_records(analyst_client.get(url, {"region": north.pk}))) == {"A", "C"}
    assert set(_records(analyst_client.get(url, {"wave": wave.pk}))) == {"A"}
    assert set(_records(analyst_client.get(url, {"status": "ics"}))) == {"C"}
    html = analyst_client.get(url, {"region": north.pk}).content.decode()
    assert "of 2 systems shown met their control total" in html


def test_year_page_chooses_systems_by_the_wave_they_joined_during_or_before_the_year(
    analyst_client, year
):
    """In 2019/20 a system designated in June 2019 is in its wave (read at the end of the
    year, not on 1 April), one designated before the year too, and a system that only began
    when it was designated (no status on 1 April, members then) is on the page as well; one
    designated after the year is not in the wave. The wave may be named by id or slug."""
    wave = WaveFactory(name="June 2019", slug="june-2019")
    during = finance_system(year, name="During")
    DesignationFactory(system=during, wave=wave, designated_on=dt.date(2019, 6, 1))
    before = finance_system(year, name="Before")
    DesignationFactory(system=before, wave=wave, designated_on=dt.date(2018, 5, 24))
    began = finance_system(year, name="Began", statuses=[("ics", dt.date(2019, 6, 1))])
    DesignationFactory(system=began, wave=wave, designated_on=dt.date(2019, 6, 1))
    after = finance_system(year, name="After")
    DesignationFactory(system=after, wave=wave, designated_on=dt.date(2020, 6, 1))
    finance_system(year, name="Never")
    url = _year_url(year)
    assert set(_records(analyst_client.get(url))) == {"During", "Before", "Began", "After", "Never"}
    for chosen in (wave.pk, "june-2019"):
        response = analyst_client.get(url, {"wave": chosen})
        assert set(_records(response)) == {"During", "Before", "Began"}
    html = response.content.decode()
    assert f'<option value="{wave.pk}" selected>June 2019</option>' in html
    assert "Wave by 31 March" in html
    refused = analyst_client.get(url, {"wave": "no-such-wave"})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()


def test_plan_against_outturn_counts_the_same_systems_as_the_year_page(year):
    """A system that began when it was designated during the year has figures in the year's
    plan-against-outturn rows, as on the year page (finance.queries.of_year)."""
    from finance.presenters import plan_outturn_rows
    from systems.models import System

    wave = WaveFactory()
    began = finance_system(year, name="Began", statuses=[("ics", dt.date(2019, 6, 1))])
    DesignationFactory(system=began, wave=wave, designated_on=dt.date(2019, 6, 1))
    finance_system(year, name="Existing")
    rows = plan_outturn_rows(System.objects.all(), [year])
    assert sorted(row.system_name for row in rows) == ["Began", "Existing"]


def test_year_selector_links_every_year(analyst_client, year):
    FinancialYearFactory(start_year=2018)
    finance_system(year)
    html = analyst_client.get(_year_url(year)).content.decode()
    assert f'href="{reverse("finance:year", args=["2018-19"])}"' in html
    assert 'aria-current="page">2019/20' in html
    # The filters and sort go along to the other year.
    html = analyst_client.get(_year_url(year), {"status": "stp", "sort": "plan"}).content.decode()
    assert f'href="{reverse("finance:year", args=["2018-19"])}?status=stp&amp;sort=plan"' in html


def test_year_page_is_sortable(analyst_client, year):
    finance_system(year, name="Big deficit", figures=[(D("-5000"), D("0"), D("0"))])
    finance_system(year, name="Surplus", figures=[(D("300"), D("0"), D("0"))])

    def order(sort):
        response = analyst_client.get(_year_url(year), {"sort": sort})
        return [row.record.name for row in response.context["table"].rows]

    assert order("-control_total") == ["Surplus", "Big deficit"]
    assert order("-variance") == ["Big deficit", "Surplus"]  # 5000 above, 300 below
    assert order("wave_name") == ["Big deficit", "Surplus"]  # neither designated: by name
    rows = _csv_rows(analyst_client.get(_year_url(year), {"sort": "-variance", "_export": "csv"}))
    assert [row[0] for row in rows[1:]] == ["Big deficit", "Surplus"]


def test_finance_link_is_current_in_the_header(analyst_client, year):
    finance_system(year)
    html = analyst_client.get(_year_url(year)).content.decode()
    current = html.split("nhsuk-header__navigation-item--current", 1)[1]
    assert current.split("</a>", 1)[0].endswith(">Finance")


# -- one system, every page the same number -------------------------------------------------


@pytest.fixture
def split_trust_systems(year):
    """Two systems sharing a trust 60/40, each with a whole member of its own."""
    north = finance_system(year, name="North", figures=[(D("-1000"), D("-900"), D("-850"))])
    south = finance_system(year, name="South", figures=[(D("250"), D("250"), D("300"))])
    trust = OrganisationFactory(name="Shared Hospitals")
    MembershipFactory(
        organisation=trust, system=north, share=D("0.6"), valid_from=dt.date(2018, 4, 1)
    )
    MembershipFactory(
        organisation=trust, system=south, share=D("0.4"), valid_from=dt.date(2018, 4, 1)
    )
    figures = OrganisationYearFactory(
        organisation=trust, year=year, control_total=D("500"), plan=D("400"), outturn=D("450")
    )
    return north, south, trust, figures


def test_system_total_is_the_same_on_every_page_and_export(
    analyst_client, year, split_trust_systems
):
    """The year page, its CSV and XLSX, the system page and system_totals agree."""
    north, _, _, _ = split_trust_systems
    pure = system_totals([as_member_figures(m, f) for m, f in member_figures(north, year)])
    assert pure.control_total == D("-700")  # -1000 + 0.6 of 500

    response = analyst_client.get(_year_url(year))
    assert money_value(_records(response)["North"].control_total) == pure.control_total
    assert format_money(pure.control_total) in response.content.decode()

    rows = _csv_by_name(_csv_rows(analyst_client.get(_year_url(year), {"_export": "csv"})))
    assert D(rows["North"]["Control total"]) == pure.control_total
    _, xrows = _xlsx_rows(analyst_client.get(_year_url(year), {"_export": "xlsx"}))
    header = xrows[0]
    north_row = next(row for row in xrows[1:] if row[0] == "North")
    assert north_row[header.index("Control total")] == pytest.approx(-700)

    page = analyst_client.get(reverse("finance:system", args=[year.slug, north.slug]))
    assert page.context["totals"] == pure
    assert format_pounds(pure.control_total) in page.content.decode()  # minus £700k


def test_changing_a_control_total_moves_the_system_total_by_the_share(
    analyst_client, year, split_trust_systems
):
    north, _, _, figures = split_trust_systems

    def totals():
        rows = _csv_by_name(_csv_rows(analyst_client.get(_year_url(year), {"_export": "csv"})))
        return D(rows["North"]["Control total"]), D(rows["South"]["Control total"])

    def on_pages():
        year_page = _records(analyst_client.get(_year_url(year)))["North"]
        system_page = analyst_client.get(reverse("finance:system", args=[year.slug, north.slug]))
        return money_value(year_page.control_total), system_page.context["totals"].control_total

    north_before, south_before = totals()
    pages_before = on_pages()  # and cached
    change = D("1234.5")
    figures.control_total += change
    figures.save()
    north_after, south_after = totals()
    assert north_after - north_before == change * D("0.6")
    assert south_after - south_before == change * D("0.4")
    pages_after = on_pages()
    assert [after - before for before, after in zip(pages_before, pages_after, strict=True)] == [
        change * D("0.6")
    ] * 2


def test_split_trust_contributes_its_share(analyst_client, year, split_trust_systems):
    north, south, *_ = split_trust_systems
    for system, share, expected in ((north, "0.6", D("300")), (south, "0.4", D("200"))):
        response = analyst_client.get(
            reverse("finance:system", args=[year.slug, system.slug]), {"_export": "csv"}
        )
        rows = _csv_by_name(_csv_rows(response))
        shared = rows["Shared Hospitals"]
        assert D(shared["Share"]) == D(share)
        assert D(shared["Contribution"]) == expected
        assert D(shared["Control total"]) == D("500")


def test_system_page_shows_members_totals_and_a_waterfall(
    analyst_client, year, split_trust_systems
):
    north, *_ = split_trust_systems
    code = north.codes.get().code
    response = analyst_client.get(reverse("finance:system", args=[year.slug, code.lower()]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="control-total-waterfall-figure"' in html
    assert "add up to \u2212\u2060£700k" in html
    assert "System control total" in html
    figure = response.context["chart"].figure
    assert {trace["type"] for trace in figure["data"]} == {"bar"}
    # Outturn -850 + 0.6 of 450 = -580 against -700: met, and better than the -660 plan.
    assert "North met its control total of \u2212\u2060£700k in 2019/20" in html
    contributions = [row.contribution for row in response.context["rows"]]
    assert sorted(contributions) == [D("-1000"), D("300")]


def test_system_page_export_is_exactly_the_members(analyst_client, year, split_trust_systems):
    north, *_ = split_trust_systems
    url = reverse("finance:system", args=[year.slug, north.slug])
    rows = _csv_rows(analyst_client.get(url, {"_export": "csv"}))
    assert rows[0][:4] == ["Organisation", "ODS code", "Kind", "Share"]
    assert len(rows) == 1 + 2
    sheet, xrows = _xlsx_rows(analyst_client.get(url, {"_export": "xlsx"}))
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    header = xrows[0]
    for row in xrows[1:]:
        for column in ("Share", "Control total", "Contribution", "Plan", "Outturn"):
            assert isinstance(row[header.index(column)], int | float)
    assert min(row[header.index("Control total")] for row in xrows[1:]) == -1000


def test_system_that_did_not_exist_yet_says_so(analyst_client, year):
    later = finance_system(year, name="Later", statuses=[("stp", dt.date(2020, 1, 1))], figures=[])
    response = analyst_client.get(reverse("finance:system", args=[year.slug, later.slug]))
    assert response.status_code == 200
    assert "did not exist yet on 1 April 2019" in response.content.decode()


# -- what the pages export ------------------------------------------------------------------


def test_year_export_is_exactly_the_filtered_rows_with_numbers_as_numbers(analyst_client, year):
    north = RegionFactory(name="North", slug="north")
    finance_system(year, name="A", footprint=FootprintFactory(region=north))
    finance_system(
        year,
        name="B",
        footprint=FootprintFactory(region=north),
        figures=[(D("-12345.67"), D("-100"), D("-20000"))],
    )
    finance_system(year, name="Elsewhere")
    query = {"region": north.pk, "sort": "name"}
    rows = _csv_rows(analyst_client.get(_year_url(year), {**query, "_export": "csv"}))
    assert [row[0] for row in rows[1:]] == ["A", "B"]
    by_name = _csv_by_name(rows)
    assert by_name["B"]["Control total"] == "-12345.67"
    assert by_name["B"]["Met control total"] == "No"
    assert "Figures" not in rows[0]

    sheet, xrows = _xlsx_rows(analyst_client.get(_year_url(year), {**query, "_export": "xlsx"}))
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    header = xrows[0]
    b = xrows[2]
    assert b[header.index("Control total")] == pytest.approx(-12345.67)
    assert isinstance(b[header.index("Variance")], float | int)
    assert b[header.index("Members counted")] == 1
    assert xrows[0] == rows[0]


def test_year_page_shows_thousands_separators_and_minus_signs(analyst_client, year):
    finance_system(year, name="B", figures=[(D("-12345.67"), D("-100"), D("-20000"))])
    html = analyst_client.get(_year_url(year)).content.decode()
    assert "\u221212,346" in html and "\u221220,000" in html


# -- illustrative figures -------------------------------------------------------------------


def finance_pages(year, system, organisation) -> list[str]:
    """Every finance page that shows this system's or this organisation's figures."""
    return [
        _year_url(year),
        reverse("finance:system", args=[year.slug, system.slug]),
        reverse("finance:plan-vs-outturn"),
        reverse("finance:organisation", args=[organisation.ods_code]),
    ]


def test_illustrative_figures_are_labelled_on_every_page_and_export(analyst_client, year):
    system = finance_system(year, name="Demo")
    demo = OrganisationYear.objects.get(organisation__memberships__system=system)
    demo.illustrative = True
    demo.save()
    for url in finance_pages(year, system, demo.organisation):
        html = analyst_client.get(url).content.decode()
        assert ILLUSTRATIVE_TEXT in html, url
        assert "nhsuk-warning-callout" in html, url
        rows = _csv_rows(analyst_client.get(url, {"_export": "csv"}))
        assert "Figures" in rows[0], url
        column = rows[0].index("Figures")
        assert {row[column] for row in rows[1:]} == {"Illustrative"}, url
        _, xrows = _xlsx_rows(analyst_client.get(url, {"_export": "xlsx"}))
        assert xrows[1][column] == "Illustrative", url


def test_reported_figures_carry_no_illustrative_label(analyst_client, year):
    system = finance_system(year, name="Real")
    for url in finance_pages(year, system, system.memberships.get().organisation):
        html = analyst_client.get(url).content.decode()
        assert ILLUSTRATIVE_TEXT not in html and "Illustrative" not in html, url
        content = body(analyst_client.get(url, {"_export": "csv"})).decode("utf-8-sig")
        assert "Illustrative" not in content and "Figures" not in content.splitlines()[0], url


def test_only_the_systems_with_illustrative_figures_are_marked(analyst_client, year):
    finance_system(year, name="Real")
    demo = finance_system(year, name="Demo")
    OrganisationYear.objects.filter(organisation__memberships__system=demo).update(
        illustrative=True
    )
    rows = _csv_by_name(_csv_rows(analyst_client.get(_year_url(year), {"_export": "csv"})))
    assert rows["Real"]["Figures"] == "Reported"
    assert rows["Demo"]["Figures"] == "Illustrative"


# -- plan against outturn, and an organisation's history ------------------------------------


def test_plan_vs_outturn_lists_each_system_and_year(analyst_client, year):
    earlier = FinancialYearFactory(start_year=2018)
    system = finance_system(year, name="Steady", figures=[(D("0"), D("-100"), D("-50"))])
    organisation = system.memberships.get().organisation
    OrganisationYearFactory(
        organisation=organisation, year=earlier, control_total=0, plan=D("-100"), outturn=D("-150")
    )
    finance_system(year, name="Other", figures=[(D("0"), D("10"), D("10"))])
    response = analyst_client.get(reverse("finance:plan-vs-outturn"))
    assert response.status_code == 200
    rows = [
        (row.record.system_name, row.record.year.label, row.record.difference, row.record.beat_plan)
        for row in response.context["table"].rows
    ]
    assert rows == [
        ("Other", "2019/20", D("0"), False),
        ("Steady", "2018/19", D("-50"), False),
        ("Steady", "2019/20", D("50"), True),
    ]
    chart = response.context["chart"]
    assert chart.data == [
        {"year": earlier, "beat": 0, "total": 1},
        {"year": year, "beat": 1, "total": 2},
    ]

    one = analyst_client.get(reverse("finance:plan-vs-outturn"), {"system": system.slug})
    assert [row.record.system_name for row in one.context["table"].rows] == ["Steady", "Steady"]
    assert "Steady: outturn less plan" in one.content.decode()
    csv_rows = _csv_rows(
        analyst_client.get(
            reverse("finance:plan-vs-outturn"), {"system": system.slug, "_export": "csv"}
        )
    )
    assert csv_rows[1:] == [
        ["Steady", "2018/19", "-100.00", "-150.00", "-50.00", "No"],
        ["Steady", "2019/20", "-100.00", "-50.00", "50.00", "Yes"],
    ]


def test_organisation_page_shows_its_years_and_memberships(analyst_client, year):
    north = finance_system(year, name="North", figures=[])
    south = finance_system(year, name="South", figures=[])
    trust = OrganisationFactory(name="Shared Hospitals", ods_code="RXX")
    MembershipFactory(
        organisation=trust, system=north, share=D("0.6"), valid_from=dt.date(2018, 4, 1)
    )
    MembershipFactory(
        organisation=trust,
        system=south,
        share=D("0.4"),
        valid_from=dt.date(2018, 4, 1),
        valid_until=dt.date(2019, 12, 31),
    )
    OrganisationYearFactory(
        organisation=trust, year=year, control_total=D("-500"), plan=D("-400"), outturn=D("-450")
    )
    response = analyst_client.get(reverse("finance:organisation", args=["rxx"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Shared Hospitals" in html and "31 Dec 2019" in html
    rows = _csv_rows(
        analyst_client.get(reverse("finance:organisation", args=["RXX"]), {"_export": "csv"})
    )
    assert rows[0][:3] == ["Year", "Counted towards", "Control total"]
    assert rows[1][:6] == [
        "2019/20",
        "North (60%); South (40%)",
        "-500.00",
        "-400.00",
        "-450.00",
        "50.00",
    ]


# -- 404s -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/finance/2019-21/",
        "/finance/2019-20/NOPE/",
        "/finance/2030-31/NOPE/",
        "/finance/2030-32/Q001/",
        "/finance/organisations/NOPE/",
    ],
)
def test_unknown_years_and_codes_are_404(analyst_client, year, url):
    """Malformed years and unknown systems or organisations are 404s; a well-formed year
    with no figures is a page (tests/finance/test_coverage.py)."""
    finance_system(year, code="Q001")
    assert analyst_client.get(url).status_code == 404


# -- what the pages cost --------------------------------------------------------------------

PAGES = {
    "year": lambda year, systems: reverse("finance:year", args=[year.slug]),
    "year-export": lambda year, systems: reverse("finance:year", args=[year.slug]) + "?_export=csv",
    "system": lambda year, systems: reverse("finance:system", args=[year.slug, systems[0].slug]),
    "system-export": lambda year, systems: (
        reverse("finance:system", args=[year.slug, systems[0].slug]) + "?_export=xlsx"
    ),
    "plan-vs-outturn": lambda year, systems: reverse("finance:plan-vs-outturn"),
    "organisation": lambda year, systems: reverse(
        "finance:organisation", args=[systems[0].memberships.first().organisation.ods_code]
    ),
}
# Session and user, then the page's own. The year page: the year, one query for the systems and
# one grouping their figures (table and headline share them), data version twice (table,
# headline), the year links and the two filter choice lists. Plan against outturn: two queries
# per year (the systems then, their figures).
# Each bound includes one query for the user's permissions (the dashboard's view right).
# Every page adds one query for "About this data" (core.coverage, cold) and reads the data
# version once a request: the year page no longer reads it twice, the organisation page (no
# cached fragment of its own) reads it now.
# The year page reads the papers' findings on the year (one query, and one for the systems
# each names) and, for each wave they are about, its systems and their figures (two).
# The year page's map reads its areas' footprints, codes and events: three queries
# (`systems.maps.load_map_layout`).
# A system's download finds its system in the cache as its page does (the data version's
# query, and on this cold request the system's): warm, the version's query stands in for the
# overview query it used to run every time.
BOUNDS = {"year": 18, "year-export": 7, "system": 10, "system-export": 8, "organisation": 8}


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_query_count_does_not_grow_with_systems(
    analyst_client, django_assert_max_num_queries, year, page, count
):
    """Each finance page costs the same handful of queries for 5 systems as for 50, over six
    years of figures, with a published finding on a wave of half of them; plan against
    outturn costs two queries per year."""
    systems = make_finance_systems(count, year)
    add_other_years(year)
    wave = WaveFactory(slug="wave-1")
    for system in systems[::2]:
        DesignationFactory(system=system, wave=wave, designated_on=year.starts_on)
    publish_plan(wave, 1, len(systems[::2]), named=systems[:1], start_year=year.start_year)
    url = PAGES[page](year, systems)
    bound = BOUNDS.get(page) or 6 + 2 * FinancialYear.objects.count()
    with django_assert_max_num_queries(bound):
        response = analyst_client.get(url)
    assert response.status_code == 200


def test_system_page_query_count_does_not_grow_with_members(
    analyst_client, django_assert_max_num_queries, year
):
    system = finance_system(year, figures=[(D(n), D(n), D(n)) for n in range(-25, 25)])
    with django_assert_max_num_queries(12):
        response = analyst_client.get(reverse("finance:system", args=[year.slug, system.slug]))
    assert len(response.context["rows"]) == 50


# -- the pieces -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown", "exported"),
    [
        (D("-1234.5"), "\u22121,235", D("-1234.50")),
        (D("1234567.891"), "1,234,568", D("1234567.891")),
        (D("-0.4"), "0", D("-0.40")),
        (D("0"), "0", D("0.00")),
        (D("-700.0000000001"), "\u2212700", D("-700.00")),  # SQLite's float noise
        (D("300.1234560"), "300", D("300.123456")),
    ],
)
def test_money_is_shown_rounded_and_exported_exact(value, shown, exported):
    assert format_money(value) == shown
    assert money_value(value) == exported
    assert str(money_value(value)) == str(exported)


def test_waterfall_groups_the_smallest_and_still_adds_up():
    contributions = [(f"Trust {n}", D(n * 100 - 900)) for n in range(20)]
    steps = waterfall_steps(contributions, limit=15)
    assert len(steps) == 15
    assert steps[-1][0] == "6 others"
    assert sum(amount for _, amount in steps) == sum(amount for _, amount in contributions)
    assert abs(steps[0][1]) == max(abs(amount) for _, amount in contributions)
    total = sum(amount for _, amount in steps)
    figure = contribution_waterfall(steps, total, "System control total")
    assert {trace.type for trace in figure.data} == {"bar"}
    bars = [
        (y, x, base)
        for trace in figure.data
        for y, x, base in zip(trace.y, trace.x, trace.base, strict=True)
    ]
    final = next(bar for bar in bars if bar[0] == "System control total")
    assert final[1] == pytest.approx(float(total)) and final[2] == 0


def test_bench_figures_cover_the_trusts_of_each_system():
    from finance.bench import illustrative_figures

    system = make_system(statuses=[("stp", dt.date(2016, 1, 1))])
    MembershipFactory.create_batch(3, system=system, valid_from=dt.date(2018, 4, 1))
    MembershipFactory(
        system=system,
        organisation=OrganisationFactory(kind="gp_practice"),
        valid_from=dt.date(2018, 4, 1),
    )
    year = illustrative_figures(start_year=2019)
    figures = OrganisationYear.objects.filter(year=year)
    assert figures.count() == 3 and all(f.illustrative for f in figures)


def test_year_page_shows_met_and_missed_as_tags_and_exports_yes_or_no(analyst_client, year):
    """On screen a judgement is a coloured tag with its words, never a bare Yes or No; the
    export keeps Yes and No, which a spreadsheet can filter on."""
    finance_system(year, name="Met System", figures=[(D("-1000"), D("-900"), D("-800"))])
    finance_system(year, name="Missed System", figures=[(D("100"), D("50"), D("40"))])
    html = analyst_client.get(_year_url(year)).content.decode()
    assert '<strong class="nhsuk-tag nhsuk-tag--green app-tag--judgement">Met</strong>' in html
    assert '<strong class="nhsuk-tag nhsuk-tag--red app-tag--judgement">Missed</strong>' in html
    assert ">Better</strong>" in html and ">Not better</strong>" in html
    assert ">Yes<" not in html and ">No<" not in html
    rows = _csv_by_name(
        _csv_rows(analyst_client.get(_year_url(year), {"_export": "csv", "figures": "all"}))
    )
    assert rows["Met System"]["Met control total"] == "Yes"
    assert rows["Missed System"]["Met control total"] == "No"


def test_organisation_names_in_capitals_are_shown_in_title_case(analyst_client, year):
    """ODS's "THE DENSHAM SURGERY" reads "The Densham Surgery" on the system page and in its
    export; the stored name stays as ODS published it."""
    system = finance_system(year, name="Densham System")
    organisation = system.memberships.get().organisation
    organisation.name = "THE DENSHAM SURGERY"
    organisation.save()
    url = reverse("finance:system", args=[year.slug, system.codes.get().code])
    html = analyst_client.get(url).content.decode()
    assert "The Densham Surgery" in html and "THE DENSHAM SURGERY" not in html
    rows = _csv_rows(analyst_client.get(url, {"_export": "csv"}))
    assert rows[1][0] == "The Densham Surgery"
    organisation.refresh_from_db()
    assert organisation.name == "THE DENSHAM SURGERY"


def test_system_page_says_met_and_better_than_plan_as_tags(analyst_client, year):
    system = finance_system(year, name="Met System", figures=[(D("-1000"), D("-900"), D("-800"))])
    url = reverse("finance:system", args=[year.slug, system.codes.get().code])
    html = analyst_client.get(url).content.decode()
    assert '<strong class="nhsuk-tag nhsuk-tag--green app-tag--judgement">Met</strong>' in html
    assert '<strong class="nhsuk-tag nhsuk-tag--green app-tag--judgement">Better</strong>' in html


@pytest.mark.parametrize("query", ["", "?status=ics"])
def test_warm_year_page_builds_no_filter_set(
    analyst_client, django_assert_max_num_queries, monkeypatch, year, query
):
    """Asked again before any data change, the year page comes from the cache, its filter
    form and whether it is narrowed too: the filter set is never built; the page is the
    same."""
    from finance.filters import SystemYearFilter

    make_finance_systems(3, year)
    url = reverse("finance:year", args=[year.slug]) + query
    cold = without_tokens(analyst_client.get(url))
    built = constructed(monkeypatch, SystemYearFilter)
    # Session, user, permissions, the data version and the year the address names.
    with django_assert_max_num_queries(5):
        response = analyst_client.get(url)
    assert without_tokens(response) == cold
    assert built == []
