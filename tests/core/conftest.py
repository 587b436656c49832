from tests.reports.conftest import small_world  # noqa: F401 (a fixture the patch test shares)
