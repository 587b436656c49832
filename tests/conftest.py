import pytest
from django.contrib.auth.models import Group

from systems.reference import load_reference_data
from systems.roles import ADMINISTRATOR, ANALYST, DESIGNATION_EDITOR, FINANCE_EDITOR, STAFF_ROLES


@pytest.fixture
def reference_data(db):
    """The shipped reference data, loaded as `make run` loads it."""
    return load_reference_data(include_snapshots=False)


def _user_with_role(django_user_model, role: str):
    user = django_user_model.objects.create_user(
        username=role.lower().replace(" ", "_"),
        password="not-used-tests-log-in-with-force-login",
        is_staff=role in STAFF_ROLES,
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def analyst(db, django_user_model):
    return _user_with_role(django_user_model, ANALYST)


@pytest.fixture
def designation_editor(db, django_user_model):
    return _user_with_role(django_user_model, DESIGNATION_EDITOR)


@pytest.fixture
def finance_editor(db, django_user_model):
    return _user_with_role(django_user_model, FINANCE_EDITOR)


@pytest.fixture
def administrator(db, django_user_model):
    return _user_with_role(django_user_model, ADMINISTRATOR)


@pytest.fixture(autouse=True)
def _board_summaries_within_the_request(settings):
    """With no broker, board summaries are built within the request in tests (the running
    site builds them in a background thread; tests/reports/test_pages.py covers that)."""
    settings.REPORTS_BUILD_IN_THREAD = False


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: fragments never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
