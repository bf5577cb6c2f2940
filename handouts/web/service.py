"""What the web form and the API ask of the application layer: an order
checked by the one schema, the page options, the preview and the calendar.
The routes only turn HTTP into these calls and their results back into HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from handouts.application import choose_language, content_medication, page_options, printable_tags
from handouts.assembly import Assembler, main_part
from handouts.calendar_export import taper_calendar
from handouts.catalogs import load_catalog
from handouts.clinic import ClinicProfile
from handouts.content import handout_kinds, load_content
from handouts.dose_text import DoseWords
from handouts.errors import UsageProblem
from handouts.fhir_in import FhirOrder, checked, map_fhir
from handouts.fhir_out import record_bundle, sheet_xhtml
from handouts.infobutton import InfobuttonAnswer, infobutton_answer
from handouts.localization import LANGUAGES
from handouts.order import Source, build_order
from handouts.web.pool import HandoutsJob, PacketJob

PAPERS = ("letter", "a4")
FHIR_SOURCE = "the FHIR request body"


@dataclass(frozen=True)
class LanguageChoice:
    tag: str
    name: str  # in English and in itself
    review: str  # "reviewed" or "draft"
    direction: str


def language_choices() -> list[LanguageChoice]:
    """The languages a page can be printed in, each with its catalog's review status."""
    choices = []
    for tag in printable_tags():
        language = LANGUAGES[tag]
        _translations, status = load_catalog(tag)
        name = language.english_name
        if language.native_name and language.native_name != name:
            name = f"{name} ({language.native_name})"
        review = "source" if tag == "en" else ("draft" if status.is_draft else "reviewed")
        choices.append(LanguageChoice(tag, name, review, language.direction))
    return choices


def kind_titles() -> list[tuple[str, str]]:
    content = load_content()
    return [(kind, content.handouts[kind].title) for kind in handout_kinds()]


def checked_kinds(kinds: list[str], what: str) -> tuple[str, ...]:
    unknown = [kind for kind in kinds if kind not in handout_kinds()]
    if unknown:
        raise UsageProblem(f"{what}: unknown handout kind", fix=f"use any of: {', '.join(handout_kinds())}")
    return tuple(dict.fromkeys(kinds))


def checked_paper(paper: str | None) -> str | None:
    if paper in (None, "", "default"):
        return None
    if paper not in PAPERS:
        raise UsageProblem("paper must be letter or a4", fix="leave it out for the clinic's own paper")
    return paper


def discharge_job(
    data: dict[str, Any],
    source: Source,
    clinic: ClinicProfile,
    language_tag: str | None,
    paper: str | None,
    large_print: bool,
    include: tuple[str, ...],
) -> PacketJob:
    """The order checked by the schema, in the source's terms; then its pages' options."""
    order = build_order(data, source, content_medication())
    language = choose_language(language_tag or order.language, clinic, preview_incomplete=False)
    options = page_options(clinic, language, checked_paper(paper), large_print)
    return PacketJob(order, clinic, options, include)


def fhir_discharge_job(
    document: Any,
    clinic: ClinicProfile,
    date: str | None,
    paper: str | None,
    large_print: bool,
    include: tuple[str, ...],
) -> tuple[PacketJob, FhirOrder]:
    """A FHIR R4 order (Bundle or MedicationRequest) through the same schema and checks."""
    extra = {"discharge": {"date": date}} if date else {}
    mapped = map_fhir(document, FHIR_SOURCE, content_medication(), extra)
    order = checked(mapped, FHIR_SOURCE, content_medication())
    language = choose_language(order.language, clinic, preview_incomplete=False)
    options = page_options(clinic, language, checked_paper(paper), large_print)
    return PacketJob(order, clinic, options, include), mapped


def fhir_record(job: PacketJob, mapped: FhirOrder, pdf: bytes) -> dict[str, Any]:
    """What the EHR files back: the printed sheet as a DocumentReference (PDF and XHTML)."""
    xhtml = sheet_xhtml(_ASSEMBLER.discharge_html(job.order, job.clinic, job.options))
    translations, _status = load_catalog(job.options.language.tag)
    title = translations.gettext(load_content().discharge.title)
    return record_bundle(
        job.order, pdf, xhtml, job.options.language.tag, title, mapped.subject, mapped.encounter
    )


def infobutton(query: dict[str, str], pdf_url: Any) -> InfobuttonAnswer:
    return infobutton_answer(query, content_medication(), printable_tags, pdf_url)


def handouts_job(
    kinds: tuple[str, ...],
    clinic: ClinicProfile,
    language_tag: str | None,
    paper: str | None,
    large_print: bool,
) -> HandoutsJob:
    if not kinds:
        raise UsageProblem("no handout chosen", fix="choose at least one handout")
    language = choose_language(language_tag, clinic, preview_incomplete=False)
    return HandoutsJob(kinds, clinic, page_options(clinic, language, checked_paper(paper), large_print))


_ASSEMBLER = Assembler()


def preview(job: PacketJob) -> Markup:
    """The sheet's body as it will print: the same assembly as the PDF, no PDF engine.

    The project's own autoescaping templates made it, so it is safe to embed."""
    html = _ASSEMBLER.discharge_html(job.order, job.clinic, job.options)
    return Markup(main_part(html))


def calendar(job: PacketJob) -> bytes:
    translations, _status = load_catalog(job.options.language.tag)
    return taper_calendar(job.order, DoseWords(job.options.language, translations))


def sheet_file_name(job: PacketJob, suffix: str) -> str:
    """Never the patient's name: the name ends up in downloads folders and print queues."""
    return f"discharge-{job.order.discharge_date.isoformat()}-{job.options.language.tag}{suffix}"
