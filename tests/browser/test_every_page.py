"""Every kind of dashboard page, with the reference data and the illustrative demo data loaded
as `make run` loads them, on a desktop screen (1366 px wide) and a phone (390 px): the page
never scrolls sideways, not even with every "Show the data as a table" opened, and axe-core
finds nothing serious or critical (nor any content outside a landmark: axe's region rule).

Loading the demo data takes most of a minute, so the module loads it once, into a database of
its own copied from the empty test database, and serves it from a live server of its own;
pytest-django's `live_server` would make every test transactional and flush the data after
the first. One browser context, signed in once, visits every page at both widths.

With SCREENSHOT_DIR set, each page is also saved there as a full-page PNG (name-width.png),
with its tables open, for a person to look at.
"""

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from pytest_django.live_server_helper import LiveServer

from finance.models import FinancialYear
from reports import tasks
from reports.actions import request_board_summary
from reports.models import BuildStatus, Scope, SummaryFormat
from systems.models import Wave
from systems.reference import load_reference_data
from tests.browser.login import log_in, make_analyst
from tests.conftest import _connect_to, _copy_database, _drop_database

pytestmark = [
    pytest.mark.browser,
    # Asks pytest-django for the test database; the pages are read from the module's copy.
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: the module's data lives in a database copied for it",
    ),
]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1366, 390)
# The impacts that fail a page, and rules that fail it whatever their impact.
FAILING_IMPACTS = {"serious", "critical"}
FAILING_RULES = {"region"}

# (name, address); "{summary}" is the board summary the module builds.
PAGES = [
    ("overview", "/"),
    ("systems", "/systems/"),
    ("system-big", "/systems/QE1/"),  # Lancashire and South Cumbria: hundreds of members
    ("system-ended", "/systems/QNQ/?as_at=2026-06-30"),  # Frimley, split on 1 April 2026
    ("waves", "/waves/"),
    ("wave", "/waves/wave-1/"),
    ("organisations", "/organisations/?q=royal"),
    ("organisation", "/organisations/RAL/"),
    ("changes", "/changes/"),
    ("maturity", "/maturity/"),
    ("performance", "/performance/"),
    ("league-table", "/performance/ae-4-hour/2018-19/"),
    ("compare", "/performance/compare/2018-19/?group=wave-1"),
    ("system-performance", "/systems/QOP/performance/"),
    ("finance", "/finance/"),
    ("finance-year", "/finance/2018-19/"),
    ("finance-system-year", "/finance/2018-19/QOP/"),
    ("plan-vs-outturn", "/finance/plan-vs-outturn/"),
    ("finance-organisation", "/finance/organisations/RAL/"),
    ("board-summaries", "/reports/"),
    ("board-summary", "/reports/{summary}/"),
    ("data-package", "/data/"),
    ("account", "/account/"),
    ("api-docs", "/api/"),
    ("not-found", "/systems/NO-SUCH-SYSTEM/"),
]

# Every chart and map drawn (plotly has put its SVG in each), so axe sees the finished page.
CHARTS_DRAWN = (
    "() => [...document.querySelectorAll('[data-figure]')]"
    ".every((el) => el.querySelector('svg.main-svg'))"
)
SCROLL_WIDTH = "() => document.documentElement.scrollWidth"
OPEN_DETAILS = "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"
AXE_RUN = """async () => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""


def _build_board_summary() -> int:
    """A Wave 1 summary of 2017/18, built here and now, as a worker would build it."""
    summary, _ = request_board_summary(
        scope=Scope.WAVE,
        as_at=dt.date(2018, 9, 27),
        summary_format=SummaryFormat.XLSX,
        year=FinancialYear.objects.get(start_year=2017),
        wave=Wave.objects.get(slug="wave-1"),
    )
    tasks.build_board_summary.apply(args=(summary.pk,))
    summary.refresh_from_db()
    assert summary.status == BuildStatus.DONE, summary.error
    return summary.pk


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """A live server over a database of the module's own holding the reference data with its
    snapshots, the demo data, the analyst and a built board summary: (address, summary id)."""
    with django_db_blocker.unblock():
        empty = connection.settings_dict["NAME"]
        name = f"{empty}_every_page"
        connection.close()
        _copy_database(empty, name)
        _connect_to(name)
        try:
            load_reference_data(include_snapshots=True)
            call_command("load_demo_data", stdout=io.StringIO())
            make_analyst(get_user_model())
            summary = _build_board_summary()
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            try:
                yield server.url, summary
            finally:
                server._live_server_modified_settings.disable()
                server.stop()
        finally:
            _connect_to(empty)
            _drop_database(name)


@pytest.fixture(scope="module")
def signed_in(browser, site):
    """One page, signed in as the analyst, with axe-core loaded into every document it opens
    (as an init script, which the pages' Content-Security-Policy does not govern)."""
    base_url, _ = site
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    log_in(page, f"{base_url}/", f"{base_url}/")
    yield page
    context.close()


def _readable(violations: list[dict]) -> str:
    return "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']}\n"
        + "".join(f"    at {target}\n" for target in v["targets"][:5])
        + (f"    and {len(v['targets']) - 5} more\n" if len(v["targets"]) > 5 else "")
        for v in violations
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("name", "address"), PAGES, ids=[name for name, _ in PAGES])
def test_page_fits_the_screen_and_passes_axe(signed_in, site, name, address, width):
    """The page opens (404 for the missing system), does not scroll sideways with its tables
    closed or open, and axe-core reports nothing serious or critical."""
    base_url, summary = site
    page = signed_in
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(base_url + address.format(summary=summary))
    assert response.status == (404 if name == "not-found" else 200)
    page.wait_for_function(CHARTS_DRAWN, timeout=20_000)

    assert page.evaluate(SCROLL_WIDTH) <= width, f"{name} scrolls sideways at {width} px"
    page.evaluate(OPEN_DETAILS)
    assert page.evaluate(SCROLL_WIDTH) <= width, (
        f"{name} scrolls sideways at {width} px once its tables are opened"
    )
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(
            path=str(Path(os.environ["SCREENSHOT_DIR"]) / f"{name}-{width}.png"), full_page=True
        )
    violations = [
        violation
        for violation in page.evaluate(AXE_RUN)
        if violation["impact"] in FAILING_IMPACTS or violation["id"] in FAILING_RULES
    ]
    assert not violations, f"axe-core on {name} at {width} px:\n{_readable(violations)}"
