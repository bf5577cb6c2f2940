"""`handouts discharge`: one patient's sheet, from a patient file or options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handouts.application import choose_clinic, choose_language, content_medication, page_options
from handouts.calendar_export import taper_calendar
from handouts.catalogs import load_catalog
from handouts.clock import today
from handouts.commands.render import refuse_terminal_output
from handouts.content import handout_kinds
from handouts.dose_text import DoseWords
from handouts.environment import Environment
from handouts.errors import UsageProblem
from handouts.fhir_files import FhirOutputs, load_fhir_order
from handouts.order import DischargeOrder, Source, Style, build_order
from handouts.order_schema import FieldInfo, order_fields
from handouts.output import (
    STDOUT,
    Target,
    UnusedName,
    check_target,
    check_writable_file,
    is_folder,
    write_stdout,
    write_together,
)
from handouts.patient import load_patient_file

OPTIONS_SOURCE = "the command-line options"


@dataclass(frozen=True)
class DischargeRequest:
    patient_file: Path | None
    patient_options: dict[str, dict[str, Any]]
    output: str | None
    clinic_path: Path | None
    language_tag: str | None = None
    paper: str | None = None
    large_print: bool = False
    include: tuple[str, ...] = ()
    ics: Path | None = None
    chart_copy: bool = False
    preview_incomplete: bool = False
    catalog_file: Path | None = None
    fhir_file: Path | None = None
    fhir_out: Path | None = None
    fhir_plan_out: Path | None = None


def order_option_fields() -> tuple[FieldInfo, ...]:
    """The order's fields that a command-line option can carry (not explicit steps)."""
    return tuple(info for info in order_fields() if info.flat)


def option_name(info: FieldInfo) -> str:
    return (info.flat or info.key).replace("_", "-")


def patient_data_from_options(values: dict[str, str | bool | None]) -> dict[str, dict[str, Any]]:
    """The quick-use options, shaped like a patient file so one schema checks both.

    Values stay as typed: the schema reads text the same way for options, CSV
    cells and form fields."""
    data: dict[str, dict[str, Any]] = {}
    for info in order_option_fields():
        value = values.get(info.flat or "")
        if value is not None and value != "":
            data.setdefault(info.section, {})[info.key] = value
    return data


def parse_include(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    kinds = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [kind for kind in kinds if kind not in handout_kinds()]
    if unknown:
        raise UsageProblem(
            f"--include: unknown handout kind '{unknown[0]}'", fix=f"use any of: {', '.join(handout_kinds())}"
        )
    return kinds


def load_order(request: DischargeRequest) -> DischargeOrder:
    if request.fhir_file:
        return load_fhir_order(request.fhir_file, request.patient_file, request.patient_options)[0]
    if request.patient_file and any(request.patient_options.values()):
        raise UsageProblem(
            "give either --patient or the patient options, not both",
            fix="put everything in the patient file, or leave --patient out",
        )
    medication = content_medication()
    if request.patient_file:
        return load_patient_file(request.patient_file, medication)
    if not any(request.patient_options.values()):
        raise UsageProblem(
            "no patient given", fix="use --patient FILE (see examples/), or the patient options"
        )
    data = {section: dict(keys) for section, keys in request.patient_options.items()}
    # At the bedside the discharge is today unless --date says otherwise.
    data.setdefault("discharge", {}).setdefault("date", today())
    return build_order(data, Source(OPTIONS_SOURCE, Style.OPTIONS), medication)


def default_file_name(order: DischargeOrder, tag: str, folder: Path) -> UnusedName:
    # Never the patient's name: file names end up in print queues and logs. Every
    # patient discharged that day has this name, so a taken one is numbered -2, -3, ...
    return UnusedName(folder, f"discharge-{order.discharge_date.isoformat()}-{tag}", ".pdf")


def run_discharge(
    request: DischargeRequest, environment: Environment, warn: Callable[[str], None], say: Callable[[str], None]
) -> None:
    if request.output == STDOUT:
        refuse_terminal_output()
    links = None
    if request.fhir_file:
        order, links = load_fhir_order(request.fhir_file, request.patient_file, request.patient_options)
    else:
        order = load_order(request)
    clinic = choose_clinic(request.clinic_path, warn)
    # A translator's --catalog names the language; otherwise the patient's own comes first.
    tag = request.language_tag if request.catalog_file else request.language_tag or order.language
    language = choose_language(tag, clinic, request.preview_incomplete, request.catalog_file)
    target: Target | None = None  # None: standard output
    if request.output != STDOUT:
        named = Path(request.output) if request.output else None
        if named is not None and not is_folder(named):
            target = named  # a name the user gave: theirs to replace
        else:
            target = default_file_name(order, language.tag, named or Path("."))
        check_target(target)
    if request.ics is not None:
        check_writable_file(request.ics, example="--ics doses.ics")
    fhir = FhirOutputs(request.fhir_out, request.fhir_plan_out, links)
    fhir.check(order)
    options = page_options(
        clinic, language, request.paper, request.large_print, request.catalog_file, request.chart_copy
    )
    pdf = environment.renderer().render_discharge(order, clinic, options, include=request.include)
    calendar = None
    if request.ics is not None:
        translations, _status = load_catalog(language.tag, options.catalog)
        calendar = taper_calendar(order, DoseWords(language, translations))
    # The sheet and its calendar are one unit: both are written, or neither path changes.
    calendar_file = [(request.ics, calendar)] if request.ics is not None and calendar is not None else []
    calendar_file += fhir.files(order, pdf.data, environment.renderer(), clinic, options)
    if target is None:
        write_together(calendar_file)  # first: if it fails, nothing has gone to standard output
        write_stdout(pdf.data)
    else:
        sheet = write_together([(target, pdf.data), *calendar_file])[0]
        say(f"wrote {sheet} ({pdf.pages} {'page' if pdf.pages == 1 else 'pages'})")
    if request.ics is not None:
        say(f"wrote {request.ics}")
    for path, _data in fhir.files_written:
        say(f"wrote {path}")
