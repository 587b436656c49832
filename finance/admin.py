"""Finance data entry for finance editors: years, organisations' figures, and control total
moves between members of a system (through `finance.actions.transfer_control_total` only)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from core.versioned_admin import VersionedAdminMixin
from systems.admin_imports import ImportUploadMixin
from systems.models import Organisation, System

from . import actions
from .importers import CONTROL_TOTALS_UPLOAD
from .models import ControlTotalTransfer, FinancialYear, OrganisationYear, PublishedFinding

MOVE_PERMISSIONS = ("finance.add_controltotaltransfer", "finance.change_organisationyear")


@admin.register(FinancialYear)
class FinancialYearAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["label", "funding_schemes", "transfers_allowed", "source"]

    @admin.display(description="year", ordering="start_year")
    def label(self, obj):
        return obj.label


@admin.register(OrganisationYear)
class OrganisationYearAdmin(ImportUploadMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    import_formats = (CONTROL_TOTALS_UPLOAD,)
    import_title = "Import control totals"
    list_display = ["year", "organisation", *OrganisationYear.FIGURES]
    list_filter = ["year", "accepted", "illustrative", "organisation__kind"]
    search_fields = ["organisation__name", "organisation__ods_code"]
    list_select_related = ["year", "organisation"]
    autocomplete_fields = ["organisation"]


class MoveControlTotalForm(forms.Form):
    """What `transfer_control_total` needs; the action alone decides whether the move is
    allowed, and its refusals are shown on the form."""

    year = forms.ModelChoiceField(queryset=FinancialYear.objects.all())
    system = forms.ModelChoiceField(queryset=System.objects.all())
    from_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="From", help_text="Gives up control total."
    )
    to_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="To", help_text="Takes it on."
    )
    amount = forms.DecimalField(max_digits=14, decimal_places=2, help_text="£ thousands.")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only organisations with figures can give or take control total.
        holders = Organisation.objects.filter(
            pk__in=OrganisationYear.objects.values("organisation_id")
        )
        self.fields["from_organisation"].queryset = holders
        self.fields["to_organisation"].queryset = holders


@admin.register(ControlTotalTransfer)
class ControlTotalTransferAdmin(SimpleHistoryAdmin):
    """A record of moves: made through "Move control total", never edited afterwards."""

    list_display = [
        "made_at",
        "year",
        "system",
        "from_organisation",
        "to_organisation",
        "amount",
        "made_by",
        "reason",
    ]
    list_filter = ["year", "system"]
    search_fields = [
        "system__name",
        "from_organisation__name",
        "from_organisation__ods_code",
        "to_organisation__name",
        "to_organisation__ods_code",
    ]
    list_select_related = ["year", "system", "from_organisation", "to_organisation", "made_by"]
    change_list_template = "admin/finance/controltotaltransfer/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        move = path(
            "move/",
            self.admin_site.admin_view(self.move_view),
            name="finance_controltotaltransfer_move",
        )
        return [move, *super().get_urls()]

    def move_view(self, request):
        if not request.user.has_perms(MOVE_PERMISSIONS):
            raise PermissionDenied
        form = MoveControlTotalForm(request.POST or None, initial=request.GET.dict() or None)
        if request.method == "POST" and form.is_valid():
            try:
                transfer = actions.transfer_control_total(**form.cleaned_data, user=request.user)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request, f"Moved {transfer} in {transfer.system}, {transfer.year}."
                )
                return redirect(reverse("admin:finance_controltotaltransfer_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Move control total between members of a system",
            "form": form,
            "adminform": helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {}),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/finance/controltotaltransfer/move.html", context)


@admin.register(PublishedFinding)
class PublishedFindingAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    """Paragraph 6's counts and names, as the paper published them: shown beside the
    computed ones."""

    list_display = ["key", "comparison", "published_count", "published_of", "wave"]
    list_filter = ["start_year", "comparison", "wave"]
    search_fields = ["key", "quote"]
    list_select_related = ["wave"]
    autocomplete_fields = ["named_systems"]
