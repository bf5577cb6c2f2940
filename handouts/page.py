"""What a page is printed for: language, paper, print size."""

from __future__ import annotations

from dataclasses import dataclass

from handouts.localization import Language


@dataclass(frozen=True)
class PageOptions:
    language: Language
    paper: str = "letter"
    large_print: bool = False
