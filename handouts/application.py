"""The application layer every face calls (the CLI commands, batch workers,
and the web app): which clinic, which language, which paper, which catalog.
Each is decided here once, with one message for each way it can fail.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from handouts.catalogs import catalog_file_language, load_catalog
from handouts.clinic import ClinicProfile, load_clinic_profile, load_sample_profile, paper_size
from handouts.content import load_content
from handouts.errors import HandoutsError, UsageProblem
from handouts.localization import LANGUAGES, SOURCE_LANGUAGE, Language, resolve_language
from handouts.medication import Medication, load_medication
from handouts.page import PageOptions

SAMPLE_WARNING = (
    "no clinic profile given (--clinic or HANDOUTS_CLINIC): using the bundled sample "
    "clinic; every page is marked SAMPLE - not for patient use"
)


def choose_clinic(path: Path | None, warn: Callable[[str], None]) -> ClinicProfile:
    if path is not None:
        return load_clinic_profile(path)
    warn(SAMPLE_WARNING)
    return load_sample_profile()


def content_medication() -> Medication:
    """The medicine the shipped content is about."""
    return load_medication(load_content().medication)


def printable_tags() -> list[str]:
    """The languages a patient handout can be printed in: complete, error-free catalogs."""
    return [tag for tag in LANGUAGES if load_catalog(tag)[1].complete]


def choose_language(
    tag: str | None, clinic: ClinicProfile, preview_incomplete: bool, catalog_file: Path | None = None
) -> Language:
    """--catalog's language, else the tag asked for, else the profile's, else English;
    refuse a catalog that cannot be printed from."""
    if catalog_file is not None:
        file_tag = catalog_file_language(catalog_file)
        if tag and resolve_language(tag).tag != file_tag:
            raise UsageProblem(
                f"--lang {tag} does not match the language of {catalog_file} ({file_tag})",
                fix="leave out --lang, or give the catalog for that language",
            )
        tag = file_tag
    try:
        language = resolve_language(tag or clinic.language or SOURCE_LANGUAGE)
    except UsageProblem as problem:
        raise UsageProblem(problem.what, fix=f"use one of: {', '.join(printable_tags())}") from None
    check_printable(language, preview_incomplete, catalog_file)
    return language


def check_printable(language: Language, preview_incomplete: bool, catalog_file: Path | None = None) -> None:
    """The one check that a language's catalog can be printed from, and its one message."""
    _translations, status = load_catalog(language.tag, catalog_file)
    where = str(status.path) if status.path else None
    if status.errors:
        raise HandoutsError(
            f"the {language.english_name} ({language.tag}) catalog has {len(status.errors)} "
            f"{'error' if len(status.errors) == 1 else 'errors'}, first: {status.errors[0]}",
            where=where,
            fix="fix the catalog ('handouts check' lists every problem)",
        )
    if status.missing and not preview_incomplete:
        raise HandoutsError(
            f"the {language.english_name} ({language.tag}) catalog is incomplete: "
            f"{len(status.missing)} of {status.total} messages are not translated",
            where=where,
            fix="finish the translation; a translator can look at a marked draft with --preview-incomplete",
        )


def page_options(
    clinic: ClinicProfile,
    language: Language,
    paper: str | None,
    large_print: bool,
    catalog_file: Path | None = None,
    chart_copy: bool = False,
) -> PageOptions:
    """What a page is printed for; the paper from the option, else the profile's."""
    catalog = catalog_file if catalog_file is not None and language.tag != SOURCE_LANGUAGE else None
    return PageOptions(language, paper_size(clinic, paper), large_print, catalog, chart_copy)
