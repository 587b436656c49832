"""Money as the finance pages show and export it: Decimal £ thousands, surplus positive.

On screen a figure is rounded to whole £ thousands, with thousands separators and a true
minus sign; exported, it is the exact number, so a spreadsheet can add it up.
"""

from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"
# A word joiner (no width) after the minus in "\u2212£700k": a line may break between two
# prefix signs, which would leave the minus at the end of one line and the amount on the next.
JOINED_MINUS = "\u2212\u2060"
# A share has 4 decimal places and money 2, so every figure here is exact to 6 places; SQLite
# does the arithmetic in floating point, and rounding to 6 places removes its noise.
EXACT = Decimal("0.000001")
PENNIES = Decimal("0.01")


def money_value(value) -> Decimal | None:
    """A figure in £ thousands as exported: exact, without float noise or trailing zeros
    beyond two places."""
    if value is None:
        return None
    exact = Decimal(value).quantize(EXACT)
    if exact == 0:
        return Decimal("0.00")
    trimmed = exact.normalize()
    return trimmed if trimmed.as_tuple().exponent < -2 else exact.quantize(PENNIES)


def format_money(value) -> str:
    """A figure in £ thousands as shown: whole thousands with separators, and a minus sign
    (U+2212) before a deficit."""
    if value is None:
        return "—"
    rounded = money_value(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    text = f"{abs(rounded):,}"
    return f"{MINUS}{text}" if rounded < 0 else text


def format_pounds(value) -> str:
    """A figure in £ thousands for a sentence: '£12,345k', with the minus sign before the £,
    joined to it so that a line never breaks between them."""
    text = format_money(value)
    if text.startswith(MINUS):
        return f"{JOINED_MINUS}£{text[1:]}k"
    return f"£{text}k"


def format_millions(value) -> str:
    """A large figure in £ thousands as £ millions to one place, for a headline: '£1,114.3m'."""
    millions = (money_value(value) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"£{abs(millions):,}m"
    return f"{JOINED_MINUS}{text}" if millions < 0 else text


def format_share(value) -> str:
    return "Whole" if value >= 1 else f"{value:.0%}"
