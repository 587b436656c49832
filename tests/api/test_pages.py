"""The API's description, its documentation page, the account page where tokens are made and
revoked, the tokens' admin, and what the list endpoints cost in queries."""

import datetime as dt
import json
import re

import pytest
import yaml
from django.urls import reverse

from api.models import ApiToken, secret_digest
from tests.factories.finance import FinancialYearFactory, add_members_with_figures
from tests.factories.maturity import make_framework, rate
from tests.factories.systems import (
    MembershipFactory,
    WaveFactory,
)
from tests.performance.test_pages import performance_system

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/systems/",
    "/api/v1/systems/{code}/members/",
    "/api/v1/systems/{code}/performance/",
    "/api/v1/waves/",
    "/api/v1/waves/{slug}/designations/",
    "/api/v1/maturity/",
    "/api/v1/performance/{standard}/{period}/",
    "/api/v1/finance/{year}/",
}


def test_schema_is_served_as_yaml_and_json(client, analyst_token, bearer):
    """The OpenAPI description lists every endpoint with its parameters (the page's filters
    among them) and the token scheme; GET only."""
    as_yaml = yaml.safe_load(client.get(reverse("api:schema"), **bearer(analyst_token)).content)
    response = client.get(reverse("api:schema") + "?format=json", **bearer(analyst_token))
    as_json = json.loads(response.content)

    assert as_yaml == as_json
    assert as_json["openapi"].startswith("3.")
    assert set(as_json["paths"]) == ENDPOINTS
    assert {method for path in as_json["paths"].values() for method in path} == {"get"}
    systems = as_json["paths"]["/api/v1/systems/"]["get"]
    assert {p["name"] for p in systems["parameters"]} == {
        "as_at",
        "q",
        "status",
        "region",
        "wave",
        "sort",
    }
    league = as_json["paths"]["/api/v1/performance/{standard}/{period}/"]["get"]
    assert "as_at" not in {p["name"] for p in league["parameters"]}
    assert {"figures", "per_head", "standard", "period"} <= {
        p["name"] for p in league["parameters"]
    }
    assert as_json["components"]["securitySchemes"]["personalToken"]["scheme"] == "bearer"


def test_schema_needs_the_view_right(client, django_user_model, token_for, bearer):
    assert client.get(reverse("api:schema")).status_code == 401
    nobody = django_user_model.objects.create_user("nobody")
    assert client.get(reverse("api:schema"), **bearer(token_for(nobody))).status_code == 403


def test_docs_page_lists_every_endpoint_from_the_schema(analyst_client):
    """The documentation is our own page, drawn from the description: each endpoint with its
    parameters and an example, and nothing loaded from another site."""
    response = analyst_client.get(reverse("api-docs"))
    page = response.content.decode()

    assert response.status_code == 200
    assert len(response.context["endpoints"]) == len(ENDPOINTS)
    for path in ENDPOINTS:
        assert f"GET {path}" in page
    assert "/api/v1/performance/ae-4-hour/2018-19/" in page
    assert "1,000 requests an hour" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_account_page_makes_a_token_shown_once(analyst_client, analyst):
    """A new token's secret is in the answer to the form and nowhere after; what is stored is
    its digest, and it works at once."""
    response = analyst_client.post(reverse("account"), {"name": "My R scripts", "lifetime": "30"})
    assert response.status_code == 201
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = ApiToken.objects.get(user=analyst)
    assert (token.name, token.digest) == ("My R scripts", secret_digest(secret))
    assert dt.timedelta(days=29) < token.expires_at - token.created_at <= dt.timedelta(days=30)

    later = analyst_client.get(reverse("account")).content.decode()
    assert secret not in later
    assert "My R scripts" in later and token.shown_part in later
    assert (
        analyst_client.get(reverse("api:waves"), HTTP_AUTHORIZATION=f"Bearer {secret}").status_code
        == 200
    )


def test_account_page_refuses_a_token_without_a_name(analyst_client):
    response = analyst_client.post(reverse("account"), {"name": "", "lifetime": "30"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_account_page_revokes_only_the_users_own_tokens(
    client, analyst_client, analyst, django_user_model, token_for
):
    secret = token_for(analyst)
    token = ApiToken.objects.get(user=analyst)
    other = django_user_model.objects.create_user("other")
    token_for(other)
    theirs = ApiToken.objects.get(user=other)

    assert analyst_client.post(reverse("account"), {"revoke": theirs.pk}).status_code == 404
    response = analyst_client.post(reverse("account"), {"revoke": token.pk}, follow=True)

    assert "is revoked" in response.content.decode()
    token.refresh_from_db()
    theirs.refresh_from_db()
    assert token.revoked_at is not None and theirs.revoked_at is None
    assert (
        client.get(reverse("api:waves"), HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    )


def test_header_links_to_the_account_page(analyst_client):
    page = analyst_client.get(reverse("systems:waves")).content.decode()
    assert 'href="/account/"' in page


def test_admin_shows_tokens_but_never_the_secret_or_digest(
    client, administrator, analyst, token_for
):
    secret = token_for(analyst)
    token = ApiToken.objects.get()
    client.force_login(administrator)
    listing = client.get(reverse("admin:api_apitoken_changelist")).content.decode()
    detail = client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()

    assert token.shown_part in listing
    for page in (listing, detail):
        assert secret not in page and token.digest not in page
    assert client.get(reverse("admin:api_apitoken_add")).status_code == 403


# -- what the list endpoints cost -----------------------------------------------------------


def _systems(count: int) -> list:
    wave = WaveFactory(slug="wave-1")
    year = FinancialYearFactory(start_year=2017)
    framework = make_framework()
    systems = []
    for n in range(count):
        system = performance_system(counts=[(90, 100)], wave=None if n % 2 else wave)
        add_members_with_figures(system, year, [(10, 9, 8)], valid_from=dt.date(2016, 4, 1))
        rate(system, framework, "Good", dt.date(2017, 7, 1))
        systems.append(system)
    return systems


LISTS = {
    "systems": lambda s: reverse("api:systems") + "?as_at=2018-01-01",
    "members": lambda s: reverse("api:system-members", args=[s[0].slug]) + "?as_at=2018-01-01",
    "waves": lambda s: reverse("api:waves"),
    "designations": lambda s: reverse("api:wave-designations", args=["wave-1"]),
    "maturity": lambda s: reverse("api:maturity"),
    "league": lambda s: reverse("api:league", args=["ae-4-hour", "2017-18"]),
    "trends": lambda s: reverse("api:system-performance", args=[s[0].slug]),
    "control totals": lambda s: reverse("api:control-totals", args=["2017-18"]),
}


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize("endpoint", sorted(LISTS))
def test_list_endpoints_cost_the_same_queries_for_1_or_30_systems(
    client, analyst_token, bearer, django_assert_max_num_queries, endpoint, count
):
    """Each endpoint costs its page's queries plus the token's (one, its use recorded once in
    five minutes: one more), whatever the number of systems; a system's members are as many
    for one member as for 30."""
    systems = _systems(count)
    for _ in range(count):
        MembershipFactory(system=systems[0], valid_from=dt.date(2016, 4, 1))
    with django_assert_max_num_queries(14):
        response = client.get(LISTS[endpoint](systems), **bearer(analyst_token))
    assert response.status_code == 200
    assert response.json()["count"] >= 1
