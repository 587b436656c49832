"""The performance pages: what they show, what they export, how they label illustrative
figures, and what they cost in queries."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from performance.models import Observation, Standard
from performance.periods import Period
from tests.factories.performance import publish
from tests.factories.systems import (
    DesignationFactory,
    MembershipFactory,
    WaveFactory,
    give_ods_code,
    make_system,
)
from tests.helpers import body, constructed, without_tokens

pytestmark = pytest.mark.django_db

D = Decimal
YEAR = Period.financial_year(2017)
ILLUSTRATIVE_TEXT = "made-up demonstration numbers"


def performance_system(*, name=None, code=None, counts=((90, 100),), illustrative=False, wave=None):
    """A system existing from 2016 with one whole member per (numerator, denominator),
    observed at those counts on every standard in every month of 2016/17 to 2018/19."""
    system = make_system(**({"name": name} if name else {}))
    give_ods_code(system, code)
    if wave is not None:
        DesignationFactory(system=system, wave=wave, designated_on=dt.date(2017, 6, 1))
    months = [m for year in (2016, 2017, 2018) for m in Period.financial_year(year).months]
    observations = []
    for numerator, denominator in counts:
        member = MembershipFactory(system=system, valid_from=dt.date(2016, 4, 1))
        observations += [
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
        ]
    Observation.objects.bulk_create(observations)
    return system


def league_url(code="ae-4-hour", period="2017-18"):
    return reverse("performance:league", args=[code, period])


def _csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


# -- the league table -------------------------------------------------------------------------


def test_league_table_shows_values_gaps_and_verdicts(analyst_client):
    """National: (95 x 12 + 85 x 12) / 2,400 = 90%. Good at 95% is above and meets the 95%
    target; Poor at 85% is below."""
    performance_system(name="Good", counts=[(95, 100)])
    performance_system(name="Poor", counts=[(85, 100)])
    response = analyst_client.get(league_url())
    assert response.status_code == 200
    rows = {row.record.system.name: row.record for row in response.context["table"].rows}
    assert rows["Good"].value == D("0.95") and rows["Good"].national_value == D("0.9")
    assert rows["Good"].gap_points == D("5") and rows["Good"].above_national
    assert rows["Good"].target_met and not rows["Poor"].above_national
    content = response.content.decode()
    assert "England&#x27;s figure for A&amp;E 4-hour in 2017/18 was 90.0%" in content
    assert "1 of the 2 systems with figures were above the national average" in content
    assert ILLUSTRATIVE_TEXT not in content
    assert "Illustrative" not in content


def test_league_csv_export_has_the_tables_figures(analyst_client):
    performance_system(name="Split", counts=[(95, 100), (80, 100)])
    response = analyst_client.get(league_url() + "?_export=csv")
    header, *rows = _csv_rows(response)
    record = dict(zip(header, rows[0], strict=True))
    assert record["System"] == "Split"
    assert record["Within standard"] == "2100"  # (95 + 80) x 12
    assert record["All patients"] == "2400"
    assert record["Value (%)"] == "87.5000"
    assert record["National (%)"] == "87.5000"
    assert record["Above national"] == "No"
    assert "Figures" not in header
    # The export names each row's source; otherwise the screen's table has the same columns
    # in the same order (the page states the sources under the table).
    assert header[-1] == "Source" and record["Source"]
    screen = analyst_client.get(league_url()).context["table"]
    assert [column.header for column in screen.columns] == header[:-1]


def test_league_labels_illustrative_figures_on_page_and_in_export(analyst_client):
    performance_system(name="Made up", illustrative=True)
    content = analyst_client.get(league_url()).content.decode()
    assert ILLUSTRATIVE_TEXT in content
    header, row = _csv_rows(analyst_client.get(league_url() + "?_export=csv"))
    assert dict(zip(header, row, strict=True))["Figures"] == "Illustrative"


def test_league_accepts_quarters_and_months(analyst_client):
    performance_system(name="Any")
    for period in ("2017-18-q3", "2017-11"):
        response = analyst_client.get(league_url(period=period))
        assert response.status_code == 200
        assert len(response.context["table"].rows) == 1


@pytest.mark.parametrize(
    "url",
    [
        "/performance/no-such-standard/2017-18/",
        "/performance/ae-4-hour/2017-19/",
        "/performance/ae-4-hour/2017-13/",
        "/performance/compare/2017-18/?group=no-such-wave",
        "/systems/NOPE/performance/",
    ],
)
def test_unknown_things_are_not_found(analyst_client, url):
    assert analyst_client.get(url).status_code == 404


def test_league_filters_by_wave_and_lists_only_systems_with_figures(analyst_client):
    wave = WaveFactory()
    performance_system(name="In wave", wave=wave)
    performance_system(name="Not in wave")
    make_system(name="No figures")
    names = {r.record.system.name for r in analyst_client.get(league_url()).context["table"].rows}
    assert names == {"In wave", "Not in wave"}
    response = analyst_client.get(league_url(period="2018-19") + f"?wave={wave.pk}")
    assert [r.record.system.name for r in response.context["table"].rows] == ["In wave"]
    response = analyst_client.get(league_url() + "?figures=all")
    assert len(response.context["table"].rows) == 3


# -- a system through time --------------------------------------------------------------------


def test_system_page_draws_a_trend_per_standard_and_a_yearly_table(analyst_client):
    system = performance_system(name="Trend", code="QT1", counts=[(95, 100)])
    performance_system(name="Other", counts=[(85, 100)])
    response = analyst_client.get(reverse("performance:system", args=["qt1"]))
    assert response.status_code == 200
    charts = response.context["charts"]
    assert [c.id for c in charts] == [
        "trend-ae-4-hour",
        "trend-rtt-18-weeks",
        "trend-cancer-62-day",
        "trend-ae-4-hour-type-1",
    ]
    names = [trace["name"] for trace in charts[0].figure["data"]]
    assert names == ["Trend", "England", "Target (95%)"]
    assert charts[0].figure["data"][2]["line"]["dash"] == "dash"
    assert "above the national average in 36 of 36 months" in charts[0].description
    header, *rows = _csv_rows(
        analyst_client.get(reverse("performance:system", args=[system.slug]) + "?_export=csv")
    )
    assert len(rows) == 4 * 3  # four standards (A&E type 1 a second view), three years
    first = dict(zip(header, rows[0], strict=True))
    assert (first["Period"], first["Value (%)"], first["National (%)"]) == (
        "2016/17",
        "95.0000",
        "90.0000",
    )


# -- a group against the rest -----------------------------------------------------------------


def test_compare_page_states_how_many_of_the_wave_were_above_and_which(analyst_client):
    wave = WaveFactory(name="Wave 1", slug="wave-1")
    performance_system(name="Alpha", wave=wave, counts=[(96, 100)])
    performance_system(name="Beta", wave=wave, counts=[(95, 100)])
    performance_system(name="Gamma", wave=wave, counts=[(80, 100)])
    performance_system(name="Delta", counts=[(90, 100)])
    response = analyst_client.get(reverse("performance:compare", args=["2017-18"]))
    assert response.status_code == 200
    content = response.content.decode()
    # National: (96 + 95 + 80 + 90) / 400 = 90.25%.
    assert (
        "For 2017/18, all but one of the three Wave 1 systems were above the national average for "
        "A&amp;E 4-hour: Alpha, Beta."
    ) in content
    header, *rows = _csv_rows(
        analyst_client.get(reverse("performance:compare", args=["2017-18"]) + "?_export=csv")
    )
    first = dict(zip(header, rows[0], strict=True))
    assert (first["Systems"], first["In the group"], first["Above national"]) == (
        "Wave 1 systems",
        "3",
        "2",
    )
    assert first["Which were above"] == "Alpha; Beta"


def test_compare_page_has_a_chart_and_table_of_the_group_against_all_others(
    analyst_client, django_assert_max_num_queries
):
    """Beside the words, a bar chart of the share of each side above the national average on
    each standard, described in words and given as a table of the same counts."""
    wave = WaveFactory(name="Wave 1", slug="wave-1")
    performance_system(name="Alpha", wave=wave, counts=[(96, 100)])
    performance_system(name="Beta", wave=wave, counts=[(95, 100)])
    performance_system(name="Gamma", wave=wave, counts=[(80, 100)])
    performance_system(name="Delta", counts=[(90, 100)])
    with django_assert_max_num_queries(16):
        response = analyst_client.get(reverse("performance:compare", args=["2017-18"]))
    chart = response.context["chart"]
    group, rest = chart.figure["data"]
    assert (group["name"], rest["name"]) == ("Wave 1 systems", "All other systems")
    assert group["text"][0] == "2 of 3" and rest["text"][0] == "0 of 1"
    assert group["x"][0] == pytest.approx(200 / 3) and rest["x"][0] == 0
    assert "A&E 4-hour: 2 of 3 Wave 1 systems (67%) against 0 of 1 other systems (0%)." in (
        chart.description
    )
    html = response.content.decode()
    assert 'id="comparison-chart-figure"' in html
    assert "Systems with figures above the national average, by standard" in html


def test_index_lists_standards_and_years(analyst_client):
    performance_system(name="Any", illustrative=True)
    content = analyst_client.get(reverse("performance:index")).content.decode()
    assert "A&amp;E 4-hour waits" in content and "2018/19" in content
    assert ILLUSTRATIVE_TEXT in content


def test_index_picks_my_system_and_its_league_links_mark_it(analyst_client):
    """ "My system" on the performance front page: the league tables' links carry it, and its
    trend is linked; an unknown code is said to be unknown."""
    performance_system(name="Mine", code="QM1")
    performance_system(name="Theirs")
    page = analyst_client.get(reverse("performance:index"))
    assert [c["name"] for c in page.context["picker"]["choices"]] == ["Mine", "Theirs"]
    assert "?system=" not in page.content.decode()
    chosen = analyst_client.get(reverse("performance:index"), {"system": "qm1"})
    content = chosen.content.decode()
    assert league_url() + "?system=QM1" in content
    assert reverse("performance:system", args=["QM1"]) in content
    assert '<option value="QM1" selected>Mine</option>' in content
    unknown = analyst_client.get(reverse("performance:index"), {"system": "zz9"})
    assert "No system with that code existed in 2018/19" in unknown.content.decode()


def test_my_system_goes_with_the_reader_between_performance_pages(analyst_client):
    """Chosen on a league table, the system stays chosen on the links to the other standards,
    to the comparison and back to the front page; the comparison page has the picker too, and
    says which side the system is on and where it stood on each standard."""
    wave = WaveFactory(name="Wave 1", slug="wave-1")
    performance_system(name="Mine", code="QM1", wave=wave, counts=[(80, 100)])
    performance_system(name="Theirs", code="QT1", counts=[(96, 100)])
    league = analyst_client.get(league_url(), {"system": "qm1"}).content.decode()
    assert league_url("rtt-18-weeks") + "?system=QM1" in league
    compare = reverse("performance:compare", args=["2017-18"])
    assert f"{compare}?group=wave-1&amp;system=QM1" in league
    assert f'href="{reverse("performance:index")}?system=QM1' in league

    response = analyst_client.get(compare, {"system": "QM1"})
    content = response.content.decode()
    assert '<option value="QM1" selected>Mine</option>' in content
    note = response.context["picker"]["note"]
    assert note.startswith("one of the Wave 1 systems; not above the national average on A&E")
    assert "; above the national average on" not in note
    assert league_url() + "?system=QM1" in content
    assert "2018-19/?group=wave-1&amp;system=QM1" in content
    other = analyst_client.get(compare, {"system": "QT1"}).context["picker"]["note"]
    assert other.startswith(
        "not a Wave 1 system, so it counts among all other systems; above the national average"
    )


def test_index_without_observations_says_how_to_get_some(analyst_client):
    content = analyst_client.get(reverse("performance:index")).content.decode()
    assert "import_performance" in content


# -- what the pages cost ----------------------------------------------------------------------

PAGES = {
    "index": lambda systems: reverse("performance:index"),
    "league": lambda systems: league_url(),
    "league filtered": lambda systems: league_url() + "?status=stp&figures=all",
    "league CSV": lambda systems: league_url() + "?_export=csv",
    "system": lambda systems: reverse("performance:system", args=[systems[0].slug]),
    "system CSV": lambda systems: (
        reverse("performance:system", args=[systems[0].slug]) + "?_export=csv"
    ),
    "league with my system": lambda systems: league_url() + f"?system={systems[0].slug}",
    "compare": lambda systems: reverse("performance:compare", args=["2017-18"]),
    "compare with my system": lambda systems: (
        reverse("performance:compare", args=["2017-18"]) + f"?system={systems[0].slug}"
    ),
}


# The league page's map reads its areas' footprints, codes and events: three queries
# (`systems.maps.load_map_layout`); its CSV export draws no map.
QUERY_LIMITS = {"league": 16, "league filtered": 16, "league with my system": 16}


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_query_count_does_not_grow_with_systems(
    analyst_client, django_assert_max_num_queries, page, count
):
    """Each performance page costs the same handful of queries for 1 system as for 50, over
    three years of months of every standard, with a published finding on the wave (the
    comparison page reads it and the systems it names: two queries). The league page reads
    the systems of the period once more for its "my system" picker."""
    wave = WaveFactory(slug="wave-1")
    systems = [
        performance_system(counts=[(90, 100), (80, 100)], wave=wave if n % 2 else None)
        for n in range(count)
    ]
    publish(wave, "ae-4-hour", 7, 10)
    with django_assert_max_num_queries(QUERY_LIMITS.get(page, 13)):
        response = analyst_client.get(PAGES[page](systems))
    assert response.status_code == 200


def test_period_without_figures_names_the_years_with_them(analyst_client):
    """A well-formed period with no observations is the league page, saying so and naming the
    years that have figures, which its year links lead to."""
    performance_system()
    response = analyst_client.get(league_url(period="1999-00"))
    assert response.status_code == 200
    years = response.context["period_links"]["years"]
    first, last = years[0]["period"].label, years[-1]["period"].label
    standard = response.context["standard"].short_name
    assert response.context["headline"] == (
        f"There are no observations of {standard} for 1999/00: figures are recorded for "
        f"{first} to {last}, linked under Financial year."
    )
    assert analyst_client.get(league_url(period="1999-13")).status_code == 404
    assert analyst_client.get(league_url(code="no-such-standard")).status_code == 404


@pytest.mark.parametrize("query", ["", "?per_head=on&region=&figures="])
def test_warm_league_table_builds_no_filter_set(
    analyst_client, django_assert_max_num_queries, monkeypatch, query
):
    """Asked again before any data change, a league table comes from the cache: its filter
    form, its headline's "narrowed" and its per-head note too, so the filter set (a form and
    its choices) is never built; the page is the same."""
    from performance.filters import LeagueFilter

    for n in range(3):
        performance_system(name=f"System {n}", counts=[(80 + n, 100)])
    url = league_url() + query
    cold = without_tokens(analyst_client.get(url))
    built = constructed(monkeypatch, LeagueFilter)
    # Session, user, permissions and the data version.
    with django_assert_max_num_queries(4):
        response = analyst_client.get(url)
    assert without_tokens(response) == cold
    assert built == []
