"""The as-at date lives in the address: every link and GET form a dated page writes carries it
(core.as_at), there is one date box, and period pages keep the date bar with what date they
use instead."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from core.as_at import with_date_in_links

DAY = dt.date(2018, 10, 1)


def test_internal_links_gain_the_date_and_others_are_left_alone():
    html = (
        '<a href="/systems/">a</a><a href="/finance/2018-19/?status=stp&amp;sort=plan">b</a>'
        '<a href="/systems/QE1/#members">c</a><a href="/systems/?as_at=2019-01-01">d</a>'
        '<a href="/static/x.css">e</a><a href="/admin/">f</a><a href="/logout/">g</a>'
        '<a href="https://example.org/">h</a><a href="#top">i</a><a href="?page=2">j</a>'
        '<a href="//example.org/">k</a>'
    )
    assert with_date_in_links(html, DAY) == (
        '<a href="/systems/?as_at=2018-10-01">a</a>'
        '<a href="/finance/2018-19/?status=stp&amp;sort=plan&amp;as_at=2018-10-01">b</a>'
        '<a href="/systems/QE1/?as_at=2018-10-01#members">c</a>'
        '<a href="/systems/?as_at=2019-01-01">d</a>'
        '<a href="/static/x.css">e</a><a href="/admin/">f</a><a href="/logout/">g</a>'
        '<a href="https://example.org/">h</a><a href="#top">i</a><a href="?page=2">j</a>'
        '<a href="//example.org/">k</a>'
    )


def _dashboard_links(html: str) -> list[str]:
    links = re.findall(r'href="(/[^"]*)"', html)
    return [
        link
        for link in links
        if not link.startswith(("/static/", "/admin/", "/login/", "/logout/", "/api/"))
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, args",
    [
        ("home", []),
        ("systems:list", []),
        ("systems:detail", ["QE1"]),
        ("systems:waves", []),
        ("systems:wave", ["wave-1"]),
        ("systems:organisations", []),
        ("systems:changes", []),
        ("maturity:matrix", []),
        ("performance:index", []),
        ("finance:index", []),
        ("reports:index", []),
    ],
)
def test_every_link_on_a_dated_page_carries_its_date(analyst_client, reference_data, name, args):
    response = analyst_client.get(reverse(name, args=args), {"as_at": "2018-10-01"}, follow=True)
    assert response.status_code == 200
    links = _dashboard_links(response.content.decode())
    assert links
    undated = [link for link in links if "as_at=" not in link]
    assert undated == []
    assert all("as_at=2018-10-01" in link for link in links if "datapackage" not in link)


def test_get_forms_carry_the_date(analyst_client, reference_data):
    html = analyst_client.get(reverse("systems:list"), {"as_at": "2018-10-01"}).content.decode()
    # The date bar is the one date box; the filter form carries the date hidden.
    assert html.count('type="date"') == 1
    filter_form = html[html.index('class="app-filter-form"') :]
    filter_form = filter_form[: filter_form.index("</form>")]
    assert '<input type="hidden" name="as_at" value="2018-10-01">' in filter_form


def test_undated_pages_write_undated_links(analyst_client, reference_data):
    html = analyst_client.get(reverse("systems:list")).content.decode()
    assert "as_at=" not in "".join(_dashboard_links(html))
    assert "No date chosen, so this is today" in html


def test_back_to_today_drops_only_the_date(analyst_client, reference_data):
    html = analyst_client.get(
        reverse("systems:list"), {"as_at": "2018-10-01", "region": "3"}
    ).content.decode()
    assert '<a class="nhsuk-link app-as-at__today" href="?region=3">Back to today</a>' in html


@pytest.mark.parametrize("name", ["finance:index", "performance:index", "reports:index"])
def test_period_pages_keep_the_date_bar_and_say_what_date_they_use(
    analyst_client, reference_data, name
):
    response = analyst_client.get(reverse(name), {"as_at": "2018-10-01"}, follow=True)
    html = response.content.decode()
    assert 'name="as_at"' in html
    assert "this date applies when you go on to other pages" in html
