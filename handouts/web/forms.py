"""The discharge form's fields, generated from the one order schema: the same
flat names as the CSV columns and the options, the same hints and examples.
A form's values are read exactly as the options are (text as typed), and a
problem comes back with the CLI's own message, placed at its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from handouts.commands.discharge import order_option_fields, patient_data_from_options
from handouts.errors import HandoutsError
from handouts.order import FLAT_NAMES, OrderError, Source, Style
from handouts.taper import Form

FORM_SOURCE = Source("the form", Style.FORM)
# The patient's language is the page's language: the form offers it as a list
# of the printable languages, each with its review status.
LANGUAGE_FIELD = "language"


@dataclass(frozen=True)
class FormField:
    name: str  # the flat name: the CSV column, the option without dashes
    section: str
    label: str
    hint: str
    example: str
    required: bool
    widget: str  # text, date, checkbox, select, language
    choices: tuple[str, ...] = ()

    @property
    def hint_id(self) -> str:
        return f"{self.name}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.name}-error"


def _widget(kind: str, name: str) -> tuple[str, tuple[str, ...]]:
    if name == LANGUAGE_FIELD:
        return "language", ()
    if kind == "yes/no":
        return "checkbox", ()
    if kind == "form":
        return "select", tuple(form.value for form in Form)
    if kind == "date":
        return "date", ()
    return "text", ()


def form_fields() -> tuple[FormField, ...]:
    fields = []
    for info in order_option_fields():
        name = info.flat or info.key
        widget, choices = _widget(info.kind, name)
        label = name.replace("_", " ").replace(" mg", " (mg)").replace(" ml", " (mL)")
        fields.append(
            FormField(
                name=name,
                section=info.section,
                label=label[0].upper() + label[1:],
                hint=info.hint,
                example=info.example,
                required=info.required,
                widget=widget,
                choices=choices,
            )
        )
    return tuple(fields)


def form_sections() -> list[tuple[str, list[FormField]]]:
    sections: dict[str, list[FormField]] = {}
    for field in form_fields():
        sections.setdefault(field.section, []).append(field)
    return list(sections.items())


def form_values(form: Mapping[str, str]) -> dict[str, str]:
    """The order's fields as the nurse typed them (kept to fill the form again)."""
    names = {field.name for field in form_fields()}
    return {name: value.strip() for name, value in form.items() if name in names and isinstance(value, str)}


def order_data(values: Mapping[str, str]) -> dict[str, dict[str, object]]:
    return patient_data_from_options(dict(values))


@dataclass(frozen=True)
class FieldProblem:
    field: str | None  # the flat name, or None for the order as a whole
    anchor: str  # where the summary's link goes
    message: str


def field_problem(problem: HandoutsError) -> FieldProblem:
    """A problem placed at its field; one the schema cannot place goes to its section."""
    if isinstance(problem, OrderError) and problem.field:
        parts = problem.field.split(".")
        flat = FLAT_NAMES.get((parts[0], parts[1])) if len(parts) > 1 else None
        if flat is not None and flat in {field.name for field in form_fields()}:
            return FieldProblem(flat, flat, _message(problem))
        return FieldProblem(None, f"section-{parts[0]}", _message(problem))
    return FieldProblem(None, "print-options", _message(problem))


def _message(problem: HandoutsError) -> str:
    # The CLI's own line, without the source's name ("the form:") in front.
    text = str(problem)
    prefix = f"{FORM_SOURCE.where}: "
    return text[len(prefix) :] if text.startswith(prefix) else text
