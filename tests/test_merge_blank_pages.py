"""A merged print job is duplex-safe: every document starts on an odd page,
so printed on both sides no sheet of paper holds two patients."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pypdf import PdfReader

from handouts.blank_page import BlankPages, blank_page_message
from handouts.clinic import load_sample_profile
from handouts.localization import LANGUAGES
from handouts.page import PageOptions
from handouts.pdf_merge import merge_tagged
from handouts.rendering import Renderer

ENGLISH_BLANK = "This page is intentionally blank."


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


@pytest.fixture(scope="module")
def blank_pages(renderer: Renderer) -> BlankPages:
    return BlankPages(renderer)


def document(renderer: Renderer, pages: int, tag: str = "en", paper: str = "letter") -> bytes:
    """A tagged document of exactly this many pages, each saying which page it is."""
    body = "".join(f'<p style="break-after: page">Document page {n}</p>' for n in range(1, pages + 1))
    html = f'<html lang="{tag}"><head><title>{pages} pages</title></head><body>{body}</body></html>'
    options = PageOptions(LANGUAGES[tag], paper=paper)
    laid_out = renderer.lay_out_html(
        html, "a test document", load_sample_profile(), options, renderer.fetcher
    )
    assert len(laid_out.pages) == pages
    return renderer.write([laid_out]).data


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def first_pages(pdf: bytes) -> list[int]:
    """The page numbers (from 1) where a document begins: its first page."""
    return [number for number, text in enumerate(page_texts(pdf), 1) if "Document page 1" in text]


def test_three_and_two_pages_make_six_with_a_blank_fourth(
    renderer: Renderer, blank_pages: BlankPages
) -> None:
    merged = merge_tagged([document(renderer, 3, "es", "a4"), document(renderer, 2)], blank_page=blank_pages)
    texts = page_texts(merged)
    assert len(texts) == 3 + 1 + 2
    spanish = blank_page_message(LANGUAGES["es"])
    assert spanish != ENGLISH_BLANK
    # In the language of the document before it, and in English.
    assert texts[3] == f"{spanish} {ENGLISH_BLANK}"
    assert first_pages(merged) == [1, 5]
    with pikepdf.open(io.BytesIO(merged)) as pdf:
        sizes = [[round(float(v)) for v in page.mediabox] for page in pdf.pages]
        # The blank page backs an A4 page, so it is A4, while the next document stays Letter.
        assert sizes[3] == sizes[2] == [0, 0, 595, 842]
        assert sizes[4] == [0, 0, 612, 792]


def test_the_blank_page_belongs_to_no_document(renderer: Renderer, blank_pages: BlankPages) -> None:
    merged = merge_tagged([document(renderer, 1, "ar"), document(renderer, 1)], blank_page=blank_pages)
    with pikepdf.open(io.BytesIO(merged)) as pdf:
        blank = pdf.pages[1]
        assert "/StructParents" not in blank.obj
        operators = [str(operator) for _operands, operator in pikepdf.parse_content_stream(blank)]
        # Everything it draws is inside one artifact, so a screen reader skips the page.
        assert operators[0] == "BMC" and operators[-1] == "EMC"
        assert "BDC" not in operators
        tree = pdf.Root.StructTreeRoot
        on_pages = {
            element.Pg.objgen
            for _key, value in pikepdf.NumberTree(tree.ParentTree).items()
            for element in (value if isinstance(value, pikepdf.Array) else [value])
            if element is not None
        }
        assert blank.obj.objgen not in on_pages
    text = page_texts(merged)[1]
    # pypdf gives an Arabic line's full stop where it is drawn (at its left), so compare the words.
    assert blank_page_message(LANGUAGES["ar"]).rstrip(".") in text and text.endswith(ENGLISH_BLANK)


@pytest.mark.parametrize(
    ("pages", "expected_total", "expected_starts"),
    [
        ((2, 2), 4, [1, 3]),  # even: nothing to add
        ((2, 1), 3, [1, 3]),  # the last document's back is blank anyway
        ((1, 1, 3), 7, [1, 3, 5]),
    ],
)
def test_every_document_starts_on_an_odd_page(
    renderer: Renderer,
    blank_pages: BlankPages,
    pages: tuple[int, ...],
    expected_total: int,
    expected_starts: list[int],
) -> None:
    merged = merge_tagged([document(renderer, count) for count in pages], blank_page=blank_pages)
    texts = page_texts(merged)
    assert len(texts) == expected_total
    assert first_pages(merged) == expected_starts
    assert sum(ENGLISH_BLANK in text for text in texts) == expected_total - sum(pages)


def test_an_english_blank_page_says_it_once(renderer: Renderer, blank_pages: BlankPages) -> None:
    merged = merge_tagged([document(renderer, 1), document(renderer, 1)], blank_page=blank_pages)
    assert page_texts(merged)[1] == ENGLISH_BLANK


def test_without_a_blank_page_maker_the_parts_are_joined_as_they_are(renderer: Renderer) -> None:
    """The --with-english staff copy is one document in two languages: no gap."""
    assert len(page_texts(merge_tagged([document(renderer, 1), document(renderer, 1)]))) == 2
