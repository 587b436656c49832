"""What a board summary is about (`SummaryScope`), the groups the finance and performance
sections both speak of, and the words every section uses for dates and waves."""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.db.models.functions import Lower

from core.dates import on_partial_date
from finance.models import FinancialYear
from systems.models import (
    Designation,
    Region,
    System,
    SystemFootprint,
    SystemStatusKind,
    Wave,
)

from ..narrative import (
    Noun,
    names_list,
    sentence,
)

ICS = Noun("integrated care system (ICS)", "integrated care systems (ICSs)")


@dataclass(frozen=True)
class SummaryScope:
    """What a summary is about: all systems, a region, a wave or one system; the date the
    designation picture is taken on; and the financial year its finance section reports."""

    scope: str
    as_at: dt.date
    year: FinancialYear | None = None
    region: Region | None = None
    wave: Wave | None = None
    system: System | None = None

    @classmethod
    def of(cls, summary) -> "SummaryScope":
        """The scope of a saved summary; its one system, if any, named as at its date
        (`SystemQuerySet.with_names_as_at`), so the charts the pages share call it so too."""
        system = (
            System.objects.with_names_as_at(summary.as_at).get(pk=summary.system_id)
            if summary.system_id
            else None
        )
        return cls(
            scope=summary.scope,
            as_at=summary.as_at,
            year=summary.year,
            region=summary.region,
            wave=summary.wave,
            system=system,
        )

    @property
    def label(self) -> str:
        if self.region is not None:
            return f"{self.region.name} region"
        if self.wave is not None:
            return self.wave.name
        if self.system is not None:
            return self.system_name
        return "All systems"

    @cached_property
    def system_name(self) -> str | None:
        """The one system's name as at the summary's date (the short form of its dated name,
        as the pages call it: `System.dated_name`), or None for another scope."""
        if self.system is None:
            return None
        dated = self.system.dated_name(self.as_at)
        return dated.short_name if dated else self.system.name

    def system_ids(self, day: dt.date):
        """The systems in scope on `day`, as a subquery of ids, or None for every system.
        A region holds the systems whose footprint lay in it that day; a wave, the systems
        designated in it."""
        if self.region is not None:
            return (
                SystemFootprint.objects.as_at(day)
                .filter(footprint__region=self.region)
                .values("system")
            )
        if self.wave is not None:
            return Designation.objects.filter(wave=self.wave).values("system")
        if self.system is not None:
            return System.objects.filter(pk=self.system.pk).values("pk")
        return None

    def designations(self):
        """Designations in scope: a region's are those of systems that ever lay in it; a
        system's include those of systems it absorbed (Nottinghamshire's Wave 1 came with
        Greater Nottingham)."""
        designations = Designation.objects.filter(designated_on__lte=self.as_at)
        if self.region is not None:
            in_region = SystemFootprint.objects.filter(footprint__region=self.region).values(
                "system"
            )
            designations = designations.filter(system__in=in_region)
        elif self.wave is not None:
            designations = designations.filter(wave=self.wave)
        elif self.system is not None:
            designations = Designation.objects.carried_by(self.system, self.as_at)
        return designations.select_related("system", "wave").order_by(
            "wave__sequence", Lower("system__name"), "system__slug"
        )


# -- words ------------------------------------------------------------------------------------


def on_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def wave_noun(wave: Wave) -> Noun:
    """'Wave 1 ICS(s)', or for waves named by their date 'ICS(s) of the June 2019 wave'."""
    if wave.name.lower().startswith("wave"):
        return Noun(f"{wave.name} ICS", f"{wave.name} ICSs")
    return Noun(f"ICS of the {wave.name} wave", f"ICSs of the {wave.name} wave")


STATUS_PHRASES = {
    SystemStatusKind.STP: "a sustainability and transformation partnership (STP)",
    SystemStatusKind.SHADOW_ACS: "a shadow accountable care system",
    SystemStatusKind.ICS: "an integrated care system (ICS)",
    SystemStatusKind.ICB: "an integrated care system with a statutory integrated care board",
    SystemStatusKind.MERGED: "merged into or absorbed by another system",
    SystemStatusKind.SPLIT: "split between successor systems",
    SystemStatusKind.CLOSED: "closed",
}


def later_note(name: str, note: dict) -> str:
    """What later became of a designated system (`name`), as the board paper's notes say it:
    a note from `systems.presenters.later_notes`, its successors in the lineage's words
    ("Frimley Health split on 1 April 2026 between ...") or a boundary change."""
    if "sentence" in note:
        return sentence(note["sentence"].text(subject=name, join=names_list))
    event = note["event"]
    date = on_partial_date(event.occurred_on, event.precision)
    what = event.describe(from_point_of_view_of=event.system)
    text = f"{name}: {what[0].lower()}{what[1:]} {date}"
    text = sentence(text + (" (unverified)" if event.unverified else ""))
    if event.note:
        text += " " + sentence(event.note)
    return text


# -- the groups the finance and performance sections speak of ----------------------------------


def wave_groups(scope: SummaryScope, year: FinancialYear) -> list[tuple[Wave, list[Designation]]]:
    """Each wave with designations in scope by the end of `year`, and those designations (the
    systems as designated, by name): the groups the finance and performance sections both
    write about, so they speak of the same systems. One query."""
    ids = scope.system_ids(year.starts_on)
    designations = (
        Designation.objects.filter(designated_on__lte=year.ends_on)
        .filter(system__in=ids if ids is not None else System.objects.all())
        .select_related("system", "wave")
        .order_by("wave__sequence", Lower("system__name"), "system__slug")
    )
    groups: dict[int, tuple[Wave, list[Designation]]] = {}
    for designation in designations:
        groups.setdefault(designation.wave_id, (designation.wave, []))[1].append(designation)
    return list(groups.values())


def designated_system_ids(day: dt.date) -> set[int]:
    """Every system designated in any wave by `day`: the ICSs, against whom the rest are
    'non-ICSs'."""
    return set(
        Designation.objects.filter(designated_on__lte=day).values_list("system_id", flat=True)
    )
