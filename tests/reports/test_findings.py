"""The board paper sets paragraphs 5 and 6 of the September 2018 paper beside the counts its
own figures give, as the comparison page and the finance year page do."""

import datetime as dt

import pytest
from django.urls import reverse

from finance.models import OrganisationYear
from performance.models import Observation
from reports.paper import compose_document
from reports.sections import SummaryScope
from tests.factories.finance import publish_plan
from tests.factories.performance import publish
from tests.reports.test_sections_performance import observe, wave_values

pytestmark = pytest.mark.django_db

AS_AT = dt.date(2018, 9, 27)


def paper_text(world) -> str:
    document = compose_document(SummaryScope(scope="all", as_at=AS_AT, year=world["year"]))
    return " ".join(p for section in document.sections for p in section.paragraphs)


@pytest.fixture
def real_world(small_world):
    """The small world's figures, real: the non-ICSs at 70% on cancer 62-day; Wave 1's
    Alpha, Bravo and Charlie, Delta at 90% and Echo at 50%; Greater Foxtrot without."""
    for other in small_world["others"]:
        observe(other, 7000, 10000)
    wave_values(small_world, (90, 90, 90, 50))
    Observation.objects.update(illustrative=False)
    OrganisationYear.objects.update(illustrative=False)
    return small_world


def test_paper_sets_the_published_standard_count_beside_its_own(real_world):
    publish(real_world["wave"], "cancer-62-day", 9, 10, comparison="above")
    text = paper_text(real_world)
    assert (
        "The paper reported all but one of the ten Wave 1 ICSs above the national average for "
        "the cancer 62-day standard in 2017/18 (NHS England and NHS Improvement board paper: "
        "Integrated Care Systems Programme Update, 27 September 2018, paragraph 5). These data "
        "give three of four, because these data have figures for 4 of the 5 systems here, "
        "where the paper counted 10 (Greater Foxtrot without figures)"
    ) in text


def test_paper_count_is_the_comparison_pages_count(real_world, analyst_client):
    """The paper's "these data give" and the comparison page's table count the same systems
    above the national average (both through `side_count`)."""
    publish(real_world["wave"], "cancer-62-day", 9, 10, comparison="above")
    assert "These data give three of four" in paper_text(real_world)
    page = analyst_client.get(reverse("performance:compare", args=["2017-18"]))
    assert "These data give three of four" in page.content.decode()
    (item,) = [
        i for i in page.context["comparison"].standards if i.standard.code == "cancer-62-day"
    ]
    assert (len(item.group.above), item.group.counted) == (3, 4)


def test_paper_and_year_page_say_which_named_systems_the_figures_agree_on(
    real_world, analyst_client
):
    """Alpha, Bravo and Charlie, and Delta did better than plan, Echo worse; the paper (here)
    named Alpha and Echo."""
    world = real_world
    publish_plan(world["wave"], 3, 5, named=[world["alpha"], world["echo"]])
    text = paper_text(world)
    expected = (
        "The paper reported three of the five Wave 1 ICSs delivered a better financial position "
        "than they planned in 2017/18"
    )
    assert expected in text
    assert (
        "These data give three of four, because of the two systems the paper names, these "
        "data agree on one (Alpha), not on Echo and also count Bravo and Charlie and Delta, "
        "which the paper does not name"
    ) in text
    page = analyst_client.get(reverse("finance:year", args=["2017-18"])).content.decode()
    assert expected in page and "these data agree on one (Alpha)" in page
