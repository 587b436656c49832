"""Published findings beside the computed counts on the comparison page, and the league
page's rank, chosen system, picker and axis; the trend chart's real and illustrative periods."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from finance.models import PublishedFinding as PlanFinding
from performance import charts, rules
from performance.models import Observation, PublishedFinding, Standard
from tests.factories.performance import publish
from tests.factories.systems import WaveFactory, make_system
from tests.performance.test_pages import _csv_rows, league_url, performance_system

pytestmark = pytest.mark.django_db

D = Decimal
COMPARE = reverse("performance:compare", args=["2017-18"])


# -- the shipped findings ---------------------------------------------------------------------


def test_shipped_findings_load_with_their_source_and_again_change_nothing(reference_data):
    """Paragraphs 5 and 6 of the September 2018 paper: nine, eight and seven of ten on the
    standards, six of ten better than plan (named) and four worse; a second load writes
    nothing."""
    findings = {f.standard.code: f for f in PublishedFinding.objects.select_related("standard")}
    assert {code: (f.published_count, f.published_of) for code, f in findings.items()} == {
        "cancer-62-day": (9, 10),
        "rtt-18-weeks": (8, 10),
        "ae-4-hour": (7, 10),
    }
    assert findings["ae-4-hour"].comparison == "at-or-above"
    assert findings["rtt-18-weeks"].comparison == "above"
    assert findings["ae-4-hour"].citation.endswith("27 September 2018, paragraph 5")
    assert "seven performed at or above" in findings["ae-4-hour"].quote
    better = PlanFinding.objects.get(comparison="better-than-plan")
    assert (better.published_count, better.paragraph) == (6, "6")
    assert sorted(better.named_systems.values_list("slug", flat=True)) == [
        "berkshire-west",
        "dorset",
        "frimley-health",
        "greater-manchester",
        "south-yorkshire-and-bassetlaw",
        "surrey-heartlands",
    ]
    assert all(f.wave.slug == "wave-1" for f in PublishedFinding.objects.all())
    versions = sorted(PublishedFinding.objects.values_list("key", "version"))
    output = io.StringIO()
    call_command("load_reference_data", "--no-snapshots", stdout=output)
    assert "performance published findings: 0 created, 0 updated, 3 unchanged" in output.getvalue()
    assert "finance published findings: 0 created, 0 updated, 2 unchanged" in output.getvalue()
    assert sorted(PublishedFinding.objects.values_list("key", "version")) == versions
    assert better.named_systems.count() == 6


def test_findings_are_in_the_admin(admin_client, reference_data):
    finding = PublishedFinding.objects.get(standard__code="ae-4-hour")
    response = admin_client.get(
        reverse("admin:performance_publishedfinding_change", args=[finding.pk])
    )
    assert response.status_code == 200
    assert "seven performed at or above" in response.content.decode()
    listing = admin_client.get(reverse("admin:finance_publishedfinding_changelist"))
    assert "2017-18-wave-1-better-than-plan" in listing.content.decode()


# -- beside the computed count ----------------------------------------------------------------


@pytest.fixture
def wave_of_three():
    """Three Wave 1 systems, two above England (Alpha 96%, Beta 95%) and one below (Gamma 80%),
    and one other (Delta 90%): England is 90.25%. Real figures."""
    wave = WaveFactory(name="Wave 1", slug="wave-1")
    for name, value in (("Alpha", 96), ("Beta", 95), ("Gamma", 80)):
        performance_system(name=name, wave=wave, counts=[(value, 100)])
    performance_system(name="Delta", counts=[(90, 100)])
    return wave


def test_compare_page_sets_the_published_count_beside_the_tables(analyst_client, wave_of_three):
    """The sentence's count is the table's "Above national" (both from `side_count`), with
    the reasons it differs from the paper's."""
    publish(wave_of_three, "ae-4-hour", 7, 10)
    content = analyst_client.get(COMPARE).content.decode()
    assert (
        "The paper reported seven of the ten Wave 1 systems at or above the national average "
        "for the A&amp;E 4-hour standard in 2017/18"
    ) in content
    assert "Differs:" in content
    assert "These data give two of three, because these data have figures for 3 of the 3" in (
        content
    )
    assert "where the paper counted 10" in content
    assert "at or above England&#x27;s figure" not in content  # none was exactly at it
    header, *rows = _csv_rows(analyst_client.get(COMPARE + "?_export=csv"))
    first = dict(zip(header, rows[0], strict=True))
    assert (first["Standard"], first["Above national"], first["With figures"]) == (
        "A&E 4-hour waits",
        "2",
        "3",
    )


def test_compare_page_says_when_these_data_agree(analyst_client, wave_of_three):
    publish(wave_of_three, "rtt-18-weeks", 2, 3, comparison="above")
    content = analyst_client.get(COMPARE).content.decode()
    assert "Agrees:" in content
    assert "These data give two of three, as the paper does." in content


def test_compare_page_finding_on_illustrative_figures_is_not_comparable(analyst_client):
    wave = WaveFactory(name="Wave 1", slug="wave-1")
    performance_system(name="Alpha", wave=wave, counts=[(96, 100)], illustrative=True)
    performance_system(name="Delta", counts=[(90, 100)], illustrative=True)
    publish(wave, "ae-4-hour", 1, 1)
    content = analyst_client.get(COMPARE).content.decode()
    assert "Not comparable:" in content
    assert "these figures are illustrative, made up for demonstration" in content


def test_compare_page_names_systems_exactly_at_the_national_figure(analyst_client):
    """'At or above' counts a system level with England; these data count only above."""
    wave = WaveFactory(name="Wave 1", slug="wave-1")
    performance_system(name="Level", wave=wave, counts=[(90, 100)])
    performance_system(name="Other", counts=[(90, 100)])
    publish(wave, "ae-4-hour", 1, 1)
    content = analyst_client.get(COMPARE).content.decode()
    assert "These data give none of one, because" in content
    assert (
        "the paper counted those at or above England&#x27;s figure and these data count those "
        "above it: Level was exactly at it"
    ) in content


def test_compare_page_for_a_quarter_shows_no_findings(analyst_client, wave_of_three):
    publish(wave_of_three, "ae-4-hour", 7, 10)
    url = reverse("performance:compare", args=["2017-18-q1"])
    assert "The paper reported" not in analyst_client.get(url).content.decode()


# -- ranks ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("higher_is_better", "expected"),
    [(True, [3, 1, None, 1, 4]), (False, [2, 3, None, 3, 1])],
)
def test_ranks_follow_the_standards_direction(higher_is_better, expected):
    """1 is the best; equals share a rank and the next skips; no figure, no rank."""
    values = [D("0.8"), D("0.9"), None, D("0.9"), D("0.7")]
    standings = [rules.standing(v, higher_is_better=higher_is_better) for v in values]
    assert rules.ranks(standings) == expected


def test_league_table_ranks_best_first_in_the_standards_direction(analyst_client):
    for name, value in (("Low", 80), ("High", 96), ("Middle", 90)):
        performance_system(name=name, counts=[(value, 100)])
    table = analyst_client.get(league_url()).context["table"]
    assert [(r.record.name, r.record.rank) for r in table.rows] == [
        ("High", 1),
        ("Middle", 2),
        ("Low", 3),
    ]
    standard = Standard.objects.get(code="ae-4-hour")
    standard.higher_is_better = False
    standard.save()  # as the admin saves it: the pages see the change
    table = analyst_client.get(league_url()).context["table"]
    assert [(r.record.name, r.record.rank) for r in table.rows] == [
        ("Low", 1),
        ("Middle", 2),
        ("High", 3),
    ]
    header, *rows = _csv_rows(analyst_client.get(league_url() + "?_export=csv"))
    assert header[0] == "Rank" and [row[0] for row in rows] == ["1", "2", "3"]


# -- the chosen system ------------------------------------------------------------------------


def test_league_marks_the_chosen_system_in_words_row_and_bar(analyst_client):
    performance_system(name="Alpha", code="QA1", counts=[(96, 100)])
    performance_system(name="Beta", code="QB1", counts=[(80, 100)])
    response = analyst_client.get(league_url() + "?system=QB1")
    content = response.content.decode()
    assert "nhsuk-table__row app-row--chosen" in content
    assert content.count("(chosen system)") == 1
    assert "Beta</strong>: 80.0% against England's 88.0%, ranked 2" in content
    assert reverse("performance:system", args=["QB1"]) in content
    chart = response.context["chart"]
    bars = [t for t in chart.figure["data"] if t["type"] == "bar"]
    labels = [label for bar in bars for label in bar["y"]]
    assert "Beta (chosen)" in labels and "Alpha" in labels
    assert "The chosen system, Beta, is marked" in chart.description
    header, *rows = _csv_rows(analyst_client.get(league_url() + "?system=QB1&_export=csv"))
    assert [row[header.index("System")] for row in rows] == ["Alpha", "Beta"]


def test_league_without_a_chosen_system_marks_none(analyst_client):
    performance_system(name="Alpha", code="QA1", counts=[(96, 100)])
    content = analyst_client.get(league_url() + "?system=NOPE").content.decode()
    assert "app-row--chosen" not in content
    assert "No system with that code existed in 2017/18." in content


def test_picker_lists_the_systems_of_the_period(analyst_client):
    """Systems that existed on the period's first day, with or without figures; not one
    that had ended before."""
    performance_system(name="Alpha", code="QA1")
    make_system(name="Without figures")
    make_system(
        name="Gone", statuses=[("stp", dt.date(2016, 1, 1)), ("merged", dt.date(2017, 1, 1))]
    )
    picker = analyst_client.get(league_url()).context["picker"]
    names = [choice["name"] for choice in picker["choices"]]
    assert "Alpha" in names and "Without figures" in names
    assert "Gone" not in names
    assert picker["system"] is None


# -- the axis ---------------------------------------------------------------------------------


def test_axis_starts_below_the_lowest_value_and_says_so():
    assert charts.axis_start([88.0, 95.0, 91.3]) == 80.0
    assert charts.axis_start([4.0, 60.0]) == 0.0
    figure = charts.league_bars(
        [("A", D("0.91"), True), ("B", D("0.86"), False)], national=D("0.88"), target=D("0.95")
    )
    assert figure.layout.xaxis.range == (80.0, 100)
    assert figure.layout.annotations[0].text == "The axis starts at 80%, not at zero."
    low = charts.league_bars([("A", D("0.30"), True)], national=D("0.2"), target=D("0.95"))
    assert low.layout.xaxis.range[0] == 15.0


def test_league_chart_description_says_where_the_axis_starts(analyst_client):
    performance_system(name="Alpha", counts=[(96, 100)])
    performance_system(name="Beta", counts=[(84, 100)])
    chart = analyst_client.get(league_url()).context["chart"]
    assert chart.description.endswith("The axis starts at 75%, not at zero.")


# -- the trend's real and illustrative periods ------------------------------------------------


def test_trend_draws_illustrative_and_mixed_periods_apart(analyst_client):
    """Real months a solid line, months with any made-up figure a dotted one with open
    markers; the data table names each month's figures; a month mixing both says so."""
    system = performance_system(name="Trend", counts=[(90, 100), (80, 100)])
    providers = list(system.memberships.values_list("organisation", flat=True))
    # 2018/19 made up entirely; June 2017 made up for one of the two providers only.
    Observation.objects.filter(month__gte=dt.date(2018, 4, 1)).update(illustrative=True)
    Observation.objects.filter(month=dt.date(2017, 6, 1), provider=providers[0]).update(
        illustrative=True
    )
    response = analyst_client.get(reverse("performance:system", args=[system.slug]))
    chart = response.context["charts"][0]
    names = [trace["name"] for trace in chart.figure["data"]]
    assert names[:2] == ["Trend (real figures)", "Trend (illustrative or mixed figures)"]
    real, made_up = chart.figure["data"][:2]
    assert made_up["line"]["dash"] == "dot" and made_up["marker"]["symbol"] == "circle-open"
    months = [point.period.first_month for point in chart.data]
    june = months.index(dt.date(2017, 6, 1))
    assert real["y"][june] is None and made_up["y"][june] is not None
    assert real["y"][0] is not None and made_up["y"][0] is None
    assert chart.data[june].system.provenance == "mixed"
    assert chart.data[-1].system.provenance == "illustrative"
    assert chart.data[0].system.provenance == "real"
    assert "13 of the 36 periods use illustrative figures" in chart.description
    content = response.content.decode()
    assert "Mixed: some illustrative" in content and '<td class="nhsuk-table__cell">Real</td>' in (
        content
    )


def test_filtering_keeps_the_chosen_system_and_does_not_count_as_narrowing(analyst_client):
    performance_system(name="Alpha", code="QA1", counts=[(96, 100)])
    performance_system(name="Beta", code="QB1", counts=[(80, 100)])
    response = analyst_client.get(league_url() + "?system=QB1")
    content = response.content.decode()
    assert '<input type="hidden" name="system" value="QB1"' in content
    assert "systems shown with figures" not in content
    assert "1 of the 2 systems with figures were above" in content
    names = [row.record.name for row in response.context["table"].rows]
    assert names == ["Alpha", "Beta"]
