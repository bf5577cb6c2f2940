"""`handouts serve` in-process: the API and the form's POSTs answer as an EHR
or a browser would see them, with the hospital's rules on every answer."""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import pdf_pages, pdf_text
from starlette.testclient import TestClient

from handouts.clinic import load_sample_profile
from handouts.web.access import Access
from handouts.web.app import create_app
from handouts.web.guard import CSRF_COOKIE, Guard
from handouts.web.pool import RenderPool

NAME = "María José Núñez"
ORDER: dict[str, Any] = {
    "patient": {"name": NAME, "date_of_birth": "1956-03-14"},
    "discharge": {"date": "2026-12-01", "prescriber": "Dr. A. Chen"},
    "medication": {
        "form": "tablet",
        "strengths_mg": [10, 5],
        "split_tablets": True,
        "daily_mg": 30,
        "doses_per_day": 3,
    },
    "taper": {"start": "2026-12-02", "step_mg": 5, "every_days": 7},
}
TOKEN = "ward-7-token-0123456789abcdef"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _app(pool: RenderPool, access: Access | None = None) -> Guard:
    access = access or Access()
    return Guard(create_app(load_sample_profile(), access, pool), access)


@pytest.fixture(scope="module")
def pool() -> RenderPool:
    return RenderPool(workers=1, queue=2)


@pytest.fixture(scope="module")
def client(pool: RenderPool) -> Iterator[TestClient]:
    with TestClient(_app(pool), base_url="http://127.0.0.1") as started:  # starts the warm worker
        yield started


def _post_order(client: TestClient, order: dict[str, Any], query: str = "") -> Any:
    return client.post(
        f"/api/v1/discharge{query}", content=json.dumps(order), headers={"content-type": "application/json"}
    )


def test_the_api_prints_the_patients_sheet_with_the_hospitals_headers(client: TestClient) -> None:
    response = _post_order(client, ORDER)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="discharge-2026-12-01-en.pdf"'
    text = pdf_text(response.content)
    assert NAME in text and "January 5, 2027" in text and "7.5 mg" in text
    assert response.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "script-src" not in response.headers["content-security-policy"]  # default-src 'none': no script
    assert response.headers["referrer-policy"] == "no-referrer"


def test_a_packet_is_the_sheet_then_each_handout_and_the_handouts_are_reused(client: TestClient) -> None:
    sheet = pdf_pages(_post_order(client, ORDER).content)
    first = _post_order(client, ORDER, "?include=tapering,warning-signs")
    again = _post_order(client, ORDER, "?include=tapering,warning-signs")
    alone = client.post("/api/v1/handouts", json={"kinds": ["tapering", "warning-signs"]})
    assert first.status_code == again.status_code == alone.status_code == 200
    assert pdf_pages(first.content) == sheet + pdf_pages(alone.content)
    assert first.content == again.content
    text = pdf_text(first.content)
    assert text.index("Your baclofen taper plan") < text.index("Stopping baclofen safely")


def test_a_bad_order_is_422_with_the_field_path_and_no_patient_value(client: TestClient) -> None:
    order = json.loads(json.dumps(ORDER))
    order["medication"]["daily_mg"] = 31
    response = _post_order(client, order)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "medication.daily_mg"
    assert "cannot be made from the strengths the patient has" in error["message"]
    assert NAME not in response.text and "31" not in response.text


@pytest.mark.parametrize(
    ("body", "media", "status"),
    [
        ("not json", "application/json", 422),
        ("[1, 2]", "application/json", 422),
        ('{"patient": {"name": NaN}}', "application/json", 422),
        ("[" * 100_000 + "]" * 100_000, "application/json", 422),  # nested past the parser's depth
        (json.dumps(ORDER), "text/plain", 415),  # a simple cross-site POST is refused
    ],
)
def test_a_body_that_is_not_a_json_order_is_refused(
    client: TestClient, body: str, media: str, status: int
) -> None:
    response = client.post("/api/v1/discharge", content=body, headers={"content-type": media})
    assert response.status_code == status
    assert NAME not in response.text and "Traceback" not in response.text


def test_a_body_over_256_kib_is_413(client: TestClient) -> None:
    order = json.loads(json.dumps(ORDER))
    order["patient"]["name"] = "x" * (256 * 1024)
    response = _post_order(client, order)
    assert response.status_code == 413


def test_a_form_post_without_its_csrf_value_is_refused(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and CSRF_COOKIE in page.cookies
    response = client.post("/discharge/preview", data={"name": NAME, "csrf_token": "forged"})
    assert response.status_code == 403
    assert NAME not in response.text


def test_a_form_mistake_is_at_its_field_with_the_clis_message_and_entries_kept(client: TestClient) -> None:
    page = client.get("/")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    form = {
        "csrf_token": token, "name": NAME, "discharge_date": "2026-12-01", "prescriber": "Dr. A. Chen",
        "form": "tablet", "strengths_mg": "10,5", "split_tablets": "true", "daily_mg": "31",
        "doses_per_day": "3", "start": "2026-12-02", "step_mg": "5", "every_days": "7",
    }  # fmt: skip
    response = client.post("/discharge/pdf", data=form)
    assert response.status_code == 422
    message = "daily_mg cannot be made from the strengths the patient has. Use a multiple of 2.5 mg"
    assert (
        f'<p class="error-message" id="daily_mg-error"><span class="visually-hidden">Error:</span> {message}'
        in response.text
    )
    assert '<a href="#daily_mg">' + message in response.text
    assert f'value="{NAME}"' in response.text and 'value="10,5"' in response.text


def test_a_full_queue_is_503_with_retry_after(client: TestClient, pool: RenderPool) -> None:
    pool.in_flight = pool.limit  # as if every worker and queue place were taken
    try:
        response = _post_order(client, ORDER)
    finally:
        pool.in_flight = 0
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"


def test_a_killed_worker_is_replaced_and_its_request_gets_a_clear_error(
    client: TestClient, pool: RenderPool
) -> None:
    (victim,) = pool.pids()
    answer: dict[str, Any] = {}
    # Four handouts in Arabic, never rendered before: long enough to be killed mid-way.
    order = json.loads(json.dumps(ORDER))
    order["patient"]["language"] = "ar"
    request = threading.Thread(
        target=lambda: answer.update(
            r=_post_order(client, order, "?include=tapering,warning-signs,treatment")
        )
    )
    request.start()
    time.sleep(0.3)
    os.kill(victim, signal.SIGKILL)
    request.join(30)
    assert not request.is_alive(), "the request hung"
    response = answer["r"]
    assert response.status_code == 500
    assert "stopped before it finished" in response.json()["errors"][0]["message"]
    for _ in range(100):
        if pool.alive() == 1 and pool.pids() != [victim]:
            break
        time.sleep(0.2)
    assert pool.pids() != [victim] and client.get("/healthz").json() == {"status": "ok", "workers": 1}
    assert _post_order(client, ORDER).status_code == 200


def test_the_access_log_holds_method_path_status_and_duration_only(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="handouts.access"):
        _post_order(client, ORDER, "?include=tapering")
        client.get("/?name=" + NAME)
    lines = [record.getMessage() for record in caplog.records if record.name == "handouts.access"]
    assert len(lines) == 2
    assert lines[0].startswith("POST /api/v1/discharge 200 ") and lines[0].endswith("ms")
    assert lines[1].startswith("GET / 200 ")
    assert not any(NAME in line or "include" in line for line in lines)


def test_the_openapi_document_carries_the_order_schema_and_no_external_asset(client: TestClient) -> None:
    response = client.get("/api/v1/openapi.json")
    document = response.json()
    assert document["components"]["schemas"]["DischargeOrder"]["properties"]["medication"]
    assert "://" not in json.dumps(document)  # nothing for a client to fetch from elsewhere
    assert client.get("/docs").status_code == 404  # FastAPI's interactive pages load a CDN: not served


def test_with_a_token_the_api_needs_it_and_the_form_needs_a_session() -> None:
    access = Access(token=TOKEN)
    client = TestClient(
        _app(RenderPool(1, 0), access), base_url="http://127.0.0.1"
    )  # no lifespan: no workers
    assert client.post("/api/v1/discharge", json=ORDER).status_code == 401
    assert client.get("/api/v1/languages", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert client.get("/api/v1/languages", headers={"authorization": "Bearer wrong"}).status_code == 401
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login"
    login = client.get("/login")
    token = login.text.split('name="csrf_token" value="')[1].split('"')[0]
    wrong = client.post("/login", data={"csrf_token": token, "token": "nope"}, follow_redirects=False)
    assert wrong.status_code == 401
    right = client.post("/login", data={"csrf_token": token, "token": TOKEN}, follow_redirects=False)
    assert right.status_code == 303
    cookie = right.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert client.get("/").status_code == 200


def test_behind_a_proxy_every_request_needs_its_user_header() -> None:
    client = TestClient(
        _app(RenderPool(1, 0), Access(proxy_user_header="X-Remote-User")), base_url="http://127.0.0.1"
    )
    assert client.get("/").status_code == 401
    assert client.get("/", headers={"X-Remote-User": "nurse.lee"}).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_a_fhir_order_prints_and_answers_with_the_bundle_the_ehr_files(client: TestClient) -> None:
    from fhir.resources.R4B.bundle import Bundle

    body = (EXAMPLES / "fhir-tablets.json").read_bytes()
    answer = client.post("/api/v1/fhir/discharge", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/fhir+json")
    assert answer.headers["cache-control"] == "no-store"
    record = answer.json()
    Bundle.model_validate(record)
    document = record["entry"][0]["resource"]
    assert document["resourceType"] == "DocumentReference"
    pdf = base64.b64decode(document["content"][0]["attachment"]["data"])
    assert pdf.startswith(b"%PDF") and "Su plan de reducción gradual del baclofeno" in pdf_text(pdf)  # es-MX


def test_a_fhir_order_the_tool_cannot_print_exactly_is_refused_by_its_path(client: TestClient) -> None:
    order = json.loads((EXAMPLES / "fhir-tablets.json").read_text(encoding="utf-8"))
    request = next(entry["resource"] for entry in order["entry"] if entry["resource"]["resourceType"] == "MedicationRequest")
    request["dosageInstruction"][0]["asNeededBoolean"] = True
    answer = client.post("/api/v1/fhir/discharge", json=order)
    assert answer.status_code == 422
    message = json.dumps(answer.json())
    assert "dosageInstruction[0].asNeeded" in message and "Example" not in message


def test_infobutton_links_each_handout_in_the_asked_language(client: TestClient) -> None:
    page = client.get(
        "/infobutton",
        params={"mainSearchCriteria.v.dn": "baclofen 10 MG Oral Tablet", "informationRecipient.languageCode.c": "es"},
    )
    assert page.status_code == 200 and 'lang="es"' in page.text
    links = re.findall(r'href="([^"]+)"', page.text)
    assert links and all(link.endswith("-es.pdf") for link in links)
    handout = client.get(links[0])
    assert handout.status_code == 200 and handout.content.startswith(b"%PDF")
    unknown = client.get("/infobutton", params={"mainSearchCriteria.v.dn": "tizanidine"})
    assert unknown.status_code == 404 and "baclofen" in unknown.text
