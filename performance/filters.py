import django_filters

from systems.filters import SystemFilter
from systems.models import ENDED_STATUSES, SystemStatusKind

ALL_SYSTEMS = "all"


class LeagueFilter(SystemFilter):
    """Filters over a league table's systems, as they stood on the first day of its period.

    The period, not the as-at date, fixes the day, and only systems that existed then are in
    the queryset, so the status choices leave out the ended ones. By default only systems with
    figures for the period are shown; the figures are summed after filtering, so the choice is
    read by the view (`shows_all`).
    """

    as_at = None
    status = django_filters.ChoiceFilter(
        label="Status at the start",
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
    def shows_all(self) -> bool:
        return self.form.is_valid() and self.form.cleaned_data.get("figures") == ALL_SYSTEMS

    @property
    def narrowed(self) -> bool:
        """Whether any filter other than `figures` is chosen."""
        return self.form.is_bound and any(
            value
            for name, value in (self.form.cleaned_data if self.form.is_valid() else {}).items()
            if name != "figures"
        )
