"""Values and counts as the performance pages show and export them.

A value is a fraction (numerator over denominator). On screen it is a percentage to one place
(89.7%); exported, a percentage to four places (89.6642) as a number. Gaps are percentage
points with a sign (+1.2, \u22120.4). Counts are whole numbers with separators on screen.
"""

from decimal import ROUND_HALF_UP, Decimal

from .reference import AE_SOURCE_LINE, AE_STANDARD_TYPES

ILLUSTRATIVE_SOURCE = "Illustrative demo data (not real figures)"
IMPORTED_SOURCE = "Imported figures (each observation records the file it came from)"

MINUS = "\u2212"
HUNDRED = Decimal(100)


def _rounded(value, places: str) -> Decimal:
    return Decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def percent_value(value) -> Decimal | None:
    """A fraction as an exported percentage, to four places."""
    if value is None:
        return None
    return _rounded(Decimal(value) * HUNDRED, "0.0001")


def format_percent(value) -> str:
    """A fraction as a percentage to one place: `89.7%`, or a dash for no figure."""
    if value is None:
        return "—"
    return f"{_rounded(Decimal(value) * HUNDRED, '0.1')}%"


def format_points(value) -> str:
    """Percentage points with a sign: `+1.2`, `\u22120.4`, `0.0`."""
    if value is None:
        return "—"
    rounded = _rounded(value, "0.1")
    if rounded > 0:
        return f"+{rounded}"
    if rounded < 0:
        return f"{MINUS}{abs(rounded)}"
    return "0.0"


def format_count(value) -> str:
    """A count of patients, whole, with separators (a split trust's share may leave a
    fraction, which the export keeps)."""
    if value is None:
        return "—"
    return f"{_rounded(value, '1'):,}"


def count_value(value) -> Decimal | None:
    """A count as exported: exact to four places (a split trust's share), whole numbers
    without a fraction."""
    if value is None:
        return None
    exact = _rounded(value, "0.0001")
    return exact.quantize(Decimal(1)) if exact == exact.to_integral_value() else exact.normalize()


def figures_label(*, real: bool, illustrative: bool) -> str:
    """Which figures a row counts, as its Figures column says: real, illustrative or both."""
    if real and illustrative:
        return "Real and illustrative"
    return "Illustrative" if illustrative else "Real"


def real_source(standard_code: str) -> str:
    """Where the real figures on `standard_code` come from: the shipped NHS England A&E
    statistics for the A&E standards, otherwise the imports (each observation names its own)."""
    return AE_SOURCE_LINE if standard_code in AE_STANDARD_TYPES else IMPORTED_SOURCE


def figures_source(standard_code: str, *, real: bool, illustrative: bool) -> str:
    """A row's source, as an export writes it: the real figures' source, the illustrative
    ones', or both."""
    sources = [real_source(standard_code)] if real else []
    return "; ".join(sources + ([ILLUSTRATIVE_SOURCE] if illustrative else []))


def format_rate(value) -> str:
    """A rate per 1,000 people to one place, with separators: `1,234.5`, or a dash."""
    if value is None:
        return "—"
    return f"{_rounded(value, '0.1'):,}"


def rate_value(value) -> Decimal | None:
    """A rate as exported: to four places, as a number."""
    if value is None:
        return None
    return _rounded(value, "0.0001")
