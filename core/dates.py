"""Dated periods, and dates that are known only to the month or the year.

A dated period is inclusive at both ends and an empty end means it still holds; `covers` is
that rule, written once.

Many facts in this domain are known only roughly ("June 2017", "2020"). Such a date is stored
as the first day of the period it is known to, with its precision beside it, so queries can
compare dates while pages and exports say no more than the source does.
"""

import datetime as dt
import re

from django.db import models


class DatePrecision(models.TextChoices):
    DAY = "day", "day"
    MONTH = "month", "month"
    YEAR = "year", "year"


_PARTIAL_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


def covers(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    """Whether the period from `start` to `end` includes `day`: inclusive at both ends (the
    end is the last day it held), and an empty end means it still holds.

    `core.models.valid_on` is its database twin; a test holds them equal."""
    return start <= day and (end is None or day <= end)


def parse_partial_date(text: str) -> tuple[dt.date, DatePrecision]:
    """Read `2018-05-24`, `2017-06` or `2020` into a date and its precision."""
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date: expected YYYY-MM-DD, YYYY-MM or YYYY")
    year = int(match["year"])
    if match["day"]:
        return dt.date(year, int(match["month"]), int(match["day"])), DatePrecision.DAY
    if match["month"]:
        return dt.date(year, int(match["month"]), 1), DatePrecision.MONTH
    return dt.date(year, 1, 1), DatePrecision.YEAR


def last_possible_day(value: dt.date, precision: str = DatePrecision.DAY) -> dt.date:
    """The last day a partial date can mean: 30 June 2017 for "June 2017", 31 December for a
    year. A date is only certainly before another when this day is."""
    if precision == DatePrecision.YEAR:
        return dt.date(value.year, 12, 31)
    if precision == DatePrecision.MONTH:
        next_month = (value.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return next_month - dt.timedelta(days=1)
    return value


_COARSENESS = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}


def coarsest_precision(precisions) -> str:
    """The least precise of some precisions (a day when there are none): what a date known
    through several facts can be said to."""
    return max(precisions, key=lambda precision: _COARSENESS[precision], default=DatePrecision.DAY)


def format_partial_date(value: dt.date | None, precision: str = DatePrecision.DAY) -> str:
    """Say a date no more precisely than it is known: `24 May 2018`, `June 2017`, `2020`."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


def on_partial_date(value: dt.date, precision: str = DatePrecision.DAY) -> str:
    """The date with the preposition a sentence needs: `on 24 May 2018`, `in June 2017`."""
    return ("on " if precision == DatePrecision.DAY else "in ") + format_partial_date(
        value, precision
    )


def partial_date_text(value: dt.date, precision: str) -> str:
    """The inverse of `parse_partial_date`, for writing data files back out."""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()
