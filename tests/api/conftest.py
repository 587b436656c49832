import datetime as dt

import pytest

from api.actions import create_token


@pytest.fixture
def token_for(db):
    """Make a token for a user and give back its secret, as the account page shows it."""

    def make(user, *, lifetime=dt.timedelta(days=30)) -> str:
        return create_token(user=user, name="test", lifetime=lifetime)[1]

    return make


@pytest.fixture
def bearer():
    """The request header a script sends its token in."""

    def header(secret: str) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return header


@pytest.fixture
def analyst_token(analyst, token_for) -> str:
    return token_for(analyst)
