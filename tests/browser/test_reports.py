"""The board summary form in a real browser: region, wave and system each appear only under
the scope that uses them."""

import pytest

from tests.browser.login import log_in, make_analyst

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SELECTS = ("#id_region", "#id_wave", "#id_system")


def test_board_summary_form_reveals_only_the_chosen_scopes_select(
    page, live_server, django_user_model
):
    make_analyst(django_user_model)
    url = f"{live_server.url}/reports/"
    log_in(page, url, url)
    assert [page.is_visible(select) for select in SELECTS] == [False, False, False]
    page.check("#id_scope_2")  # one wave
    assert [page.is_visible(select) for select in SELECTS] == [False, True, False]
    # aria-controls names the panel; no aria-expanded, which ARIA does not allow on a radio.
    assert page.get_attribute("#id_scope_2", "aria-controls") == "conditional-scope-wave"
    assert page.get_attribute("#id_scope_2", "aria-expanded") is None
    page.check("#id_scope_0")  # all systems
    assert [page.is_visible(select) for select in SELECTS] == [False, False, False]
    assert page.console_errors == []
