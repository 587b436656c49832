"""The analyst pages: what they show, what they cost, and what they export."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories.systems import (
    DesignationFactory,
    MembershipFactory,
    OrganisationFactory,
    WaveFactory,
    give_ods_code,
    make_system,
)
from tests.helpers import body, without_tokens

pytestmark = pytest.mark.django_db


def make_systems(count: int):
    """`count` ICS systems, each with a code, a designation and two members."""
    wave = WaveFactory()
    systems = []
    for _ in range(count):
        system = make_system(statuses=[("stp", dt.date(2016, 1, 1)), ("ics", dt.date(2018, 5, 24))])
        give_ods_code(system, f"Q{system.pk:02d}")
        DesignationFactory(system=system, wave=wave)
        MembershipFactory.create_batch(2, system=system)
        systems.append(system)
    return systems


def _csv_rows(response):
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def _xlsx_rows(response):
    workbook = load_workbook(io.BytesIO(body(response)))
    sheet = workbook.worksheets[0]
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


# -- what the pages show --------------------------------------------------------------------


def test_overview_on_1_october_2018(analyst_client, reference_data):
    """The overview answers 'how many ICSs on 1 October 2018', counted both ways."""
    response = analyst_client.get(reverse("home"), {"as_at": "2018-10-01"})
    assert response.status_code == 200
    assert response.context["ics_systems"] == 14
    assert response.context["ics_footprints"] == 13
    assert response.context["footprints"] == 42
    html = response.content.decode()
    assert 'id="designation-over-time-figure"' in html
    assert "14 ICS systems covering 13 of 42 footprints" in html


def test_the_date_is_in_the_address_not_the_session(analyst_client, reference_data):
    """After looking at 1 October 2018, a plain address shows today, and says so: the same
    link shows the same answer to anyone."""
    dated = analyst_client.get(reverse("home"), {"as_at": "2018-10-01"})
    assert dated.context["ics_systems"] == 14
    response = analyst_client.get(reverse("home"))
    assert response.context["as_at"] == dt.date.today()
    assert "No date chosen, so this is today" in response.content.decode()


def test_bad_as_at_date_is_explained_once_and_today_used(analyst_client, db):
    response = analyst_client.get(reverse("systems:list"), {"as_at": "2018-02-30"}, follow=True)
    assert response.context["as_at"] == dt.date.today()
    html = response.content.decode()
    assert html.count("Enter a real date, for example 1 4 2019") == 1
    assert "month must be" not in html and "day is out of range" not in html
    early = analyst_client.get(reverse("systems:list"), {"as_at": "1999-01-01"})
    assert "The data begin in 2016: enter a date from 1 January 2016." in early.content.decode()


def test_systems_on_1_october_2018_list_waves(analyst_client, reference_data):
    """Which systems were ICSs on 1 October 2018, and which wave each joined."""
    response = analyst_client.get(reverse("systems:list"), {"as_at": "2018-10-01", "status": "ics"})
    table = response.context["table"]
    rows = {row.record.name: row.record.wave_name for row in table.rows}
    assert len(rows) == 14
    assert rows["Blackpool and Fylde Coast"] == "Wave 1"
    assert rows["Gloucestershire"] == "Wave 2"
    assert rows["Nottingham and Nottinghamshire"] == "Wave 1"  # as Greater Nottingham
    assert "(part of Lancashire and South Cumbria)" in response.content.decode()


def test_systems_filters_by_region_wave_and_name(analyst_client, reference_data):
    from systems.models import Region, Wave

    url = reverse("systems:list")
    london = Region.objects.get(slug="london")
    response = analyst_client.get(url, {"region": london.pk})
    assert {r.record.region_name_as_at for r in response.context["table"].rows} == {"London"}
    # North Central and North West London became West and North London on 1 April 2026.
    assert len(response.context["table"].rows) == 4
    wave2 = Wave.objects.get(slug="wave-2")
    response = analyst_client.get(url, {"wave": wave2.pk, "as_at": "2018-10-01"})
    assert len(response.context["table"].rows) == 4
    response = analyst_client.get(url, {"q": "QE1"})
    assert [r.record.name for r in response.context["table"].rows] == [
        "Lancashire and South Cumbria"
    ]


def test_systems_sorted_by_designation_date(analyst_client, reference_data):
    response = analyst_client.get(
        reverse("systems:list"), {"as_at": "2021-06-01", "sort": "designated_on_as_at"}
    )
    dates = [r.record.designated_on_as_at for r in response.context["table"].rows]
    assert dates == sorted(dates)


def test_ended_systems_shown_when_asked(analyst_client, reference_data):
    response = analyst_client.get(reverse("systems:list"), {"status": "merged"})
    names = {r.record.name for r in response.context["table"].rows}
    # Seven merged or absorbed by 2019, nine more merged on 1 April 2026.
    assert "Blackpool and Fylde Coast" in names and "North West London" in names
    assert len(names) == 16
    response = analyst_client.get(reverse("systems:list"), {"status": "split"})
    assert {r.record.name for r in response.context["table"].rows} == {
        "Frimley Health",
        "Hertfordshire and West Essex",
        "Suffolk and North East Essex",
    }


def test_system_detail_says_what_became_of_blackpool(analyst_client, reference_data):
    response = analyst_client.get(reverse("systems:detail", args=["blackpool-and-fylde-coast"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Blackpool and Fylde Coast was absorbed into Lancashire and South Cumbria" in html
    assert 'id="status-timeline-figure"' in html


def test_system_detail_found_by_ods_code(analyst_client, reference_data):
    response = analyst_client.get(reverse("systems:detail", args=["qe1"]))
    assert response.context["system"].name == "Lancashire and South Cumbria"
    codes = {code.code for code in response.context["codes"]}
    assert {"QE1", "E54000048"} <= codes


def test_system_detail_unknown_code_is_404(analyst_client, db):
    assert analyst_client.get(reverse("systems:detail", args=["NOPE"])).status_code == 404


def test_wave_detail_lists_annex_a_with_notes(analyst_client, reference_data):
    response = analyst_client.get(reverse("systems:wave", args=["wave-1"]))
    html = response.content.decode()
    assert len(response.context["rows"]) == 10
    assert "Blackpool and Fylde Coast was absorbed into" in html
    assert "Greater Nottingham was absorbed into" in html
    assert "Bassetlaw moved to Nottingham and Nottinghamshire" in html
    # Four absorbed, two 2022 boundary changes, two merged in 2026 (Bedfordshire, Luton and
    # Milton Keynes; Surrey Heartlands) and one split in 2026 (Frimley Health).
    assert len(response.context["notes"]) == 9


def test_waves_page_lists_six_waves(analyst_client, reference_data):
    response = analyst_client.get(reverse("systems:waves"))
    assert [r.record.name for r in response.context["table"].rows][:2] == ["Wave 1", "Wave 2"]
    assert len(response.context["table"].rows) == 6


# -- what the pages cost --------------------------------------------------------------------

PAGES = {
    "home": lambda systems: reverse("home"),
    "systems": lambda systems: reverse("systems:list"),
    "systems-export": lambda systems: reverse("systems:list") + "?_export=csv",
    "system": lambda systems: reverse("systems:detail", args=[systems[0].slug]),
    "waves": lambda systems: reverse("systems:waves"),
    "maturity": lambda systems: reverse("maturity:matrix"),
    "wave": lambda systems: reverse("systems:wave", args=[systems[0].designations.get().wave.slug]),
}


# A system page also lists its sub-ICB locations on the date: one query more; and, cold, its
# population reads the estimates, the successions and the part footprints: three more (none
# when warm, being cached by data version).
# The overview draws its map: the systems existing on the date (one query) and the areas'
# footprints, codes and events (three, `systems.maps.load_map_layout`).
QUERY_LIMITS = {"system": 20, "home": 20}


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_query_count_does_not_grow_with_systems(
    analyst_client, django_assert_max_num_queries, page, count
):
    """Every page costs the same handful of queries for 5 systems as for 50 (16, one of them
    for "About this data"; the system page, the costliest, 20 with its sub-ICB locations and
    its population)."""
    systems = make_systems(count)
    url = PAGES[page](systems)
    with django_assert_max_num_queries(QUERY_LIMITS.get(page, 16)):
        response = analyst_client.get(url)
    assert response.status_code == 200


# -- what the pages export ------------------------------------------------------------------


def test_systems_csv_export_is_exactly_the_filtered_rows(analyst_client, reference_data):
    response = analyst_client.get(
        reverse("systems:list"), {"as_at": "2018-10-01", "status": "ics", "_export": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][:2] == ["System", "ODS code"]
    assert len(rows) == 15
    assert {"Blackpool and Fylde Coast", "Berkshire West"} <= {row[0] for row in rows[1:]}


def test_systems_xlsx_export_matches_csv_and_has_no_formulas(analyst_client, reference_data):
    query = {"as_at": "2018-10-01", "status": "ics"}
    csv_rows = _csv_rows(analyst_client.get(reverse("systems:list"), {**query, "_export": "csv"}))
    response = analyst_client.get(reverse("systems:list"), {**query, "_export": "xlsx"})
    sheet, rows = _xlsx_rows(response)
    assert [[str(v) if v is not None else "" for v in row] for row in rows] == csv_rows
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    members = [row[-1] for row in rows[1:]]
    assert all(isinstance(value, int) for value in members)


def test_exports_neutralise_formula_text_and_keep_numbers(analyst_client):
    """Text that would run as a formula is made inert; numbers, negative too, stay numbers."""
    system = make_system(name='=HYPERLINK("http://example.invalid")')
    # "+sum(A1)" not "+SUM(A1)": a name in capitals is shown in title case (core.names).
    for name in ["+sum(A1)", "-2+3", "@cmd", "\tTab", "\rReturn", "Plain"]:
        MembershipFactory(system=system, organisation=OrganisationFactory(name=name))
    MembershipFactory(system=system, share=Decimal("0.25"))
    url = reverse("systems:detail", args=[system.slug])

    rows = _csv_rows(analyst_client.get(url, {"_export": "csv"}))
    names = {row[0] for row in rows[1:]}
    assert {"'+sum(A1)", "'-2+3", "'@cmd", "'\tTab", "'\rReturn", "Plain"} <= names

    sheet, xrows = _xlsx_rows(analyst_client.get(url, {"_export": "xlsx"}))
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert {"'+sum(A1)", "'-2+3", "'@cmd", "Plain"} <= {row[0] for row in xrows[1:]}
    shares = [row[3] for row in xrows[1:]]
    assert 0.25 in shares and all(isinstance(share, int | float) for share in shares)


def test_export_keeps_negative_numbers_numeric():
    from core.exports import csv_bytes, neutralise, xlsx_bytes

    assert neutralise(-1500) == -1500
    assert neutralise(Decimal("-12.5")) == Decimal("-12.5")
    assert neutralise("-1500") == "'-1500"
    workbook = load_workbook(io.BytesIO(xlsx_bytes({"t": [["a"], [neutralise(-1500)]]})))
    assert workbook.active["A2"].value == -1500
    assert csv_bytes([[neutralise(-1500)]]).decode("utf-8-sig").strip() == "-1500"


def test_cached_table_follows_a_data_change(analyst_client, django_assert_max_num_queries):
    """A cached table is served again until any write to the data, then rebuilt."""
    system = make_systems(1)[0]
    url = reverse("systems:list")
    assert system.name in analyst_client.get(url).content.decode()
    # Session, user, the user's permissions (the view right), data version, 2 filter choices.
    with django_assert_max_num_queries(6):
        analyst_client.get(url)
    system.name = "Renamed Health and Care Partnership"
    system.save()
    assert "Renamed Health and Care Partnership" in analyst_client.get(url).content.decode()


def test_bulk_write_with_explicit_bump_invalidates(analyst_client):
    from core.caching import bump_data_version
    from systems.models import System

    system = make_systems(1)[0]
    url = reverse("systems:list")
    analyst_client.get(url)
    System.objects.filter(pk=system.pk).update(name="Bulk renamed")  # sends no signal
    assert "Bulk renamed" not in analyst_client.get(url).content.decode()
    bump_data_version()
    assert "Bulk renamed" in analyst_client.get(url).content.decode()


def test_date_bar_shows_the_as_at_date_in_iso_format(analyst_client, db):
    """A date input only accepts YYYY-MM-DD; a localised value would come back empty."""
    html = analyst_client.get(reverse("systems:list"), {"as_at": "2018-10-01"}).content.decode()
    assert 'id="as-at" name="as_at" type="date" value="2018-10-01"' in html


def test_overview_headline_cards_link_to_the_lists_they_count(
    analyst_client, reference_data, django_assert_max_num_queries
):
    """Each headline figure links to the list it counts, and that list shows as many: 14 ICSs
    on 1 October 2018 lead to a systems list of 14."""
    with django_assert_max_num_queries(QUERY_LIMITS["home"]):
        response = analyst_client.get(reverse("home"), {"as_at": "2018-10-01"})
    cards = {card["label"]: card for card in response.context["cards"]}
    ics = cards["Systems with ICS status"]
    assert ics["url"] == reverse("systems:list") + "?status=any_ics"
    assert cards["Waves designated"]["url"] == reverse("systems:waves")
    html = response.content.decode()
    assert (
        'class="app-summary-card__link" href="/systems/?status=any_ics&amp;as_at=2018-10-01"'
        in html
    )
    # The client replaces a query string when given data, so the date is added to the link.
    listed = analyst_client.get(ics["url"] + "&as_at=2018-10-01")
    assert listed.context["table"].paginator.count == ics["value"] == 14
    existing = analyst_client.get(cards["Existing systems"]["url"], {"as_at": "2018-10-01"})
    assert existing.context["table"].paginator.count == cards["Existing systems"]["value"]


def test_overview_member_kinds_link_to_organisations_of_that_kind(analyst_client, db):
    """A kind's count on the overview links to the organisations list filtered to the members
    of that kind on the date, which lists as many."""
    MembershipFactory(organisation__kind="acute_trust", valid_from=dt.date(2018, 4, 1))
    OrganisationFactory(kind="acute_trust")  # not a member: counted by neither
    response = analyst_client.get(reverse("home"), {"as_at": "2019-01-01"})
    (kind,) = response.context["organisations"]
    assert kind["value"] == 1
    listed = analyst_client.get(kind["url"] + "&as_at=2019-01-01")
    assert listed.context["table"].paginator.count == 1


# A warm page (its fragments cached) asks for the session, the user, the user's permissions
# (the view right) and the data version, and nothing else: the systems list's filter form
# (its menus of regions and waves) is cached with its table; the system page's system, lists
# and status chart with its members table.
WARM_LIMITS = {"systems": 4, "system": 4}


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("page", sorted(WARM_LIMITS))
def test_warm_page_reads_only_what_it_cannot_cache(
    analyst_client, django_assert_max_num_queries, monkeypatch, page, count
):
    """Asked again before any data change, the systems list and a system's page are served
    from the cache: neither builds nor runs the overview query, whatever the number of
    systems, and the page is the same."""
    from systems.models import SystemQuerySet

    systems = make_systems(count)
    url = PAGES[page](systems)
    cold = without_tokens(analyst_client.get(url))
    built = []
    overview = SystemQuerySet.with_overview_as_at

    def counted(queryset, day, **options):
        built.append(day)
        return overview(queryset, day, **options)

    monkeypatch.setattr(SystemQuerySet, "with_overview_as_at", counted)
    with django_assert_max_num_queries(WARM_LIMITS[page]):
        response = analyst_client.get(url)
    assert response.status_code == 200
    assert without_tokens(response) == cold
    assert built == []


def test_cached_filter_form_shows_each_request_its_own_input(analyst_client):
    """The filter form is cached, but per query string and date: a second filter, or the
    same filter on another date, gets a form showing what it asked for, and an address
    without a date gets a form that does not carry one."""
    make_systems(3)
    url = reverse("systems:list")
    today = dt.date.today().isoformat()
    queries = ({"q": "alpha"}, {"q": "beta"}, {"q": "beta", "as_at": today}, {"q": "beta"})
    for query in queries:
        html = analyst_client.get(url, query).content.decode()
        assert f'value="{query["q"]}"' in html
        carries_date = f'name="as_at" value="{today}"' in html
        assert carries_date == ("as_at" in query)
