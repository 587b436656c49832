"""Columns of the maturity page. The same Table renders the page, its export and the board
summaries' maturity table."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from core.tables import LinkedColumn, OrderedTable, TextColumn

from .rules import level_position


def domain_levels_text(assessment) -> str:
    """`Finance: Advanced; Cancer: Outstanding`, from the prefetched domain ratings."""
    return "; ".join(
        f"{rating.domain.name}: {rating.level.name}" for rating in assessment.domain_ratings.all()
    )


class MaturityTable(OrderedTable):
    """Assessments, one per row: who was rated, under which framework, when, and at what level.

    Rows come from `maturity.queries`, annotated with their framework's `level_count`.
    """

    system__name = LinkedColumn(
        verbose_name="System",
        url=lambda record: reverse("systems:detail", args=[record.system.slug]),
    )
    framework__name = tables.Column(
        verbose_name="Framework", order_by=("framework__in_force_from", "framework__name")
    )
    assessed_on = TextColumn(verbose_name="Assessed", text=lambda record: record.assessed_display)
    level__name = tables.Column(verbose_name="Level", order_by=("level__order",))
    position = TextColumn(
        verbose_name="Place on the scale",
        accessor="level",
        orderable=False,
        text=lambda record: level_position(
            record.level, record.level_count, record.framework.best_end
        ),
    )
    domains = tables.Column(
        verbose_name="Domain levels", accessor="pk", orderable=False, default=""
    )
    source = tables.Column(verbose_name="Source", orderable=False)
    source_url = tables.Column(verbose_name="Source address", visible=False, default="")
    unverified = tables.BooleanColumn(verbose_name="Unverified", yesno="Unverified,")
    illustrative = tables.BooleanColumn(verbose_name="Illustrative", yesno="Illustrative,")

    # A system has one assessment under a framework on a day.
    tiebreak = ("system__name", "system__slug", "assessed_on", "framework__name")

    class Meta:
        order_by = ("system__name", "assessed_on")
        attrs = {"class": "nhsuk-table"}
        empty_text = "No system was assessed under this framework by this date."

    def render_domains(self, record):
        return domain_levels_text(record) or "—"

    def value_domains(self, record):
        return domain_levels_text(record)

    def render_source(self, record, value):
        if record.source_url:
            return format_html(
                '<a class="nhsuk-link nhsuk-u-font-size-16" href="{}">{}</a>',
                record.source_url,
                value,
            )
        return format_html('<span class="nhsuk-u-font-size-16">{}</span>', value)

    def value_source(self, value):
        return value
