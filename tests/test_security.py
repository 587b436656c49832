"""Signing in is throttled per account and address, a production configuration passes
Django's deployment checks, and the Content-Security-Policy allows no inline script or style
beyond what it names."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from systems.access import client_ip

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def throttled(settings):
    settings.AXES_FAILURE_LIMIT = 3


def _attempt(client: Client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_sign_in_is_refused_after_repeated_failures(client, analyst, throttled):
    """Once wrong passwords for one account from one address reach the limit, even the right
    password is refused there, with a page saying why and for how long."""
    analyst.set_password("the-right-password-9")
    analyst.save()

    failures = [_attempt(client, analyst.username, "wrong").status_code for _ in range(3)]
    locked = _attempt(client, analyst.username, "the-right-password-9")

    # The form again with its error, until the failure that reaches the limit.
    assert failures == [200, 200, 429]
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed log-ins" in page
    assert "Try again in 15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_sign_in_lockout_holds_only_for_that_account_and_address(
    client, analyst, throttled, django_user_model
):
    """A lockout is keyed on the pair: the same account from another address, and another
    account from the same address, may still sign in."""
    analyst.set_password("the-right-password-9")
    analyst.save()
    other = django_user_model.objects.create_user("colleague", password="another-password-8")
    for _ in range(3):
        _attempt(client, analyst.username, "wrong")

    elsewhere = _attempt(Client(), analyst.username, "the-right-password-9", "198.51.100.7")
    colleague = _attempt(Client(), other.username, "another-password-8")

    assert elsewhere.status_code == 302
    assert colleague.status_code == 302


def test_client_ip_behind_a_proxy_ignores_addresses_the_client_made_up(rf, settings):
    """Behind one proxy the client is the last X-Forwarded-For entry; anything before it was
    sent by the client and is not believed."""
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5", REMOTE_ADDR="127.0.0.1")
    settings_off = rf.get("/", HTTP_X_FORWARDED_FOR="10.9.9.9", REMOTE_ADDR="127.0.0.1")

    assert client_ip(request) == "203.0.113.5"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(settings_off) == "127.0.0.1"


def test_check_deploy_with_production_settings_reports_nothing():
    """`manage.py check --deploy` with production settings (debug off, a secret key, a host)
    gives no warnings at all."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    env |= {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "ics-tracker.example.org",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_content_security_policy_allows_no_inline_style_but_the_nonce_and_hashes(client, analyst):
    """The policy has no 'unsafe-inline'; the one <style> element on a page carries the nonce
    the policy names."""
    client.force_login(analyst)

    response = client.get(reverse("home"))

    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f'<style id="plotly.js-style-global" nonce="{nonce}"></style>' in response.text
    assert "script-src 'self';" in policy
