"""`handouts languages`: each shipped language and the state of its catalog."""

from __future__ import annotations

import unicodedata

from handouts.catalogs import load_catalog
from handouts.localization import LANGUAGES

HEADER = ("tag", "language", "in itself", "complete", "review", "script", "direction")


def language_rows() -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for language in LANGUAGES.values():
        _translations, status = load_catalog(language.tag)
        if status.errors:
            completeness = f"errors ({len(status.errors)})"
        else:
            completeness = f"{status.translated}/{status.total}" + (
                "" if status.complete else " (not offered)"
            )
        review = status.review
        if status.reviewer:
            review = f"{review} by {status.reviewer} on {status.reviewed_on}"
        rows.append(
            (
                language.tag,
                language.english_name,
                language.native_name,
                completeness,
                review,
                language.script,
                language.direction,
            )
        )
    return rows


def _width(text: str) -> int:
    # Chinese, Japanese and Korean characters take two columns in a terminal;
    # a combining sign (Hindi's virama) takes none.
    return sum(
        0 if unicodedata.category(char) in ("Mn", "Me") else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def language_lines() -> list[str]:
    rows = [HEADER, *language_rows()]
    widths = [max(_width(row[column]) for row in rows) for column in range(len(HEADER))]
    return [
        "  ".join(
            cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]
