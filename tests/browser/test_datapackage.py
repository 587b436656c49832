"""A newcomer downloads everything on 1 July 2019 from the overview, unzips it, and the
package validates against its own descriptor."""

import zipfile

import frictionless
import pytest

from tests.browser.login import log_in, make_analyst

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_newcomer_downloads_the_package_for_a_date_and_it_validates(
    page, live_server, django_user_model, reference_data, tmp_path
):
    make_analyst(django_user_model)
    base_url = live_server.url
    log_in(page, f"{base_url}/?as_at=2019-07-01", f"{base_url}/?as_at=2019-07-01")

    page.locator("a:has-text('Download everything on 1 July 2019')").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Everything on a date in one download"
    with page.expect_download() as info:
        page.locator("a:has-text('Download the data as at 1 July 2019 (zip)')").click()
    download = info.value
    assert download.suggested_filename == "ics-tracker-2019-07-01.zip"
    target = tmp_path / download.suggested_filename
    download.save_as(target)

    with zipfile.ZipFile(target) as archive:
        archive.extractall(tmp_path / "package")
    report = frictionless.validate(str(tmp_path / "package" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    assert page.console_errors == []
