"""Per-head figures on the A&E league table, where the reader asks for them: the standard's
denominator over the period per 1,000 people, the population's date and source said under the
table and in the export, a dash with the reason where the population is not known."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from performance.rules import PER_HEAD_COUNTS
from systems.models import Population
from tests.factories.systems import PopulationFactory
from tests.performance.test_pages import _csv_rows, league_url, performance_system

pytestmark = pytest.mark.django_db

PER_HEAD = "?per_head=1"
COLUMN = "A&E attendances per 1,000 people (2017/18)"


def _rows(response) -> dict:
    return {row.record.system.name: row.record for row in response.context["table"].rows}


def test_per_head_column_is_attendances_over_population_times_1000(analyst_client):
    """Known: 12 months of (90 + 80) of 200 attendances is 2,400 over 2017/18; over
    1,234,567 people that is 2400 / 1234567 x 1000 attendances per 1,000 people."""
    system = performance_system(name="Known", counts=[(90, 100), (80, 100)])
    PopulationFactory(system=system, all_ages=1_234_567, aged_65_and_over=200_000, source="ONS")
    response = analyst_client.get(league_url() + PER_HEAD)
    row = _rows(response)["Known"]
    expected = row.figures.denominator / Decimal(1_234_567) * 1000
    assert row.figures.denominator == 2400
    assert row.per_thousand == expected
    content = response.content.decode().replace("&amp;", "&")
    assert COLUMN in content
    assert f"{expected.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}" in content
    assert "ONS&#x27;s mid-2019 estimates" in response.content.decode()
    assert "Source: ONS." in content

    header, *rows = _csv_rows(analyst_client.get(league_url() + PER_HEAD + "&_export=csv"))
    record = dict(zip(header, rows[0], strict=True))
    assert Decimal(record[COLUMN]) == expected.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    assert record["Population (mid-2019)"] == "1234567"
    assert record["Population source"] == "ONS"
    assert record["Population basis"].startswith("estimate for")


def test_system_without_population_shows_a_dash_and_the_reason(analyst_client):
    performance_system(name="Unknown")
    response = analyst_client.get(league_url() + PER_HEAD)
    assert _rows(response)["Unknown"].per_thousand is None
    assert '—<br><span class="nhsuk-u-font-size-14">Population not known: no population' in (
        response.content.decode()
    )
    header, *rows = _csv_rows(analyst_client.get(league_url() + PER_HEAD + "&_export=csv"))
    record = dict(zip(header, rows[0], strict=True))
    assert record[COLUMN] == ""
    assert record["Population basis"] == "Not known: no population estimate is recorded for it"


def test_per_head_only_when_asked_and_only_for_a_count_over_a_period(analyst_client):
    """Without the choice the table is as before; a waiting-list standard (RTT) is not
    offered it, and asking anyway adds nothing; the choice narrows no systems."""
    system = performance_system(name="Known")
    PopulationFactory(system=system)
    plain = analyst_client.get(league_url())
    assert "per_thousand" not in plain.context["table"].columns.names()
    assert 'name="per_head"' in plain.content.decode()
    assert "Show attendances per 1,000 people" in plain.content.decode()
    asked = analyst_client.get(league_url() + PER_HEAD)
    assert asked.context["headline"] == plain.context["headline"]
    assert "rtt-18-weeks" not in PER_HEAD_COUNTS
    rtt = analyst_client.get(league_url(code="rtt-18-weeks") + PER_HEAD)
    assert rtt.status_code == 200
    assert "per_thousand" not in rtt.context["table"].columns.names()
    # Not offered: no checkbox (the "my system" form carries the address's other choices on).
    assert 'type="checkbox" name="per_head"' not in rtt.content.decode()
    assert "per_head" not in rtt.context["filter"].form.fields
    assert "per_head_note" not in rtt.context


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("export", ["", "&_export=csv"])
def test_per_head_query_count_does_not_grow_with_systems(
    analyst_client, django_assert_max_num_queries, count, export
):
    """The per-head league table and its export cost the plain table's queries and the
    three small reads of the populations (16 with the "my system" picker's read of the
    period's systems; 19 with the map's three), for 1 system as for 50."""
    for _ in range(count):
        PopulationFactory(system=performance_system(counts=[(90, 100)]))
    assert Population.objects.count() == count
    with django_assert_max_num_queries(19):
        response = analyst_client.get(league_url() + PER_HEAD + export)
    assert response.status_code == 200
