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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from handouts.application import printable_tags
from handouts.clinic import ClinicProfile, load_clinic_profile, paper_size
from handouts.clinic_folders import clinic_folders
from handouts.content import handout_kinds, load_content
from handouts.errors import HandoutsError, UsageProblem
from handouts.input_files import read_text, read_toml
from handouts.localization import SOURCE_LANGUAGE, resolve_language
from handouts.medication import Medication
from handouts.order import DischargeOrder, OrderError, Source, Style, build_order, schema_problem
from handouts.order_schema import order_fields
from handouts.order_values import LIST_SEPARATOR, ValueProblem, boolean, listed

LONGEST_CELL = 128 * 1024  # csv's own limit: a longer cell fails its row, not the batch

# CSV column -> (order section, key): the order schema's flat names.
CSV_COLUMNS: dict[str, tuple[str, str]] = {
    info.flat: (info.section, info.key) for info in order_fields() if info.flat
}
CSV_EXTRA_COLUMNS = ("id", "include")


class ManifestError(HandoutsError):
    """The manifest as a whole cannot be used (not one row: the file)."""


@dataclass(frozen=True)
class Job:
    """One output file: a handout for a clinic, or one patient's sheet."""

    output: str  # file name inside the output folder; never a patient's name
    source: str  # "clinic.toml" or "row 7", for messages and the index
    kind: str  # a handout kind, or the content's kind for the sheet; `order` says which
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


def _names(value: Any) -> list[str]:
    """A list of names, or text with comma-separated names; none given twice."""
    if value == "all":
        return ["all"]
    try:
        items = listed(value)
    except ValueProblem as problem:
        raise PydanticCustomError("order", problem.what, {"fix": problem.fix}) from None
    if not items:
        raise PydanticCustomError("order", "is empty", {"fix": "name at least one, or write \"all\""})
    if not all(isinstance(item, str) for item in items):
        raise PydanticCustomError("order", "must be a list of text values", {"fix": 'e.g. ["a", "b"]'})
    if len(set(items)) != len(items):
        raise PydanticCustomError("order", "names the same entry twice", {"fix": "give each entry once"})
    return items


def _yes_no(value: Any) -> bool:
    try:
        return boolean(value)
    except ValueProblem as problem:
        raise PydanticCustomError("order", problem.what, {"fix": problem.fix}) from None


Names = Annotated[list[str], BeforeValidator(_names)]


class BatchSection(BaseModel):
    """[batch] in a TOML manifest: checked like every other input."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    clinics: Names = Field(description="Clinic profiles, relative to the manifest.")
    languages: Names = Field(default=[SOURCE_LANGUAGE], description='Language tags, or "all".')
    kinds: Names = Field(default=["all"], description='Handout kinds, or "all".')
    paper: Literal["letter", "a4"] | None = Field(default=None, description="letter or a4.")
    large_print: Annotated[bool, BeforeValidator(_yes_no)] = Field(default=False, description="true or false.")


def load_manifest(
    path: Path, clinic: ClinicProfile | None, medication: Medication, large_print: bool = False
) -> Manifest:
    if path.suffix.lower() == ".csv":
        assert clinic is not None, "the command chooses the clinic for a CSV manifest"
        return _csv_manifest(path, clinic, medication, large_print)
    return _toml_manifest(path, large_print)


def _toml_manifest(path: Path, large_print: bool) -> Manifest:
    data = read_toml(path, ManifestError, "batch manifest", "give a TOML or CSV manifest (see examples/)")
    where = str(path)
    source = Source(where, Style.FILE)
    if not isinstance(data.get("batch"), dict) or set(data) != {"batch"}:
        raise ManifestError("needs exactly one [batch] section", where=where, fix="see examples/batch.toml")
    try:
        batch = BatchSection.model_validate(data["batch"])
    except ValidationError as errors:
        problem = schema_problem(errors, source, {"batch": BatchSection}, prefix=("batch",))
        raise ManifestError(problem.what, where=where, fix=problem.fix) from None
    kinds = list(handout_kinds()) if batch.kinds == ["all"] else batch.kinds
    for kind in kinds:
        if kind not in handout_kinds():
            raise ManifestError(
                f"[batch] kinds: unknown handout kind '{kind[:40]}'",
                where=where,
                fix=f"use 'all' or any of: {', '.join(handout_kinds())}",
            )
    if batch.languages == ["all"]:
        tags = printable_tags()
    else:
        try:
            tags = [resolve_language(tag).tag for tag in batch.languages]
        except UsageProblem as problem:
            raise ManifestError(f"[batch] languages: {problem.what}", where=where, fix=problem.fix) from None
        if len(set(tags)) != len(tags):
            raise ManifestError(
                "[batch] languages names one language twice (an alias counts)",
                where=where,
                fix="give each language once",
            )
    large = batch.large_print or large_print
    manifest = Manifest()
    folders = clinic_folders(batch.clinics, path, ManifestError) if len(batch.clinics) > 1 else {}
    for clinic_name in batch.clinics:
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
                Job(output, clinic_name, kind, tag, clinic, paper_size(clinic, batch.paper), large)
            )
    return manifest


def _rows(text: str, manifest: Manifest, name: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each non-empty row; a row csv cannot read fails alone."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            source = f"{name} row {reader.line_num}"
            manifest.problems.append(
                JobProblem(
                    source,
                    None,
                    f"{source}: a cell is longer than {LONGEST_CELL // 1024} KiB or has a stray quote. "
                    "Check that row in the spreadsheet",
                )
            )
            continue
        if any(cell.strip() for cell in row):
            yield reader.line_num, row


def _csv_manifest(path: Path, clinic: ClinicProfile, medication: Medication, large_print: bool) -> Manifest:
    where = str(path)
    fix = "save the spreadsheet as CSV (UTF-8) with a header row; see examples/discharges.csv"
    text = read_text(path, ManifestError, "CSV file", fix, "export it as 'CSV UTF-8' from the spreadsheet")
    manifest = Manifest()
    rows = list(_rows(text, manifest, path.name))
    if not rows:
        raise ManifestError("is empty", where=where, fix=fix)
    _line, first = rows[0]
    header = [cell.strip() for cell in first]
    columns = [*CSV_EXTRA_COLUMNS, *CSV_COLUMNS]
    unknown = [index for index, name in enumerate(header, 1) if name not in columns]
    if unknown:
        # Never quote the cell: without a header row it is a patient's name.
        first_row = len(unknown) == len(header)
        raise ManifestError(
            "the first row is not a header row" if first_row else f"header cell {unknown[0]} is not a column name",
            where=where,
            fix=f"start with a header row of column names: {', '.join(columns)}",
        )
    if len(set(header)) != len(header):
        raise ManifestError("has a column twice", where=where, fix="give each column once")
    seen: set[str] = set()
    for number, row in rows[1:]:
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
            order = build_order(_order_data(cells), Source(source, Style.CSV), medication)
            language = resolve_language(order.language or clinic.language or SOURCE_LANGUAGE)
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
                load_content().discharge.kind,
                language.tag,
                clinic,
                paper_size(clinic, None),
                large_print,
                order,
                include,
            )
        )
    return manifest


def _row_id(value: str, number: int) -> str:
    # Row ids name files: keep them to letters, digits, dot, dash, underscore.
    cleaned = "".join(char for char in value if char.isascii() and (char.isalnum() or char in "-_."))
    return cleaned.strip(".")[:40] or f"row{number}"


def _include(value: str, source: str) -> tuple[str, ...]:
    if not value:
        return ()
    try:
        kinds = tuple(listed(value))
    except ValueProblem as problem:
        raise OrderError(f"column include {problem.what}", where=source, fix=problem.fix) from None
    for kind in kinds:
        if kind not in handout_kinds():
            raise OrderError(
                "column include names an unknown handout kind",
                where=source,
                fix=f"use any of {', '.join(handout_kinds())}, separated by {LIST_SEPARATOR}",
            )
    return kinds


def _order_data(cells: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The row's cells as an order; the schema reads each cell's text."""
    data: dict[str, dict[str, Any]] = {}
    for name, text in cells.items():
        if text and name not in CSV_EXTRA_COLUMNS:
            section, key = CSV_COLUMNS[name]
            data.setdefault(section, {})[key] = text
    return data
