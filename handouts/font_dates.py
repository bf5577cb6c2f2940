"""Embedded fonts with the same bytes whichever subsetter WeasyPrint uses.

WeasyPrint subsets the fonts it embeds with HarfBuzz when libharfbuzz-subset
is installed, else with fontTools. fontTools stamps the time of saving into
each font's `head.modified`, so two renders of the same page would differ by
a few bytes. HarfBuzz keeps the font's own date; with this, so does fontTools.
"""

from __future__ import annotations

from typing import Any

import weasyprint.pdf.fonts
from fontTools.ttLib import TTFont


class _FontKeepingItsDate(TTFont):  # type: ignore[misc]  # fontTools is untyped here
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("recalcTimestamp", False)
        super().__init__(*args, **kwargs)


def keep_font_dates() -> None:
    """Make every font WeasyPrint writes into a PDF keep its own date.
    WeasyPrint builds its fonts with the TTFont name it imported; that name
    is what is replaced, so nothing else using fontTools is affected."""
    weasyprint.pdf.fonts.TTFont = _FontKeepingItsDate
