"""Every write to API tokens."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .models import SHOWN_CHARACTERS, ApiToken, new_secret, secret_digest

# A token's last use is recorded at most this often, so a busy script does not write to the
# database on every request.
USE_RECORDED_EVERY = dt.timedelta(minutes=5)


@transaction.atomic
def create_token(*, user, name: str, lifetime: dt.timedelta) -> tuple[ApiToken, str]:
    """A new token for `user`, usable for `lifetime`, and its secret (which is not stored)."""
    secret = new_secret()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        shown_part=secret[:SHOWN_CHARACTERS],
        digest=secret_digest(secret),
        created_at=now,
        expires_at=now + lifetime,
    )
    return token, secret


@transaction.atomic
def revoke_token(*, token: ApiToken) -> ApiToken:
    """Stop the token working from now on; a token revoked already keeps its first date."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def record_use(*, token: ApiToken, now: dt.datetime) -> None:
    """Note that the token was used at `now`, unless that was noted within the last few
    minutes."""
    if token.last_used_at is None or now - token.last_used_at >= USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
