"""An analyst makes a personal API token on their account page in a real browser, and a script
using only that token fetches a league table equal to the page's CSV export."""

import csv
import io
import json
import urllib.request
from decimal import Decimal

import pytest

from tests.api.test_rows import assert_rows_equal_export
from tests.browser.login import log_in, make_analyst

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_token_made_on_the_account_page_fetches_the_league_table(
    page, live_server, django_user_model, reference_data_with_snapshots
):
    make_analyst(django_user_model)
    base_url = live_server.url
    log_in(page, f"{base_url}/waves/", f"{base_url}/waves/")
    page.locator("a:has-text('Account and API tokens')").click()
    page.wait_for_url(f"{base_url}/account/")
    page.fill("#id_name", "My league script")
    page.locator("button:has-text('Make a token')").click()
    secret = page.locator("#new-token-secret").inner_text().strip()
    page.goto(f"{base_url}/api/")
    assert page.locator("h2:has-text('League table')").count() == 1
    assert page.console_errors == []

    url = f"{base_url}/api/v1/performance/ae-4-hour/2018-19/"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})
    with urllib.request.urlopen(request) as response:
        league = json.loads(response.read(), parse_float=Decimal)
    export = page.request.get(f"{base_url}/performance/ae-4-hour/2018-19/?_export=csv")
    rows = list(csv.reader(io.StringIO(export.text().lstrip("\ufeff"))))

    assert league["count"] > 30
    assert_rows_equal_export(league, rows)
