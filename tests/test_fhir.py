"""FHIR R4 in and out: the examples print; what is written validates with the
R4B models; the plan reads back as the same dated doses; Infobutton answers."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import hashlib
import json
import xml.etree.ElementTree as ElementTree
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import pdf_text, run_handouts
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.medicationrequest import MedicationRequest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from handouts.application import content_medication
from handouts.fhir_in import load_fhir_file, order_from_fhir
from handouts.fhir_out import plan_request
from handouts.infobutton import infobutton_answer
from handouts.order import DischargeOrder, OrderError, Source, Style, build_order

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MEDICATION = content_medication()


def dated_doses(order: DischargeOrder) -> list[tuple[datetime.date, str, Decimal]]:
    return [(day, dose.time, dose.mg) for day, step in order.plan.days() for dose in step.doses if dose.mg]


def test_the_tablet_bundle_prints_and_files_back(ward: Path) -> None:
    (ward / "order.json").write_bytes((EXAMPLES / "fhir-tablets.json").read_bytes())
    result = run_handouts(
        "discharge", "--fhir", "order.json", "--clinic", "clinic.toml", "-o", "sheet.pdf",
        "--fhir-out", "record.json", "--fhir-plan-out", "plan.json", cwd=ward,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    text = pdf_text(ward / "sheet.pdf")
    # Official name, the preferred language (es-MX → es), the Practitioner, the Encounter's end.
    assert "Rosa Elena Ibarra Soto" in text and "Dr. Amelia Chen" in text
    assert "2 de diciembre de 2026" in text
    record = json.loads((ward / "record.json").read_text(encoding="utf-8"))
    Bundle.model_validate(record)
    document, message = (entry["resource"] for entry in record["entry"])
    assert document["type"]["coding"][0]["code"] == "8653-8"
    assert document["subject"] == {"reference": "urn:uuid:7d0c6a58-0b3e-4f57-9d0e-2f1f1c6a0001"}
    assert document["context"]["encounter"] == [
        {"reference": "urn:uuid:7d0c6a58-0b3e-4f57-9d0e-2f1f1c6a0002"}
    ]
    pdf, xhtml = (content["attachment"] for content in document["content"])
    sheet = (ward / "sheet.pdf").read_bytes()
    assert base64.b64decode(pdf["data"]) == sheet
    assert pdf["hash"] == base64.b64encode(hashlib.sha1(sheet).digest()).decode()
    assert (pdf["language"], xhtml["language"], xhtml["contentType"]) == ("es", "es", "application/xhtml+xml")
    page = ElementTree.fromstring(base64.b64decode(xhtml["data"]))  # well-formed XML
    words = " ".join("".join(page.itertext()).split())
    assert "Rosa Elena Ibarra Soto" in words and "Dr. Amelia Chen" in words
    assert message["payload"][0]["contentReference"]["reference"] == record["entry"][0]["fullUrl"]
    plan = json.loads((ward / "plan.json").read_text(encoding="utf-8"))
    MedicationRequest.model_validate(plan)
    # One instruction per step and dose time: 3 + 2 + 2 + 2 + 1.
    assert len(plan["dosageInstruction"]) == 10


def test_the_solution_bundle_reads_ml_and_clock_times() -> None:
    order, _mapped = load_fhir_file(
        EXAMPLES / "fhir-solution.json", MEDICATION, {"medication": {"smallest_ml": "0.5"}}
    )
    assert order.language == "vi" and order.prescription.supply.concentration_mg_per_ml == 1
    assert order.clock_times == {"morning": datetime.time(8, 0), "bedtime": datetime.time(20, 0)}
    assert [step.daily_mg for step in order.plan.steps] == [20, 15, 10, 5]
    assert order.plan.steps[1].doses[0].preparation.ml == Decimal("7.5")
    assert order.plan.stop_day == datetime.date(2026, 12, 30)


def test_the_tablet_bundle_reads_durations_after_a_period() -> None:
    order, mapped = load_fhir_file(EXAMPLES / "fhir-tablets.json", MEDICATION, {})
    assert [(step.first_day.isoformat(), step.daily_mg) for step in order.plan.steps] == [
        ("2026-12-02", 25), ("2026-12-09", 20), ("2026-12-16", 15), ("2026-12-23", 10), ("2026-12-30", 5),
    ]  # fmt: skip
    midday = order.plan.steps[0].doses[1]
    assert (midday.time, midday.preparation.halves) == ("midday", ((Decimal(10), 1),))  # half a tablet
    assert (
        mapped.paths["taper.steps.0.midday"]
        == "Bundle.entry[3].resource.dosageInstruction[1].doseAndRate[0].doseQuantity"
    )


def test_an_undoable_dose_is_named_by_its_fhir_path() -> None:
    document = json.loads((EXAMPLES / "fhir-tablets.json").read_text(encoding="utf-8"))
    document["entry"][3]["resource"]["dosageInstruction"][3]["doseAndRate"][0]["doseQuantity"]["value"] = 2.5
    with pytest.raises(OrderError) as refused:
        order_from_fhir(document, "order.json", MEDICATION)
    assert str(refused.value).startswith(
        "order.json: Bundle.entry[3].resource.dosageInstruction[3].doseAndRate[0].doseQuantity cannot be made"
    )


def _order(
    form: str, strength: int, daily_units: int, steps: list[tuple[int, int]], per_day: int
) -> DischargeOrder:
    medication: dict[str, Any] = {
        "form": form,
        "daily_mg": str(daily_units * strength),
        "doses_per_day": per_day,
    }
    if form == "tablet":
        medication.update(strengths_mg=[strength], split_tablets=True)
    else:
        medication.update(concentration_mg_per_ml=strength, smallest_ml="0.5")
    data = {
        "patient": {"name": "Test Person"},
        "discharge": {"date": "2026-12-01", "prescriber": "Dr. Test"},
        "medication": medication,
        "taper": {
            "start": "2026-12-02",
            "daily_totals_mg": [str(total * strength) for total, _days in steps],
            "every_days": steps[0][1],
        },
    }
    return build_order(data, Source("generated", Style.JSON), MEDICATION)


@st.composite
def orders(draw: st.DrawFn) -> DischargeOrder:
    form = draw(st.sampled_from(["tablet", "solution"]))
    strength = draw(st.sampled_from([5, 10, 20] if form == "tablet" else [1, 2, 5]))
    per_day = draw(st.integers(1, 4))
    start = draw(st.integers(per_day, 24))
    totals = sorted(draw(st.lists(st.integers(1, start), min_size=1, max_size=6, unique=True)), reverse=True)
    days = draw(st.integers(1, 14))
    try:
        return _order(form, strength, start, [(total, days) for total in totals], per_day)
    except OrderError:
        # A total the dose times cannot share is refused before any FHIR is involved.
        assume(False)
        raise


@settings(max_examples=60, deadline=None)
@given(orders())
def test_order_to_medication_request_to_order_keeps_every_dated_dose(order: DischargeOrder) -> None:
    request = plan_request(order)
    MedicationRequest.model_validate(request)
    extra = {"discharge": {"date": "2026-12-01"}}
    if order.prescription.supply.form == "solution":
        extra["medication"] = {"smallest_ml": str(order.prescription.supply.smallest_ml)}
    again = order_from_fhir(json.loads(json.dumps(request)), "plan.json", MEDICATION, extra)
    assert dated_doses(again) == dated_doses(order)
    assert again.prescription.supply.form == order.prescription.supply.form


def _ask(**query: str) -> tuple[int, str]:
    answer = infobutton_answer(
        query, MEDICATION, lambda: ["en", "es"], lambda kind, tag: f"/pdf/{kind}-{tag}.pdf"
    )
    return answer.status, answer.html


def test_infobutton_answers_in_the_asked_language_with_each_handout() -> None:
    status, page = _ask(**{
        "mainSearchCriteria.v.dn": "Baclofen 10 MG Oral Tablet",
        "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.88",
        "informationRecipient.languageCode.c": "es-MX",
    })  # fmt: skip
    assert status == 200 and '<html lang="es"' in page
    for kind in ("tapering", "warning-signs", "treatment"):
        assert f'href="/pdf/{kind}-es.pdf"' in page
    assert "baclofeno" in page.lower()


def test_infobutton_recognises_a_code_the_content_lists() -> None:
    listed = dataclasses.replace(MEDICATION, rxnorm=("424242",))
    query = {"mainSearchCriteria.v.c": "424242", "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.88"}
    answer = infobutton_answer(query, listed, lambda: ["en"], lambda kind, tag: f"/{kind}")
    assert answer.status == 200 and 'href="/tapering"' in answer.html
    assert infobutton_answer(query, MEDICATION, lambda: ["en"], lambda kind, tag: "").status == 404


def test_infobutton_refuses_what_it_does_not_cover() -> None:
    status, page = _ask(
        **{"mainSearchCriteria.v.c": "1", "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.88"}
    )
    assert status == 404 and "cover only baclofen" in page
    assert (
        _ask(**{"mainSearchCriteria.v.c": "1", "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.69"})[0] == 400
    )
    assert _ask()[0] == 400
    assert _ask(**{"mainSearchCriteria.v.dn": "<script>tizanidine"})[1].count("<script>") == 0
