"""Every URL in the URLconf: anonymous users are sent to log in, analysts may view the
dashboard but not the admin, editors may use the admin."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories.finance import FinancialYearFactory
from tests.factories.reports import BoardSummaryFactory
from tests.factories.systems import DesignationFactory, OrganisationFactory, make_system

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


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.regex.groupindex)


DASHBOARD_URLS = sorted((name, params) for name, params in _named_patterns() if name not in PUBLIC)


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


def test_urlconf_has_dashboard_pages():
    names = {name for name, _ in DASHBOARD_URLS}
    assert {"home", "systems:list", "systems:detail", "systems:waves", "systems:wave"} <= names
    assert {
        "finance:index",
        "finance:year",
        "finance:system",
        "finance:plan-vs-outturn",
        "finance:organisation",
    } <= names
    assert {"reports:index", "reports:detail", "reports:status", "reports:download"} <= names


@pytest.mark.parametrize(("name", "params"), DASHBOARD_URLS)
def test_anonymous_is_sent_to_login(client, sample, name, params):
    url = _url(name, params)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(("name", "params"), DASHBOARD_URLS)
def test_analyst_may_view(client, analyst, sample, name, params):
    client.force_login(analyst)
    # Index pages may redirect to a default (finance:index to the latest year).
    assert client.get(_url(name, params), follow=True).status_code == 200


def test_analyst_may_not_use_the_admin(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_designation_editor_may_use_the_admin(client, designation_editor):
    client.force_login(designation_editor)
    assert client.get(reverse("admin:systems_designation_changelist")).status_code == 200


REPORT_URLS = [(name, params) for name, params in DASHBOARD_URLS if name.startswith("reports:")]


@pytest.mark.parametrize(("name", "params"), REPORT_URLS)
def test_user_without_a_role_may_not_use_board_summaries(
    client, django_user_model, sample, name, params
):
    client.force_login(django_user_model.objects.create_user("no-role"))
    assert client.get(_url(name, params)).status_code == 403
