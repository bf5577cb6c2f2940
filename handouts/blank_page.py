"""The page put after a document with an odd number of pages in a merged
print job, so the next patient's first page starts on a fresh sheet of paper
in duplex. It says it is blank on purpose, in the language of the document
before it and in English, so nobody looks for a missing page.

The whole page is an artifact: it is not part of any document, and a screen
reader skips it.
"""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING

import pikepdf

from handouts.catalogs import load_catalog
from handouts.localization import LANGUAGES, SOURCE_LANGUAGE, Language, resolve_language
from handouts.page import PageOptions
from handouts.temporary_folder import temporary_files_in_own_folder

if TYPE_CHECKING:
    from handouts.rendering import Renderer

_TEXT_SIZE_PT = 10


def blank_page_message(language: Language) -> str:
    translations, _status = load_catalog(language.tag)
    # TRANSLATORS: the only text on a page left empty so that, printed on both
    # sides, the next patient's pages start on a new sheet of paper.
    return translations.gettext("This page is intentionally blank.")


class BlankPages:
    """One-page PDFs that say they are intentionally blank, made once per
    language and paper size and reused for every gap in a merged file."""

    def __init__(self, renderer: Renderer | None = None) -> None:
        self._renderer = renderer
        self._made: dict[tuple[str, float, float], bytes] = {}

    def __call__(self, language_tag: str, width_pt: float, height_pt: float) -> bytes:
        language = _language(language_tag)
        key = (language.tag, round(width_pt, 2), round(height_pt, 2))
        if key not in self._made:
            self._made[key] = self._make(language, *key[1:])
        return self._made[key]

    def _make(self, language: Language, width_pt: float, height_pt: float) -> bytes:
        from weasyprint import CSS, HTML  # only a merge with a gap needs it

        renderer = self._renderer_once()
        lines = [(language, blank_page_message(language))]
        if language.tag != SOURCE_LANGUAGE:
            english = LANGUAGES[SOURCE_LANGUAGE]
            lines.append((english, blank_page_message(english)))
        paragraphs = "".join(
            f'<p lang="{lang.tag}" dir="{lang.direction}">{html.escape(text)}</p>' for lang, text in lines
        )
        page = (
            f'<html lang="{language.tag}" dir="{language.direction}"><head><title>'
            f"{html.escape(lines[-1][1])}</title></head><body>{paragraphs}</body></html>"
        )
        # Centred both ways, small and grey: a note, not content.
        layout = CSS(
            string=f"@page {{ size: {width_pt}pt {height_pt}pt; margin: 0; }}\n"
            f"body {{ margin: 0; padding-top: {height_pt / 2 - _TEXT_SIZE_PT * 1.5}pt; text-align: center; "
            f"font-size: {_TEXT_SIZE_PT}pt; color: #555; }}\n"
            "p { margin: 0; text-align: center; }"
        )
        stylesheets = [*renderer.stylesheets(PageOptions(language)), layout]
        with temporary_files_in_own_folder():
            document = HTML(string=page, url_fetcher=renderer.fetcher).render(
                stylesheets=stylesheets, font_config=renderer.font_config
            )
            data = document.write_pdf()
        assert isinstance(data, bytes) and len(document.pages) == 1
        return _as_artifact(data)

    def _renderer_once(self) -> Renderer:
        if self._renderer is None:
            from handouts.rendering import Renderer

            self._renderer = Renderer()
        return self._renderer


def _language(tag: str) -> Language:
    """The shipped language of a part's /Lang; English for a part without one."""
    if tag in LANGUAGES:
        return LANGUAGES[tag]
    return resolve_language(tag) if tag else LANGUAGES[SOURCE_LANGUAGE]


def _as_artifact(data: bytes) -> bytes:
    """Everything the page draws, marked as an artifact: it belongs to no document."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        page.contents_coalesce()
        page.contents_add(pikepdf.Stream(pdf, b"/Artifact BMC\n"), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, b"\nEMC\n"))
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()
