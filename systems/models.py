"""England's local health systems as they stood on any date.

The picture: NHS England *regions* contain STP *footprints* (44 in 2016, 42 after the August
2018 merger in the north). A *system* is the partnership that works over a footprint, or over
part of one (Berkshire West, Buckinghamshire, Blackpool & Fylde Coast, Greater Nottingham,
and, after the 2018 merger, West, North & East Cumbria). Which footprint a system covers, and
whether whole or part, is dated (`SystemFootprint`), as is its status (STP, shadow ACS, ICS,
statutory ICB, merged). Systems are designated in *waves*; merges, absorptions, renames and
boundary changes are *designation events*. Codes (ONS, ODS) are dated because footprints were
recoded in 2018, 2020 and 2022. *Organisations* (trusts, CCGs, PCNs, practices, ...) are
members of systems over dated periods, with a share when one trust serves two systems.

Every dated period here is inclusive at both ends: `valid_until` is the last day it held, as
in ODS close dates, and empty means "still holds". Every fact from a source records that
source and whether it is unverified.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, Greatest, RowNumber
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.dates import DatePrecision, format_partial_date, last_possible_day, on_partial_date
from core.derived import DerivedTable
from core.models import (
    DatedQuerySet,
    Sourced,
    Versioned,
    period_check,
    periods_overlap,
    valid_on,
)
from core.names import readable_name

from .rules import ABSORBING_EVENT_KINDS, status_on
from .wording import GAVE, PART_TAKEN, RECEIVED

# ---------------------------------------------------------------------------------------------
# Regions, footprints and systems


class Region(Versioned, Sourced):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class FootprintQuerySet(models.QuerySet):
    def as_at(self, day: dt.date):
        """Footprints that existed on `day`."""
        return self.filter(valid_on(day, "established_on", "ended_on"))

    def with_ics_as_at(self, day: dt.date):
        """Footprints on `day` covered, wholly or in part, by a system with ICS status then."""
        ics_systems = SystemFootprint.objects.as_at(day).filter(
            footprint=OuterRef("pk"),
            system__in=System.objects.ics_as_at(day).values("pk"),
        )
        return self.as_at(day).filter(Exists(ics_systems))


class Footprint(Versioned, Sourced):
    """An STP footprint: the geography a system works over."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="footprints")
    established_on = models.DateField()
    established_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    ended_on = models.DateField(null=True, blank=True, help_text="Last day it existed.")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    objects = FootprintQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "slug"]
        verbose_name = "STP footprint"
        constraints = [period_check("footprint_end_after_start", "established_on", "ended_on")]

    def __str__(self):
        return self.name


class SystemStatusKind(models.TextChoices):
    STP = "stp", "STP"
    SHADOW_ACS = "shadow_acs", "Shadow ACS"
    ICS = "ics", "ICS"
    ICB = "icb", "ICS with statutory ICB"
    MERGED = "merged", "Merged or absorbed"
    SPLIT = "split", "Split between successors"
    CLOSED = "closed", "Closed"


# A statutory ICB is the NHS body of an integrated care system, so both count as ICS status.
ICS_STATUSES = (SystemStatusKind.ICS, SystemStatusKind.ICB)
ENDED_STATUSES = (SystemStatusKind.MERGED, SystemStatusKind.SPLIT, SystemStatusKind.CLOSED)


def status_in_force(system, day: dt.date) -> Subquery:
    """The status of `system` (an OuterRef to a system) in force on `day`, or None before its
    first: the one database form of `systems.rules.status_on`, for any query over systems."""
    latest = (
        SystemStatus.objects.filter(system=system, effective_from__lte=day)
        .order_by("-effective_from")
        .values("status")[:1]
    )
    return Subquery(latest)


def name_in_force(system, day, field: str = "short_name") -> Subquery:
    """The short form (or, with `field="name"`, the full name) of the name of `system` (an
    OuterRef to a system) in use on `day` (a date or an OuterRef to one), or None before its
    first dated name: the one rule for naming a system as at a date."""
    latest = (
        SystemName.objects.filter(system=system, valid_from__lte=day)
        .order_by("-valid_from")
        .values(field)[:1]
    )
    return Subquery(latest)


class ChangeQuerySet(models.QuerySet):
    """Facts dated by one field (the model's `dated_by`), read for what changed between days."""

    def between(self, start: dt.date, end: dt.date):
        """Facts dated after `start` and on or before `end`: what changed from the one day to
        the other. A fact known only to the month or year is placed by its first day."""
        field = self.model.dated_by
        return self.filter(**{f"{field}__gt": start, f"{field}__lte": end})


def url_code_of(system, slug: str = "slug") -> Coalesce:
    """The code a system's pages are addressed by: its latest ODS code, else its slug, for
    `system` (an OuterRef to a system) whose slug is the field `slug` of the outer query."""
    latest = (
        Code.objects.filter(system=system, scheme=CodeScheme.ODS)
        .order_by("-valid_from")
        .values("code")[:1]
    )
    return Coalesce(Subquery(latest), F(slug), output_field=models.CharField())


class SystemQuerySet(models.QuerySet):
    def with_status_as_at(self, day: dt.date):
        """Annotate `status_as_at`: the status in force on `day`, or None before the first.
        The database twin of `systems.rules.status_on`."""
        return self.annotate(status_as_at=status_in_force(OuterRef("pk"), day))

    def with_names_as_at(self, day: dt.date):
        """Annotate `name_as_at`, the short form of the system's dated name on `day` (else its
        name), and `full_name_as_at`, the full (statutory) name then, or None before its
        first dated name: what a page about the system on `day` calls it."""
        return self.annotate(
            name_as_at=Coalesce(name_in_force(OuterRef("pk"), day), F("name")),
            full_name_as_at=name_in_force(OuterRef("pk"), day, field="name"),
        )

    def ics_as_at(self, day: dt.date):
        """Systems with ICS status (an ICS, or an ICS with its statutory ICB) on `day`."""
        return self.with_status_as_at(day).filter(status_as_at__in=ICS_STATUSES)

    def current_as_at(self, day: dt.date):
        """Systems that existed on `day`: they had a status and had not merged or closed."""
        return (
            self.with_status_as_at(day)
            .filter(status_as_at__isnull=False)
            .exclude(status_as_at__in=ENDED_STATUSES)
        )

    def with_overview_as_at(self, day: dt.date, *, wave_as_at: dt.date | None = None):
        """Everything the systems table shows about each system on `day`, in one query.

        Annotates status_as_at, name_as_at and full_name_as_at (`with_names_as_at`),
        footprint_as_at (id and name), region_as_at (id and name),
        scope_as_at, ods_code_as_at, ons_code_as_at (the footprint's), url_code (the latest
        ODS code, else the slug), the first wave the system or a system it absorbed was
        designated in by `day`, or by `wave_as_at` if given (`with_wave_as_at`), and
        member_count_as_at.

        The coverage and the member counts are derived tables (core.derived), each read once
        for the whole query and joined, rather than a subquery per system and column.
        """
        # Where a system's coverage overlaps itself (refused by SystemFootprint.clean), the
        # earliest-starting one, as a subquery ordered by the model's ordering would take.
        coverage = DerivedTable(
            SystemFootprint.objects.as_at(day)
            .annotate(
                rank=Window(RowNumber(), partition_by=F("system"), order_by=["valid_from", "pk"])
            )
            .filter(rank=1)
            .values(
                system_key=F("system"),
                footprint_key=F("footprint"),
                footprint_name=F("footprint__name"),
                coverage_scope=F("scope"),
                region_key=F("footprint__region"),
                region_name=F("footprint__region__name"),
            ),
            key="system_key",
        )
        # Counted from the index on (system, valid_from, valid_until), not from the rows.
        members = DerivedTable(
            Membership.objects.filter(valid_on(day, indexed=True))
            .values(system_key=F("system"))
            .annotate(count=models.Count("*")),
            key="system_key",
        )
        ods_codes = Code.objects.filter(system=OuterRef("pk"), scheme=CodeScheme.ODS)
        ons_codes = Code.objects.as_at(day).filter(
            footprint=OuterRef("footprint_as_at"), scheme=CodeScheme.ONS
        )
        return (
            self.with_status_as_at(day)
            .with_names_as_at(day)
            .annotate(
                footprint_as_at=coverage.column("footprint_key"),
                footprint_name_as_at=coverage.column("footprint_name"),
                scope_as_at=coverage.column("coverage_scope"),
                region_as_at=coverage.column("region_key"),
                region_name_as_at=coverage.column("region_name"),
                ods_code_as_at=Subquery(ods_codes.filter(valid_on(day)).values("code")[:1]),
                url_code=url_code_of(OuterRef("pk")),
                ons_code_as_at=Subquery(ons_codes.values("code")[:1]),
                member_count_as_at=Coalesce(members.column("count"), 0),
            )
            .with_wave_as_at(wave_as_at or day)
        )

    def with_wave_as_at(self, day: dt.date):
        """The first wave the system or a system it absorbed was designated in by `day`:
        wave_id, wave_name, wave_slug, wave_sequence, designated_on_as_at,
        designated_precision and designated_via (the name of the system of the first carried
        designation that is not its own, if there is one). Called again with another day, it
        replaces these annotations (`with_overview_as_at(wave_as_at=)` asks once instead).

        Each system's lineage is read once (`Designation.objects.carried_by`), for the first
        designation and the first absorbed one; that designation and its wave are joined."""
        first = Designation.objects.carried_by(OuterRef("pk"), day).order_by(
            "wave__sequence", "designated_on", "system__slug"
        )
        lineage = DerivedTable(
            System.objects.values(
                system_key=F("pk"),
                first_designation=Subquery(first.values("pk")[:1]),
                first_absorbed_name=Subquery(
                    first.exclude(system=OuterRef("pk")).values("system__name")[:1]
                ),
            ),
            key="system_key",
        )
        designation = DerivedTable(
            Designation.objects.values(
                designation_key=F("pk"),
                wave_key=F("wave"),
                wave_title=F("wave__name"),
                wave_address=F("wave__slug"),
                wave_order=F("wave__sequence"),
                designated_day=F("designated_on"),
                designated_to=F("precision"),
            ),
            key="designation_key",
            on=lineage.column("first_designation"),
        )
        return self.annotate(
            wave_id=designation.column("wave_key"),
            wave_name=designation.column("wave_title"),
            wave_slug=designation.column("wave_address"),
            wave_sequence=designation.column("wave_order"),
            designated_on_as_at=designation.column("designated_day"),
            designated_precision=designation.column("designated_to"),
            designated_via=lineage.column("first_absorbed_name"),
        )

    def get_by_code(self, code: str) -> "System":
        """The system with this ODS code (valid at any date) or this slug. The code is matched
        in a small subquery, so a queryset carrying the overview's annotations is neither
        joined to the codes nor made DISTINCT (still one query)."""
        matching = System.objects.filter(
            Q(codes__scheme=CodeScheme.ODS, codes__code__iexact=code) | Q(slug=code)
        ).values("pk")
        return self.filter(pk__in=matching).get()


class System(Versioned, Sourced):
    """A local health system: an STP partnership, ICS or ICB, or a sub-footprint ICS."""

    name = models.CharField(max_length=200, help_text="The name in common use today.")
    official_name = models.CharField(
        max_length=300, blank=True, help_text="The registered (ODS) name, where there is one."
    )
    slug = models.SlugField(max_length=100, unique=True)

    objects = SystemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "slug"]
        # The right every dashboard page and export asks for (systems.access).
        permissions = [("view_dashboard", "Can view the dashboard pages and exports")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:systems_system_change", args=[self.pk])

    def status_as_at(self, day: dt.date) -> str | None:
        """The status in force on `day` (`systems.rules.status_on`), or None before the first."""
        return status_on(self.statuses.values_list("effective_from", "status"), day)

    def dated_name(self, day: dt.date) -> "SystemName | None":
        """The dated (statutory) name in use on `day`, or None before the first."""
        return self.names.filter(valid_from__lte=day).order_by("-valid_from").first()

    @property
    def shown_name(self) -> str:
        """What a page calls the system: the short form of its name as at the date it was
        read for (`SystemQuerySet.with_names_as_at`), else `name`."""
        return getattr(self, "name_as_at", None) or self.name

    def footprint_as_at(self, day: dt.date) -> "SystemFootprint | None":
        return self.footprints.as_at(day).select_related("footprint").first()

    def codes_as_at(self, day: dt.date):
        return self.codes.filter(valid_on(day))

    def members_as_at(self, day: dt.date):
        return self.memberships.as_at(day).select_related("organisation")

    def timeline(self) -> list["TimelineEntry"]:
        """Everything that happened to this system, oldest first: statuses, designations
        and events, including events of other systems that name this one."""
        entries = [
            TimelineEntry(
                s.effective_from,
                s.precision,
                "status",
                f"Status: {s.get_status_display()}",
                s.source,
                s.unverified,
                s.note,
            )
            for s in self.statuses.all()
        ]
        entries += [
            TimelineEntry(
                d.designated_on,
                d.precision,
                "designation",
                f"Designated in {d.wave.name}",
                d.source,
                d.unverified,
                d.note,
            )
            for d in self.designations.select_related("wave")
        ]
        events = DesignationEvent.objects.filter(
            Q(system=self) | Q(related_system=self)
        ).select_related("system", "related_system")
        entries += [
            TimelineEntry(
                e.occurred_on,
                e.precision,
                "event",
                e.describe(from_point_of_view_of=self),
                e.source,
                e.unverified,
                e.note,
            )
            for e in events
        ]
        order = {"status": 2, "designation": 1, "event": 0}
        return sorted(entries, key=lambda entry: (entry.date, order[entry.kind]))


class SystemName(Versioned, Sourced):
    """A name a system bore from a date until its next: the statutory names of the ICBs from
    1 July 2022 ("NHS Sussex Integrated Care Board", short form "Sussex"), and those of the
    ICBs created since. `System.name` stays the name in common use before the first."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=300, help_text="The full (statutory) name.")
    short_name = models.CharField(max_length=200, help_text="The short form in common use.")
    valid_from = models.DateField()
    precision = models.CharField(max_length=5, choices=DatePrecision, default=DatePrecision.DAY)

    objects = ChangeQuerySet.as_manager()
    dated_by = "valid_from"

    history = HistoricalRecords()

    class Meta:
        ordering = ["system", "valid_from"]
        verbose_name = "system name"
        constraints = [
            models.UniqueConstraint(
                fields=["system", "valid_from"],
                name="one_name_per_system_per_day",
                violation_error_message="This system already has a name from that date.",
            )
        ]

    def __str__(self):
        return f"{self.name} from {self.valid_from_display}"

    @property
    def valid_from_display(self):
        return format_partial_date(self.valid_from, self.precision)


class TimelineEntry:
    __slots__ = ("date", "description", "kind", "note", "precision", "source", "unverified")

    def __init__(self, date, precision, kind, description, source, unverified, note=""):
        self.date = date
        self.precision = precision
        self.kind = kind
        self.description = description
        self.source = source
        self.unverified = unverified
        self.note = note

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.precision)

    def __repr__(self):
        return f"<TimelineEntry {self.date} {self.description}>"


class CoverageScope(models.TextChoices):
    WHOLE = "whole", "Whole footprint"
    PART = "part", "Part of footprint"


class SystemFootprint(Versioned, Sourced):
    """Which footprint a system covered over a period, and whether all of it."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="footprints")
    footprint = models.ForeignKey(Footprint, on_delete=models.PROTECT, related_name="systems")
    scope = models.CharField(max_length=10, choices=CoverageScope, default=CoverageScope.WHOLE)
    valid_from = models.DateField()
    precision = models.CharField(max_length=5, choices=DatePrecision, default=DatePrecision.DAY)
    valid_until = models.DateField(null=True, blank=True, help_text="Last day it held.")

    objects = DatedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["system", "valid_from", "pk"]
        verbose_name = "system footprint"
        constraints = [
            period_check("system_footprint_end_after_start", "valid_from", "valid_until")
        ]

    def __str__(self):
        return f"{self.system} in {self.footprint} ({self.get_scope_display().lower()})"

    @property
    def valid_from_display(self):
        return format_partial_date(self.valid_from, self.precision)

    def clean(self):
        super().clean()
        if self.system_id and self.valid_from:
            others = SystemFootprint.objects.filter(system_id=self.system_id).exclude(pk=self.pk)
            for other in others:
                if periods_overlap(
                    self.valid_from, self.valid_until, other.valid_from, other.valid_until
                ):
                    raise ValidationError(
                        f"{self.system} already covers {other.footprint} from "
                        f"{other.valid_from:%d %b %Y}: a system covers one footprint at a time."
                    )


class CodeScheme(models.TextChoices):
    ONS = "ons", "ONS"
    ODS = "ods", "ODS"


class CodeQuerySet(DatedQuerySet, ChangeQuerySet):
    pass


class Code(Versioned, Sourced):
    """An ONS or ODS code of a region, footprint or system, with the dates it was valid."""

    scheme = models.CharField(max_length=3, choices=CodeScheme)
    code = models.CharField(max_length=12)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="codes"
    )
    footprint = models.ForeignKey(
        Footprint, null=True, blank=True, on_delete=models.CASCADE, related_name="codes"
    )
    system = models.ForeignKey(
        System, null=True, blank=True, on_delete=models.CASCADE, related_name="codes"
    )
    valid_from = models.DateField()
    precision = models.CharField(max_length=5, choices=DatePrecision, default=DatePrecision.DAY)
    valid_until = models.DateField(null=True, blank=True, help_text="Last day it was valid.")

    objects = CodeQuerySet.as_manager()
    dated_by = "valid_from"
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "valid_from", "code"]
        constraints = [
            period_check("code_end_after_start", "valid_from", "valid_until"),
            models.CheckConstraint(
                condition=(
                    Q(region__isnull=False, footprint__isnull=True, system__isnull=True)
                    | Q(region__isnull=True, footprint__isnull=False, system__isnull=True)
                    | Q(region__isnull=True, footprint__isnull=True, system__isnull=False)
                ),
                name="code_has_exactly_one_owner",
                violation_error_message="A code belongs to one region, footprint or system.",
            ),
            models.UniqueConstraint(
                fields=["scheme", "code", "valid_from"], name="code_unique_per_start"
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def valid_from_display(self):
        return format_partial_date(self.valid_from, self.precision)

    @property
    def owner(self):
        return self.region or self.footprint or self.system


# ---------------------------------------------------------------------------------------------
# Status, waves, designations and events


class SystemStatus(Versioned, Sourced):
    """A system's status from a date until its next status."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(max_length=12, choices=SystemStatusKind)
    effective_from = models.DateField()
    precision = models.CharField(max_length=5, choices=DatePrecision, default=DatePrecision.DAY)

    objects = ChangeQuerySet.as_manager()
    dated_by = "effective_from"

    history = HistoricalRecords()

    class Meta:
        ordering = ["system", "effective_from"]
        verbose_name = "system status"
        verbose_name_plural = "system statuses"
        constraints = [
            models.UniqueConstraint(
                fields=["system", "effective_from"],
                name="one_status_change_per_system_per_day",
                violation_error_message="This system already has a status change on that date.",
            )
        ]

    def __str__(self):
        return f"{self.system}: {self.get_status_display()} from {self.effective_from_display}"

    @property
    def effective_from_display(self):
        return format_partial_date(self.effective_from, self.precision)


class Wave(Versioned, Sourced):
    """A group of systems designated together, as the national bodies announced them."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    sequence = models.PositiveSmallIntegerField(unique=True, help_text="Order of the waves.")
    announced_on = models.DateField()
    announced_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    effective_on = models.DateField()
    effective_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sequence"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_on__gte=models.F("announced_on")),
                name="wave_effective_not_before_announced",
                violation_error_message="A wave cannot take effect before it was announced.",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def announced_display(self):
        return format_partial_date(self.announced_on, self.announced_precision)

    @property
    def effective_display(self):
        return format_partial_date(self.effective_on, self.effective_precision)


# Systems were first drawn up as the STP footprints of 2016; the first wave was named in 2017.
EARLIEST_DESIGNATION = dt.date(2016, 1, 1)


class DesignationQuerySet(ChangeQuerySet):
    def carried_by(self, system, day: dt.date):
        """The designations `system` (a System, its id or an OuterRef) carries on `day`: its
        own and those of systems absorbed or merged into it by then, dated by `day`. The
        database twin of `systems.rules.lineage`.

        A split passes nothing: a successor of a system split between several (Frimley, 2026)
        does not carry its designation, because only part of it was designated then; the
        wave page and the board paper say instead what became of the system (`systems.lineage`)."""
        # The events are a subquery of this one, so an outer reference reaches one level further.
        related = OuterRef(system) if isinstance(system, OuterRef) else system
        absorbed = DesignationEvent.objects.filter(
            related_system=related, kind__in=ABSORBING_EVENT_KINDS, occurred_on__lte=day
        ).values("system")
        return self.filter(designated_on__lte=day).filter(Q(system=system) | Q(system__in=absorbed))


class Designation(Versioned, Sourced):
    """A system designated (as shadow ACS or ICS) in a wave."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="designations")
    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="designations")
    designated_on = models.DateField()
    precision = models.CharField(max_length=5, choices=DatePrecision, default=DatePrecision.DAY)

    objects = DesignationQuerySet.as_manager()
    dated_by = "designated_on"

    history = HistoricalRecords()

    class Meta:
        ordering = ["wave__sequence", "system__name", "system__slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "wave"],
                name="one_designation_per_system_per_wave",
                violation_error_message="This system is already designated in that wave.",
            )
        ]

    def __str__(self):
        return f"{self.system} in {self.wave}"

    @property
    def designated_display(self):
        return format_partial_date(self.designated_on, self.precision)

    def clean(self):
        """Refuse a designation that cannot be true, naming the fact it contradicts.

        The one home of these rules: the designate action, the admin's forms and the reference
        loader all validate through here. A date known only to the month or year is refused
        only when every day it could mean is impossible.
        """
        super().clean()
        if not (self.system_id and self.wave_id and self.designated_on):
            return
        when = self.designated_display
        on = on_partial_date(self.designated_on, self.precision)
        latest = last_possible_day(self.designated_on, self.precision)
        date_errors = []
        if latest < EARLIEST_DESIGNATION:
            date_errors.append(
                f"{when} is before 2016: no system was designated before the STP footprints "
                "of 2016."
            )
        if latest < self.wave.announced_on:
            announced = on_partial_date(self.wave.announced_on, self.wave.announced_precision)
            date_errors.append(
                f"{self.wave} was announced {announced}: a designation in it cannot be dated "
                f"{when}."
            )
        statuses = list(self.system.statuses.order_by("effective_from"))
        if statuses and latest < statuses[0].effective_from:
            first = statuses[0]
            date_errors.append(
                f"{self.system} did not exist yet {on}: its first status "
                f"({first.get_status_display()}) is from {first.effective_from_display}."
            )
        in_force = [s for s in statuses if s.effective_from <= self.designated_on]
        if in_force and in_force[-1].status in ENDED_STATUSES:
            ended = in_force[-1]
            if self.designated_on >= last_possible_day(ended.effective_from, ended.precision):
                date_errors.append(
                    f"{self.system} had ended by {when}: its status is "
                    f"{ended.get_status_display().lower()} from {ended.effective_from_display}."
                )
        errors = {"designated_on": date_errors} if date_errors else {}
        earlier = (
            Designation.objects.filter(system_id=self.system_id)
            .exclude(wave_id=self.wave_id)
            .exclude(pk=self.pk)
            .select_related("wave")
            .first()
        )
        if earlier is not None:
            # The same wave twice is the unique constraint's to refuse.
            errors[NON_FIELD_ERRORS] = [
                f"{self.system} is already designated in {earlier.wave} "
                f"({earlier.designated_display}): a system is designated in one wave only."
            ]
        if errors:
            raise ValidationError(errors)


class EventKind(models.TextChoices):
    MERGED_INTO = "merged_into", "Merged into"
    ABSORBED_INTO = "absorbed_into", "Absorbed into"
    RENAMED = "renamed", "Renamed"
    BOUNDARY_CHANGE = "boundary_change", "Boundary change"
    RECODED = "recoded", "Recoded"
    # One event for each successor of a system divided between several (Frimley, 2026).
    SPLIT_INTO = "split_into", "Split into"
    # Recorded on the system that grew, naming the system part of which it took.
    ACQUIRED_PART_OF = "acquired_part_of", "Acquired part of"


# Events that must name the other system.
RELATED_EVENT_KINDS = ("merged_into", "absorbed_into", "split_into", "acquired_part_of")


# What later became of a designated system besides its lineage (`systems.lineage`): the notes
# under the wave page's list and the board paper's Annex A, which must agree.
LATER_EVENT_KINDS = (EventKind.BOUNDARY_CHANGE,)


class DesignationEvent(Versioned, Sourced):
    """Something that changed what a system is: a merger, absorption, rename or boundary move."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind)
    occurred_on = models.DateField()
    precision = models.CharField(max_length=5, choices=DatePrecision, default=DatePrecision.DAY)
    related_system = models.ForeignKey(
        System,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="related_events",
        help_text="The system merged, absorbed or split into, or part of which was acquired.",
    )
    previous_name = models.CharField(max_length=300, blank=True)
    new_name = models.CharField(max_length=300, blank=True)

    objects = ChangeQuerySet.as_manager()
    dated_by = "occurred_on"

    history = HistoricalRecords()

    class Meta:
        ordering = ["occurred_on", "system__name", "pk"]
        verbose_name = "designation event"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=RELATED_EVENT_KINDS) | Q(related_system__isnull=False),
                name="merger_names_the_other_system",
                violation_error_message=(
                    "A merger, absorption, split or acquisition must name the other system."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind="renamed") | (~Q(previous_name="") & ~Q(new_name="")),
                name="rename_has_both_names",
                violation_error_message="A rename must give the previous and the new name.",
            ),
        ]

    def __str__(self):
        return self.describe()

    @property
    def occurred_display(self):
        return format_partial_date(self.occurred_on, self.precision)

    def describe(self, from_point_of_view_of: System | None = None) -> str:
        """The event in the lineage's words (`systems.wording`): from the other system's
        point of view when `from_point_of_view_of` is the related system ("Took part of
        Frimley Health"), else from this one's ("Frimley Health split: part into ...")."""
        received = (
            from_point_of_view_of is not None and from_point_of_view_of == self.related_system
        )
        if self.kind == EventKind.ACQUIRED_PART_OF:
            # Recorded on the system that grew: the related system is the one that gave.
            if received:
                return f"{GAVE[PART_TAKEN].alone} {self.system}"
            return f"{self.system} {RECEIVED[self.kind].after_name} {self.related_system}"
        if self.kind in GAVE:
            if received:
                return f"{RECEIVED[self.kind].alone} {self.system}"
            if self.kind == EventKind.SPLIT_INTO:
                # One event per successor: the grouped "split between" is the lineage's.
                return f"{self.system} split: part into {self.related_system}"
            return f"{self.system} {GAVE[self.kind].after_name} {self.related_system}"
        if self.kind == EventKind.RENAMED:
            return f"Renamed from {self.previous_name} to {self.new_name}"
        if self.related_system_id:
            other = self.system if received else self.related_system
            return f"{self.get_kind_display()} with {other}"
        return f"{self.get_kind_display()}: {self.system}"


# ---------------------------------------------------------------------------------------------
# Organisations and memberships


class OrganisationKind(models.TextChoices):
    ACUTE_TRUST = "acute_trust", "Acute trust"
    MENTAL_HEALTH_TRUST = "mental_health_trust", "Mental health trust"
    COMMUNITY_TRUST = "community_trust", "Community trust"
    AMBULANCE_TRUST = "ambulance_trust", "Ambulance trust"
    NHS_TRUST = "nhs_trust", "NHS trust (type not recorded)"
    CCG = "ccg", "Clinical commissioning group"
    ICB = "icb", "Integrated care board"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    PCN = "pcn", "Primary care network"
    GP_PRACTICE = "gp_practice", "GP practice"
    OTHER = "other", "Other"


KIND_LABELS = dict(OrganisationKind.choices)

TRUST_KINDS = (
    OrganisationKind.ACUTE_TRUST,
    OrganisationKind.MENTAL_HEALTH_TRUST,
    OrganisationKind.COMMUNITY_TRUST,
    OrganisationKind.AMBULANCE_TRUST,
    OrganisationKind.NHS_TRUST,
)


class OrganisationQuerySet(models.QuerySet):
    def as_at(self, day: dt.date):
        """Organisations open on `day` (an unknown opening date counts as open)."""
        return self.filter(
            Q(opened_on__isnull=True) | Q(opened_on__lte=day),
            Q(closed_on__isnull=True) | Q(closed_on__gte=day),
        )

    def matching(self, text: str):
        """Organisations whose ODS code is `text` (in any case) or whose name contains it, and
        CCGs continued by a sub-ICB location of that code or with that in its name."""
        text = text.strip()
        continued = SubIcbLocation.objects.filter(clinical_commissioning_group=OuterRef("pk"))
        return self.filter(
            Q(ods_code__iexact=text)
            | Q(name__icontains=text)
            | Exists(continued.filter(Q(code__iexact=text) | Q(name__icontains=text)))
        )

    def with_system_as_at(self, day: dt.date):
        """Annotate, from the organisation's memberships on `day`: `system_count_as_at`, and
        `system_name_as_at` and `system_url_code_as_at` for the system holding its largest
        share then (named as on `day`), None when it belonged to none."""
        memberships = (
            Membership.objects.as_at(day)
            .filter(organisation=OuterRef("pk"))
            .order_by("-share", "system__name", "system__slug")
        )
        count = memberships.order_by().values("organisation").annotate(n=models.Count("pk"))
        return self.annotate(
            system_count_as_at=Coalesce(Subquery(count.values("n")), 0),
            system_name_as_at=Subquery(
                memberships.annotate(
                    shown=Coalesce(name_in_force(OuterRef("system"), day), F("system__name"))
                ).values("shown")[:1]
            ),
            system_url_code_as_at=Subquery(
                memberships.annotate(code=url_code_of(OuterRef("system"), "system__slug")).values(
                    "code"
                )[:1]
            ),
        )


class Organisation(Versioned):
    """A member organisation: trust, CCG, ICB, local authority, PCN or GP practice."""

    ods_code = models.CharField("ODS code", max_length=12, unique=True)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=OrganisationKind, db_index=True)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True, help_text="Last day it was open.")
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors"
    )
    source = models.CharField(max_length=500, blank=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["predecessors"])

    class Meta:
        ordering = ["name", "ods_code"]
        constraints = [period_check("organisation_closes_after_opening", "opened_on", "closed_on")]
        permissions = [("import_organisation", "Can import organisation reference files")]

    def __str__(self):
        return f"{self.name} ({self.ods_code})"

    def get_kind_display(self) -> str:
        """The kind in words, as Django's own `get_kind_display` gives it (a value that is not
        a choice as it is), without rebuilding the choices dictionary on every call: a members
        download asks it twice a row (tests/systems/test_organisations.py holds the two equal)."""
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def readable_name(self) -> str:
        """The name as pages and papers show it: title case where ODS gives capitals
        (core.names); the stored name stays as published."""
        return readable_name(self.name)

    def clean(self):
        super().clean()
        if self.ods_code:
            self.ods_code = self.ods_code.strip().upper()


class MembershipQuerySet(DatedQuerySet):
    def systems_by_organisation(self, day: dt.date) -> dict[int, frozenset[int]]:
        """Each organisation's systems on `day` (one, or more where it is split), by id: one
        query over the memberships in force that day."""
        systems: dict[int, set[int]] = {}
        for organisation_id, system_id in self.as_at(day).values_list(
            "organisation_id", "system_id"
        ):
            systems.setdefault(organisation_id, set()).add(system_id)
        return {organisation: frozenset(ids) for organisation, ids in systems.items()}

    def history(self, day: dt.date):
        """Every membership, earliest first, with its system (select_related), annotated with
        the system's name (the short form of its dated name, else its name) as it stood at
        the start of the membership (`system_name_from`), at its end or on `day` if it still
        held then (`system_name_until`) and on `day` (`system_name_as_at`), and the code its
        page is addressed by (`system_url_code`). One query."""
        # A membership still open is named as on `day`, but never before it began.
        end = Greatest(
            OuterRef("valid_from"),
            Coalesce(OuterRef("valid_until"), models.Value(day), output_field=models.DateField()),
        )

        def named(when):
            return Coalesce(name_in_force(OuterRef("system"), when), F("system__name"))

        return (
            self.select_related("system")
            .annotate(
                system_name_from=named(OuterRef("valid_from")),
                system_name_until=named(end),
                system_name_as_at=named(day),
                system_url_code=url_code_of(OuterRef("system"), "system__slug"),
            )
            .order_by("valid_from", "system__name", "system__slug", "pk")
        )


class Membership(Versioned, Sourced):
    """An organisation's membership of a system over a period, with its share of it.

    A trust serving two systems is split between them: each membership carries a share, and
    one organisation's shares on any day add up to at most 1.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="memberships")
    share = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
        help_text="Share of the organisation apportioned to this system, above 0 and at most 1.",
    )
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True, help_text="Last day of membership.")

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["system", "organisation__name", "valid_from", "pk"]
        # The systems overview counts each system's members on a day from this index alone.
        indexes = [
            models.Index(
                fields=["system", "valid_from", "valid_until"], name="membership_system_period"
            )
        ]
        constraints = [
            period_check("membership_end_after_start", "valid_from", "valid_until"),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=1),
                name="membership_share_in_range",
                violation_error_message="A share must be above 0 and at most 1.",
            ),
            # Overlapping periods for the same organisation and system are refused by an
            # exclusion constraint on PostgreSQL (migration 0002) and by clean() everywhere.
        ]

    def __str__(self):
        return f"{self.organisation} in {self.system}"

    def clean(self):
        super().clean()
        if not (self.organisation_id and self.system_id and self.valid_from and self.share):
            return
        others = list(
            Membership.objects.filter(organisation_id=self.organisation_id).exclude(pk=self.pk)
        )
        for other in others:
            if other.system_id == self.system_id and periods_overlap(
                self.valid_from, self.valid_until, other.valid_from, other.valid_until
            ):
                raise ValidationError(
                    f"{self.organisation} is already a member of {self.system} from "
                    f"{other.valid_from:%d %b %Y}"
                    + (f" to {other.valid_until:%d %b %Y}" if other.valid_until else "")
                    + ": memberships of the same system may not overlap."
                )
        periods = [(m.valid_from, m.valid_until, m.share) for m in others]
        periods.append((self.valid_from, self.valid_until, self.share))
        day, total = peak_share(periods)
        if total > 1:
            raise ValidationError(
                {
                    "share": f"On {day:%d %b %Y} {self.organisation}'s shares would add up to "
                    f"{total.normalize()}; one organisation's shares may not exceed 1."
                }
            )


def peak_share(periods: list[tuple[dt.date, dt.date | None, Decimal]]) -> tuple[dt.date, Decimal]:
    """The day on which a set of dated shares adds up highest, and that total.

    The total only rises where a period starts, so checking each start day is enough.
    """
    best_day, best_total = None, Decimal(0)
    for start, _end, _share in periods:
        total = sum(
            (share for s, e, share in periods if s <= start and (e is None or e >= start)),
            Decimal(0),
        )
        if best_day is None or total > best_total:
            best_day, best_total = start, total
    return best_day, best_total


class SubIcbLocationQuerySet(DatedQuerySet):
    def with_systems(self):
        """Annotate `system_name_from`, the ICB's name (short form of its dated name, else its
        name) when the period began, and `system_url_code`, the code its page is addressed by."""
        return self.annotate(
            system_name_from=Coalesce(
                name_in_force(OuterRef("system"), OuterRef("valid_from")), F("system__name")
            ),
            system_url_code=url_code_of(OuterRef("system"), "system__slug"),
        )


class SubIcbLocation(Versioned, Sourced):
    """A sub-ICB location under an ICB over a period: on 1 July 2022 each of the 106 CCGs
    became one, keeping its code (`15A`), as a place within the ICB that took it over.

    Not an `Organisation`: the CCG organisations already hold these codes, which importers
    look organisations up by, and a sub-ICB location is part of an ICB rather than a member
    of one. A location that moves to another ICB, or whose name or ONS code changes, gets a
    new period; periods of one code never overlap.
    """

    code = models.CharField(max_length=12, help_text="The ODS code, the former CCG's (15A).")
    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    name = models.CharField(max_length=300)
    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="sub_icb_locations")
    clinical_commissioning_group = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sub_icb_locations",
        help_text="The CCG it continues, where that organisation is recorded.",
    )
    valid_from = models.DateField()
    precision = models.CharField(max_length=5, choices=DatePrecision, default=DatePrecision.DAY)
    valid_until = models.DateField(null=True, blank=True, help_text="Last day it held.")

    objects = SubIcbLocationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "valid_from"]
        verbose_name = "sub-ICB location"
        constraints = [
            period_check("sub_icb_location_end_after_start", "valid_from", "valid_until"),
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                name="one_sub_icb_location_period_per_start",
                violation_error_message="This sub-ICB location already has a period from then.",
            ),
        ]

    def __str__(self):
        return f"{self.name} from {self.valid_from_display}"

    @property
    def valid_from_display(self):
        return format_partial_date(self.valid_from, self.precision)

    def clean(self):
        super().clean()
        if self.code:
            self.code = self.code.strip().upper()
        if not (self.code and self.valid_from):
            return
        others = SubIcbLocation.objects.filter(code=self.code).exclude(pk=self.pk)
        for other in others.select_related("system"):
            if periods_overlap(
                self.valid_from, self.valid_until, other.valid_from, other.valid_until
            ):
                until = f" to {other.valid_until:%d %b %Y}" if other.valid_until else ""
                raise ValidationError(
                    f"{self.code} is already under {other.system} from "
                    f"{other.valid_from:%d %b %Y}{until}: periods of one sub-ICB location may "
                    "not overlap."
                )


# ---------------------------------------------------------------------------------------------
# Population


class PopulationQuerySet(models.QuerySet):
    def latest_by_system(self) -> dict[int, "Population"]:
        """Each system's latest estimate, by system id (one query)."""
        latest: dict[int, Population] = {}
        for estimate in self.order_by("system_id", "estimated_on"):
            latest[estimate.system_id] = estimate
        return latest


class Population(Versioned, Sourced):
    """An estimate of the people living in a system's area on a day: all ages, and aged 65 and
    over. The shipped estimates are ONS's for mid-2019 (30 June 2019) for the 42 footprints of
    April 2020, each on the system that covered the whole footprint then. What is known of the
    population of any other system is `systems.populations`' rule."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="populations")
    estimated_on = models.DateField(
        help_text="The day the estimate describes: 30 June for an ONS mid-year estimate."
    )
    precision = models.CharField(max_length=5, choices=DatePrecision, default=DatePrecision.DAY)
    ons_code = models.CharField(
        "ONS code", max_length=9, blank=True, help_text="The area's code in the source."
    )
    all_ages = models.PositiveIntegerField("all ages")
    aged_65_and_over = models.PositiveIntegerField("aged 65 and over")

    objects = PopulationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["system", "estimated_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "estimated_on"],
                name="one_population_per_system_per_day",
                violation_error_message="This system already has an estimate for that day.",
            ),
            models.CheckConstraint(
                condition=Q(aged_65_and_over__lte=F("all_ages")),
                name="population_aged_65_within_all_ages",
                violation_error_message="Those aged 65 and over cannot outnumber all ages.",
            ),
        ]

    def __str__(self):
        return f"{self.system}, {self.estimated_display}"

    @property
    def estimated_display(self) -> str:
        """'mid-2019' for an estimate of 30 June (as ONS names its mid-year estimates), else
        the date as precisely as it is known."""
        day = self.estimated_on
        if self.precision == DatePrecision.DAY and (day.month, day.day) == (6, 30):
            return f"mid-{self.estimated_on.year}"
        return format_partial_date(self.estimated_on, self.precision)
