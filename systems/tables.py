"""Table columns for the systems pages. The same Table renders the page and the export."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django_tables2.data import TableListData, TableQuerysetData
from django_tables2.utils import OrderByTuple

from core.dates import format_partial_date

from .models import CoverageScope, SystemStatusKind

NUMERIC = {
    "th": {"class": "nhsuk-table__header--numeric"},
    "td": {"class": "nhsuk-table__cell--numeric"},
}


def status_label(value):
    return SystemStatusKind(value).label if value else "—"


def _always(record) -> bool:
    return True


class OrderedTable(tables.Table):
    """A Table whose rows come in one order, whatever column the reader sorts by.

    A sort leaves rows with equal values (every ICS when sorted by status) in whatever order
    the database returns them, which changes with a restore, a vacuum or a query plan. So after
    the sort chosen (or the table's default), rows are ordered by `tiebreak`: accessors that
    end with a unique key of the rows, natural where there is one, so the order does not
    depend on the order rows were written in either. Unsorted (`order_by=()`), rows stay in
    the order given, which is then the caller's; a table only ever drawn that way may set
    `tiebreak = ()`.
    """

    tiebreak: tuple[str, ...] = ("pk",)

    @property
    def order_by(self):
        return tables.Table.order_by.fget(self)

    @order_by.setter
    def order_by(self, value):
        tables.Table.order_by.fset(self, value)
        if not self.tiebreak or not self.order_by:
            return
        if isinstance(self.data, TableListData):
            # Python's sort is stable: rows put in tiebreak order stay in it among equals.
            self.data.data.sort(key=OrderByTuple(self.tiebreak).key)
            self.data.order_by(self.order_by)
        elif isinstance(self.data, TableQuerysetData):
            queryset = self.data.data
            self.data.data = queryset.order_by(*queryset.query.order_by, *self.tiebreak)


class FiguresColumn(tables.Column):
    """Whether the row's figures are made-up demonstration ones ("Illustrative") or real
    ("Reported"); a dash where `has_figures(record)` says the row has none. Pages drop this
    column when no row is illustrative, so the word appears only where it applies."""

    def __init__(self, *args, has_figures=_always, **kwargs):
        self.has_figures = has_figures
        kwargs.setdefault("verbose_name", "Figures")
        kwargs.setdefault("accessor", "illustrative")
        super().__init__(*args, **kwargs)

    def render(self, value, record):
        if not self.has_figures(record):
            return "—"
        return "Illustrative" if value else "Reported"

    def value(self, value, record):
        return self.render(value, record) if self.has_figures(record) else None


class SystemTable(OrderedTable):
    name = tables.Column(verbose_name="System")
    ods_code_as_at = tables.Column(verbose_name="ODS code", default="—")
    ons_code_as_at = tables.Column(verbose_name="ONS code", default="—")
    region_name_as_at = tables.Column(verbose_name="Region", default="—")
    status_as_at = tables.Column(verbose_name="Status")
    wave_name = tables.Column(
        verbose_name="Wave", order_by=("wave_sequence", "designated_on_as_at"), default="—"
    )
    designated_on_as_at = tables.Column(verbose_name="Designated", default="—")
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

    def value_name(self, value):
        return value

    def render_status_as_at(self, value):
        return status_label(value)

    def value_status_as_at(self, value):
        return status_label(value)

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

    def render_designated_on_as_at(self, record, value):
        return format_partial_date(value, record.designated_precision)

    def value_designated_on_as_at(self, record, value):
        return format_partial_date(value, record.designated_precision) if value else ""


class MemberTable(OrderedTable):
    organisation__name = tables.Column(verbose_name="Organisation")
    organisation__ods_code = tables.Column(verbose_name="ODS code")
    organisation__kind = tables.Column(verbose_name="Kind")
    share = tables.Column(verbose_name="Share", attrs=NUMERIC)
    valid_from = tables.Column(verbose_name="Member from")
    valid_until = tables.Column(verbose_name="Member until", default="—")

    tiebreak = ("organisation__name", "organisation__ods_code", "valid_from")

    class Meta:
        order_by = ("organisation__name",)
        attrs = {"class": "nhsuk-table"}

    def render_organisation__kind(self, record):
        return record.organisation.get_kind_display()

    def value_organisation__kind(self, record):
        return record.organisation.get_kind_display()

    def render_valid_from(self, value):
        return f"{value.day} {value:%b %Y}"

    def render_valid_until(self, value):
        return f"{value.day} {value:%b %Y}"

    def render_share(self, value):
        return f"{value:.0%}" if value < 1 else "Whole"

    def value_share(self, value):
        return value


class WaveTable(OrderedTable):
    name = tables.Column(
        verbose_name="Wave", linkify=lambda record: reverse("systems:wave", args=[record.slug])
    )
    announced_on = tables.Column(verbose_name="Announced")
    effective_on = tables.Column(verbose_name="Effective")
    system_count = tables.Column(verbose_name="Systems", attrs=NUMERIC)
    description = tables.Column(verbose_name="What happened", orderable=False)
    unverified = tables.BooleanColumn(verbose_name="Unverified", yesno="Unverified,")

    tiebreak = ("sequence",)

    class Meta:
        order_by = ("effective_on",)
        attrs = {"class": "nhsuk-table"}

    def render_announced_on(self, record):
        return record.announced_display

    def value_announced_on(self, record):
        return record.announced_display

    def render_effective_on(self, record):
        return record.effective_display

    def value_effective_on(self, record):
        return record.effective_display
