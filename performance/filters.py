import django_filters
from django import forms

from systems.period_filters import period_system_filter


class LeagueFilter(period_system_filter("Status at the start")):
    """Filters over a league table's systems, as they stood on the first day of its period.

    The figures are summed after filtering, so the choice of systems with figures or all of
    them is read by the view (`shows_all`). The chosen system ("My system", `?system=CODE`)
    rides along as a hidden field, so filtering keeps it marked; it narrows nothing.
    """

    system = django_filters.CharFilter(method="keep_all", widget=forms.HiddenInput)
    not_narrowing = ("figures", "system")

    def keep_all(self, queryset, name, value):
        # The view marks the chosen system; every system stays listed.
        return queryset
