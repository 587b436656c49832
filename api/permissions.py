"""Who may read the API: whoever may see the dashboard's pages (systems.access)."""

from rest_framework.permissions import BasePermission

from systems.access import VIEW_DASHBOARD


class HasViewRight(BasePermission):
    """The dashboard's view right, the one every page asks for. A request with no user is
    refused with 401 (Django REST Framework's rule), a user without the right with 403. Writing
    is refused by the views, which answer only GET, HEAD and OPTIONS (405 otherwise)."""

    message = (
        "Your account has no role that lets it see the dashboard's data: "
        "ask an administrator for access."
    )

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(VIEW_DASHBOARD))
