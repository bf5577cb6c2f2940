"""What a page is printed for: language, paper, print size."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handouts.localization import Language


@dataclass(frozen=True)
class PageOptions:
    language: Language
    paper: str = "letter"
    large_print: bool = False
    # A translator's .po file (--catalog) standing in for the bundled catalog.
    catalog: Path | None = None
    # A discharge sheet's extra copy of the signatures, marked for the chart.
    chart_copy: bool = False
    # On the English copy printed with --with-english: the patient's copy's language, for staff.
    staff_copy_of: Language | None = None
