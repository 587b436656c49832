"""Money in templates, formatted as the finance tables format it (finance/money.py)."""

from django import template

from finance.money import format_money, format_pounds, format_share

register = template.Library()

register.filter("money", format_money)
register.filter("pounds", format_pounds)
register.filter("share", format_share)
