import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from .models import ENDED_STATUSES, Code, Region, SystemStatusKind, Wave

ALL_STATUSES = "all"


class SystemFilter(django_filters.FilterSet):
    """Filters over `System.objects.with_overview_as_at(day)`.

    With no status chosen the table shows the systems that existed on the date; choosing
    "merged or absorbed" (or "all") brings in the ones that had ended by then.
    """

    as_at = django_filters.DateFilter(
        label="As at",
        method="filter_as_at",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    q = django_filters.CharFilter(
        label="Name or code", method="filter_q", widget=forms.TextInput(attrs={"type": "search"})
    )
    status = django_filters.ChoiceFilter(
        label="Status on the date",
        choices=[*SystemStatusKind.choices, (ALL_STATUSES, "Any, including ended")],
        empty_label="Existing systems",
        method="filter_status",
    )
    region = django_filters.ModelChoiceFilter(
        label="Region",
        queryset=Region.objects.all(),
        field_name="region_as_at",
        empty_label="All regions",
    )
    wave = django_filters.ModelChoiceFilter(
        label="Wave",
        queryset=Wave.objects.all(),
        field_name="wave_id",
        empty_label="Any wave",
    )

    def filter_as_at(self, queryset, name, value):
        # The date is applied before filtering (AsAtMiddleware and the view's annotations);
        # the field is here so the filter form shows and submits it.
        return queryset

    def filter_q(self, queryset, name, value):
        # A subquery, not a join: a join to codes would repeat systems and, under
        # finance's grouped control totals, count their members once per code.
        has_code = Code.objects.filter(system=OuterRef("pk"), code__iexact=value)
        return queryset.filter(
            Q(name__icontains=value) | Q(official_name__icontains=value) | Exists(has_code)
        )

    def filter_status(self, queryset, name, value):
        if value == ALL_STATUSES:
            return queryset.filter(status_as_at__isnull=False)
        return queryset.filter(status_as_at=value)

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        if request is not None:
            self.form.initial.setdefault("as_at", request.as_at)

    @property
    def qs(self):
        queryset = super().qs
        status = self.form.cleaned_data.get("status") if self.form.is_valid() else None
        if not status:
            queryset = queryset.filter(status_as_at__isnull=False).exclude(
                status_as_at__in=ENDED_STATUSES
            )
        return queryset
