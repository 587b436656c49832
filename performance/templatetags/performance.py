from django import template

from ..formatting import format_count, format_percent, format_points

register = template.Library()

register.filter("percent", format_percent)
register.filter("points", format_points)
register.filter("count", format_count)


PROVENANCE_LABELS = {
    "real": "Real",
    "illustrative": "Illustrative",
    "mixed": "Mixed: some illustrative",
    "none": "—",
}


@register.filter
def provenance(value: str) -> str:
    """How a period's figures were made (`rules.Figures.provenance`), in words."""
    return PROVENANCE_LABELS.get(value, value)
