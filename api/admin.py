from django.contrib import admin, messages

from .actions import revoke_token
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Users' API tokens, to see and revoke; the secret is never stored, only its digest,
    which is not shown either. Tokens are made by their users, on the account page."""

    list_display = (
        "name",
        "user",
        "shown_part",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "shown_part")
    list_select_related = ("user",)
    fields = (
        "user",
        "name",
        "shown_part",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset:
            revoke_token(token=token)
        messages.success(request, f"Revoked {queryset.count()} token(s).")
