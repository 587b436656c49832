"""The maturity page's filter."""

import django_filters
from django import forms

from .models import MaturityFramework


class MaturityFilter(django_filters.FilterSet):
    """The maturity matrix's one choice: a framework, or all of them (latest in each)."""

    framework = django_filters.ModelChoiceFilter(
        label="Framework",
        queryset=MaturityFramework.objects.all(),
        to_field_name="slug",
        empty_label="All frameworks (latest rating in each)",
        # Radios, not a drop-down: few choices, and names too long for a narrow select.
        widget=forms.RadioSelect,
        blank=True,  # keeps the "all frameworks" choice, which radios would otherwise drop
    )
