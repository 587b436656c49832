from django import template

from ..formatting import format_count, format_percent, format_points

register = template.Library()

register.filter("percent", format_percent)
register.filter("points", format_points)
register.filter("count", format_count)
