"""Numbers in messages, written as a person writes them.

str(Decimal) follows the Decimal's exponent: a multiple worked out as
Decimal("1E+1") prints "1E+1", and 2.50 prints "2.50". A message for a nurse
says 10 and 2.5. (Doses on the page go through doses.format_dose instead,
in the page's language.)
"""

from __future__ import annotations

from decimal import Decimal


def plain_number(value: Decimal | int) -> str:
    """10, 2.5, 0.25, 1000000: no exponent, no trailing zeros, no grouping."""
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"not a number a person can write: {number}")
    if number.is_zero():
        return "0"  # never "-0" or "0E+2"
    # format "f" writes every digit exactly (normalize() would round to the context's 28 digits).
    written = format(number, "f")
    return written.rstrip("0").rstrip(".") if "." in written else written
