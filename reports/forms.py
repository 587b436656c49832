"""The request form for a board summary: what it covers, the year, the date, the format."""

from django import forms
from django.utils import timezone

from finance.models import FinancialYear
from systems.models import Region, System, Wave

from .models import Scope, SummaryFormat


class BoardSummaryForm(forms.Form):
    year = forms.ModelChoiceField(
        label="Financial year",
        queryset=FinancialYear.objects.order_by("-start_year"),
        required=False,
        empty_label="No financial year (no finance or performance sections)",
        help_text="Performance against the national standards, control totals and plan against "
        "outturn for this year.",
    )
    as_at = forms.DateField(
        label="Designation as at",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Waves, statuses and systems as they stood on this date. Leave empty for today.",
    )
    scope = forms.ChoiceField(
        label="What it covers", choices=Scope.choices, initial=Scope.ALL, widget=forms.RadioSelect
    )
    region = forms.ModelChoiceField(
        label="Region", queryset=Region.objects.all(), required=False, empty_label="Choose"
    )
    wave = forms.ModelChoiceField(
        label="Wave", queryset=Wave.objects.all(), required=False, empty_label="Choose"
    )
    system = forms.ModelChoiceField(
        label="System", queryset=System.objects.all(), required=False, empty_label="Choose"
    )
    format = forms.ChoiceField(
        label="Format",
        choices=SummaryFormat.choices,
        initial=SummaryFormat.PDF,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The latest year with figures: a summary with a finance section is the usual ask.
        latest = (
            FinancialYear.objects.filter(figures__isnull=False)
            .order_by("-start_year")
            .values_list("pk", flat=True)
            .first()
        )
        self.fields["year"].initial = latest

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        for name in (Scope.REGION, Scope.WAVE, Scope.SYSTEM):
            if scope == name and not data.get(name):
                self.add_error(name, f"Choose the {name} the summary covers.")
            elif scope != name:
                data[name] = None
        if not data.get("as_at"):
            data["as_at"] = timezone.localdate()
        return data
