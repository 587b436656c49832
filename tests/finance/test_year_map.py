"""The finance year page's map: the same rows as the table, met or missed."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from tests.factories.finance import FinancialYearFactory
from tests.factories.systems import give_ons_code
from tests.finance.test_pages import finance_system

pytestmark = pytest.mark.django_db


def test_year_map_shows_the_tables_rows_met_or_missed(analyst_client):
    year = FinancialYearFactory(start_year=2019)
    met = finance_system(year, name="Met", figures=[(D(-1000), D(-900), D(-800))])
    missed = finance_system(year, name="Missed", figures=[(D(-1000), D(-900), D(-1200))])
    give_ons_code(met, "E54000007")
    give_ons_code(missed, "E54000008")
    response = analyst_client.get(reverse("finance:year", args=[year.slug]))
    chart = response.context["map"]
    records = [row.record for row in response.context["table"].rows]
    assert sorted(row.name for row in chart.data) == sorted(r.name for r in records)
    assert {row.name: row.category for row in chart.data} == {
        r.name: "Met control total" if r.met_control_total else "Missed control total"
        for r in records
    }
    assert {row.name: row.drawn for row in chart.data} == {"Met": "Drawn", "Missed": "Drawn"}
    locations = {loc: trace["name"] for trace in chart.figure["data"] for loc in trace["locations"]}
    assert locations == {"E54000007": "Met control total", "E54000008": "Missed control total"}
    hovers = " ".join(c[0] for trace in chart.figure["data"] for c in trace["customdata"])
    assert "Missed: missed: outturn" in hovers
    assert "data-map role=" in response.content.decode()
