"""Table columns for the systems pages. The same Table renders the page and the export."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.dates import format_partial_date
from core.names import readable_name
from core.tables import (
    NUMERIC,
    DayColumn,
    LinkedColumn,
    OrderedTable,
    OrganisationNameColumn,
    TextColumn,
)

from .models import CoverageScope, SystemStatusKind


def share_label(value) -> str:
    """A membership's share as the tables write it: a whole percentage, or "Whole"."""
    return f"{value:.0%}" if value < 1 else "Whole"


def status_label(value):
    return SystemStatusKind(value).label if value else "—"


class StatusColumn(tables.Column):
    """A system's status by its label, on screen and in an export."""

    def render(self, value):
        return status_label(value)

    def value(self, value):
        return status_label(value)


class SystemTable(OrderedTable):
    name = tables.Column(verbose_name="System")
    ods_code_as_at = tables.Column(verbose_name="ODS code", default="—")
    ons_code_as_at = tables.Column(verbose_name="ONS code", default="—")
    region_name_as_at = tables.Column(verbose_name="Region", default="—")
    status_as_at = StatusColumn(verbose_name="Status")
    wave_name = tables.Column(
        verbose_name="Wave", order_by=("wave_sequence", "designated_on_as_at"), default="—"
    )
    designated_on_as_at = TextColumn(
        verbose_name="Designated",
        default="—",
        text=lambda record, value: format_partial_date(value, record.designated_precision),
    )
    member_count_as_at = tables.Column(verbose_name="Members", attrs=NUMERIC)

    tiebreak = ("name", "slug")

    class Meta:
        sequence = (
            "name",
            "ods_code_as_at",
            "ons_code_as_at",
            "region_name_as_at",
            "status_as_at",
            "wave_name",
            "designated_on_as_at",
            "member_count_as_at",
        )
        order_by = ("name",)
        attrs = {"class": "nhsuk-table"}
        orderable = True

    def render_name(self, record, value):
        # The name in use on the table's date (an ICB's short name from July 2022).
        value = getattr(record, "name_as_at", None) or value
        link = format_html(
            '<a href="{}">{}</a>', reverse("systems:detail", args=[record.url_code]), value
        )
        if record.scope_as_at == CoverageScope.PART:
            return format_html(
                '{} <span class="nhsuk-u-font-size-16 scope-note">(part of {})</span>',
                link,
                record.footprint_name_as_at,
            )
        return link

    def value_name(self, record, value):
        return getattr(record, "name_as_at", None) or value

    def render_wave_name(self, record, value):
        if record.designated_via:
            return format_html(
                '{} <span class="nhsuk-u-font-size-16">(as {})</span>',
                value,
                record.designated_via,
            )
        return value

    def value_wave_name(self, record, value):
        return f"{value} (as {record.designated_via})" if record.designated_via else value


class MemberTable(OrderedTable):
    organisation__name = OrganisationNameColumn(
        verbose_name="Organisation",
        url=lambda record: reverse("systems:organisation", args=[record.organisation.ods_code]),
    )
    organisation__ods_code = tables.Column(verbose_name="ODS code")
    # A field with choices is shown and exported by its label (get_kind_display).
    organisation__kind = tables.Column(verbose_name="Kind")
    share = tables.Column(verbose_name="Share", attrs=NUMERIC)
    valid_from = DayColumn(verbose_name="Member from")
    valid_until = DayColumn(verbose_name="Member until", default="—")

    tiebreak = ("organisation__name", "organisation__ods_code", "valid_from")

    class Meta:
        order_by = ("organisation__name",)
        attrs = {"class": "nhsuk-table"}

    def render_share(self, value):
        return share_label(value)

    def value_share(self, value):
        return value


def _organisation_url(record):
    return reverse("systems:organisation", args=[record.ods_code])


def _system_url(code):
    return reverse("systems:detail", args=[code]) if code else None


class OrganisationTable(OrderedTable):
    """Organisations found by the lookup, each with the system it belonged to on the page's
    date (`OrganisationQuerySet.with_system_as_at`)."""

    name = OrganisationNameColumn(verbose_name="Organisation", url=_organisation_url)
    ods_code = tables.Column(verbose_name="ODS code")
    kind = tables.Column(verbose_name="Kind")
    system_name_as_at = tables.Column(verbose_name="System on the date", default="—")
    opened_on = DayColumn(verbose_name="Opened", default="—")
    closed_on = DayColumn(verbose_name="Closed", default="—")

    tiebreak = ("name", "ods_code")

    class Meta:
        order_by = ("name",)
        attrs = {"class": "nhsuk-table"}

    def render_system_name_as_at(self, record, value):
        link = format_html('<a href="{}">{}</a>', _system_url(record.system_url_code_as_at), value)
        note = _split_note(record.system_count_as_at)
        if note:
            return format_html('{} <span class="nhsuk-u-font-size-16">{}</span>', link, note)
        return link

    def value_system_name_as_at(self, record, value):
        note = _split_note(record.system_count_as_at)
        return f"{value} {note}" if note else value


def _split_note(system_count: int) -> str:
    """What follows the largest-share system's name when an organisation was split."""
    others = system_count - 1
    if others < 1:
        return ""
    return f"(and {others} other{'s' if others > 1 else ''}: split)"


class MembershipHistoryTable(OrderedTable):
    """One organisation's memberships, earliest first (`MembershipQuerySet.history`), each
    system named as it was when the membership began, and later if it was renamed."""

    system_name_from = tables.Column(verbose_name="System", orderable=False)
    valid_from = DayColumn(verbose_name="Member from")
    valid_until = DayColumn(verbose_name="Member until", default="still a member")
    share = tables.Column(verbose_name="Share", attrs=NUMERIC)
    source = tables.Column(verbose_name="Source")
    unverified = tables.BooleanColumn(verbose_name="Unverified", yesno="Unverified,")
    note = tables.Column(verbose_name="Note", default="")

    # Drawn in the order the history query gives.
    tiebreak = ()

    class Meta:
        attrs = {"class": "nhsuk-table app-table--dense"}
        orderable = False

    def value_system_name_from(self, record, value):
        if record.system_name_until != value:
            return f"{value} (later {record.system_name_until})"
        return value

    def render_system_name_from(self, record, value):
        link = format_html('<a href="{}">{}</a>', _system_url(record.system_url_code), value)
        if record.system_name_until != value:
            return format_html("{} (later {})", link, record.system_name_until)
        return link

    def render_share(self, value):
        return share_label(value)

    def value_share(self, value):
        return value


class WaveTable(OrderedTable):
    name = tables.Column(
        verbose_name="Wave", linkify=lambda record: reverse("systems:wave", args=[record.slug])
    )
    announced_on = TextColumn(
        verbose_name="Announced", text=lambda record: record.announced_display
    )
    effective_on = TextColumn(
        verbose_name="Effective", text=lambda record: record.effective_display
    )
    system_count = tables.Column(verbose_name="Systems", attrs=NUMERIC)
    description = tables.Column(verbose_name="What happened", orderable=False)
    unverified = tables.BooleanColumn(verbose_name="Unverified", yesno="Unverified,")

    tiebreak = ("sequence",)

    class Meta:
        order_by = ("effective_on",)
        attrs = {"class": "nhsuk-table"}


def _system_page(system) -> str:
    return reverse("systems:detail", args=[system.slug])


class ChangeTable(OrderedTable):
    """The changes between two dates (`systems.changes.change_rows`), in date order."""

    date = TextColumn(verbose_name="Date", text=lambda record: record.date_display)
    kind = tables.Column(verbose_name="Kind of change")
    system = LinkedColumn(verbose_name="System", url=lambda record: _system_page(record.system))
    what = tables.Column(verbose_name="What changed")
    source = tables.Column(verbose_name="Source", default="—")
    unverified = tables.BooleanColumn(verbose_name="Unverified", yesno="Unverified,")

    class Meta:
        attrs = {"class": "nhsuk-table"}
        orderable = False


def _system_links(systems) -> str:
    return format_html_join(
        ", ", '<a href="{}">{}</a>', ((_system_page(s), s.shown_name) for s in systems)
    )


class MoveTable(OrderedTable):
    """Organisations whose system on date A differs from that on date B."""

    organisation = TextColumn(
        verbose_name="Organisation",
        accessor="organisation__name",
        text=lambda value: readable_name(value),
    )
    ods_code = tables.Column(verbose_name="ODS code", accessor="organisation__ods_code")
    kind = TextColumn(
        verbose_name="Kind", text=lambda record: record.organisation.get_kind_display()
    )
    systems_before = tables.Column(verbose_name="System on date A")
    systems_after = tables.Column(verbose_name="System on date B")

    class Meta:
        attrs = {"class": "nhsuk-table"}
        orderable = False

    def render_systems_before(self, value):
        return _system_links(value)

    def render_systems_after(self, value):
        return _system_links(value)

    def value_systems_before(self, value):
        return ", ".join(s.shown_name for s in value)

    def value_systems_after(self, value):
        return ", ".join(s.shown_name for s in value)
