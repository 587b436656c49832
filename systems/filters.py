import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q

from .models import (
    ENDED_STATUSES,
    ICS_STATUSES,
    Code,
    DesignationEvent,
    OrganisationKind,
    Region,
    SubIcbLocation,
    SystemFootprint,
    SystemName,
    SystemStatusKind,
    Wave,
)
from .rules import ACQUIRING_EVENT_KINDS, SUCCEEDING_EVENT_KINDS, successors

ALL_STATUSES = "all"
# Either ICS status (with or without a statutory ICB): what the overview's headline counts.
ANY_ICS_STATUS = "any_ics"


class WaveChoiceField(forms.ModelChoiceField):
    """A wave chosen by its id, as the form's menu sends it, or by its slug (`?wave=wave-1`),
    as a person writing an address would."""

    def _by_slug(self, value):
        if value in self.empty_values or str(value).isdigit():
            return None
        return self.queryset.filter(slug=str(value)).first()

    def to_python(self, value):
        wave = self._by_slug(value)
        return wave if wave is not None else super().to_python(value)

    def prepare_value(self, value):
        # So the menu shows a wave chosen by slug as selected.
        wave = self._by_slug(value) if isinstance(value, str) else None
        return super().prepare_value(wave.pk if wave is not None else value)


class WaveFilter(django_filters.ModelChoiceFilter):
    field_class = WaveChoiceField


class SystemFilter(django_filters.FilterSet):
    """Filters over `System.objects.with_overview_as_at(day)`; the day is the page's, chosen
    in the date bar (core.as_at), not here.

    With no status chosen the table shows the systems that existed on the date, or, when
    searching by name or code, those that had existed by then (so a former system is found);
    choosing "merged or absorbed" (or "all") brings in the ones that had ended by then.
    """

    q = django_filters.CharFilter(
        label="Name or code", method="filter_q", widget=forms.TextInput(attrs={"type": "search"})
    )
    status = django_filters.ChoiceFilter(
        label="Status on the date",
        choices=[
            *SystemStatusKind.choices,
            (ANY_ICS_STATUS, "ICS, with or without a statutory ICB"),
            (ALL_STATUSES, "Any, including ended"),
        ],
        empty_label="Existing systems",
        method="filter_status",
    )
    region = django_filters.ModelChoiceFilter(
        label="Region",
        queryset=Region.objects.all(),
        field_name="region_as_at",
        empty_label="All regions",
    )
    wave = WaveFilter(
        label="Wave",
        queryset=Wave.objects.all(),
        field_name="wave_id",
        empty_label="Any wave",
    )

    def filter_q(self, queryset, name, value):
        """Systems that bore the name or code at any date (a dated name, full or short; a
        code of the system or of a footprint while it covered it), or had the sub-ICB location
        of that code on the page's date ("15A"), and their successors through every step, so
        "North West London" finds it and West and North London (two queries: the matches and
        the successions)."""
        # A sub-ICB location moves between ICBs, so its code names the one it is under on the
        # page's date (today without a request).
        day = getattr(self.request, "as_at", None) or dt.date.today()
        # Subqueries, not joins: a join would repeat systems and, under finance's grouped
        # control totals, count their members once per match.
        matched = queryset.model.objects.filter(
            Q(name__icontains=value)
            | Q(official_name__icontains=value)
            | Exists(
                SystemName.objects.filter(system=OuterRef("pk")).filter(
                    Q(name__icontains=value) | Q(short_name__icontains=value)
                )
            )
            | Exists(Code.objects.filter(system=OuterRef("pk"), code__iexact=value))
            | Exists(
                SubIcbLocation.objects.as_at(day).filter(system=OuterRef("pk"), code__iexact=value)
            )
            | Exists(
                # A footprint's code counts while the system covered the footprint.
                # One filter() call, so every condition is on the same code.
                SystemFootprint.objects.filter(
                    Q(valid_until__isnull=True)
                    | Q(valid_until__gte=F("footprint__codes__valid_from")),
                    Q(footprint__codes__valid_until__isnull=True)
                    | Q(footprint__codes__valid_until__gte=F("valid_from")),
                    system=OuterRef("pk"),
                    footprint__codes__code__iexact=value,
                )
            )
        ).values_list("pk", flat=True)
        # Successions are reference data (a few dozen events): read once and followed here
        # through every step by the pure rule, rather than a query per step or a recursive
        # query the two databases would need spelled in raw SQL.
        events = DesignationEvent.objects.filter(
            kind__in=(*SUCCEEDING_EVENT_KINDS, *ACQUIRING_EVENT_KINDS)
        ).values_list("system_id", "kind", "related_system_id")
        return queryset.filter(pk__in=successors(list(matched), events))

    def filter_status(self, queryset, name, value):
        if value == ALL_STATUSES:
            return queryset.filter(status_as_at__isnull=False)
        if value == ANY_ICS_STATUS:
            return queryset.filter(status_as_at__in=ICS_STATUSES)
        return queryset.filter(status_as_at=value)

    # With no status chosen, keep the systems that existed on the date (see the docstring).
    # A period's filter sets this off: its queryset holds exactly the period's systems already.
    existing_by_default = True

    @property
    def qs(self):
        queryset = super().qs
        cleaned = self.form.cleaned_data if self.form.is_valid() else {}
        if self.existing_by_default and not cleaned.get("status"):
            queryset = queryset.filter(status_as_at__isnull=False)
            if not cleaned.get("q"):
                queryset = queryset.exclude(status_as_at__in=ENDED_STATUSES)
        return queryset


class OrganisationFilter(django_filters.FilterSet):
    """The organisation lookup's search box, over `Organisation.objects.with_system_as_at`."""

    q = django_filters.CharFilter(
        label="Name or ODS code (a CCG's or sub-ICB location's code too, such as 15A)",
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=OrganisationKind.choices, empty_label="Any kind"
    )
    member = django_filters.ChoiceFilter(
        label="Membership on the date",
        choices=[("yes", "Members of a system on the date")],
        empty_label="Members or not",
        method="filter_member",
    )

    def filter_member(self, queryset, name, value):
        """Members of at least one system on the page's date (what the overview counts)."""
        return queryset.filter(system_count_as_at__gt=0)

    def filter_q(self, queryset, name, value):
        return queryset.matching(value)
