"""`{% html_attrs attrs base_class skip=name %}`: HTML attributes from a dict-like `attrs` (a
django-tables2 AttributeDict or a form widget's attrs), with `base_class` merged into its class
instead of being overridden by it (a whole class name: "nhsuk-table__cell--numeric" does not
count as "nhsuk-table__cell").

Keys django-tables2 uses for nested attributes (th, td, thead...) and private keys (_ordering)
are skipped, as are None and False values; True renders a bare attribute. It starts with a
space and ends without one: it sits inside a tag. `skip` names one more key to leave out (a
field's id, say, when the caller writes it itself).

A table writes this for every cell, so it is Python rather than an included template, which
cost a template lookup and a context push a cell (a fifth of a cold `/systems/` request).
tests/core/test_html_attrs.py holds it equal to the template it replaced.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

# django-tables2's keys for the attributes of a column's parts, not attributes themselves.
NESTED = frozenset({"th", "td", "tf", "cell", "thead", "tbody", "tfoot"})


def _class(attrs, base_class) -> str:
    given = attrs.get("class") if attrs else None
    if not given:
        return conditional_escape(base_class)
    if base_class in str(given).split():
        return conditional_escape(given)
    return f"{conditional_escape(base_class)} {conditional_escape(given)}"


def _value(value) -> str:
    text = str(value)  # as the stringformat:"s" filter writes it
    return text if isinstance(value, SafeData) else conditional_escape(text)


@register.simple_tag
def html_attrs(attrs, base_class="", skip=None) -> str:
    parts = [f' class="{_class(attrs, base_class)}"']
    if attrs and hasattr(attrs, "items"):
        for name, value in attrs.items():
            name = str(name)
            if name == "class" or name == skip or name in NESTED or name.startswith("_"):
                continue
            if value is None or value is False:
                continue
            if value is True:
                parts.append(f" {conditional_escape(name)}")
            else:
                parts.append(f' {conditional_escape(name)}="{_value(value)}"')
    return mark_safe("".join(parts))
