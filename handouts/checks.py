"""`handouts check`: what a clinic confirms before it prints anything.

Every catalog complete, compiling, with consistent placeholders and a stated
review status; every translation printable with its language's fonts; the
clinic profile valid, printable and not the sample; the shipped handouts at
a plain reading level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import read_po

from handouts.catalogs import (
    catalog_file_language,
    catalog_path,
    load_catalog,
    message_forms,
    message_key,
    template_ids,
)
from handouts.clinic import ClinicProfile, load_clinic_profile, load_sample_profile
from handouts.content import load_content
from handouts.errors import HandoutsError
from handouts.fonts import describe_characters, uncovered_characters, with_fallbacks
from handouts.localization import LANGUAGES, SOURCE_LANGUAGE
from handouts.pemat import ITEM_NAMES, pemat_items
from handouts.readability import ENGLISH_MAX_GRADE, GERMAN_MAX_WSTF, SPANISH_MIN_EASE, measure


@dataclass
class CheckReport:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def catalog_problems(tag: str, file: Path | None = None) -> list[str]:
    """Completeness, compile errors, review status and fonts of one catalog."""
    language = LANGUAGES[tag]
    _translations, status = load_catalog(tag, file)
    problems = [f"{tag}: {error}" for error in status.errors]
    if status.missing:
        problems.append(
            f"{tag}: {len(status.missing)} of {status.total} messages untranslated or fuzzy, "
            f"e.g. {status.missing[0]!r}"
        )
    path = status.path or catalog_path(tag)
    with path.open("rb") as handle:
        catalog = read_po(handle)
    obsolete = {message_key(message) for message in catalog if message.id} - template_ids()
    if obsolete:
        problems.append(f"{tag}: {len(obsolete)} messages not in messages.pot (update it from messages.pot: README, Translating)")
    for message in catalog:
        missing = uncovered_characters("".join(message_forms(message.string)), language.font_stack)
        if missing:
            problems.append(
                f"{tag}: {str(message.id)[:50]!r} uses {describe_characters(missing)}, "
                "which no bundled font for this language draws"
            )
    return problems


def check_catalogs(report: CheckReport, only: str | None = None, file: Path | None = None) -> None:
    report.lines.append("Catalogs")
    for tag, language in LANGUAGES.items():
        if tag == SOURCE_LANGUAGE or only not in (None, tag):
            continue
        try:
            _translations, status = load_catalog(tag, file)
            problems = catalog_problems(tag, file)
        except HandoutsError as problem:  # one broken catalog must not hide the others
            report.problems.append(str(problem))
            report.lines.append(f"  {tag:8} {language.english_name:22} does not compile  PROBLEM")
            continue
        review = status.review + (f" by {status.reviewer} on {status.reviewed_on}" if status.reviewer else "")
        state = "ok" if not problems else "PROBLEM"
        report.lines.append(
            f"  {tag:8} {language.english_name:22} {status.translated:4}/{status.total}  review: {review:9} {state}"
        )
        report.problems += problems


def check_profile(path: Path | None, report: CheckReport) -> ClinicProfile | None:
    report.lines.append("Clinic profile")
    if path is None:
        report.problems.append(
            "no clinic profile given: the bundled sample is for trying the tool, not for patients"
        )
        report.lines.append("  none given (--clinic or HANDOUTS_CLINIC)  PROBLEM")
        return None
    try:
        clinic = load_clinic_profile(path)
    except HandoutsError as problem:
        report.problems.append(str(problem))
        report.lines.append(f"  {path}  PROBLEM")
        return None
    fields = clinic.printed_text()
    before = len(report.problems)
    sample = load_sample_profile()
    if (clinic.name, clinic.phone) == (sample.name, sample.phone):
        report.problems.append(
            f"{path}: is a copy of the bundled sample clinic ({sample.name}, {sample.phone}); "
            "put your clinic's own name and numbers in it"
        )
    for language in LANGUAGES.values():
        for name, value in fields.items():
            missing = uncovered_characters(value or "", with_fallbacks(language.font_stack))
            if missing:
                report.problems.append(
                    f"{path}: '{name}' cannot be printed in {language.english_name}: {describe_characters(missing)}"
                )
    state = "ok" if len(report.problems) == before else "PROBLEM"
    report.lines.append(
        f"  {path}: {clinic.name}, phone {clinic.phone}, emergency {clinic.emergency_number}  {state}"
    )
    return clinic


def check_reading_level(report: CheckReport, catalog_file: Path | None = None, only: str | None = None) -> None:
    """English by Flesch-Kincaid grade, Spanish by Fernández-Huerta ease, German by
    the Wiener Sachtextformel (a translation only when its catalog is complete), and
    the PEMAT-P items a machine can check, on the English page."""
    from handouts.assembly import Assembler, main_part
    from handouts.page import PageOptions
    from handouts.page_text import visible_text

    assembler = Assembler()
    clinic = load_sample_profile()
    report.lines.append("Reading level and PEMAT-P items checked by machine (the body of each handout)")
    report.lines.append(
        f"  {'handout':15} {'English FK grade':>17} {'Spanish F-H ease':>17} {'German WSTF':>12} {'PEMAT-P':>8}"
    )
    files = {tag: catalog_file if only == tag else None for tag in ("es", "de")}
    measured = ["en", *(tag for tag in ("es", "de") if _complete(tag, files[tag]))]
    for kind in load_content().handouts:
        pages = {
            tag: assembler.handout_html(kind, clinic, PageOptions(LANGUAGES[tag], catalog=files.get(tag)))
            for tag in measured
        }
        texts = {tag: visible_text(main_part(html)) for tag, html in pages.items()}
        grade = measure(texts["en"], "en").flesch_kincaid_grade
        ease = measure(texts["es"], "es").fernandez_huerta if "es" in texts else None
        wstf = measure(texts["de"], "de").wiener_sachtextformel if "de" in texts else None
        items = pemat_items(pages["en"])
        unmet = [item for item in items if not item.met]
        ok = (
            grade <= ENGLISH_MAX_GRADE
            and (ease is None or ease >= SPANISH_MIN_EASE)
            and (wstf is None or wstf <= GERMAN_MAX_WSTF)
            and not unmet
        )
        shown = f"{ease:17.1f}" if ease is not None else f"{'not measured':>17}"
        shown += f" {wstf:12.1f}" if wstf is not None else f" {'not measured':>12}"
        met = f"{len(items) - len(unmet)}/{len(items)}"
        report.lines.append(f"  {kind:15} {grade:17.1f} {shown} {met:>8}  {'ok' if ok else 'PROBLEM'}")
        if grade > ENGLISH_MAX_GRADE:
            report.problems.append(
                f"{kind}: English reads at grade {grade:.1f}, above {ENGLISH_MAX_GRADE:.0f}"
            )
        if ease is not None and ease < SPANISH_MIN_EASE:
            report.problems.append(f"{kind}: Spanish reading ease {ease:.1f}, below {SPANISH_MIN_EASE:.0f}")
        if wstf is not None and wstf > GERMAN_MAX_WSTF:
            report.problems.append(
                f"{kind}: German reads at Wiener Sachtextformel {wstf:.1f}, above {GERMAN_MAX_WSTF:.0f}"
            )
        report.problems += [f"{kind}: PEMAT-P '{item.name}' not met: {item.why}" for item in unmet]
    # The sources list is read too: its plain descriptions and citations, as printed.
    sources = "\n".join(
        f"{source.about}: {source.citation}." if source.citation else f"{source.about}."
        for source in load_content().sources.values()
    )
    sources_grade = measure(sources, "en").flesch_kincaid_grade
    fine = sources_grade <= ENGLISH_MAX_GRADE
    report.lines.append(f"  {'sources list':15} {sources_grade:17.1f}{'':45}  {'ok' if fine else 'PROBLEM'}")
    if not fine:
        report.problems.append(f"the sources list reads at grade {sources_grade:.1f}, above {ENGLISH_MAX_GRADE:.0f}")
    report.lines.append(
        f"  targets: English grade {ENGLISH_MAX_GRADE:.0f} or lower; Spanish ease "
        f"{SPANISH_MIN_EASE:.0f} or higher; German WSTF {GERMAN_MAX_WSTF:.0f} or lower; every PEMAT-P item met"
    )
    report.lines.append(
        "  PEMAT-P items checked: " + "; ".join(ITEM_NAMES) + " (the rest of PEMAT-P needs a person)"
    )


def _complete(tag: str, file: Path | None) -> bool:
    """Only a complete catalog without errors is measured: the catalog section says what is wrong."""
    try:
        return load_catalog(tag, file)[1].complete
    except HandoutsError:
        return False


def run_checks(profile: Path | None, catalog_file: Path | None = None) -> CheckReport:
    report = CheckReport()
    only = None
    if catalog_file is not None:
        try:
            only = catalog_file_language(catalog_file)
        except HandoutsError as problem:
            report.lines.append(f"Catalogs\n  {catalog_file}  PROBLEM")
            report.problems.append(str(problem))
            return report
    check_catalogs(report, only, catalog_file)
    if profile is not None or catalog_file is None:
        check_profile(profile, report)
    check_reading_level(report, catalog_file, only)
    return report
