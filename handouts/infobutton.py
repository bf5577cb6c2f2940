"""An HL7 Infobutton answer (the URL-based request MedlinePlus Connect answers):
a small HTML page in the asked language linking to each handout's PDF for the
medicine, or a plain 404 for a code the content does not cover.

    mainSearchCriteria.v.c=RXCUI
    mainSearchCriteria.v.cs=2.16.840.1.113883.6.88        (RxNorm's OID)
    mainSearchCriteria.v.dn=baclofen                      (display name, optional)
    informationRecipient.languageCode.c=es

The medicine is recognised by an RxNorm code listed in its content file, or
by its display name. The web route turns the answer into a response; the
link to each PDF is the caller's (`pdf_url`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape

from handouts.catalogs import load_catalog
from handouts.content import load_content
from handouts.errors import UsageProblem
from handouts.localization import resolve_language
from handouts.medication import Medication

RXNORM_OID = "2.16.840.1.113883.6.88"
CODE, SYSTEM, NAME = "mainSearchCriteria.v.c", "mainSearchCriteria.v.cs", "mainSearchCriteria.v.dn"
LANGUAGE = "informationRecipient.languageCode.c"


@dataclass(frozen=True)
class InfobuttonAnswer:
    status: int  # 200, 400 or 404
    html: str  # a whole page, in the asked language when found


def infobutton_answer(
    query: Mapping[str, str],
    medication: Medication,
    printable: Callable[[], list[str]],
    pdf_url: Callable[[str, str], str],
) -> InfobuttonAnswer:
    """The answer to one Infobutton query. `printable` lists the languages with
    complete catalogs; `pdf_url(kind, tag)` is where that handout's PDF is served."""
    code, system, name = (
        query.get(CODE, "").strip(),
        query.get(SYSTEM, "").strip(),
        query.get(NAME, "").strip(),
    )
    if not code and not name:
        return _plain(400, f"Give {CODE} (an RxNorm code) or {NAME} (the medicine's name).")
    if code and system != RXNORM_OID:
        return _plain(400, f"{SYSTEM} must be {RXNORM_OID} (RxNorm); other code systems are not answered.")
    named = (
        bool(name) and re.fullmatch(rf"\s*{re.escape(medication.name)}\b.*", name, re.IGNORECASE) is not None
    )
    if not (code and code in medication.rxnorm) and not named:
        return _plain(
            404,
            "These handouts cover only "
            f"{medication.name}; the requested medicine is not one they cover. Ask your pharmacist or the "
            "clinic for information about it.",
        )
    tag = _language(query.get(LANGUAGE, ""), printable())
    translations, _status = load_catalog(tag)
    content = load_content()
    items = "".join(
        f'<li><a href="{escape(pdf_url(kind, tag))}">{escape(translations.gettext(content.handouts[kind].title))}</a>'
        f"<br>{escape(translations.gettext(content.handouts[kind].summary))}</li>"
        for kind in medication.handouts
    )
    language = resolve_language(tag)
    page = (
        f'<!DOCTYPE html>\n<html lang="{tag}" dir="{language.direction}"><head><meta charset="utf-8">'
        f"<title>{escape(medication.name)}</title></head><body><ul>{items}</ul></body></html>\n"
    )
    return InfobuttonAnswer(200, page)


def _language(asked: str, printable: list[str]) -> str:
    """The asked language if a complete catalog has it, else English."""
    if asked:
        try:
            tag = resolve_language(asked).tag
        except UsageProblem:
            return "en"
        if tag in printable:
            return tag
    return "en"


def _plain(status: int, text: str) -> InfobuttonAnswer:
    return InfobuttonAnswer(
        status,
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{status}</title></head>'
        f"<body><p>{escape(text)}</p></body></html>\n",
    )
