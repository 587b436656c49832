"""`{% judgement value "Met" "Missed" %}`: a yes-or-no judgement as an NHS.UK tag with its
words (green for the first, red for the second), as the tables show it (core.tables.tag); a
dash where there is nothing to judge (None)."""

from django import template

from core.tables import tag

register = template.Library()


@register.simple_tag
def judgement(value, yes: str = "Yes", no: str = "No") -> str:
    if value is None:
        return "—"
    return tag(yes, "green") if value else tag(no, "red")
