"""The filter set every page of one period's systems shares (a financial year's control
totals, a standard's league table): the systems as they stood on the period's first day, and
whether to show those without figures."""

import django_filters

from .filters import SystemFilter
from .models import ENDED_STATUSES, SystemStatusKind

ALL_SYSTEMS = "all"


def period_system_filter(status_label: str) -> type[SystemFilter]:
    """A filter set over `System.objects.with_overview_as_at(first day)` of the systems that
    existed on a period's first day, its status filter labelled `status_label`.

    The period, not the as-at date, fixes the day, and only systems that existed then are in
    the queryset, so the status choices leave out the ended ones. By default only systems with
    figures for the period are shown (`shows_all` says when the reader chose all of them).
    """

    class PeriodSystemFilter(SystemFilter):
        status = django_filters.ChoiceFilter(
            label=status_label,
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

        # Fields that choose what to show, not which systems: they never narrow the list.
        not_narrowing = ("figures",)

        def filter_figures(self, queryset, name, value):
            # The page decides what "with figures" means: a queryset annotation or sums
            # taken after filtering.
            return queryset

        # The period's queryset holds exactly its systems already, some of which began during
        # the period (no status on its first day): the as-at list's default is not applied.
        existing_by_default = False

        @property
        def shows_all(self) -> bool:
            """Whether the reader chose every system, with or without figures."""
            return self.form.is_valid() and self.form.cleaned_data.get("figures") == ALL_SYSTEMS

        @property
        def narrowed(self) -> bool:
            """Whether any filter other than those in `not_narrowing` is chosen."""
            return self.form.is_bound and any(
                value
                for name, value in (self.form.cleaned_data if self.form.is_valid() else {}).items()
                if name not in self.not_narrowing
            )

    return PeriodSystemFilter
