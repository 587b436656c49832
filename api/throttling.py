"""Rate limits: each user may make API_RATE_LIMIT requests (by default 1000 an hour), counted
in Django's cache, whichever of their tokens (or their browser session) they use."""

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class PerUserThrottle(UserRateThrottle):
    def get_rate(self) -> str:
        # Read on each request, not when the class is loaded, so a test can change it.
        return settings.API_RATE_LIMIT
