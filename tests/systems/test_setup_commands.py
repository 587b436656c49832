import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_ensure_admin_creates_administrator_with_random_password_once(capsys, rf):
    call_command("ensure_admin")
    out = capsys.readouterr().out
    password = out.split("password: ")[1].split()[0]
    # Log-in throttling (django-axes) asks every authentication for the request it came with.
    user = authenticate(rf.post("/login/"), username="admin", password=password)
    assert user is not None and user.is_superuser
    assert user.groups.filter(name="Administrator").exists()

    call_command("ensure_admin")
    assert "password" not in capsys.readouterr().out
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_ensure_admin_passwords_differ_between_databases(capsys):
    call_command("ensure_admin")
    first = capsys.readouterr().out.split("password: ")[1].split()[0]
    get_user_model().objects.all().delete()
    call_command("ensure_admin")
    second = capsys.readouterr().out.split("password: ")[1].split()[0]
    assert first != second


def test_production_settings_refuse_to_start_without_secret_key():
    """With DJANGO_DEBUG unset and no DJANGO_SECRET_KEY, settings fail loudly."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "DJANGO_SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "ics_tracker.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_home_shows_counts_as_at_today(client, analyst, reference_data):
    client.force_login(analyst)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    # 42 ICBs became 36 on 1 April 2026, six of them over new areas.
    assert response.context["ics_systems"] == 36
    assert response.context["ics_footprints"] == 36
    assert "Content-Security-Policy" in response.headers
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_login_page_is_served_to_anonymous(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Log in" in response.content
