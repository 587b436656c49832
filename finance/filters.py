import django_filters

from systems.filters import SystemFilter
from systems.models import ENDED_STATUSES, System, SystemStatusKind

ALL_SYSTEMS = "all"


class SystemYearFilter(SystemFilter):
    """Filters over one financial year's systems, as they stood on 1 April.

    The year, not the as-at date, fixes the day, and only systems that existed then are in
    the queryset, so the status choices leave out the ended ones. By default only systems with
    figures for the year are shown: the queryset is annotated `has_figures`
    (finance.views.year_systems).
    """

    as_at = None
    status = django_filters.ChoiceFilter(
        label="Status on 1 April",
        choices=[
            (value, label)
            for value, label in SystemStatusKind.choices
            if value not in ENDED_STATUSES
        ],
        empty_label="Any status",
        field_name="status_as_at",
    )
    figures = django_filters.ChoiceFilter(
        label="Systems shown",
        choices=[(ALL_SYSTEMS, "All systems, with or without figures")],
        empty_label="Systems with figures",
        method="filter_figures",
    )

    def filter_figures(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        shown = self.form.cleaned_data.get("figures") if self.form.is_valid() else None
        if shown != ALL_SYSTEMS:
            queryset = queryset.filter(has_figures=True)
        return queryset


class PlanOutturnFilter(django_filters.FilterSet):
    """Choose one system to follow over the years (`?system=<slug>`)."""

    system = django_filters.ModelChoiceFilter(
        label="System",
        queryset=System.objects.order_by("name"),
        to_field_name="slug",
        field_name="pk",
        method="filter_system",
        empty_label="All systems",
    )

    def filter_system(self, queryset, name, value):
        return queryset.filter(pk=value.pk)
