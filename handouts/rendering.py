"""From a handout kind, a clinic profile and page options to PDF bytes.

A Renderer holds everything that is costly to build (the font configuration,
the parsed stylesheets, one Jinja environment per language, the restricted
URL fetcher) so that many documents reuse them.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from handouts.assembly import Assembler
from handouts.clinic import ClinicProfile
from handouts.errors import RenderError
from handouts.fetcher import RestrictedFetcher
from handouts.font_dates import keep_font_dates
from handouts.fonts import (
    describe_characters,
    describe_scripts,
    font_face_css,
    font_family_css,
    uncovered_characters,
    with_fallbacks,
)
from handouts.line_breaking import keep_korean_words
from handouts.localization import LANGUAGES, SOURCE_LANGUAGE, Language
from handouts.order import DischargeOrder
from handouts.page import PageOptions
from handouts.page_text import visible_text
from handouts.pdf_repair import repair_pdf
from handouts.resources import asset_dir, asset_roots
from handouts.temporary_folder import temporary_files_in_own_folder

PDF_VARIANT = "pdf/ua-1"
# Notices about the machine, not the page: the PDF is complete either way.
_HARMLESS_NOTICES = ("Using fontTools instead of HarfBuzz-Subset",)


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


class _WarningCollector(logging.Handler):
    """WeasyPrint reports a missing image or font as a log warning; a patient
    handout must not ship with something silently missing, so we fail."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(_HARMLESS_NOTICES):
            self.messages.append(message)


class Renderer:
    def __init__(self) -> None:
        keep_font_dates()  # the same bytes from either font subsetter
        self.font_config = FontConfiguration()
        self.fetcher = RestrictedFetcher(asset_roots())
        self.assembler = Assembler()
        self._stylesheets: dict[tuple[str, bool, str], list[CSS]] = {}
        # A stylesheet WeasyPrint ignores is a bug. Its copies of the fonts go to our own folder.
        with _Guard(self.fetcher, None), temporary_files_in_own_folder():
            self._base_css = CSS(
                string=font_face_css() + "\n" + _read_style("handout.css"),
                font_config=self.font_config,
                url_fetcher=self.fetcher,
                base_url=_style_dir().as_uri() + "/",
            )

    def stylesheets(self, options: PageOptions) -> list[CSS]:
        key = (options.paper, options.large_print, options.language.tag)
        if key not in self._stylesheets:
            page_css = (
                f"@page {{ size: {options.paper}; }}\n"
                f"html {{ font-family: {font_family_css(with_fallbacks(options.language.font_stack))}; }}"
            )
            sheets = [self._base_css, CSS(string=page_css)]
            if options.large_print:
                sheets.append(CSS(filename=_style_dir() / "large-print.css", url_fetcher=self.fetcher))
            self._stylesheets[key] = sheets
        return self._stylesheets[key]

    def handout_html(self, kind: str, clinic: ClinicProfile, options: PageOptions) -> str:
        return self.assembler.handout_html(kind, clinic, options)

    def discharge_html(self, order: DischargeOrder, clinic: ClinicProfile, options: PageOptions) -> str:
        return self.assembler.discharge_html(order, clinic, options)

    def render(
        self, kind: str, clinic: ClinicProfile, options: PageOptions, with_english: bool = False
    ) -> RenderedPdf:
        """One handout as a PDF; with_english appends the English original for staff."""
        parts = [options]
        if with_english and options.language.tag != SOURCE_LANGUAGE:
            parts.append(replace(options, language=LANGUAGES[SOURCE_LANGUAGE], staff_copy_of=options.language))
        # One guard over layout and writing: SVG images are fetched while drawing.
        with _Guard(self.fetcher, clinic) as guard:
            documents = [self.lay_out(kind, clinic, part, guard.fetcher) for part in parts]
            if len(documents) == 1:
                return self.write(documents)
            # Written apart, then merged: each language keeps its own /Lang for screen readers.
            from handouts.pdf_merge import merge_tagged

            written = [self.write([document]) for document in documents]
            merged = merge_tagged([pdf.data for pdf in written])
            return RenderedPdf(merged, sum(pdf.pages for pdf in written))

    def render_discharge(
        self,
        order: DischargeOrder,
        clinic: ClinicProfile,
        options: PageOptions,
        include: tuple[str, ...] = (),
    ) -> RenderedPdf:
        """The discharge sheet, then any handouts asked for: one print job."""
        check_text_coverage(
            {
                "patient name": order.patient_name,
                "prescriber": order.prescriber,
                "follow-up with": order.follow_up.with_whom if order.follow_up else None,
                "follow-up where": order.follow_up.where if order.follow_up else None,
            },
            options.language,
            "patient file field",
            patient_data=True,
        )
        with _Guard(self.fetcher, clinic) as guard:
            html = self.discharge_html(order, clinic, options)
            documents = [self.lay_out_html(html, "the discharge sheet", clinic, options, guard.fetcher)]
            documents += [self.lay_out(kind, clinic, options, guard.fetcher) for kind in include]
            return self.write(documents)

    def lay_out(
        self, kind: str, clinic: ClinicProfile, options: PageOptions, fetcher: RestrictedFetcher
    ) -> Document:
        """Fill a handout's template and lay out its pages."""
        return self.lay_out_html(
            self.handout_html(kind, clinic, options), f"the {kind} handout", clinic, options, fetcher
        )

    def lay_out_html(
        self, html: str, what: str, clinic: ClinicProfile, options: PageOptions, fetcher: RestrictedFetcher
    ) -> Document:
        """Check every character against the fonts, then lay out the pages."""
        check_clinic_coverage(clinic, options.language)
        check_page_coverage(html, options.language, what)
        document = HTML(string=keep_korean_words(html), base_url=asset_dir("templates").as_uri() + "/", url_fetcher=fetcher)
        return document.render(stylesheets=self.stylesheets(options), font_config=self.font_config)

    def write(self, documents: list[Document]) -> RenderedPdf:
        pages = [page for document in documents for page in document.pages]
        # The first document's metadata (title, language) is the whole PDF's.
        combined = documents[0].copy(pages) if len(documents) > 1 else documents[0]
        pdf = combined.write_pdf(pdf_variant=PDF_VARIANT)
        assert isinstance(pdf, bytes)
        starts = [sum(len(document.pages) for document in documents[:i]) for i in range(len(documents))]
        return RenderedPdf(repair_pdf(pdf, starts), len(pages))


class _Guard:
    """Around WeasyPrint work: a fresh fetcher for the clinic's folder, and
    every refusal or warning turned into one RenderError."""

    def __init__(self, base: RestrictedFetcher, clinic: ClinicProfile | None):
        extra = [clinic.folder] if clinic and clinic.folder else []
        self.fetcher = base.for_document(*extra)
        self.collector = _WarningCollector()
        self.logger = logging.getLogger("weasyprint")

    def __enter__(self) -> _Guard:
        self.logger.addHandler(self.collector)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _tb: object
    ) -> Literal[False]:
        self.logger.removeHandler(self.collector)
        if self.fetcher.refused:
            refused = self.fetcher.refused[0]
            raise RenderError(
                f"refused to load {refused.url}: {refused.reason}",
                fix="use only files in the clinic profile's folder, and no web addresses",
            ) from None
        if isinstance(error, OSError):
            # WeasyPrint copies the fonts to temporary files; a full disk shows here first.
            raise RenderError(
                f"could not prepare the pages ({error.strerror or error})",
                fix=f"check the free disk space, also in the temporary folder {tempfile.gettempdir()}",
            ) from None
        if error is None and self.collector.messages:
            raise RenderError(f"the page would be incomplete: {self.collector.messages[0]}")
        return False


def check_clinic_coverage(clinic: ClinicProfile, language: Language) -> None:
    check_text_coverage(clinic.printed_text(), language, "clinic profile field")


def check_text_coverage(
    fields: dict[str, str | None], language: Language, what: str, patient_data: bool = False
) -> None:
    """Each user-supplied field against the language's fonts, naming the field.

    For patient data the message names the kind of characters, never them."""
    for name, value in fields.items():
        missing = uncovered_characters(value or "", with_fallbacks(language.font_stack))
        if missing:
            shown = describe_scripts(missing) if patient_data else describe_characters(missing)
            raise RenderError(
                f"{what} '{name}' has characters no bundled font can print "
                f"in {language.english_name}: {shown}",
                fix="remove or replace those characters, or print in a language whose fonts have them",
            )


def check_page_coverage(html: str, language: Language, what: str) -> None:
    missing = uncovered_characters(visible_text(html), with_fallbacks(language.font_stack))
    if missing:
        raise RenderError(
            f"{what} in {language.english_name} has characters no bundled font can print: "
            f"{describe_characters(missing)}",
            fix="fix the catalog or template text, or add a font that covers them",
        )


def _style_dir() -> Path:
    return asset_dir("templates") / "style"


def _read_style(name: str) -> str:
    return (_style_dir() / name).read_text(encoding="utf-8")
