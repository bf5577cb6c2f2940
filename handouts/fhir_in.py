"""A FHIR R4 taper order (a Bundle, or a MedicationRequest with contained
resources) mapped to the one order schema, then checked by `build_order`
like a patient file.

The structure is validated first with the R4B models of fhir.resources (R4B
only adds to R4 where this module reads nothing). Then each value is read
from one place and remembered by its FHIR path, so a refusal from the schema
or the taper arithmetic names the element it came from. Nothing is guessed:
a dose range, an as-needed dose, a unit other than mg or mL, a gap or an
overlap between steps, another medicine or a strength the content does not
list is refused. Messages never repeat a value from the order.

The pattern is the specification's tapering example (MedicationRequest
medrx0303): several dosageInstructions, each with timing.repeat and a
boundsPeriod (or a boundsDuration following the one before it) and a
doseQuantity. Instructions for the same days at different dose times make
one step. The first step's daily total is the sheet's current dose.
"""

from __future__ import annotations

import datetime
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from handouts.input_files import read_text
from handouts.medication import Medication
from handouts.order import DischargeOrder, OrderError, Source, Style, build_order
from handouts.taper import DEFAULT_DOSE_TIMES, DoseTime

MAX_FHIR_BYTES = 1024 * 1024
RXNORM_SYSTEM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
# HL7 v3 TimingEvent codes a dose time can be written with.
WHEN_CODES = {
    "MORN": DoseTime.MORNING,
    "NOON": DoseTime.MIDDAY,
    "EVE": DoseTime.EVENING,
    "HS": DoseTime.BEDTIME,
}
WHEN_OF = {time: code for code, time in WHEN_CODES.items()}
_STRENGTH = re.compile(r"(\d+(?:\.\d+)?)\s*MG(\s*/\s*ML)?\b", re.IGNORECASE)
_FORM_WORDS = (("tablet", "tablet"), ("solution", "solution"), ("granule", "granules"))
DAY = datetime.timedelta(days=1)


class FhirError(OrderError):
    """A FHIR order that cannot be printed exactly; names the FHIR path."""


@dataclass
class FhirOrder:
    """The order data in the schema's shape, and where each value was read."""

    data: dict[str, dict[str, Any]]
    paths: dict[str, str] = field(default_factory=dict)
    subject: dict[str, Any] | None = None
    encounter: dict[str, Any] | None = None

    def put(self, section: str, key: str, value: Any, path: str) -> None:
        self.data.setdefault(section, {})[key] = value
        self.paths[f"{section}.{key}"] = path


def load_fhir_file(
    path: Path, medication: Medication, extra: Mapping[str, Mapping[str, Any]]
) -> tuple[DischargeOrder, FhirOrder]:
    """`discharge --fhir FILE.json`: the file read under the size cap, mapped and checked."""
    text = read_text(
        path,
        FhirError,
        "FHIR JSON file",
        "give the path of a FHIR Bundle (see examples/)",
        limit=MAX_FHIR_BYTES,
    )
    mapped = map_fhir(parse_json(text, str(path)), str(path), medication, extra)
    return checked(mapped, str(path), medication), mapped


def parse_json(text: str, where: str) -> Any:
    def refuse_constant(_name: str) -> Any:
        raise FhirError(
            "has NaN or Infinity, which JSON does not allow", where=where, fix="write numbers only"
        )

    try:
        return json.loads(text, parse_float=Decimal, parse_constant=refuse_constant)
    except json.JSONDecodeError as problem:
        raise FhirError(
            f"is not JSON (line {problem.lineno}, column {problem.colno})",
            where=where,
            fix="export the order from the EHR as FHIR JSON",
        ) from None
    except RecursionError:
        raise FhirError(
            "nests too deeply", where=where, fix="export the order from the EHR as FHIR JSON"
        ) from None


def order_from_fhir(
    document: Any, where: str, medication: Medication, extra: Mapping[str, Mapping[str, Any]] | None = None
) -> DischargeOrder:
    """The checked, planned order from a FHIR document (a parsed JSON object)."""
    mapped = map_fhir(document, where, medication, extra or {})
    return checked(mapped, where, medication)


def checked(mapped: FhirOrder, where: str, medication: Medication) -> DischargeOrder:
    """build_order on the mapped data; its refusals renamed to the FHIR path."""
    source = Source(where, Style.JSON)
    try:
        return build_order(mapped.data, source, medication)
    except OrderError as refused:
        raise _renamed(refused, mapped, source) from None


def _renamed(refused: OrderError, mapped: FhirOrder, source: Source) -> OrderError:
    parts: list[str | int] = [
        int(part) if part.isdigit() else part for part in refused.field.split(".") if part
    ]
    label = source.label(tuple(parts))
    fhir_path = _fhir_path_of(refused.field, mapped)
    what = refused.what
    if fhir_path and what.startswith(label):
        what = fhir_path + what[len(label) :]
    elif fhir_path:
        what = f"{fhir_path}: {what}"
    return FhirError(
        what, where=refused.where, fix=refused.fix, field=refused.field, exit_code=refused.exit_code
    )


def _fhir_path_of(order_field: str, mapped: FhirOrder) -> str | None:
    """The FHIR path a field was read from: the longest known prefix of the field."""
    parts = order_field.split(".")
    while parts:
        found = mapped.paths.get(".".join(parts))
        if found:
            return found
        parts.pop()
    return None


def map_fhir(
    document: Any, where: str, medication: Medication, extra: Mapping[str, Mapping[str, Any]]
) -> FhirOrder:
    """The FHIR document as the schema's data; refuses what cannot be read exactly."""
    try:
        return _mapped(document, where, medication, extra)
    except FhirError as refused:
        refused.where = refused.where or where
        raise


def _mapped(
    document: Any, where: str, medication: Medication, extra: Mapping[str, Mapping[str, Any]]
) -> FhirOrder:
    resources = _Resources(_validated(document, where), where)
    request, request_path = resources.medication_request()
    mapped = FhirOrder(data={})
    mapped.paths.update(
        {"taper": f"{request_path}.dosageInstruction", "medication": f"{request_path}.medication[x]"}
    )
    patient = resources.resolve(request.get("subject"), "Patient", f"{request_path}.subject")
    mapped.subject = dict(request["subject"])
    _map_patient(patient, mapped)
    _map_discharge(request, resources, mapped, request_path, extra)
    medicine = _map_medicine(request, resources, mapped, request_path, medication)
    _map_taper(request, mapped, request_path, medicine)
    if medicine.form == "solution" and not (extra.get("medication") or {}).get("smallest_ml"):
        raise _refused(
            "an oral solution needs the smallest volume the patient can measure, which FHIR does not carry",
            "give --smallest-ml, e.g. --smallest-ml 0.5",
        )
    for section, values in extra.items():
        for key, value in values.items():
            if section == "discharge" and key == "date":
                continue  # used by _map_discharge when the Encounter has no end
            mapped.put(section, key, value, f"--{key.replace('_', '-')}")
    return mapped


def _validated(document: Any, where: str) -> dict[str, Any]:
    from fhir.resources.R4B import get_fhir_model_class

    if not isinstance(document, dict) or not isinstance(document.get("resourceType"), str):
        raise FhirError(
            "is not a FHIR resource", where=where, fix="give a Bundle or a MedicationRequest as JSON"
        )
    kind = document["resourceType"]
    if kind not in ("Bundle", "MedicationRequest"):
        raise FhirError(
            f"is a {kind[:40]}, not a Bundle or MedicationRequest",
            where=where,
            fix="give the Bundle with the MedicationRequest, its Patient, Encounter and Practitioner",
        )
    try:
        get_fhir_model_class(kind).model_validate(document)
    except ValidationError as errors:
        first = errors.errors(include_url=False, include_input=False)[0]
        path = kind + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"])
        raise FhirError(
            f"{path} is not valid FHIR R4 ({first['type']})",
            where=where,
            fix="check the element against the FHIR R4 specification",
        ) from None
    return document


class _Resources:
    """The resources of a Bundle (or a MedicationRequest's contained ones), found by reference."""

    def __init__(self, document: dict[str, Any], where: str):
        self.where = where
        self.document = document
        self.entries: list[tuple[dict[str, Any], str, str | None]] = []
        if document["resourceType"] == "Bundle":
            for index, entry in enumerate(document.get("entry") or []):
                if isinstance(entry.get("resource"), dict):
                    self.entries.append(
                        (entry["resource"], f"Bundle.entry[{index}].resource", entry.get("fullUrl"))
                    )
        else:
            self.entries.append((document, "MedicationRequest", None))

    def problem(self, what: str, fix: str) -> FhirError:
        return FhirError(what, where=self.where, fix=fix)

    def medication_request(self) -> tuple[dict[str, Any], str]:
        found = [
            (res, path) for res, path, _url in self.entries if res.get("resourceType") == "MedicationRequest"
        ]
        if len(found) != 1:
            raise self.problem(
                f"has {len(found)} MedicationRequests",
                "send exactly one MedicationRequest: the taper, one dosageInstruction per step and dose time",
            )
        return found[0]

    def resolve(self, reference: Any, kind: str, path: str) -> dict[str, Any]:
        target = reference.get("reference") if isinstance(reference, dict) else None
        if not isinstance(target, str):
            raise self.problem(f"{path} is missing", f"point it at the {kind} (a reference)")
        request = next(
            res for res, _path, _url in self.entries if res.get("resourceType") == "MedicationRequest"
        )
        if target.startswith("#"):
            for contained in request.get("contained") or []:
                if contained.get("id") == target[1:] and contained.get("resourceType") == kind:
                    return dict(contained)
        for resource, _path, url in self.entries:
            if resource.get("resourceType") != kind:
                continue
            if (
                target == url
                or target == f"{kind}/{resource.get('id')}"
                or (url and url.endswith("/" + target))
            ):
                return resource
        raise self.problem(
            f"{path} does not point to a {kind} in the {self.document['resourceType']}",
            f"include the {kind} in the Bundle or as a contained resource",
        )


def _person_name(resource: dict[str, Any], path: str, prefer: tuple[str, ...]) -> str:
    names = [name for name in resource.get("name") or [] if isinstance(name, dict)]
    for use in prefer:
        for index, name in enumerate(names):
            if name.get("use") == use or (use == "" and name):
                text = name.get("text") or " ".join(
                    [
                        *(name.get("prefix") or []),
                        *(name.get("given") or []),
                        *([name["family"]] if name.get("family") else []),
                    ]
                )
                if text.strip():
                    return str(text)
                raise _refused(
                    f"{path}.name[{index}] has no text, given or family", "give the name's text or its parts"
                )
    raise _refused(f"{path}.name is missing", "give the name (official, usual or text)")


def _map_patient(patient: dict[str, Any], mapped: FhirOrder) -> None:
    mapped.put("patient", "name", _person_name(patient, "Patient", ("official", "usual", "")), "Patient.name")
    if patient.get("birthDate"):
        mapped.put("patient", "date_of_birth", patient["birthDate"], "Patient.birthDate")
    ways = [item for item in patient.get("communication") or [] if isinstance(item, dict)]
    ways.sort(key=lambda item: not item.get("preferred"))
    if ways:
        index = (patient.get("communication") or []).index(ways[0])
        language = ways[0].get("language") or {}
        codes = [coding.get("code") for coding in language.get("coding") or [] if coding.get("code")]
        tag = codes[0] if codes else language.get("text")
        if tag:
            mapped.put("patient", "language", tag, f"Patient.communication[{index}].language")


def _map_discharge(
    request: dict[str, Any],
    resources: _Resources,
    mapped: FhirOrder,
    path: str,
    extra: Mapping[str, Mapping[str, Any]],
) -> None:
    end = None
    if request.get("encounter"):
        encounter = resources.resolve(request["encounter"], "Encounter", f"{path}.encounter")
        mapped.encounter = dict(request["encounter"])
        end = (encounter.get("period") or {}).get("end")
    given = (extra.get("discharge") or {}).get("date")
    if end:
        # The date as written at the EHR's own offset: the day the patient left.
        mapped.put("discharge", "date", str(end)[:10], "Encounter.period.end")
    elif given:
        mapped.put("discharge", "date", given, "--date")
    else:
        raise resources.problem(
            "has no discharge date: the Encounter has no period.end",
            f"give the Encounter (from {path}.encounter) with period.end, or --date",
        )
    practitioner = resources.resolve(request.get("requester"), "Practitioner", f"{path}.requester")
    mapped.put(
        "discharge",
        "prescriber",
        _person_name(practitioner, "Practitioner", ("official", "usual", "")),
        "Practitioner.name",
    )


@dataclass(frozen=True)
class _Medicine:
    form: str
    concentration: Decimal | None


def _map_medicine(
    request: dict[str, Any], resources: _Resources, mapped: FhirOrder, path: str, medication: Medication
) -> _Medicine:
    if request.get("medicationReference"):
        medicine = resources.resolve(
            request["medicationReference"], "Medication", f"{path}.medicationReference"
        )
        code, code_path = medicine.get("code") or {}, "Medication.code"
    else:
        medicine, code, code_path = (
            {},
            request.get("medicationCodeableConcept") or {},
            f"{path}.medicationCodeableConcept",
        )
    words = " ".join(
        str(text)
        for text in [code.get("text"), *(c.get("display") for c in code.get("coding") or [])]
        if text
    )
    codes = {str(c.get("code")) for c in code.get("coding") or [] if c.get("system") == RXNORM_SYSTEM}
    named = re.search(rf"\b{re.escape(medication.name)}\b", words, re.IGNORECASE)
    if not (codes & set(medication.rxnorm) or named):
        raise resources.problem(
            f"{code_path} is not {medication.name}, the medicine this tool's content covers",
            f"print this sheet only for {medication.name}; name it in code.text or with its RxNorm code",
        )
    form_text = " ".join(
        str(text)
        for text in [
            (medicine.get("form") or {}).get("text"),
            *(c.get("display") for c in (medicine.get("form") or {}).get("coding") or []),
            words,
        ]
        if text
    ).lower()
    form = next((name for word, name in _FORM_WORDS if word in form_text), None)
    if form is None:
        raise resources.problem(
            f"{code_path} does not say tablet, oral solution or granules",
            "give Medication.form, or a code text such as 'baclofen 10 MG Oral Tablet'",
        )
    mapped.put("medication", "form", form, "Medication.form" if medicine.get("form") else code_path)
    strength, per_ml, strength_path = _strength(medicine, words, code_path, resources)
    product = medication.products.get(form)
    if form == "solution":
        if not per_ml:
            raise resources.problem(
                f"{strength_path} is not in mg per mL",
                "give the strength as a Ratio of mg to mL, e.g. 5 mg / 5 mL",
            )
        if product is None or strength not in product.concentrations_mg_per_ml:
            raise resources.problem(
                f"{strength_path} is not a concentration {medication.name} solution comes in",
                "check the strength against the product",
            )
        mapped.put("medication", "concentration_mg_per_ml", strength, strength_path)
        mapped.paths["medication.smallest_ml"] = "--smallest-ml"
        return _Medicine(form, strength)
    if per_ml or product is None or strength not in product.strengths_mg:
        raise resources.problem(
            f"{strength_path} is not a strength {medication.name} {form}s come in",
            "check the strength against the product",
        )
    mapped.put("medication", "strengths_mg", [strength], strength_path)
    # Halves when the product may be split (the content says so); a dose is made
    # from whole tablets first, so halves appear only where the order needs them.
    mapped.put("medication", "split_tablets", bool(product.may_split), strength_path)
    return _Medicine(form, None)


def _strength(
    medicine: dict[str, Any], words: str, code_path: str, resources: _Resources
) -> tuple[Decimal, bool, str]:
    for index, ingredient in enumerate(medicine.get("ingredient") or []):
        ratio = ingredient.get("strength")
        if not ratio:
            continue
        path = f"Medication.ingredient[{index}].strength"
        top, bottom = ratio.get("numerator") or {}, ratio.get("denominator") or {}
        if _unit(top) != "mg" or top.get("value") is None:
            raise resources.problem(f"{path}.numerator is not in mg", "give the strength in mg (UCUM mg)")
        below = Decimal(str(bottom.get("value", 1)))
        if below <= 0:
            raise resources.problem(f"{path}.denominator is not above zero", "e.g. 1 tablet, or 5 mL")
        per_ml = _unit(bottom) == "mL"
        return Decimal(str(top["value"])) / below, per_ml, path
    found = _STRENGTH.search(words)
    if not found:
        raise resources.problem(
            f"{code_path} gives no strength",
            "give Medication.ingredient.strength, or a code text such as 'baclofen 10 MG Oral Tablet'",
        )
    return Decimal(found.group(1)), bool(found.group(2)), f"{code_path}.text"


def _unit(quantity: Mapping[str, Any]) -> str | None:
    if quantity.get("system") not in (None, UCUM):
        return None
    unit = quantity.get("code") or quantity.get("unit")
    return {"mg": "mg", "mL": "mL", "ml": "mL"}.get(str(unit)) if unit else None


@dataclass
class _Step:
    first: datetime.date
    last: datetime.date
    amounts: dict[DoseTime, Decimal] = field(default_factory=dict)
    paths: dict[DoseTime, str] = field(default_factory=dict)


def _map_taper(request: dict[str, Any], mapped: FhirOrder, path: str, medicine: _Medicine) -> None:
    instructions = request.get("dosageInstruction") or []
    base = f"{path}.dosageInstruction"
    if not instructions:
        raise _refused(f"{base} is missing", "give one dosageInstruction per step and dose time")
    order = sorted(range(len(instructions)), key=lambda i: (instructions[i].get("sequence") or 0, i))
    steps: list[_Step] = []
    clock: dict[DoseTime, str] = {}
    latest: datetime.date | None = None
    previous_sequence = None
    for index in order:
        dosage, here = instructions[index], f"{base}[{index}]"
        first, last = _bounds(dosage, here, steps, latest, previous_sequence)
        previous_sequence = dosage.get("sequence")
        times, clocks = _dose_times(dosage, here)
        mg = _dose(dosage, here, medicine)
        step = next((s for s in steps if (s.first, s.last) == (first, last)), None)
        if step is None:
            if any(s.first <= last and first <= s.last for s in steps):
                raise _refused(
                    f"{here}.timing.repeat.bounds[x] overlaps another step",
                    "give each step its own days; dose times of one step share the same bounds",
                )
            step = _Step(first, last)
            steps.append(step)
        for time, at in zip(times, clocks, strict=True):
            if time in step.amounts:
                raise _refused(
                    f"{here}.timing.repeat names a dose time another instruction gives for the same days",
                    "give each dose time once a day",
                )
            step.amounts[time] = mg
            step.paths[time] = f"{here}.doseAndRate[0].doseQuantity"
            if at is not None:
                if clock.get(time, at) != at:
                    raise _refused(
                        f"{here}.timing.repeat.timeOfDay differs from another step's",
                        "keep each dose time at one clock time",
                    )
                clock[time] = at
        latest = max(latest or last, last)
    steps.sort(key=lambda s: s.first)
    for before, after in itertools.pairwise(steps):
        if after.first != before.last + DAY:
            step_path = _first_path_of(after).split(".doseAndRate")[0]
            raise _refused(
                f"{step_path}.timing.repeat.bounds[x] leaves a gap after the step before it",
                "make each step start the day after the one before ends",
            )
    _covers_the_discharge_day(mapped, steps[0])
    times_used = [time for time in DoseTime if any(time in s.amounts for s in steps)]
    mapped.put("medication", "dose_times", [time.value for time in times_used], base)
    mapped.put(
        "medication", "daily_mg", sum(steps[0].amounts.values(), Decimal(0)), f"{_first_path_of(steps[0])}"
    )
    mapped.put(
        "taper",
        "start",
        steps[0].first,
        f"{_first_path_of(steps[0]).split('.doseAndRate')[0]}.timing.repeat.boundsPeriod.start",
    )
    mapped.put(
        "taper",
        "steps",
        [
            {
                "days": (s.last - s.first).days + 1,
                **{time.value: s.amounts.get(time, Decimal(0)) for time in times_used},
            }
            for s in steps
        ],
        base,
    )
    for number, s in enumerate(steps):
        step_path = _first_path_of(s).split(".doseAndRate")[0]
        mapped.paths[f"taper.steps.{number}"] = step_path
        mapped.paths[f"taper.steps.{number}.days"] = f"{step_path}.timing.repeat.bounds[x]"
        for time, dose_path in s.paths.items():
            mapped.paths[f"taper.steps.{number}.{time.value}"] = dose_path
    if clock:
        mapped.put(
            "medication",
            "clock_times",
            {time.value: at for time, at in clock.items()},
            f"{base}.timing.repeat.timeOfDay",
        )


def _first_path_of(step: _Step) -> str:
    return min(step.paths.values())


def _covers_the_discharge_day(mapped: FhirOrder, first: _Step) -> None:
    """The sheet covers every day from discharge; an order that starts later leaves
    days with nothing ordered, and the tool does not guess what the patient takes."""
    discharge = datetime.date.fromisoformat(str(mapped.data["discharge"]["date"]))
    step_path = _first_path_of(first).split(".doseAndRate")[0]
    if first.first > discharge:
        raise _refused(
            f"{step_path}.timing.repeat.bounds[x] starts after the discharge day "
            f"({mapped.paths.get('discharge.date', 'the discharge date')}): nothing is ordered for the days between",
            "start the first dosage instruction on the discharge day, or give --date for the first day at home",
        )
    # Begun in hospital: the calendar starts on the discharge day with that day's dose.
    mapped.put("discharge", "taper_may_start_before_discharge", first.first < discharge, step_path)


def _refused(what: str, fix: str) -> FhirError:
    return FhirError(what, where=None, fix=fix)


def _bounds(
    dosage: dict[str, Any],
    here: str,
    steps: list[_Step],
    latest: datetime.date | None,
    previous_sequence: Any,
) -> tuple[datetime.date, datetime.date]:
    repeat = (dosage.get("timing") or {}).get("repeat")
    if not repeat:
        raise _refused(
            f"{here}.timing.repeat is missing", "give frequency, period and the step's boundsPeriod"
        )
    period, duration = repeat.get("boundsPeriod"), repeat.get("boundsDuration")
    if period:
        if not period.get("start") or not period.get("end"):
            raise _refused(
                f"{here}.timing.repeat.boundsPeriod needs both start and end",
                "give the first and last day of the step (a taper has an end)",
            )
        first, last = (
            _day(period["start"], f"{here}.timing.repeat.boundsPeriod.start"),
            _day(period["end"], f"{here}.timing.repeat.boundsPeriod.end"),
        )
        if last < first:
            raise _refused(f"{here}.timing.repeat.boundsPeriod ends before it starts", "check the two dates")
        return first, last
    if duration:
        days = _days_of(duration, f"{here}.timing.repeat.boundsDuration")
        if not steps or latest is None:
            raise _refused(
                f"{here}.timing.repeat.boundsDuration has no start",
                "give the first step a boundsPeriod with its start date",
            )
        same = previous_sequence is not None and dosage.get("sequence") == previous_sequence
        first = steps[-1].first if same else latest + DAY
        return first, first + datetime.timedelta(days=days - 1)
    raise _refused(
        f"{here}.timing.repeat has no boundsPeriod or boundsDuration",
        "give the days of the step: a boundsPeriod, or a boundsDuration after the step before",
    )


def _day(value: Any, path: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise _refused(f"{path} is not a full date", "give the day as YYYY-MM-DD") from None


def _days_of(duration: Mapping[str, Any], path: str) -> int:
    unit = duration.get("code") or duration.get("unit")
    factor = {"d": 1, "wk": 7}.get(str(unit))
    value = duration.get("value")
    if (
        factor is None
        or value is None
        or Decimal(str(value)) != int(Decimal(str(value)))
        or Decimal(str(value)) < 1
    ):
        raise _refused(f"{path} is not a whole number of days or weeks", "give e.g. 7 d or 2 wk (UCUM d, wk)")
    return int(Decimal(str(value))) * factor


def _dose_times(dosage: dict[str, Any], here: str) -> tuple[list[DoseTime], list[str | None]]:
    if dosage.get("asNeededBoolean") or dosage.get("asNeededCodeableConcept"):
        raise _refused(
            f"{here}.asNeeded[x] makes this an as-needed dose, which a calendar cannot print",
            "send only scheduled doses",
        )
    repeat = dosage["timing"]["repeat"]
    path = f"{here}.timing.repeat"
    if repeat.get("frequencyMax") is not None or repeat.get("periodMax") is not None:
        raise _refused(f"{path} gives a range of doses a day", "give one frequency, e.g. 3 times in 1 d")
    frequency = repeat.get("frequency")
    given_period = repeat.get("period") is not None or repeat.get("periodUnit") is not None
    if given_period and (Decimal(str(repeat.get("period", 0))) != 1 or repeat.get("periodUnit") != "d"):
        raise _refused(f"{path}.period is not one day", "give frequency per 1 d (period 1, periodUnit d)")
    when, at = repeat.get("when") or [], repeat.get("timeOfDay") or []
    if when and at:
        raise _refused(f"{path} gives both when and timeOfDay", "give one of them")
    if when:
        unknown = [code for code in when if code not in WHEN_CODES]
        if unknown or len(set(when)) != len(when):
            raise _refused(
                f"{path}.when has a code other than MORN, NOON, EVE or HS, or one twice",
                "use MORN, NOON, EVE and HS, each once",
            )
        times: list[DoseTime] = [WHEN_CODES[code] for code in when]
        clocks: list[str | None] = [None] * len(times)
    elif at:
        ordered = sorted(str(value)[:5] for value in at)
        if len(ordered) > 4 or len(set(ordered)) != len(ordered):
            raise _refused(
                f"{path}.timeOfDay has more than 4 times or one twice", "give 1 to 4 different times"
            )
        times, clocks = [DoseTime(name) for name in DEFAULT_DOSE_TIMES[len(ordered)]], list(ordered)
    elif frequency in DEFAULT_DOSE_TIMES:
        times, clocks = [DoseTime(name) for name in DEFAULT_DOSE_TIMES[frequency]], [None] * frequency
    else:
        raise _refused(
            f"{path} gives no dose times", "give when (MORN, NOON, EVE, HS) or frequency 1 to 4 a day"
        )
    if frequency is not None and frequency != len(times):
        raise _refused(f"{path}.frequency does not match the number of dose times", "make them agree")
    return times, clocks


def _dose(dosage: dict[str, Any], here: str, medicine: _Medicine) -> Decimal:
    rates = dosage.get("doseAndRate") or []
    if len(rates) != 1:
        raise _refused(f"{here}.doseAndRate must hold exactly one dose", "give one doseQuantity in mg")
    rate = rates[0]
    path = f"{here}.doseAndRate[0]"
    if rate.get("doseRange"):
        raise _refused(
            f"{path}.doseRange is a range, which the sheet cannot print exactly",
            "give one doseQuantity in mg",
        )
    if any(key.startswith("rate") for key in rate):
        raise _refused(f"{path}.rate[x] is a rate, not a dose", "give one doseQuantity in mg")
    quantity = rate.get("doseQuantity")
    if not quantity or quantity.get("value") is None:
        raise _refused(f"{path}.doseQuantity is missing", "give the dose in mg (UCUM mg)")
    if quantity.get("comparator"):
        raise _refused(f"{path}.doseQuantity has a comparator", "give the exact dose")
    unit = _unit(quantity)
    value = Decimal(str(quantity["value"]))
    if unit == "mg":
        return value
    if unit == "mL":
        if medicine.concentration is None:
            raise _refused(
                f"{path}.doseQuantity is in mL for a medicine with no concentration", "give the dose in mg"
            )
        return value * medicine.concentration
    raise _refused(
        f"{path}.doseQuantity is not in mg or mL", "give the dose in mg (UCUM mg), or mL for a solution"
    )
