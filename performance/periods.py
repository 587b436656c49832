"""Periods performance is reported over: a month, a quarter or a financial year.

A period is a run of whole months. NHS financial years run April to March and their quarters
are April-June (Q1), July-September (Q2), October-December (Q3) and January-March (Q4). In URLs
a period is written `2017-18` (a financial year), `2017-18-q3` (a quarter of it) or `2017-11`
(a month). `2011-12` could be either December 2011 or 2011/12; it is read as the year, and the
data begin in 2016, so no such month arises.
"""

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-(\d{2})-q([1-4])$")


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


MONTHS_IN = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def financial_year_of(day: dt.date) -> int:
    """The start year of the financial year `day` falls in: 2017 for any day of 2017/18."""
    return day.year if day.month >= 4 else day.year - 1


def _year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _year_slug(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


@dataclass(frozen=True, order=True)
class Period:
    """A run of whole months: `first_month` is the first day of its first month."""

    first_month: dt.date
    kind: PeriodKind

    # -- making one ---------------------------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(dt.date(year, month, 1), PeriodKind.MONTH)

    @classmethod
    def financial_year(cls, start_year: int) -> "Period":
        return cls(dt.date(start_year, 4, 1), PeriodKind.YEAR)

    @classmethod
    def quarter(cls, start_year: int, quarter: int) -> "Period":
        if not 1 <= quarter <= 4:
            raise ValueError(f"a financial year has quarters 1 to 4, not {quarter}")
        return cls(add_months(dt.date(start_year, 4, 1), 3 * (quarter - 1)), PeriodKind.QUARTER)

    @classmethod
    def containing(cls, day: dt.date, kind: PeriodKind) -> "Period":
        """The month, quarter or financial year that `day` falls in."""
        if kind == PeriodKind.MONTH:
            return cls.month(day.year, day.month)
        start_year = financial_year_of(day)
        if kind == PeriodKind.YEAR:
            return cls.financial_year(start_year)
        months_in = (day.year * 12 + day.month) - (start_year * 12 + 4)
        return cls.quarter(start_year, months_in // 3 + 1)

    @classmethod
    def from_slug(cls, slug: str) -> "Period":
        """Read `2017-18`, `2017-18-q3` or `2017-11`; ValueError says what is wrong."""
        text = (slug or "").strip().lower()
        quarter = _QUARTER.match(text)
        if quarter and int(quarter[2]) == (int(quarter[1]) + 1) % 100:
            return cls.quarter(int(quarter[1]), int(quarter[3]))
        year = _YEAR.match(text)
        if year and int(year[2]) == (int(year[1]) + 1) % 100:
            return cls.financial_year(int(year[1]))
        if year and 1 <= int(year[2]) <= 12:
            return cls.month(int(year[1]), int(year[2]))
        raise ValueError(
            f"“{slug}” is not a period: write a financial year as 2017-18, a quarter as "
            "2017-18-q3 or a month as 2017-11"
        )

    # -- what it covers -----------------------------------------------------------------------

    @property
    def months(self) -> list[dt.date]:
        return [add_months(self.first_month, n) for n in range(MONTHS_IN[self.kind])]

    @property
    def last_month(self) -> dt.date:
        return add_months(self.first_month, MONTHS_IN[self.kind] - 1)

    @property
    def starts_on(self) -> dt.date:
        return self.first_month

    @property
    def ends_on(self) -> dt.date:
        return add_months(self.first_month, MONTHS_IN[self.kind]) - dt.timedelta(days=1)

    @property
    def start_year(self) -> int:
        """The financial year the period lies in (its start year)."""
        return financial_year_of(self.first_month)

    @property
    def quarter_number(self) -> int:
        months_in = (self.first_month.year - self.start_year) * 12 + self.first_month.month - 4
        return months_in // 3 + 1

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def year(self) -> "Period":
        """The financial year this period lies in."""
        return Period.financial_year(self.start_year)

    # -- how it is written --------------------------------------------------------------------

    @property
    def slug(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.first_month:%Y-%m}"
        if self.kind == PeriodKind.QUARTER:
            return f"{_year_slug(self.start_year)}-q{self.quarter_number}"
        return _year_slug(self.start_year)

    @property
    def label(self) -> str:
        """`2017/18`, `Q3 2017/18` or `November 2017`."""
        if self.kind == PeriodKind.MONTH:
            return f"{self.first_month:%B %Y}"
        if self.kind == PeriodKind.QUARTER:
            return f"Q{self.quarter_number} {_year_label(self.start_year)}"
        return _year_label(self.start_year)

    @property
    def long_label(self) -> str:
        """The label with its months spelled out where it is not one month."""
        if self.kind == PeriodKind.MONTH:
            return self.label
        last = self.last_month
        return f"{self.label} ({self.first_month:%B %Y} to {last:%B %Y})"

    def __str__(self):
        return self.label
