"""The list of earlier board summaries."""

import django_tables2 as tables
from django.utils.html import format_html

from core.tables import OrderedTable


class BoardSummaryTable(OrderedTable):
    requested_at = tables.DateTimeColumn(verbose_name="Requested", format="j M Y, H:i")
    requested_by = tables.Column(verbose_name="By", default="—")
    summary = tables.Column(verbose_name="Summary", accessor="pk", orderable=False)
    as_at = tables.DateColumn(verbose_name="Designation as at", format="j M Y")
    format = tables.Column(verbose_name="Format")
    status = tables.Column(verbose_name="Status")

    tiebreak = ("-requested_at", "-pk")  # newest first, as the model orders them

    class Meta:
        attrs = {"class": "nhsuk-table"}
        orderable = False
        empty_text = "No board summaries have been requested yet."

    def render_summary(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.title)

    def value_summary(self, record):
        return record.title

    def render_requested_by(self, value):
        return value.get_username()

    def render_status(self, record):
        colour = {"done": "green", "failed": "red", "running": "blue"}.get(record.status, "grey")
        return format_html(
            '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>',
            colour,
            record.get_status_display(),
        )
