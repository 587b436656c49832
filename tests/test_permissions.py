"""The permission matrix: every URL in the URLconf, dashboard pages with their CSV and XLSX
exports and every admin page of every registered model, for an anonymous visitor, a logged-in
user with no role, each role and a superuser.

Anonymous visitors are sent to log in; a user with no role sees the "ask an administrator"
page and no data; every role may view the dashboard; the admin opens for staff roles only, and
within it each model for the roles that hold a right on it. The read API (api:*) answers for
itself rather than sending anyone to log in: 401 without credentials, 403 without a role, and
the same data as the pages for every role, signed in by session or by personal token.
"""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.views import APIView

from api.actions import create_token
from systems.roles import ROLES, STAFF_ROLES
from tests.factories.finance import FinancialYearFactory
from tests.factories.reports import BoardSummaryFactory
from tests.factories.systems import DesignationFactory, OrganisationFactory, make_system
from tests.helpers import body

PUBLIC = {"login", "logout"}
SAMPLE_KWARGS = {
    "code": "sample-system",
    "slug": "sample-wave",
    "year": "2019-20",
    "ods_code": "RSAMPLE",
    "standard": "ae-4-hour",  # performance's standards are loaded after migrate
    "period": "2019-20",
    "summary_id": 424242,
}
EXPORTS = ("", "?_export=csv", "?_export=xlsx")


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"unnamed URL pattern {pattern.pattern}: name it to test it"
            yield f"{namespace}{pattern.name}", list(pattern.pattern.regex.groupindex)


DASHBOARD_URLS = sorted((name, params) for name, params in _named_patterns() if name not in PUBLIC)
DASHBOARD_CASES = [(name, params, export) for name, params in DASHBOARD_URLS for export in EXPORTS]

USERS = ["anonymous", "no role", *ROLES, "superuser"]


@pytest.fixture
def sample(db, settings, tmp_path):
    system = make_system(slug="sample-system", statuses=[("ics", "2018-05-24")])
    DesignationFactory(system=system, wave__slug="sample-wave")
    FinancialYearFactory(start_year=2019)
    OrganisationFactory(ods_code="RSAMPLE")
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "board-summaries").mkdir()
    (tmp_path / "board-summaries" / "sample.pdf").write_bytes(b"%PDF-1.7 sample")
    BoardSummaryFactory(pk=424242, status="done", progress=100, file="board-summaries/sample.pdf")
    return system


def _url(name, params):
    return reverse(name, kwargs={p: SAMPLE_KWARGS[p] for p in params})


def _is_api(url: str) -> bool:
    """Whether the URL is an endpoint of the read API (a Django REST Framework view)."""
    return issubclass(getattr(resolve(url.split("?")[0]).func, "cls", object), APIView)


API_URLS = [_url(name, params) for name, params in DASHBOARD_URLS if _is_api(_url(name, params))]


def _log_in(client, django_user_model, who: str):
    if who == "anonymous":
        return None
    if who == "superuser":
        user = django_user_model.objects.create_superuser("root", password=None)
    else:
        user = django_user_model.objects.create_user(
            who.replace(" ", "-"), is_staff=who in STAFF_ROLES
        )
        if who in ROLES:
            user.groups.add(Group.objects.get(name=who))
    client.force_login(user)
    return user


def test_urlconf_has_dashboard_pages():
    names = {name for name, _ in DASHBOARD_URLS}
    assert {
        "home",
        "systems:list",
        "systems:detail",
        "systems:waves",
        "systems:wave",
        "systems:organisations",
        "systems:organisation",
    } <= names
    assert {
        "finance:index",
        "finance:year",
        "finance:system",
        "finance:plan-vs-outturn",
        "finance:organisation",
    } <= names
    assert {"reports:index", "reports:detail", "reports:status", "reports:download"} <= names
    assert {"account", "api-docs", "api:schema", "api:systems", "api:league"} <= names


@pytest.mark.parametrize("who", USERS)
def test_dashboard_urls_answer_each_kind_of_user_as_their_rights_allow(
    client, django_user_model, sample, who
):
    """Every dashboard URL, and its CSV and XLSX export: anonymous visitors go to log in, a
    user with no role gets the no-access page (403, no data), every role and the superuser see
    the page (index pages may redirect to a default, followed here)."""
    _log_in(client, django_user_model, who)
    wrong = {}

    for name, params, export in DASHBOARD_CASES:
        url = _url(name, params) + export
        if _is_api(url):
            status, content = _api_answer(client, url)
            if status != {"anonymous": 401, "no role": 403}.get(who, 200):
                wrong[url] = status
            elif who == "no role" and ("sample-system" in content or "RSAMPLE" in content):
                wrong[url] = "shows data"
        elif who == "anonymous":
            response = client.get(url)
            expected = f"{reverse('login')}?next="
            if response.status_code != 302 or not response["Location"].startswith(expected):
                wrong[url] = response.status_code
        elif who == "no role":
            response = client.get(url, follow=True)
            page = body(response).decode(errors="replace")
            if response.status_code != 403 or "Ask an administrator for access" not in page:
                wrong[url] = response.status_code
            elif "sample-system" in page or "RSAMPLE" in page:
                wrong[url] = "shows data"
        else:
            response = client.get(url, follow=True)
            if response.status_code != 200:
                wrong[url] = response.status_code

    assert wrong == {}


def _api_answer(client, url) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, body(response).decode(errors="replace")


@pytest.mark.parametrize("who", ["no role", *ROLES, "superuser"])
def test_api_urls_answer_each_kind_of_token_as_its_users_rights_allow(
    client, django_user_model, sample, who
):
    """Every API endpoint, called with a personal token instead of a session: a token carries
    its user's role, so a user with no role is refused (403, no data) and every role reads;
    writing is refused to everyone (405)."""
    user = _log_in(client, django_user_model, who)
    client.logout()
    secret = create_token(user=user, name="matrix", lifetime=dt.timedelta(days=1))[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    wrong = {}

    for url in API_URLS:
        response = client.get(url, **headers)
        if response.status_code != (403 if who == "no role" else 200):
            wrong[url] = response.status_code
        elif "sample-system" in body(response).decode() and who == "no role":
            wrong[url] = "shows data"
        if (written := client.post(url, **headers).status_code) != (
            403 if who == "no role" else 405
        ):
            wrong[f"POST {url}"] = written

    assert API_URLS
    assert wrong == {}


def test_no_role_page_offers_no_navigation(client, django_user_model, sample):
    """The no-access page names the user and leaves out the dashboard's menu and date control."""
    _log_in(client, django_user_model, "no role")

    page = client.get(reverse("systems:list")).content.decode()

    assert "no-role" in page
    assert 'aria-label="Menu"' not in page
    assert 'name="as_at"' not in page


def _admin_model_urls():
    for model in admin.site._registry:
        opts = model._meta
        yield model, f"admin:{opts.app_label}_{opts.model_name}_changelist"
    yield get_user_model(), "admin:auth_user_add"


def _expected_admin_status(user, model, url_name: str) -> int:
    if user is None or not user.is_staff:
        return 302
    opts = model._meta
    action = "add" if url_name.endswith("_add") else "view"
    rights = [f"{opts.app_label}.{action}_{opts.model_name}"]
    if action == "view":
        rights.append(f"{opts.app_label}.change_{opts.model_name}")
    return 200 if any(user.has_perm(right) for right in rights) else 403


@pytest.mark.parametrize("who", USERS)
def test_admin_urls_answer_each_kind_of_user_as_their_rights_allow(
    client, django_user_model, sample, who
):
    """Every registered model's changelist, and the add-user page: non-staff are sent to the admin's
    log in, staff see the models their role grants and are refused the rest."""
    user = _log_in(client, django_user_model, who)
    wrong = {}

    for model, url_name in [("index", "admin:index"), *_admin_model_urls()]:
        response = client.get(reverse(url_name))
        if model == "index":
            expected = 200 if user is not None and user.is_staff else 302
        else:
            expected = _expected_admin_status(user, model, url_name)
        if response.status_code != expected:
            wrong[url_name] = (response.status_code, expected)

    assert wrong == {}


@pytest.mark.parametrize("who", ["no role", *ROLES, "superuser"])
def test_one_query_backend_reads_the_same_permissions_as_djangos(db, django_user_model, who):
    """The backend that reads permissions in one query finds exactly what Django's model
    backend finds, for every role, with a permission granted one by one on top."""
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import Permission

    from systems.access import PermissionsInOneQueryBackend

    if who == "superuser":
        user = django_user_model.objects.create_superuser("root", password=None)
    else:
        user = django_user_model.objects.create_user(who.replace(" ", "-"))
        if who in ROLES:
            user.groups.add(Group.objects.get(name=who))
    user.user_permissions.add(Permission.objects.get(codename="change_boardsummary"))

    ours = PermissionsInOneQueryBackend().get_all_permissions(
        django_user_model.objects.get(pk=user.pk)
    )
    djangos = ModelBackend().get_all_permissions(django_user_model.objects.get(pk=user.pk))

    assert ours == djangos
    assert "reports.change_boardsummary" in ours
