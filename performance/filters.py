import django_filters
from django import forms

from systems.period_filters import period_system_filter

from .rules import PerHeadCount


class LeagueFilter(period_system_filter("Status at the start")):
    """Filters over a league table's systems, as they stood on the first day of its period.

    The figures are summed after filtering, so the choice of systems with figures or all of
    them is read by the view (`shows_all`), as is the choice of a per-head column
    (`shows_per_head`), offered only for a standard whose count can be put per head
    (`per_head_count`, from `rules.PER_HEAD_COUNTS`). The chosen system ("My system",
    `?system=CODE`) rides along as a hidden field, so filtering keeps it marked.
    """

    per_head = django_filters.BooleanFilter(
        label="Show per 1,000 people",
        method="keep_all",
        widget=forms.CheckboxInput,
    )
    system = django_filters.CharFilter(method="keep_all", widget=forms.HiddenInput)
    not_narrowing = ("figures", "per_head", "system")

    def __init__(self, *args, per_head_count: PerHeadCount | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The form is built by now (`SystemFilter` sets its date), so it is changed too.
        if per_head_count is None:
            del self.filters["per_head"]
            self.form.fields.pop("per_head", None)
        else:
            self.form.fields["per_head"].label = f"Show {per_head_count.choice} per 1,000 people"

    def keep_all(self, queryset, name, value):
        # A choice of column or of the system marked, not of the systems listed.
        return queryset

    @property
    def shows_per_head(self) -> bool:
        """Whether the reader asked for the per-head column (and it is offered)."""
        return (
            "per_head" in self.filters
            and self.form.is_valid()
            and bool(self.form.cleaned_data.get("per_head"))
        )
