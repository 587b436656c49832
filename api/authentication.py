"""How the API knows who is asking: a personal token in `Authorization: Bearer <token>`, or,
in a browser, the signed-in session (Django REST Framework checks its CSRF token)."""

from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .actions import record_use
from .models import ApiToken, secret_digest

KEYWORD = "Bearer"


class BearerTokenAuthentication(BaseAuthentication):
    """A request carrying a token is its user's; a revoked or expired token, or one whose user
    is inactive, is refused with 401 rather than treated as anonymous."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(f"Send the token as: Authorization: {KEYWORD} <token>.")
        secret = parts[1].decode(errors="replace")
        token = ApiToken.objects.select_related("user").filter(digest=secret_digest(secret)).first()
        now = timezone.now()
        if token is None or not token.is_usable(now):
            raise AuthenticationFailed(
                "This token is not valid: it is unknown, revoked or expired. "
                "Make a new one on your account page."
            )
        if not token.user.is_active:
            raise AuthenticationFailed("The account this token belongs to is inactive.")
        record_use(token=token, now=now)
        return token.user, token

    def authenticate_header(self, request):
        # Makes an unauthenticated request a 401 that names the scheme, not a 403.
        return f'{KEYWORD} realm="api"'
