"""Maturity in the admin: frameworks with their levels and domains; assessments with their
domain ratings, whose level and domain choices are narrowed to the assessment's framework."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from core.versioned_admin import VersionedAdminMixin, VersionedForm, VersionedInline

from .models import (
    Assessment,
    AssessmentDomainRating,
    MaturityDomain,
    MaturityFramework,
    MaturityLevel,
)


class MaturityLevelInline(VersionedInline):
    model = MaturityLevel
    fields = ["order", "name", "description", "source", "unverified", "note"]


class MaturityDomainInline(VersionedInline):
    model = MaturityDomain
    fields = ["order", "name", "description", "in_use_from", "source", "unverified", "note"]


@admin.register(MaturityFramework)
class MaturityFrameworkAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "publisher", "in_force", "best_end", "assessment_count", "unverified"]
    search_fields = ["name", "publisher"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MaturityLevelInline, MaturityDomainInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(assessment_count=Count("assessments"))

    @admin.display(description="in force", ordering="in_force_from")
    def in_force(self, obj):
        return obj.in_force_display

    @admin.display(description="assessments", ordering="assessment_count")
    def assessment_count(self, obj):
        return obj.assessment_count


class FrameworkLevelChoiceField(forms.ModelChoiceField):
    """Levels and domains named with their framework: several frameworks have a level 1."""

    def label_from_instance(self, obj):
        return f"{obj.framework.name}: {obj.order}. {obj.name}"


def _narrow_to_framework(form, framework_id, names):
    """Offer only the framework's own levels or domains once the framework is known."""
    if framework_id is None:
        return
    for name in names:
        if name in form.fields:
            field = form.fields[name]
            field.queryset = field.queryset.filter(framework_id=framework_id)


class FrameworkChoicesMixin:
    """Level and domain drop-downs list every framework's, labelled with the framework; the
    forms narrow them to the assessment's framework (and clean() refuses any other)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("level", "domain"):
            kwargs["queryset"] = db_field.related_model.objects.select_related(
                "framework"
            ).order_by("framework__in_force_from", "order")
            kwargs["form_class"] = FrameworkLevelChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AssessmentForm(VersionedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _narrow_to_framework(self, self.instance.framework_id, ["level"])


class DomainRatingForm(VersionedForm):
    def __init__(self, *args, framework_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        _narrow_to_framework(self, framework_id, ["domain", "level"])


class DomainRatingFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "framework_id": self.instance.framework_id}


class AssessmentDomainRatingInline(FrameworkChoicesMixin, VersionedInline):
    model = AssessmentDomainRating
    form = DomainRatingForm
    formset = DomainRatingFormSet
    fields = ["domain", "level"]


@admin.register(Assessment)
class AssessmentAdmin(FrameworkChoicesMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    form = AssessmentForm
    list_display = ["system", "framework", "assessed", "level", "unverified", "illustrative"]
    list_filter = ["framework", "level", "unverified", "illustrative"]
    search_fields = ["system__name", "framework__name", "level__name", "source"]
    list_select_related = ["system", "framework", "level"]
    autocomplete_fields = ["system"]
    date_hierarchy = "assessed_on"
    inlines = [AssessmentDomainRatingInline]
    fields = [
        "system",
        "framework",
        "assessed_on",
        "precision",
        "level",
        "evidence",
        "source",
        "source_url",
        "unverified",
        "illustrative",
        "note",
    ]

    @admin.display(description="assessed", ordering="assessed_on")
    def assessed(self, obj):
        return obj.assessed_display
