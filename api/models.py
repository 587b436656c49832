"""Personal API tokens: a secret a user makes on their account page so that a script can read
the API as them, with their role.

Only a SHA-256 digest of the secret is stored; the secret itself is shown once, when it is
made. A token is usable until it expires or its user revokes it; revoked tokens are kept, so
the account page can say when each stopped working.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

SECRET_PREFIX = "icst_"
# Enough of the secret to recognise it in a list, too little to guess the rest from.
SHOWN_CHARACTERS = len(SECRET_PREFIX) + 6


def new_secret() -> str:
    """A fresh token secret: 256 random bits, written URL-safe, behind a recognisable prefix."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def secret_digest(secret: str) -> str:
    """What is stored of a secret. The secret is random, so a fast hash is as safe as a slow
    one and lets every request find its token by one indexed lookup."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Tokens neither revoked nor expired at `now` (by default, now)."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text="What the token is for, to tell your tokens apart."
    )
    shown_part = models.CharField(
        "starts with", max_length=SHOWN_CHARACTERS, help_text="The start of the secret."
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("made", default=timezone.now)
    expires_at = models.DateTimeField("expires")
    last_used_at = models.DateTimeField("last used", null=True, blank=True)
    revoked_at = models.DateTimeField("revoked", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.shown_part}…) of {self.user}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
