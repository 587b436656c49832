from django.contrib import admin

from .models import BoardSummary


@admin.register(BoardSummary)
class BoardSummaryAdmin(admin.ModelAdmin):
    """Read-only: summaries are requested from the Board summaries page and built by tasks."""

    list_display = ("__str__", "as_at", "status", "progress", "requested_by", "requested_at")
    list_filter = ("status", "format", "scope")
    readonly_fields = [field.name for field in BoardSummary._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
