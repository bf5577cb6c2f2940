"""Batch manifests: what a batch must produce, one Job per output file.

- A TOML manifest names clinic profiles, languages and handout kinds.
- A CSV manifest has one discharge sheet per row, with the patient file's
  fields as columns (README, "Batch").

A bad row or a bad profile becomes a JobProblem that names the row or file,
the field and the fix; every good row still becomes a Job.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handouts.catalogs import load_catalog
from handouts.clinic import ClinicProfile, load_clinic_profile, paper_size
from handouts.clinic_folders import clinic_folders
from handouts.content import handout_kinds
from handouts.errors import HandoutsError, UsageProblem
from handouts.input_files import read_text, read_toml
from handouts.localization import LANGUAGES, SOURCE_LANGUAGE, Language, resolve_language
from handouts.patient import DischargeOrder, discharge_order

LIST_SEPARATOR = ";"  # inside one CSV cell: "10;5", "morning;bedtime"

# CSV column -> (patient-file section, key, kind of value)
CSV_COLUMNS: dict[str, tuple[str, str, str]] = {
    "name": ("patient", "name", "text"),
    "date_of_birth": ("patient", "date_of_birth", "date"),
    "language": ("patient", "language", "text"),
    "discharge_date": ("discharge", "date", "date"),
    "prescriber": ("discharge", "prescriber", "text"),
    "taper_may_start_before_discharge": ("discharge", "taper_may_start_before_discharge", "bool"),
    "follow_up": ("follow_up", "when", "datetime"),
    "follow_up_with": ("follow_up", "with", "text"),
    "follow_up_where": ("follow_up", "where", "text"),
    "form": ("medication", "form", "text"),
    "strengths_mg": ("medication", "strengths_mg", "numbers"),
    "split_tablets": ("medication", "split_tablets", "bool"),
    "concentration_mg_per_ml": ("medication", "concentration_mg_per_ml", "number"),
    "smallest_ml": ("medication", "smallest_ml", "number"),
    "daily_mg": ("medication", "daily_mg", "number"),
    "doses_per_day": ("medication", "doses_per_day", "int"),
    "dose_times": ("medication", "dose_times", "words"),
    "above_label_maximum_acknowledged": ("medication", "above_label_maximum_acknowledged", "bool"),
    "start": ("taper", "start", "date"),
    "every_days": ("taper", "every_days", "int"),
    "step_mg": ("taper", "step_mg", "number"),
    "step_percent": ("taper", "step_percent", "number"),
    "daily_totals_mg": ("taper", "daily_totals_mg", "numbers"),
    "hold_at_mg": ("taper", "hold_at_mg", "number"),
    "hold_days": ("taper", "hold_days", "int"),
}
CSV_EXTRA_COLUMNS = ("id", "include")


class ManifestError(HandoutsError):
    """The manifest as a whole cannot be used (not one row: the file)."""


@dataclass(frozen=True)
class Job:
    """One output file: a handout for a clinic, or one patient's sheet."""

    output: str  # file name inside the output folder; never a patient's name
    source: str  # "clinic.toml" or "row 7", for messages and the index
    kind: str  # a handout kind, or "discharge"
    language_tag: str
    clinic: ClinicProfile
    paper: str
    large_print: bool = False
    order: DischargeOrder | None = None
    include: tuple[str, ...] = ()


@dataclass(frozen=True)
class JobProblem:
    source: str
    output: str | None
    message: str


@dataclass
class Manifest:
    jobs: list[Job] = field(default_factory=list)
    problems: list[JobProblem] = field(default_factory=list)


def load_manifest(path: Path, clinic: ClinicProfile | None, large_print: bool = False) -> Manifest:
    if path.suffix.lower() == ".csv":
        assert clinic is not None, "the command chooses the clinic for a CSV manifest"
        return _csv_manifest(path, clinic, large_print)
    return _toml_manifest(path, large_print)


def _toml_manifest(path: Path, large_print: bool) -> Manifest:
    data = read_toml(path, ManifestError, "batch manifest", "give a TOML or CSV manifest (see examples/)")
    where = str(path)
    section = data.get("batch")
    if not isinstance(section, dict) or set(data) != {"batch"}:
        raise ManifestError("needs exactly one [batch] section", where=where, fix="see examples/batch.toml")
    known = {"clinics", "languages", "kinds", "paper", "large_print"}
    unknown = set(section) - known
    if unknown:
        raise ManifestError(
            f"unknown key '{sorted(unknown)[0]}' in [batch]",
            where=where,
            fix=f"[batch] takes only: {', '.join(sorted(known))}",
        )
    clinics = _string_list(section.get("clinics"), "clinics", where)
    if not clinics:
        raise ManifestError("[batch] clinics is empty", where=where, fix='e.g. clinics = ["clinic.toml"]')
    languages = _all_or_list(section.get("languages", [SOURCE_LANGUAGE]), "languages", where)
    kinds = _all_or_list(section.get("kinds", "all"), "kinds", where)
    kinds = list(handout_kinds()) if kinds == "all" else kinds
    for kind in kinds:
        if kind not in handout_kinds():
            raise ManifestError(
                f"unknown handout kind '{kind}'",
                where=where,
                fix=f"use 'all' or any of: {', '.join(handout_kinds())}",
            )
    if languages == "all":
        tags = [tag for tag in LANGUAGES if load_catalog(tag)[1].complete]
    else:
        try:
            tags = [resolve_language(tag).tag for tag in languages]
        except UsageProblem as problem:
            raise ManifestError(f"[batch] languages: {problem.what}", where=where, fix=problem.fix) from None
    paper = section.get("paper")
    large = bool(section.get("large_print", False)) or large_print
    manifest = Manifest()
    folders = clinic_folders(clinics, path, ManifestError) if len(clinics) > 1 else {}
    for clinic_name in clinics:
        clinic_path = path.parent / clinic_name
        folder = folders.get(clinic_name, "")
        outputs = [(kind, tag, str(Path(folder) / f"{kind}-{tag}.pdf")) for kind in kinds for tag in tags]
        try:
            clinic = load_clinic_profile(clinic_path)
        except HandoutsError as problem:
            manifest.problems += [JobProblem(clinic_name, output, str(problem)) for _k, _t, output in outputs]
            continue
        for kind, tag, output in outputs:
            manifest.jobs.append(
                Job(output, clinic_name, kind, tag, clinic, paper_size(clinic, paper), large)
            )
    return manifest


def _string_list(value: Any, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ManifestError(
            f"[batch] {key} must be a list of text values", where=where, fix=f'e.g. {key} = ["a", "b"]'
        )
    return value


def _all_or_list(value: Any, key: str, where: str) -> list[str] | str:
    if value == "all":
        return "all"
    return _string_list(value, key, where)


def _csv_manifest(path: Path, clinic: ClinicProfile, large_print: bool) -> Manifest:
    where = str(path)
    fix = "save the spreadsheet as CSV (UTF-8) with a header row; see examples/discharges.csv"
    text = read_text(path, ManifestError, "CSV file", fix, "export it as 'CSV UTF-8' from the spreadsheet")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ManifestError("is empty", where=where, fix=fix)
    header = [cell.strip() for cell in rows[0]]
    unknown = [name for name in header if name not in CSV_COLUMNS and name not in CSV_EXTRA_COLUMNS]
    if unknown:
        raise ManifestError(
            f"unknown column '{unknown[0]}'",
            where=where,
            fix=f"use only these columns: {', '.join([*CSV_EXTRA_COLUMNS, *CSV_COLUMNS])}",
        )
    if len(set(header)) != len(header):
        raise ManifestError("has a column twice", where=where, fix="give each column once")
    manifest = Manifest()
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        source = f"{path.name} row {number}"
        if len(row) != len(header):
            manifest.problems.append(
                JobProblem(
                    source,
                    None,
                    f"{source}: has {len(row)} cells but the header has "
                    f"{len(header)}. Check for a stray comma or a missing cell",
                )
            )
            continue
        cells = {name: cell.strip() for name, cell in zip(header, row, strict=True)}
        row_id = _row_id(cells.get("id", ""), number)
        try:
            order = discharge_order(_patient_data(cells, source), source)
            language = _row_language(order.language or clinic.language or SOURCE_LANGUAGE, source)
            include = _include(cells.get("include", ""), source)
        except HandoutsError as problem:
            manifest.problems.append(JobProblem(source, None, str(problem)))
            continue
        output = f"discharge-{row_id}-{language.tag}.pdf"
        if output in seen:
            manifest.problems.append(
                JobProblem(source, output, f"{source}: id '{row_id}' is used twice. Give each row its own id")
            )
            continue
        seen.add(output)
        manifest.jobs.append(
            Job(
                output,
                source,
                "discharge",
                language.tag,
                clinic,
                paper_size(clinic, None),
                large_print,
                order,
                include,
            )
        )
    return manifest


def _row_language(tag: str, source: str) -> Language:
    try:
        return resolve_language(tag)
    except HandoutsError as problem:
        raise HandoutsError(f"column language: {problem.what}", where=source, fix=problem.fix) from None


def _row_id(value: str, number: int) -> str:
    # Row ids name files: keep them to letters, digits, dot, dash, underscore.
    cleaned = "".join(char for char in value if char.isascii() and (char.isalnum() or char in "-_."))
    return cleaned.strip(".") or f"row{number}"


def _include(value: str, source: str) -> tuple[str, ...]:
    kinds = tuple(part.strip() for part in value.split(LIST_SEPARATOR) if part.strip())
    for kind in kinds:
        if kind not in handout_kinds():
            raise HandoutsError(
                f"include: unknown handout kind '{kind}'",
                where=source,
                fix=f"use any of {', '.join(handout_kinds())}, separated by ;",
            )
    return kinds


def _patient_data(cells: dict[str, str], source: str) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = {}
    for name, text in cells.items():
        if not text or name in CSV_EXTRA_COLUMNS:
            continue
        section, key, kind = CSV_COLUMNS[name]
        data.setdefault(section, {})[key] = _cell_value(text, kind, name, source)
    return data


def _cell_value(text: str, kind: str, column: str, source: str) -> Any:
    import datetime

    def problem(expected: str, example: str) -> HandoutsError:
        return HandoutsError(
            f"column {column} must be {expected}", where=source, fix=f"write it like {example}"
        )

    try:
        if kind == "date":
            return datetime.date.fromisoformat(text)
        if kind == "datetime":
            return (
                datetime.datetime.fromisoformat(text)
                if "T" in text or " " in text
                else datetime.date.fromisoformat(text)
            )
    except ValueError:
        raise problem("a date", "2026-12-01") from None
    if kind == "bool":
        if text.lower() in ("yes", "true", "1", "y"):
            return True
        if text.lower() in ("no", "false", "0", "n"):
            return False
        raise problem("yes or no", "yes")
    if kind in ("int", "number"):
        return _number(text, kind, problem)
    if kind == "numbers":
        return [_number(part.strip(), "number", problem) for part in text.split(LIST_SEPARATOR)]
    if kind == "words":
        return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
    return text


def _number(text: str, kind: str, problem: Any) -> Any:
    try:
        return int(text) if kind == "int" or text.lstrip("-").isdigit() else float(text)
    except ValueError:
        raise problem("a number without units", "2.5") from None
