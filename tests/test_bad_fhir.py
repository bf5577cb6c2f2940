"""FHIR orders the tool refuses, one row a case, written like test_bad_input:
one line naming the FHIR path and the fix, the right exit code, no
traceback, no patient value, no new or partial file."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import run_handouts

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "fhir-tablets.json"
COMMAND = ("discharge", "--fhir", "order.json", "--clinic", "clinic.toml", "-o", "out.pdf",
           "--fhir-out", "record.json", "--fhir-plan-out", "plan.json")  # fmt: skip
PATIENT_WORDS = ("Rosa", "Ibarra", "Amelia", "Chen", "1961")
MR = "Bundle.entry[3].resource"


@dataclass(frozen=True)
class Case:
    name: str
    spoil: Callable[[dict[str, Any]], Any] | bytes
    words: tuple[str, ...]
    code: int = 1
    extra: tuple[str, ...] = ()


def request(document: dict[str, Any]) -> dict[str, Any]:
    resource: dict[str, Any] = document["entry"][3]["resource"]
    return resource


def dosage(index: int, change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], Any]:
    def spoil(document: dict[str, Any]) -> Any:
        change(request(document)["dosageInstruction"][index])
        return document

    return spoil


def whole(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], Any]:
    def spoil(document: dict[str, Any]) -> Any:
        change(document)
        return document

    return spoil


def quantity(**values: Any) -> Callable[[dict[str, Any]], None]:
    return lambda item: item["doseAndRate"][0]["doseQuantity"].update(values)


def repeat(**values: Any) -> Callable[[dict[str, Any]], None]:
    return lambda item: item["timing"]["repeat"].update(values)


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda item: item.pop(key)


# fmt: off
CASES = [
    Case("not JSON", b"{\"resourceType\": \"Bundle\",", ("is not json", "line 1")),
    Case("NaN in JSON", b'{"resourceType": "Bundle", "total": NaN}', ("nan",)),
    Case("not FHIR R4", whole(lambda d: d["entry"][0]["resource"].update(birthDate=19610719)), ("not valid fhir r4", "birthDate")),
    Case("a Patient, not an order", whole(lambda d: d.update(d["entry"][0]["resource"]) or d.pop("entry") or d.pop("type")), ("not a bundle or medicationrequest",)),
    Case("no MedicationRequest", whole(lambda d: d["entry"].pop(3)), ("0 medicationrequests",)),
    Case("subject points nowhere", whole(lambda d: request(d).update(subject={"reference": "Patient/nobody"})), (f"{MR}.subject does not point to a patient",)),
    Case("no requester", whole(lambda d: request(d).pop("requester")), (f"{MR}.requester is missing",)),
    Case("no discharge date", whole(lambda d: request(d).pop("encounter")), ("no discharge date", "--date")),
    Case("the order starts after discharge: days with nothing ordered", whole(lambda d: d["entry"][1]["resource"]["period"].update(end="2026-11-30T09:30:00-06:00")), ("starts after the discharge day", "nothing is ordered")),
    Case("another medicine", whole(lambda d: request(d)["contained"][0].update(code={"text": "tizanidine 4 MG Oral Tablet"})), ("medication.code is not baclofen",)),
    Case("a strength not made", whole(lambda d: request(d)["contained"][0]["ingredient"][0]["strength"]["numerator"].update(value=7)), ("not a strength baclofen tablets come in",)),
    Case("a dose range", dosage(0, lambda i: i["doseAndRate"][0].update(doseRange={"low": {"value": 5, "unit": "mg"}, "high": {"value": 10, "unit": "mg"}}) or i["doseAndRate"][0].pop("doseQuantity")), (f"{MR}.dosageInstruction[0].doseAndRate[0].doseRange is a range",)),
    Case("as needed", dosage(2, lambda i: i.update(asNeededBoolean=True)), (f"{MR}.dosageInstruction[2].asNeeded[x]", "as-needed")),
    Case("a unit other than mg", dosage(1, quantity(unit="g", code="g")), (f"{MR}.dosageInstruction[1].doseAndRate[0].doseQuantity is not in mg or ml",)),
    Case("mL without a concentration", dosage(1, quantity(unit="mL", code="mL")), ("in ml for a medicine with no concentration",)),
    Case("a gap between steps", dosage(5, repeat(boundsPeriod={"start": "2026-12-24", "end": "2026-12-29"})), (f"{MR}.dosageInstruction[5].timing.repeat.bounds[x] leaves a gap",)),
    Case("an overlap between steps", dosage(5, repeat(boundsPeriod={"start": "2026-12-20", "end": "2026-12-29"})), (f"{MR}.dosageInstruction[5].timing.repeat.bounds[x] overlaps",)),
    Case("one dose time twice", dosage(1, repeat(when=["HS"])), (f"{MR}.dosageInstruction[1].timing.repeat names a dose time",)),
    Case("a dose the strengths cannot make", dosage(3, quantity(value=2.5)), (f"{MR}.dosageInstruction[3].doseAndRate[0].doseQuantity cannot be made",)),
    Case("doses going up", dosage(2, quantity(value=20)), (f"{MR}.dosageInstruction[2]", "never go up")),
    Case("a range of doses a day", dosage(0, repeat(frequencyMax=3)), ("range of doses a day",)),
    Case("not per day", dosage(0, repeat(periodUnit="wk")), ("period is not one day",)),
    Case("an unknown when code", dosage(0, repeat(when=["MORN", "ACM"])), ("when has a code other than",)),
    Case("no bounds", dosage(0, lambda i: i["timing"]["repeat"].pop("boundsPeriod")), ("has no boundsperiod or boundsduration",)),
    Case("open-ended step", dosage(6, lambda i: i["timing"]["repeat"]["boundsPeriod"].pop("end")), ("needs both start and end",)),
    Case("no dosage", whole(lambda d: request(d).pop("dosageInstruction")), (f"{MR}.dosageInstruction is missing",)),
    Case("an unknown language", whole(lambda d: d["entry"][0]["resource"]["communication"][1]["language"]["coding"][0].update(code="xx-YY")), ("patient.communication[1].language",)),
    Case("--patient with --fhir", whole(lambda d: d), ("either --fhir or --patient",), code=2, extra=("--patient", "order.json")),
    Case("an order option with --fhir", whole(lambda d: d), ("--daily-mg cannot be given with --fhir",), code=2, extra=("--daily-mg", "30")),
]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_fhir(ward: Path, case: Case) -> None:
    if isinstance(case.spoil, bytes):
        (ward / "order.json").write_bytes(case.spoil)
    else:
        document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        (ward / "order.json").write_text(json.dumps(case.spoil(document)), encoding="utf-8")
    before = set(ward.rglob("*"))
    result = run_handouts(*COMMAND, *case.extra, cwd=ward)
    assert "Traceback" not in result.stderr
    assert result.code == case.code, result.stderr
    assert len(result.stderr_lines) == 1 and result.stderr_lines[0].startswith("handouts: error: "), (
        result.stderr
    )
    line = result.stderr_lines[0].lower()
    for words in case.words:
        assert words.lower() in line, (words, line)
    assert not any(word.lower() in line for word in PATIENT_WORDS), line
    assert set(ward.rglob("*")) == before


def test_every_refusal_of_the_issue_has_a_row() -> None:
    names = {case.name for case in CASES}
    assert {
        "a dose range",
        "as needed",
        "a unit other than mg",
        "a gap between steps",
        "an overlap between steps",
        "another medicine",
        "a dose the strengths cannot make",
        "not FHIR R4",
    } <= names
