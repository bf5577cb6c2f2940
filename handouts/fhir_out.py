"""What the tool gives back to the EHR, as FHIR R4 (checked with the R4B models
of fhir.resources before anything is written):

- `record_bundle`: a transaction Bundle with a DocumentReference for the
  printed sheet (the PDF, and an XHTML rendition of the same text, because
  several EHRs file only XHTML) and a Communication saying the written
  instructions were given.
- `plan_request`: the plan as printed, a MedicationRequest with one
  dosageInstruction per step and dose time, in the pattern `fhir_in` reads,
  so the pharmacy and the EHR can check the sheet against the order.

Codes, and where they were checked:
- LOINC 8653-8 "Hospital Discharge instructions": the code of the C-CDA
  Hospital Discharge Instructions Section (template 2.16.840.1.113883.10.20.22.2.41)
  and of FHIR's doc-section-codes value set.
- Communication.category instruction (terminology.hl7.org CodeSystem
  communication-category) and medium WRITTEN (v3 ParticipationMode), as
  HL7 implementation guides use them for instructions handed to a patient.
  A Communication (not a Procedure) because what happened is that
  information was conveyed, with the sheet as its payload.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
import xml.etree.ElementTree as ElementTree
from decimal import Decimal
from typing import Any

from handouts.errors import OutputError
from handouts.fhir_in import UCUM, WHEN_OF
from handouts.order import DischargeOrder
from handouts.taper import DoseTime

LOINC = "http://loinc.org"
DISCHARGE_INSTRUCTIONS = {"system": LOINC, "code": "8653-8", "display": "Hospital Discharge instructions"}
INSTRUCTION = {
    "system": "http://terminology.hl7.org/CodeSystem/communication-category",
    "code": "instruction",
    "display": "Instruction",
}
WRITTEN = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode",
    "code": "WRITTEN",
    "display": "written",
}
XHTML = "http://www.w3.org/1999/xhtml"
# Names are derived from the content, so the same sheet always gets the same ids.
_NAMESPACE = uuid.UUID("5b0e3f4c-63a4-4c55-9a61-2c1b8f0d9a17")


def record_bundle(
    order: DischargeOrder,
    pdf: bytes,
    xhtml: bytes,
    language: str,
    title: str,
    subject: dict[str, Any] | None = None,
    encounter: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A transaction Bundle: the sheet as a DocumentReference, and the Communication."""
    document_id = f"urn:uuid:{uuid.uuid5(_NAMESPACE, hashlib.sha256(pdf).hexdigest())}"
    message_id = f"urn:uuid:{uuid.uuid5(_NAMESPACE, document_id)}"
    day = order.discharge_date.isoformat()
    document: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "status": "current",
        "docStatus": "final",
        "type": {"coding": [DISCHARGE_INSTRUCTIONS], "text": "Discharge instructions: medicine taper"},
        "description": title,
        "content": [
            {"attachment": _attachment("application/pdf", pdf, language, title, day)},
            {"attachment": _attachment("application/xhtml+xml", xhtml, language, title, day)},
        ],
    }
    message: dict[str, Any] = {
        "resourceType": "Communication",
        "status": "completed",
        "category": [{"coding": [INSTRUCTION]}],
        "medium": [{"coding": [WRITTEN]}],
        "payload": [{"contentReference": {"reference": document_id, "display": title}}],
    }
    if subject:
        document["subject"] = subject
        message["subject"] = subject
    if encounter:
        document["context"] = {"encounter": [encounter]}
        message["encounter"] = encounter
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": document_id,
                "resource": document,
                "request": {"method": "POST", "url": "DocumentReference"},
            },
            {
                "fullUrl": message_id,
                "resource": message,
                "request": {"method": "POST", "url": "Communication"},
            },
        ],
    }
    return validated(bundle)


def _attachment(kind: str, data: bytes, language: str, title: str, day: str) -> dict[str, Any]:
    return {
        "contentType": kind,
        "language": language,
        "data": base64.b64encode(data).decode("ascii"),
        "size": len(data),
        # FHIR R4's Attachment.hash is the SHA-1 of the data, base64.
        "hash": base64.b64encode(hashlib.sha1(data).digest()).decode("ascii"),
        "title": title,
        "creation": day,
    }


def plan_request(
    order: DischargeOrder, subject: dict[str, Any] | None = None, encounter: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The plan as printed: one dosageInstruction per step and dose time."""
    contained: list[dict[str, Any]] = [_medication(order), _practitioner(order)]
    if subject is None:
        contained.append(_patient(order))
        subject = {"reference": "#patient"}
    dosages = []
    for number, step in enumerate(order.plan.steps, start=1):
        for dose in step.doses:
            if not dose.mg:
                continue
            time = DoseTime(dose.time)
            how = (
                f"{dose.preparation.ml} mL"
                if dose.preparation.ml is not None
                else _tablets(dose.preparation.halves)
            )
            dosages.append(
                {
                    "sequence": number,
                    "text": f"{_plain(dose.mg)} mg ({how}) {time.value}, {step.first_day} to {step.last_day}",
                    "timing": {
                        "repeat": {
                            "boundsPeriod": {
                                "start": step.first_day.isoformat(),
                                "end": step.last_day.isoformat(),
                            },
                            "frequency": 1,
                            "period": 1,
                            "periodUnit": "d",
                            "when": [WHEN_OF[time]],
                        }
                    },
                    "doseAndRate": [
                        {
                            "doseQuantity": {
                                "value": _number(dose.mg),
                                "unit": "mg",
                                "system": UCUM,
                                "code": "mg",
                            }
                        }
                    ],
                }
            )
    request: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "status": "active",
        "intent": "plan",
        "contained": contained,
        "medicationReference": {"reference": "#medicine"},
        "subject": subject,
        "requester": {"reference": "#prescriber"},
        "dosageInstruction": dosages,
    }
    if encounter:
        request["encounter"] = encounter
    return validated(request)


def _medication(order: DischargeOrder) -> dict[str, Any]:
    supply = order.prescription.supply
    name = order.medication.name
    if supply.form == "solution":
        assert supply.concentration_mg_per_ml is not None
        numerator = _mg(supply.concentration_mg_per_ml)
        denominator = {"value": 1, "unit": "mL", "system": UCUM, "code": "mL"}
        form = "Oral solution"
    else:
        if len(supply.strengths_mg) != 1:
            raise OutputError(
                "the plan's MedicationRequest names one product, and this order has several strengths",
                fix="list one strength in the order, or leave --fhir-plan-out out",
            )
        numerator = _mg(supply.strengths_mg[0])
        denominator = {"value": 1, "unit": supply.form}
        form = "Oral tablet" if supply.form == "tablet" else "Oral granules"
    return {
        "resourceType": "Medication",
        "id": "medicine",
        "code": {"text": name},
        "form": {"text": form},
        "ingredient": [
            {
                "itemCodeableConcept": {"text": name},
                "isActive": True,
                "strength": {"numerator": numerator, "denominator": denominator},
            }
        ],
    }


def _mg(value: Decimal) -> dict[str, Any]:
    return {"value": _number(value), "unit": "mg", "system": UCUM, "code": "mg"}


def _number(value: Decimal) -> int | float:
    """A JSON number that reads back as the same decimal (amounts have at most 3 decimals)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _practitioner(order: DischargeOrder) -> dict[str, Any]:
    return {"resourceType": "Practitioner", "id": "prescriber", "name": [{"text": order.prescriber}]}


def _patient(order: DischargeOrder) -> dict[str, Any]:
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": "patient",
        "name": [{"text": order.patient_name}],
    }
    if order.date_of_birth:
        patient["birthDate"] = order.date_of_birth.isoformat()
    if order.language:
        patient["communication"] = [
            {
                "language": {"coding": [{"system": "urn:ietf:bcp:47", "code": order.language}]},
                "preferred": True,
            }
        ]
    return patient


def _tablets(halves: tuple[tuple[Decimal, int], ...]) -> str:
    return " + ".join(f"{count / 2:g} x {_plain(strength)} mg" for strength, count in halves)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def sheet_xhtml(html: str) -> bytes:
    """The assembled sheet's HTML as a well-formed XHTML document (same text)."""
    import tinyhtml5

    root = tinyhtml5.parse(html)
    ElementTree.register_namespace("", XHTML)
    # Links to files on this machine (stylesheets, the logo) would not travel with
    # the document, and would show the EHR a local path: only data: pictures stay.
    for parent in list(root.iter()):
        for child in list(parent):
            local = child.tag == f"{{{XHTML}}}link" or (
                child.tag == f"{{{XHTML}}}img" and not child.get("src", "").startswith("data:")
            )
            if local:
                parent.remove(child)
    body: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def validated(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource, once the R4B model accepts it: nothing invalid is ever written."""
    from fhir.resources.R4B import get_fhir_model_class

    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resource
