"""The league table's map: the same rows as the table, coloured against England."""

import pytest

from tests.factories.systems import give_ons_code
from tests.performance.test_pages import league_url, performance_system

pytestmark = pytest.mark.django_db


def test_league_map_shows_the_tables_rows_against_england(analyst_client):
    better = performance_system(name="Better", counts=[(95, 100)])
    worse = performance_system(name="Worse", counts=[(70, 100)])
    unmapped = performance_system(name="Unmapped", counts=[(90, 100)])
    give_ons_code(better, "E54000007")
    give_ons_code(worse, "E54000008")
    response = analyst_client.get(league_url())
    chart = response.context["map"]
    table_rows = [row.record for row in response.context["table"].rows]
    assert [row.name for row in chart.data] == [row.system.name for row in table_rows]
    categories = {row.name: row.category for row in chart.data}
    assert categories == {
        row.system.name: "Above national" if row.above_national else "Not above national"
        for row in table_rows
    }
    drawn = {row.name: row.drawn for row in chart.data}
    assert drawn["Better"] == drawn["Worse"] == "Drawn"
    assert drawn["Unmapped"].startswith("Not drawn: no boundary of")
    assert f"{unmapped.name} is not drawn" in " ".join(chart.notes)
    locations = {loc: trace["name"] for trace in chart.figure["data"] for loc in trace["locations"]}
    assert locations == {"E54000007": "Above national", "E54000008": "Not above national"}
    urls = [c[1] for trace in chart.figure["data"] for c in trace["customdata"]]
    assert all(url.endswith("/performance/") for url in urls)
    assert "data-map role=" in response.content.decode()
