"""Performance data entry for performance editors: the standards and providers' monthly
observations, with history and protection against two editors overwriting each other."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.versioned_admin import VersionedAdminMixin
from systems.admin_imports import ImportUploadMixin

from .importers import OBSERVATIONS_UPLOAD
from .models import Observation, PublishedFinding, Standard
from .published import UPLOADS as PUBLISHED_UPLOADS


@admin.register(Standard)
class StandardAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "code", "target", "higher_is_better", "sequence"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Observation)
class ObservationAdmin(ImportUploadMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    import_formats = (OBSERVATIONS_UPLOAD, *PUBLISHED_UPLOADS)
    import_title = "Import performance observations"
    list_display = [
        "month",
        "standard",
        "provider",
        "numerator",
        "denominator",
        "value",
        "illustrative",
    ]
    list_filter = ["standard", "illustrative", "provider__kind"]
    search_fields = ["provider__name", "provider__ods_code"]
    list_select_related = ["standard", "provider"]
    autocomplete_fields = ["provider"]
    date_hierarchy = "month"
    list_per_page = 100

    @admin.display(description="value")
    def value(self, obj):
        if not obj.denominator:
            return "—"
        return f"{obj.numerator / obj.denominator:.1%}"


@admin.register(PublishedFinding)
class PublishedFindingAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    """Paragraph 5's counts, as the paper published them: shown beside the computed ones."""

    list_display = ["key", "standard", "comparison", "published_count", "published_of", "wave"]
    list_filter = ["start_year", "standard", "wave"]
    search_fields = ["key", "quote"]
    list_select_related = ["standard", "wave"]
    autocomplete_fields = ["named_systems"]
