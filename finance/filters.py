import django_filters

from systems.filters import WaveFilter
from systems.models import System, Wave
from systems.period_filters import period_system_filter


class SystemYearFilter(period_system_filter("Status on 1 April")):
    """Filters over one financial year's systems, as they stood on 1 April, except the wave:
    the one each joined during or before the year (finance.queries.year_systems), so choosing
    Wave 1 in 2017/18 gives the ten designated in June 2017.

    By default only systems with figures for the year are shown: the queryset is annotated
    `has_figures` (finance.queries.year_systems).
    """

    wave = WaveFilter(
        label="Wave joined by the end of the year",
        queryset=Wave.objects.all(),
        field_name="wave_id",
        empty_label="Any wave",
    )

    @property
    def qs(self):
        queryset = super().qs
        if not self.shows_all:
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
