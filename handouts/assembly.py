"""Document assembly: a handout or a discharge sheet as HTML, with no PDF
engine involved. `handouts check`, the web preview and the XHTML rendition
use this; the Renderer lays the same HTML out as a PDF.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError

from handouts.catalogs import load_catalog
from handouts.clinic import ClinicProfile
from handouts.content import HandoutKind, load_content
from handouts.discharge import discharge_sheet
from handouts.dose_text import DoseWords
from handouts.errors import ContentError
from handouts.localization import Language, format_date, format_number
from handouts.order import DischargeOrder
from handouts.page import PageOptions
from handouts.temperatures import fever_threshold
from handouts.templating import build_environment

_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.DOTALL)


class Assembler:
    """One Jinja environment per language, built once and reused."""

    def __init__(self) -> None:
        self._environments: dict[tuple[str, Path | None], Environment] = {}

    def environment(self, language: Language, catalog: Path | None = None) -> Environment:
        key = (language.tag, catalog)
        if key not in self._environments:
            self._environments[key] = build_environment(language, catalog)
        return self._environments[key]

    def handout_html(self, kind: str, clinic: ClinicProfile, options: PageOptions) -> str:
        return self.page_html(load_content().handouts[kind], clinic, options)

    def discharge_html(self, order: DischargeOrder, clinic: ClinicProfile, options: PageOptions) -> str:
        translations, _status = load_catalog(options.language.tag, options.catalog)
        words = DoseWords(options.language, translations)
        return self.page_html(load_content().discharge, clinic, options, sheet=discharge_sheet(order, words, options.chart_copy))

    def page_html(self, entry: HandoutKind, clinic: ClinicProfile, options: PageOptions, **extra: Any) -> str:
        content = load_content()
        env = self.environment(options.language, options.catalog)
        translations, status = load_catalog(options.language.tag, options.catalog)
        context: dict[str, Any] = {
            "handout": entry,
            "content": content,
            "clinic": clinic,
            "logo_url": clinic.logo.as_uri() if clinic.logo else None,
            "language": options.language,
            "staff_copy_of": options.staff_copy_of,
            "reviewed": format_date(content.reviewed, options.language, translations),
            "translation": status,
            "number": lambda value: format_number(value, options.language),
            "fever": fever_threshold(options.language, clinic.country, translations),
            "large_print": options.large_print,
            **extra,
        }
        try:
            return env.get_template(entry.template).render(context)
        except TemplateError as error:
            raise ContentError(f"template {entry.template} failed: {error}") from None


def main_part(html: str) -> str:
    """The body of a page (inside <main>), without the furniture around it."""
    found = _MAIN.search(html)
    return found.group(1) if found else html
