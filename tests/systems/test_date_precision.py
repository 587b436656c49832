"""Dates no more precise than known, in the charts' data tables and hovers too (issue 13,
item 6): a change known only to "June 2017" is never shown as "1 Jun 2017"."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from core.dates import DatePrecision, coarsest_precision
from systems.series import change_precisions, ics_count_series

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("precisions", "coarsest"),
    [
        ([], DatePrecision.DAY),
        ([DatePrecision.DAY, DatePrecision.MONTH], DatePrecision.MONTH),
        ([DatePrecision.YEAR, DatePrecision.DAY, DatePrecision.MONTH], DatePrecision.YEAR),
    ],
)
def test_coarsest_precision(precisions, coarsest):
    assert coarsest_precision(precisions) == coarsest


def test_a_day_is_said_as_coarsely_as_the_roughest_fact_starting_on_it():
    june = dt.date(2017, 6, 1)
    april = dt.date(2021, 4, 1)
    assert change_precisions(
        [(june, DatePrecision.DAY), (june, DatePrecision.MONTH), (april, DatePrecision.DAY)]
    ) == {june: DatePrecision.MONTH, april: DatePrecision.DAY}


def test_the_designation_series_says_each_change_as_precisely_as_it_is_known(reference_data):
    shown = {point.day: point.day_display for point in ics_count_series(dt.date(2026, 12, 3))}
    assert shown[dt.date(2016, 1, 1)] == "2016"  # the footprints, known to the year
    assert shown[dt.date(2017, 6, 1)] == "June 2017"  # Wave 1
    assert shown[dt.date(2018, 5, 24)] == "24 May 2018"  # Wave 2, known to the day
    assert shown[dt.date(2020, 12, 1)] == "December 2020"
    assert shown[dt.date(2021, 4, 1)] == "1 April 2021"


def test_overview_chart_table_and_hover_never_invent_a_day(analyst_client, reference_data):
    response = analyst_client.get(reverse("home"), {"as_at": "2021-06-01"})
    html = response.content.decode()
    table = html[html.index("ICS systems and footprints on each date a count changed") :]
    table = table[: table.index("</table>")]
    cells = re.findall(r'<td class="nhsuk-table__cell">([^<]+)</td>', table)
    assert "June 2017" in cells and "24 May 2018" in cells and "2016" in cells
    assert "1 Jun 2017" not in table and "1 Jan 2016" not in table
    figure = response.context["chart"].figure
    assert "June 2017" in figure["data"][0]["text"]
    assert figure["layout"]["xaxis"]["hoverformat"] == "%B %Y"


def test_status_periods_end_as_precisely_as_the_next_status_began(analyst_client, reference_data):
    """Somerset was an STP until the month before it became an ICS in December 2020: its
    STP period ends "November 2020", not "30 Nov 2020"."""
    response = analyst_client.get(reverse("systems:detail", args=["somerset"]))
    periods = response.context["chart"].data
    stp = next(period for period in periods if period.label == "STP")
    assert stp.end_display == "November 2020"
    assert stp.start_display == "2016"
    html = response.content.decode()
    assert "30 Nov 2020" not in html and "November 2020" in html
    hovers = [trace["hovertemplate"] for trace in response.context["chart"].figure["data"]]
    assert any(hover.startswith("STP: 2016 to November 2020") for hover in hovers)
