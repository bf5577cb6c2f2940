"""Accessibility, checked by an independent validator and by what a screen
reader and a text search get out of the PDFs.

`page-validation` checks each kind of document the tool writes against
PDF/UA-1; the rest reads the PDFs the way assistive technology does: the
text behind the glyphs (pypdf and poppler's pdftotext, two independent
readers), the structure tree, what is marked as page furniture, and the
language of each part. Every PDF is rendered once, in process.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from conftest import PATIENT
from page import validate_pdf_bytes
from pypdf import PdfReader
from weasyprint import HTML

from handouts.application import content_medication
from handouts.blank_page import BlankPages
from handouts.clinic import load_sample_profile
from handouts.content import handout_kinds, load_content
from handouts.localization import LANGUAGES
from handouts.order import DischargeOrder
from handouts.page import PageOptions
from handouts.patient import load_patient_file
from handouts.pdf_merge import merge_tagged
from handouts.rendering import Renderer

KINDS = handout_kinds()
LIQUID = (Path(__file__).parent.parent / "examples" / "patient-liquid.toml").read_text(encoding="utf-8")
GRANULES = PATIENT.replace('form = "tablet"', 'form = "granules"').replace(
    "strengths_mg = [10, 5]\nsplit_tablets = true", "strengths_mg = [5]"
)
# An Arabic name on an English sheet: drawn by the Arabic font, read back as typed.
ARABIC_NAME = "خديجة ظافر الشيخ"
# Arabic letters and vowel marks; not the tatweel, digits or punctuation.
ARABIC_WORD = re.compile(r"[\u0621-\u063f\u0641-\u065f\u0670-\u06d3\u06d5]+")
VOWELS = re.compile(r"[\u064b-\u0652]")
# pdftotext wraps right-to-left lines in embedding marks; they are not text.
BIDI_CONTROLS = dict.fromkeys(range(0x202A, 0x202F)) | dict.fromkeys((0x200E, 0x200F))


INLINE = frozenset(("a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "i", "mark", "q", "small", "span", "strong", "sub", "sup", "time", "u"))  # fmt: skip


class _PageText(HTMLParser):
    """The words the HTML puts on the page: inline markup (a bold word, a
    phone number) joins its neighbours, a block starts a new line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in ("head", "style", "script")
        if tag not in INLINE:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("head", "style", "script")
        if tag not in INLINE:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _PageText()
    parser.feed(html)
    return "".join(parser.parts)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    printed: str  # every word the HTML puts on the pages


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


@pytest.fixture(scope="module")
def matrix(renderer: Renderer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """One PDF per cell: every kind in English, Arabic and Chinese, the other
    scripts, large print, --with-english, the three forms of discharge sheet,
    an --include packet and a --merge file."""
    folder = tmp_path_factory.mktemp("patients")
    clinic = load_sample_profile()

    def order(name: str, text: str) -> DischargeOrder:
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
        return load_patient_file(folder / f"{name}.toml", content_medication())

    tablets = order("tablets", PATIENT.replace("María José Núñez", ARABIC_NAME))
    # 80 mg a day in 4 doses, 5 mg less every week: steps and tick grid both run over pages.
    long = order(
        "long",
        PATIENT.replace("daily_mg = 30", "daily_mg = 80")
        .replace("doses_per_day = 3", "doses_per_day = 4")
        .replace("hold_at_mg = 10\nhold_days = 14\n", ""),
    )
    liquid, granules = order("liquid", LIQUID), order("granules", GRANULES)
    cells: dict[str, Rendered] = {}

    def handout(name: str, kind: str, tag: str, large: bool = False, english: bool = False) -> None:
        options = PageOptions(LANGUAGES[tag], large_print=large)
        pdf = renderer.render(kind, clinic, options, with_english=english)
        cells[name] = Rendered(pdf.data, page_text(renderer.handout_html(kind, clinic, options)))

    def sheet(
        name: str, patient: DischargeOrder, tag: str, large: bool = False, include: tuple[str, ...] = ()
    ) -> None:
        options = PageOptions(LANGUAGES[tag], large_print=large)
        pdf = renderer.render_discharge(patient, clinic, options, include=include)
        cells[name] = Rendered(pdf.data, page_text(renderer.discharge_html(patient, clinic, options)))

    for kind in KINDS:
        for tag in ("en", "ar", "zh-Hans"):
            handout(f"{kind}-{tag}", kind, tag)
    handout("warning-signs-ko", "warning-signs", "ko")
    handout("tapering-ru", "tapering", "ru")
    handout("treatment-vi", "treatment", "vi")
    handout("treatment-en-large", "treatment", "en", large=True)
    handout("warning-signs-ar-large", "warning-signs", "ar", large=True)
    handout("tapering-ar-with-english", "tapering", "ar", english=True)
    handout("treatment-zh-Hans-with-english", "treatment", "zh-Hans", english=True)
    # Issue 16's scripts: Devanagari, Japanese and Traditional Chinese faces (English
    # words in them while their catalogs are placeholders, the translations once they land).
    handout("warning-signs-hi", "warning-signs", "hi")
    handout("tapering-ja", "tapering", "ja")
    handout("treatment-zh-Hant", "treatment", "zh-Hant")
    sheet("sheet-tablets-en", tablets, "en")
    sheet("sheet-long-en", long, "en")
    sheet("sheet-liquid-ar", liquid, "ar")
    sheet("sheet-granules-ko", granules, "ko")
    sheet("sheet-tablets-ar-large", tablets, "ar", large=True)
    sheet("packet-es", tablets, "es", include=("tapering", "warning-signs"))
    merged = merge_tagged(
        [cells[name].pdf for name in ("sheet-tablets-en", "sheet-liquid-ar", "tapering-ar-with-english")]
    )
    cells["merged"] = Rendered(merged, "")
    # A duplex-safe --merge: a document with an odd number of pages, then its blank page.
    odd = next(name for name in CELLS if name in cells and _page_count(cells[name].pdf) % 2)
    parts = [cells[name].pdf for name in (odd, "sheet-liquid-ar")]
    duplex = merge_tagged(parts, blank_page=BlankPages(renderer))
    assert _page_count(duplex) == sum(map(_page_count, parts)) + 1
    cells["merged-with-blank-page"] = Rendered(duplex, "")
    return cells


def _page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


CELLS = [
    *(f"{kind}-{tag}" for kind in KINDS for tag in ("en", "ar", "zh-Hans")),
    "warning-signs-ko", "tapering-ru", "treatment-vi", "treatment-en-large", "warning-signs-ar-large",
    "tapering-ar-with-english", "treatment-zh-Hans-with-english", "warning-signs-hi", "tapering-ja",
    "treatment-zh-Hant", "sheet-tablets-en", "sheet-liquid-ar", "sheet-granules-ko", "sheet-tablets-ar-large",
    "sheet-long-en", "packet-es", "merged", "merged-with-blank-page",
]  # fmt: skip


@pytest.mark.parametrize("cell", CELLS)
def test_the_validator_finds_no_failure(matrix: dict[str, Rendered], cell: str) -> None:
    report = validate_pdf_bytes(matrix[cell].pdf, profile="ua1")
    failures = "\n".join(f"{failure.rule_id}: {failure.message}" for failure in report.failures)
    assert not report.failures, failures
    assert report.rules.failed == 0 and report.is_compliant
    assert report.rules.passed > 50  # the profile really ran its rules


# --- the text behind the glyphs ----------------------------------------------


def pypdf_lines(pdf: bytes) -> list[str]:
    return [line for page in PdfReader(io.BytesIO(pdf)).pages for line in page.extract_text().splitlines()]


def pdftotext_lines(pdf: bytes) -> list[str]:
    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return text.decode().translate(BIDI_CONTROLS).splitlines()


READERS: dict[str, Callable[[bytes], list[str]]] = {"pypdf": pypdf_lines, "pdftotext": pdftotext_lines}


def arabic_words(text: str) -> list[str]:
    return ARABIC_WORD.findall(text)


ARABIC_HANDOUTS = [f"{kind}-ar" for kind in KINDS]


@pytest.mark.parametrize("cell", ARABIC_HANDOUTS)
def test_arabic_handouts_read_back_word_for_word_with_pypdf(matrix: dict[str, Rendered], cell: str) -> None:
    """Every Arabic word read out of the PDF, vowel signs and all, is one the
    page prints (before the fix "الخطر" came out as "النطر"), every printed
    word is there, and each line reads in the order it is written."""
    lines = pypdf_lines(matrix[cell].pdf)
    printed = arabic_words(matrix[cell].printed)
    read = [word for line in lines for word in arabic_words(line)]
    known = set(printed)
    # pypdf runs together two words placed apart on one line (the footer's
    # version and page number, two table headers): each half is a printed word.
    read = [part for word in read for part in _split_in_two(word, known)]
    assert sorted(set(read) - known) == []
    assert sorted(known - set(read)) == []
    running = f" {' '.join(printed)} "
    checked = 0
    for line in lines:
        words = [part for word in arabic_words(line) for part in _split_in_two(word, known)]
        # pypdf's own right-to-left ordering around numbers is not tested here.
        if len(words) > 1 and not re.search(r"[0-9A-Za-z\u0660-\u0669]", line):
            assert f" {' '.join(words)} " in running, line
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize("cell", ARABIC_HANDOUTS)
def test_arabic_handouts_read_back_letter_for_letter_with_pdftotext(
    matrix: dict[str, Rendered], cell: str
) -> None:
    """poppler reads every letter in order and every vowel sign; it breaks a
    word where a vowel sign sits over a letter (the sign is drawn apart), so
    here each line's letters are compared without spaces and vowel signs."""
    lines = pdftotext_lines(matrix[cell].pdf)
    printed = matrix[cell].printed
    assert sorted(VOWELS.findall("".join(lines))) == sorted(VOWELS.findall(printed))
    stream = _letters(printed)
    read = [_letters(line) for line in lines]
    assert all(letters in stream for letters in read), [
        line for line in lines if _letters(line) not in stream
    ]
    everything = "".join(read)
    assert [word for word in arabic_words(VOWELS.sub("", printed)) if word not in everything] == []
    assert sum(len(letters) > 20 for letters in read) >= 10


def _letters(text: str) -> str:
    return "".join(arabic_words(VOWELS.sub("", text)))


def _split_in_two(word: str, known: set[str]) -> tuple[str, ...]:
    """The word, or the two printed words it runs together."""
    if word not in known:
        for cut in range(1, len(word)):
            if word[:cut] in known and word[cut:] in known:
                return word[:cut], word[cut:]
    return (word,)


@pytest.mark.parametrize("reader", READERS)
def test_an_arabic_name_on_an_english_sheet_reads_back_as_typed(
    matrix: dict[str, Rendered], reader: str
) -> None:
    assert ARABIC_NAME in " ".join(READERS[reader](matrix["sheet-tablets-en"].pdf))


@pytest.mark.parametrize("weight", [400, 700])
def test_every_arabic_letter_in_every_joined_form_reads_back_as_itself(
    renderer: Renderer, weight: int
) -> None:
    """Each letter alone, and at the start, middle and end of a word, in the
    bundled Noto Sans Arabic. Its dotted letters share base shapes; without one
    glyph per letter form a reader gets another letter or nothing."""
    letters = [chr(code) for code in range(0x0621, 0x064B) if code != 0x0640]
    words = [word for letter in letters for word in (letter, f"ب{letter}ب", f"{letter}ب", f"ب{letter}")]
    paragraphs = "".join(f"<p>{' '.join(words[i : i + 8])}</p>" for i in range(0, len(words), 8))
    html = f'<html lang="ar" dir="rtl"><head><title>حروف</title></head><body style="font-weight: {weight}">{paragraphs}</body></html>'
    document = HTML(string=html).render(
        stylesheets=renderer.stylesheets(PageOptions(LANGUAGES["ar"])), font_config=renderer.font_config
    )
    pdf = renderer.write([document]).data
    for reader in READERS.values():
        assert arabic_words(" ".join(reader(pdf))) == words
    assert not validate_pdf_bytes(pdf, profile="ua1").failures


# --- the structure tree --------------------------------------------------------


def elements(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    kids = node.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [kid for kid in items if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def page_of(pdf: pikepdf.Pdf, element: pikepdf.Dictionary) -> int:
    return [page.obj.objgen for page in pdf.pages].index(element.Pg.objgen)


def descendants(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    found = []
    for kid in elements(node):
        found += [kid, *descendants(kid)]
    return found


@dataclass
class MarkedText:
    tagged: dict[tuple[int, int], str]  # (page, MCID): its text
    artifacts: list[tuple[int, str]]  # (page, text) marked as page furniture


def marked_text(pdf: pikepdf.Pdf) -> MarkedText:
    """The text of each marked-content sequence, decoded through the fonts'
    ToUnicode maps, as a screen reader walks it."""
    result = MarkedText({}, [])
    for index, page in enumerate(pdf.pages):
        maps = {str(name): _unicode_map(font) for name, font in page.Resources.get("/Font", {}).items()}
        stack: list[tuple[str, int | None]] = []
        font: dict[int, str] = {}
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "BDC":
                properties = operands[1] if isinstance(operands[1], pikepdf.Dictionary) else {}
                mcid = properties.get("/MCID")
                stack.append((str(operands[0]), int(mcid) if mcid is not None else None))
            elif op == "BMC":
                stack.append((str(operands[0]), None))
            elif op == "EMC":
                stack.pop()
            elif op == "Tf":
                font = maps.get(str(operands[0]), {})
            elif op in ("Tj", "TJ"):
                strings = operands[0] if op == "TJ" else [operands[0]]
                text = "".join(
                    font.get(int.from_bytes(raw[i : i + 2], "big"), "")
                    for item in strings
                    if isinstance(item, pikepdf.String)
                    for raw in [bytes(item)]
                    for i in range(0, len(raw), 2)
                )
                if any(tag == "/Artifact" for tag, _mcid in stack):
                    result.artifacts.append((index, text))
                elif stack and stack[-1][1] is not None:
                    key = (index, stack[-1][1])
                    result.tagged[key] = result.tagged.get(key, "") + text
    return result


def _unicode_map(font: pikepdf.Object) -> dict[int, str]:
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    return {
        int(code, 16): bytes.fromhex(text).decode("utf-16-be")
        for code, text in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", cmap.split("endcodespacerange")[1]
        )
    }


def test_a_calendar_over_several_pages_is_one_table(matrix: dict[str, Rendered]) -> None:
    """The steps, the tick grid and the symptom log: three tables, however many pages they run over."""
    with pikepdf.open(io.BytesIO(matrix["sheet-long-en"].pdf)) as pdf:
        tree = descendants(pdf.Root.StructTreeRoot)
        tables = [element for element in tree if str(element.S) == "/Table"]
        assert len(tables) == 3
        spans = [{page_of(pdf, row) for row in descendants(table) if str(row.S) == "/TR"} for table in tables]
        assert sorted(len(pages) for pages in spans)[-2:] == [2, 2]  # the steps and the tick grid run over pages
        for table in tables:
            heads = [kid for kid in elements(table) if str(kid.S) == "/THead"]
            assert len(heads) == 1
            ids = {str(cell.ID) for cell in descendants(table) if "/ID" in cell}
            headers = {
                str(header)
                for cell in descendants(table)
                if "/A" in cell
                for header in cell.A.get("/Headers", [])
            }
            assert headers and headers <= ids  # every cell's headers are in its own table


def test_running_header_footer_and_repeated_table_header_are_artifacts(matrix: dict[str, Rendered]) -> None:
    with pikepdf.open(io.BytesIO(matrix["sheet-long-en"].pdf)) as pdf:
        text = marked_text(pdf)
        pages = len(pdf.pages)
    tagged = " ".join(text.tagged.values())
    furniture = [" ".join(part for page, part in text.artifacts if page == index) for index in range(pages)]
    for number, on_page in enumerate(furniture, start=1):
        assert f"Page {number} of {pages}".replace(" ", "") in on_page.replace(" ", "")
        assert "SAMPLE" in on_page
        assert "Content version" in on_page
    assert "Page 1 of" not in tagged and "SAMPLE" not in tagged
    # Read once by a screen reader, printed on each page of the tick grid.
    assert tagged.count("Week") == 1
    assert sum("Week" in on_page for on_page in furniture) >= 1


@pytest.mark.parametrize("cell", ["tapering-ar-with-english", "treatment-zh-Hans-with-english"])
def test_the_english_part_is_tagged_english(matrix: dict[str, Rendered], cell: str) -> None:
    """A screen reader switches voice where the English copy for staff begins."""
    kind = next(kind for kind in KINDS if cell.startswith(kind))
    tag = cell.removeprefix(f"{kind}-").removesuffix("-with-english")
    with pikepdf.open(io.BytesIO(matrix[cell].pdf)) as pdf:
        parts = elements(pdf.Root.StructTreeRoot)
        assert [str(part.Lang) for part in parts] == [tag, "en"]
        assert str(pdf.Root.Lang) == tag
        english_pages = {page_of(pdf, element) for element in descendants(parts[1]) if "/Pg" in element}
        first_pages = {page_of(pdf, element) for element in descendants(parts[0]) if "/Pg" in element}
        assert english_pages and not english_pages & first_pages
        tagged = marked_text(pdf).tagged
    english = " ".join(text for (page, _mcid), text in tagged.items() if page in english_pages)
    assert load_content().handouts[kind].title in english


def test_each_document_of_a_packet_is_its_own_article(matrix: dict[str, Rendered]) -> None:
    with pikepdf.open(io.BytesIO(matrix["packet-es"].pdf)) as pdf:
        document = elements(pdf.Root.StructTreeRoot)[0]
        articles = elements(document)
        assert [str(article.S) for article in articles] == ["/Art"] * 3
        starts = [page_of(pdf, article) for article in articles]
        assert starts[0] == 0 and starts == sorted(starts) and len(set(starts)) == 3
