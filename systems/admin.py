import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin

from core.dates import DatePrecision, format_partial_date
from core.versioned_admin import VersionedAdminMixin, VersionedInline

from . import actions, admin_users  # noqa: F401  (admin_users registers the User admin)
from .admin_imports import ImportUploadMixin
from .importers import REFERENCE_UPLOADS
from .models import (
    Code,
    Designation,
    DesignationEvent,
    Footprint,
    Membership,
    Organisation,
    Population,
    Region,
    SubIcbLocation,
    System,
    SystemFootprint,
    SystemName,
    SystemStatus,
    SystemStatusKind,
    Wave,
)

# ---------------------------------------------------------------------------------------------
# Refusing the second of two concurrent edits


# ---------------------------------------------------------------------------------------------
# Filters


class CurrentTodayFilter(admin.SimpleListFilter):
    """Rows current today, or not: subclasses name the choices and the rows current today."""

    labels = ("Current", "Not current")

    def lookups(self, request, model_admin):
        return list(zip(("current", "ended"), self.labels, strict=True))

    def current_today(self):
        raise NotImplementedError

    def queryset(self, request, queryset):
        current = self.current_today().values("pk")
        if self.value() == "current":
            return queryset.filter(pk__in=current)
        if self.value() == "ended":
            return queryset.exclude(pk__in=current)
        return queryset


class StandingFilter(CurrentTodayFilter):
    title = "standing today"
    parameter_name = "standing"
    labels = ("Current systems", "Merged, absorbed or closed")

    def current_today(self):
        return System.objects.current_as_at(dt.date.today())


class StatusTodayFilter(admin.SimpleListFilter):
    title = "status today"
    parameter_name = "status_today"

    def lookups(self, request, model_admin):
        return SystemStatusKind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status_as_at=self.value())
        return queryset


class FootprintExistedFilter(admin.SimpleListFilter):
    title = "existed"
    parameter_name = "existed"

    def lookups(self, request, model_admin):
        return [
            ("2016", "In 2016 (the 44 STP footprints)"),
            ("2018-10-01", "On 1 October 2018"),
            ("today", "Today"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "2016":
            return queryset.filter(established_on__year__lte=2016).filter(
                Q(ended_on__isnull=True) | Q(ended_on__year__gte=2016)
            )
        if self.value() == "today":
            return queryset.as_at(dt.date.today())
        if self.value() == "2018-10-01":
            return queryset.as_at(dt.date(2018, 10, 1))
        if self.value():
            raise IncorrectLookupParameters(f"Unknown choice {self.value()!r}")
        return queryset


# ---------------------------------------------------------------------------------------------
# Inlines


class CodeInline(VersionedInline):
    model = Code
    fields = ["scheme", "code", "valid_from", "precision", "valid_until", "source", "unverified"]


class SystemStatusInline(VersionedInline):
    model = SystemStatus
    fields = ["status", "effective_from", "precision", "source", "unverified", "note"]


class SystemFootprintInline(VersionedInline):
    model = SystemFootprint
    fk_name = "system"
    fields = ["footprint", "scope", "valid_from", "valid_until", "source", "unverified"]
    autocomplete_fields = ["footprint"]


class DesignationInline(VersionedInline):
    """Designations are corrected here but made only by "Designate a system in a wave", which
    records the status that goes with them (the page links to it)."""

    model = Designation
    fields = ["system", "wave", "designated_on", "precision", "source", "unverified", "note"]
    autocomplete_fields = ["system"]

    def has_add_permission(self, request, obj=None):
        return False


def _designate_link(**initial) -> str:
    url = f"{reverse('admin:systems_designation_designate')}?{urlencode(initial)}"
    return format_html('<a href="{}">Designate a system in a wave</a>', url)


# Memberships are edited on their own pages, filtered and paged: as inlines, a system of a
# thousand members sent more fields than Django accepts in one request.


def _memberships_link(obj, **lookup) -> str:
    if obj.pk is None:
        return "-"
    count = obj.memberships.count()
    url = f"{reverse('admin:systems_membership_changelist')}?{urlencode(lookup)}"
    return format_html(
        '<a href="{}">{} membership{}</a>, all dates', url, count, "" if count == 1 else "s"
    )


# ---------------------------------------------------------------------------------------------
# Model admins


@admin.register(Region)
class RegionAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "codes_today", "unverified"]
    search_fields = ["name", "codes__code"]
    inlines = [CodeInline]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(_codes_today())

    @admin.display(description="codes today")
    def codes_today(self, obj):
        return ", ".join(code.code for code in obj.codes_today)


def _codes_today():
    return Prefetch("codes", queryset=Code.objects.as_at(dt.date.today()), to_attr="codes_today")


@admin.register(Footprint)
class FootprintAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "region", "ons_codes", "established", "ended_on", "merged_into"]
    list_filter = [FootprintExistedFilter, "region", "unverified"]
    search_fields = ["name", "codes__code"]
    list_select_related = ["region", "merged_into"]
    inlines = [CodeInline]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("codes")

    @admin.display(description="established", ordering="established_on")
    def established(self, obj):
        return format_partial_date(obj.established_on, obj.established_precision)

    @admin.display(description="ONS codes (all dates)")
    def ons_codes(self, obj):
        return " → ".join(code.code for code in obj.codes.all() if code.scheme == "ons")


@admin.register(System)
class SystemAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "ods_code", "status_today_display", "footprint_today", "waves"]
    list_filter = [StandingFilter, StatusTodayFilter, "unverified"]
    search_fields = ["name", "official_name", "codes__code", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    # Dated names have their own pages: as another inline they would take the change form of
    # a big system past DATA_UPLOAD_MAX_NUMBER_FIELDS.
    inlines = [SystemStatusInline, SystemFootprintInline, CodeInline, DesignationInline]
    readonly_fields = ["members", "designate", "timeline"]

    def get_queryset(self, request):
        today = dt.date.today()
        return (
            super()
            .get_queryset(request)
            .with_status_as_at(today)
            .prefetch_related(
                _codes_today(),
                Prefetch(
                    "footprints",
                    queryset=SystemFootprint.objects.as_at(today).select_related("footprint"),
                    to_attr="footprints_today",
                ),
                Prefetch("designations", queryset=Designation.objects.select_related("wave")),
            )
        )

    @admin.display(description="ODS code")
    def ods_code(self, obj):
        return ", ".join(code.code for code in obj.codes_today if code.scheme == "ods")

    @admin.display(description="status today", ordering="status_as_at")
    def status_today_display(self, obj):
        return SystemStatusKind(obj.status_as_at).label if obj.status_as_at else "-"

    @admin.display(description="footprint today")
    def footprint_today(self, obj):
        return "; ".join(str(f.footprint) for f in obj.footprints_today) or "-"

    @admin.display(description="designated in")
    def waves(self, obj):
        return ", ".join(d.wave.name for d in obj.designations.all()) or "-"

    @admin.display(description="members")
    def members(self, obj):
        return _memberships_link(obj, system__id__exact=obj.pk)

    @admin.display(description="designate")
    def designate(self, obj):
        return _designate_link(system=obj.pk) if obj.pk else "-"

    @admin.display(description="timeline")
    def timeline(self, obj):
        return format_html_join(
            "",
            "<div>{}: {}{}</div>",
            (
                (e.date_display, e.description, " (unverified)" if e.unverified else "")
                for e in obj.timeline()
            ),
        )


@admin.register(SystemStatus)
class SystemStatusAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["system", "status", "effective_from", "precision", "unverified"]
    list_filter = ["status", "unverified", "precision"]
    search_fields = ["system__name"]
    list_select_related = ["system"]
    autocomplete_fields = ["system"]
    date_hierarchy = "effective_from"


@admin.register(SystemName)
class SystemNameAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "short_name", "system", "valid_from", "precision", "unverified"]
    list_filter = ["unverified", "precision"]
    search_fields = ["name", "short_name", "system__name"]
    list_select_related = ["system"]
    autocomplete_fields = ["system"]
    date_hierarchy = "valid_from"


@admin.register(Population)
class PopulationAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["system", "estimated_on", "all_ages", "aged_65_and_over", "ons_code"]
    list_filter = ["estimated_on", "unverified"]
    search_fields = ["system__name", "ons_code"]
    list_select_related = ["system"]
    autocomplete_fields = ["system"]


@admin.register(Wave)
class WaveAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "announced", "effective", "system_count", "unverified"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DesignationInline]
    readonly_fields = ["designate"]

    @admin.display(description="designate")
    def designate(self, obj):
        return _designate_link(wave=obj.pk) if obj.pk else "-"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(system_count=Count("designations"))

    @admin.display(description="announced", ordering="announced_on")
    def announced(self, obj):
        return obj.announced_display

    @admin.display(description="effective", ordering="effective_on")
    def effective(self, obj):
        return obj.effective_display

    @admin.display(description="systems", ordering="system_count")
    def system_count(self, obj):
        return obj.system_count


class DesignateForm(forms.Form):
    """Designate a system in a wave: the designation and the status change, together."""

    system = forms.ModelChoiceField(queryset=System.objects.all())
    wave = forms.ModelChoiceField(queryset=Wave.objects.all())
    designated_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="For a date known only to the month or year, give the first day and set "
        "the precision.",
    )
    precision = forms.ChoiceField(choices=DatePrecision.choices, initial=DatePrecision.DAY)
    status = forms.ChoiceField(
        choices=[
            (SystemStatusKind.ICS, SystemStatusKind.ICS.label),
            (SystemStatusKind.SHADOW_ACS, SystemStatusKind.SHADOW_ACS.label),
        ],
        initial=SystemStatusKind.ICS,
        help_text="The status the system holds from the designation date.",
    )
    source = forms.CharField(max_length=500, help_text="Where this fact comes from.")
    unverified = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


@admin.register(Designation)
class DesignationAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["system", "wave", "designated", "unverified"]
    list_filter = ["wave", "unverified"]
    search_fields = ["system__name", "wave__name"]
    list_select_related = ["system", "wave"]
    autocomplete_fields = ["system"]
    change_list_template = "admin/systems/designation/change_list.html"

    @admin.display(description="designated", ordering="designated_on")
    def designated(self, obj):
        return obj.designated_display

    def add_view(self, request, form_url="", extra_context=None):
        # One way to designate: a designation made alone would lack the status that goes with
        # it. The designate form runs the same checks (Designation.clean) and more.
        url = reverse("admin:systems_designation_designate")
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)

    def get_urls(self):
        designate = path(
            "designate/",
            self.admin_site.admin_view(self.designate_view),
            name="systems_designation_designate",
        )
        return [designate, *super().get_urls()]

    def designate_view(self, request):
        if not (
            request.user.has_perm("systems.add_designation")
            and request.user.has_perm("systems.add_systemstatus")
        ):
            raise PermissionDenied
        form = DesignateForm(request.POST or None, initial=request.GET.dict() or None)
        if request.method == "POST" and form.is_valid():
            try:
                designation, status = actions.designate_system(**form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    f"{designation.system} designated in {designation.wave}; status "
                    f"{status.get_status_display()} from {status.effective_from_display}.",
                )
                return redirect(reverse("admin:systems_designation_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Designate a system in a wave",
            "form": form,
            "adminform": helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {}),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/systems/designation/designate.html", context)


@admin.register(DesignationEvent)
class DesignationEventAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["occurred", "system", "kind", "related_system", "unverified"]
    list_filter = ["kind", "unverified"]
    search_fields = ["system__name", "related_system__name", "note"]
    list_select_related = ["system", "related_system"]
    autocomplete_fields = ["system", "related_system"]

    @admin.display(description="date", ordering="occurred_on")
    def occurred(self, obj):
        return obj.occurred_display


@admin.register(Code)
class CodeAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "scheme", "owner", "valid_from", "valid_until", "unverified"]
    list_filter = ["scheme", "unverified"]
    search_fields = ["code", "system__name", "footprint__name", "region__name"]
    list_select_related = ["system", "footprint", "region"]
    autocomplete_fields = ["system", "footprint", "region"]


@admin.register(SystemFootprint)
class SystemFootprintAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["system", "footprint", "scope", "valid_from", "valid_until"]
    list_filter = ["scope"]
    search_fields = ["system__name", "footprint__name"]
    list_select_related = ["system", "footprint"]
    autocomplete_fields = ["system", "footprint"]


@admin.register(SubIcbLocation)
class SubIcbLocationAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "system", "ons_code", "valid_from", "valid_until", "unverified"]
    list_filter = ["unverified", "system"]
    search_fields = ["code", "name", "ons_code", "system__name"]
    list_select_related = ["system"]
    autocomplete_fields = ["system", "clinical_commissioning_group"]
    date_hierarchy = "valid_from"


@admin.register(Organisation)
class OrganisationAdmin(ImportUploadMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "ods_code", "kind", "opened_on", "closed_on"]
    list_filter = ["kind"]
    search_fields = ["name", "ods_code"]
    filter_horizontal = ["predecessors"]
    readonly_fields = ["members_of"]
    import_formats = REFERENCE_UPLOADS
    import_title = "Import a reference file"

    @admin.display(description="member of")
    def members_of(self, obj):
        return _memberships_link(obj, organisation=obj.pk)


class OrganisationFilter(admin.SimpleListFilter):
    """One organisation's memberships, reached from its change page. The choices are only the
    organisation chosen: a list of every organisation would run to thousands."""

    title = "organisation"
    parameter_name = "organisation"

    def lookups(self, request, model_admin):
        if not self.value():
            return []
        try:
            organisation = Organisation.objects.get(pk=self.value())
        except (Organisation.DoesNotExist, ValueError) as error:
            raise IncorrectLookupParameters(f"Unknown organisation {self.value()!r}") from error
        return [(str(organisation.pk), str(organisation))]

    def queryset(self, request, queryset):
        return queryset.filter(organisation_id=self.value()) if self.value() else queryset


class MemberTodayFilter(CurrentTodayFilter):
    title = "membership today"
    parameter_name = "today"
    labels = ("Current", "Ended or not yet begun")

    def current_today(self):
        return Membership.objects.as_at(dt.date.today())


@admin.register(Membership)
class MembershipAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["organisation", "system", "share", "valid_from", "valid_until"]
    list_filter = [OrganisationFilter, MemberTodayFilter, "organisation__kind", "system"]
    search_fields = ["organisation__name", "organisation__ods_code", "system__name"]
    list_select_related = ["organisation", "system"]
    autocomplete_fields = ["organisation", "system"]
