"""Who may read the API, and how: tokens carry their user's role, revoked or expired tokens and
inactive users are refused, writing is refused, and each user is held to the rate limit."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.actions import create_token, revoke_token
from api.models import ApiToken, secret_digest
from systems.roles import ANALYST

pytestmark = pytest.mark.django_db


@pytest.fixture
def url():
    return reverse("api:waves")


def test_analysts_token_reads_as_the_analyst(client, analyst, token_for, bearer, url):
    response = client.get(url, **bearer(token_for(analyst)))
    assert response.status_code == 200
    assert response.json()["title"] == "Designation waves"


def test_token_of_a_user_without_a_role_is_forbidden(
    client, django_user_model, token_for, bearer, url
):
    """A token carries its user's role and no more: no role, no data (403)."""
    nobody = django_user_model.objects.create_user("nobody")
    response = client.get(url, **bearer(token_for(nobody)))
    assert response.status_code == 403
    assert "ask an administrator for access" in response.json()["detail"]


def test_token_follows_its_users_role_as_it_changes(
    client, django_user_model, token_for, bearer, url
):
    """The role is read at each request, not fixed when the token was made."""
    user = django_user_model.objects.create_user("later-analyst")
    secret = token_for(user)
    assert client.get(url, **bearer(secret)).status_code == 403
    user.groups.add(Group.objects.get(name=ANALYST))
    assert client.get(url, **bearer(secret)).status_code == 200


@pytest.mark.parametrize("why", ["revoked", "expired", "inactive user", "unknown", "malformed"])
def test_unusable_token_is_refused_with_401(client, analyst, bearer, url, why):
    token, secret = create_token(user=analyst, name="t", lifetime=dt.timedelta(days=1))
    assert client.get(url, **bearer(secret)).status_code == 200
    headers = bearer(secret)
    if why == "revoked":
        revoke_token(token=token)
    elif why == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    elif why == "inactive user":
        analyst.is_active = False
        analyst.save()
    elif why == "unknown":
        headers = bearer(secret[:-1] + ("A" if secret[-1] != "A" else "B"))
    else:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret} extra"}

    response = client.get(url, **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_anonymous_request_is_refused_with_401_not_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_is_not_allowed(client, analyst_token, bearer, url, method):
    response = getattr(client, method)(url, **bearer(analyst_token))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("method", ["head", "options"])
def test_head_and_options_are_answered(client, analyst_token, bearer, url, method):
    assert getattr(client, method)(url, **bearer(analyst_token)).status_code == 200


def test_browser_session_reads_and_csrf_guards_writes(client, analyst, url):
    """Signed in, a browser reads the API with its session; a write without the CSRF token is
    refused before it could be considered (403), and with it is still not allowed (405)."""
    from django.test import Client

    client.force_login(analyst)
    assert client.get(url).status_code == 200
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(analyst)
    assert strict.post(url).status_code == 403
    strict.get(reverse("account"))
    token = strict.cookies["csrftoken"].value
    assert strict.post(url, HTTP_X_CSRFTOKEN=token).status_code == 405


def test_only_a_digest_of_the_secret_is_stored(analyst):
    token, secret = create_token(user=analyst, name="t", lifetime=dt.timedelta(days=1))
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in [str(value) for value in stored.values()]
    assert stored["digest"] == secret_digest(secret)
    assert secret.startswith(stored["shown_part"])


def test_use_is_recorded_without_a_write_on_every_request(
    client, analyst, analyst_token, bearer, url
):
    """The first request records the token's use; the next, moments later, writes nothing."""
    client.get(url, **bearer(analyst_token))
    token = ApiToken.objects.get(user=analyst)
    assert token.last_used_at is not None
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **bearer(analyst_token))
    assert queries.captured_queries
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]


def test_past_the_rate_limit_the_api_answers_429(client, analyst, settings, token_for, bearer, url):
    """Each user may make API_RATE_LIMIT requests, whichever token they use; past it, 429 with
    a message naming the limit and a Retry-After header. Another user is not held up."""
    settings.API_RATE_LIMIT = "3/minute"
    first, second = token_for(analyst), token_for(analyst)
    answers = [client.get(url, **bearer(secret)).status_code for secret in (first, second, first)]
    assert answers == [200, 200, 200]

    response = client.get(url, **bearer(second))

    assert response.status_code == 429
    assert "each user may make 3 requests a minute" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    other = create_token(user=_another_analyst(analyst), name="t", lifetime=dt.timedelta(days=1))[1]
    assert client.get(url, **bearer(other)).status_code == 200


def _another_analyst(analyst):
    user = type(analyst).objects.create_user("another-analyst")
    user.groups.add(Group.objects.get(name=ANALYST))
    return user
