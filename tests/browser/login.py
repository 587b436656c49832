"""The analyst the browser tests sign in as, and signing in through the log-in form."""

from django.contrib.auth.models import Group

from systems.roles import ANALYST

USERNAME = "browser-analyst"
PASSWORD = "browser-test-password-9"


def make_analyst(django_user_model):
    """The analyst, with the password the log-in form is given."""
    user = django_user_model.objects.create_user(USERNAME, password=PASSWORD)
    user.groups.add(Group.objects.get(name=ANALYST))
    return user


def log_in(page, url: str, lands_on: str) -> None:
    """Open `url`, which sends a reader not yet signed in to the log-in form, sign in as the
    analyst, and wait to land on `lands_on` (a URL or a glob pattern)."""
    page.goto(url)
    assert "/login/" in page.url
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lands_on)
