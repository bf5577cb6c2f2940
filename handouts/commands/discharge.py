"""`handouts discharge`: one patient's sheet, from a patient file or options."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handouts.calendar_export import taper_calendar
from handouts.catalogs import load_catalog
from handouts.clinic import paper_size
from handouts.clock import today
from handouts.commands.render import choose_clinic, choose_language, refuse_terminal_output
from handouts.content import handout_kinds
from handouts.dose_text import DoseWords
from handouts.errors import UsageProblem
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
from handouts.page import PageOptions
from handouts.patient import DischargeOrder, discharge_order, load_patient_file

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
    preview_incomplete: bool = False
    catalog_file: Path | None = None


def patient_data_from_options(values: dict[str, str | bool | None]) -> dict[str, dict[str, Any]]:
    """The quick-use options, shaped like a patient file so one loader checks both."""

    def date(option: str) -> Any:
        text = values.get(option)
        if not text:
            return None
        try:
            parsed = (
                datetime.datetime.fromisoformat(str(text))
                if "T" in str(text)
                else datetime.date.fromisoformat(str(text))
            )
        except ValueError:
            raise UsageProblem(
                f"--{option.replace('_', '-')} is not a date", fix="write it as 2026-12-01"
            ) from None
        return parsed

    def number(option: str) -> Any:
        text = values.get(option)
        if text is None:
            return None
        try:
            return int(str(text)) if str(text).isdigit() else float(str(text))
        except ValueError:
            raise UsageProblem(f"--{option.replace('_', '-')} is not a number", fix="e.g. 2.5") from None

    def numbers(option: str) -> Any:
        text = values.get(option)
        if not text:
            return None
        return [number_of(part, option) for part in str(text).split(",")]

    def number_of(part: str, option: str) -> Any:
        try:
            return float(part) if "." in part else int(part)
        except ValueError:
            raise UsageProblem(
                f"--{option.replace('_', '-')} must be numbers separated by commas", fix="e.g. 10,5"
            ) from None

    def words(option: str) -> Any:
        text = values.get(option)
        return [part.strip() for part in str(text).split(",")] if text else None

    data: dict[str, dict[str, Any]] = {
        "patient": {"name": values.get("name"), "date_of_birth": date("dob")},
        "discharge": {
            "date": date("discharge_date") or (today() if values.get("name") else None),
            "prescriber": values.get("prescriber"),
        },
        "follow_up": {
            "when": date("follow_up"),
            "with": values.get("follow_up_with"),
            "where": values.get("follow_up_where"),
        },
        "medication": {
            "form": values.get("form"),
            "strengths_mg": numbers("strengths"),
            "split_tablets": values.get("split_tablets") or None,
            "concentration_mg_per_ml": number("concentration"),
            "smallest_ml": number("smallest_ml"),
            "daily_mg": number("daily_mg"),
            "doses_per_day": number("doses_per_day"),
            "dose_times": words("dose_times"),
            "above_label_maximum_acknowledged": values.get("above_label_maximum") or None,
        },
        "taper": {
            "start": date("start"),
            "every_days": number("every_days"),
            "step_mg": number("step_mg"),
            "step_percent": number("step_percent"),
            "daily_totals_mg": numbers("totals"),
            "hold_at_mg": number("hold_at_mg"),
            "hold_days": number("hold_days"),
        },
    }
    # Leave out what was not given, as a patient file would.
    return {
        section: {k: v for k, v in keys.items() if v is not None}
        for section, keys in data.items()
        if any(v is not None for v in keys.values())
    }


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
    if request.patient_file and any(request.patient_options.values()):
        raise UsageProblem(
            "give either --patient or the patient options, not both",
            fix="put everything in the patient file, or leave --patient out",
        )
    if request.patient_file:
        return load_patient_file(request.patient_file)
    if not any(request.patient_options.values()):
        raise UsageProblem(
            "no patient given", fix="use --patient FILE (see examples/), or the patient options"
        )
    return discharge_order(request.patient_options, OPTIONS_SOURCE)


def default_file_name(order: DischargeOrder, tag: str, folder: Path) -> UnusedName:
    # Never the patient's name: file names end up in print queues and logs. Every
    # patient discharged that day has this name, so a taken one is numbered -2, -3, ...
    return UnusedName(folder, f"discharge-{order.discharge_date.isoformat()}-{tag}", ".pdf")


def run_discharge(request: DischargeRequest, warn: Callable[[str], None], say: Callable[[str], None]) -> None:
    if request.output == STDOUT:
        refuse_terminal_output()
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
    options = PageOptions(language, paper_size(clinic, request.paper), request.large_print)
    # Imported here: WeasyPrint takes a second to load, and bad input fails sooner.
    from handouts.rendering import Renderer

    pdf = Renderer().render_discharge(order, clinic, options, include=request.include)
    calendar = None
    if request.ics is not None:
        translations, _status = load_catalog(language.tag)
        calendar = taper_calendar(order, DoseWords(language, translations))
    # The sheet and its calendar are one unit: both are written, or neither path changes.
    calendar_file = [(request.ics, calendar)] if request.ics is not None and calendar is not None else []
    if target is None:
        write_together(calendar_file)  # first: if it fails, nothing has gone to standard output
        write_stdout(pdf.data)
    else:
        sheet = write_together([(target, pdf.data), *calendar_file])[0]
        say(f"wrote {sheet} ({pdf.pages} {'page' if pdf.pages == 1 else 'pages'})")
    if request.ics is not None:
        say(f"wrote {request.ics}")
