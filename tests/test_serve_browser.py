"""`handouts serve` as a nurse uses it: Debian's chromium, driven by
Playwright, against the real command listening on loopback. axe-core (from
the npm registry, see tests/browser/package.json) checks every page and state."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import pdf_text

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
NAME = "María José Núñez"
ENTRIES = {
    "name": NAME, "discharge_date": "2026-12-01", "prescriber": "Dr. A. Chen", "strengths_mg": "10,5",
    "daily_mg": "30", "doses_per_day": "3", "start": "2026-12-02", "step_mg": "5", "every_days": "7",
}  # fmt: skip

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install '.[test]')"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "HANDOUTS_CLINIC"}
    process = subprocess.Popen(
        [sys.executable, "-m", "handouts", "serve", "--port", str(port), "--workers", "1"],
        cwd=tmp_path_factory.mktemp("serve"), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=server, viewport={"width": 1000, "height": 900})
    opened = context.new_page()
    opened.goto("/")
    yield opened
    context.close()


def _fill(page: Any, **changes: str) -> None:
    for name, value in {**ENTRIES, **changes}.items():
        page.fill(f"#{name}", value)
    page.select_option("#form", "tablet")
    page.check("#split_tablets")


def _print(page: Any, press: Any) -> bytes:
    """The PDF the browser's form sent for. Chromium hands a PDF to its own viewer,
    whose page hides the bytes, so the request the browser made is passed on here
    and its answer kept on the way back."""
    answers: list[Any] = []

    def pass_on(route: Any) -> None:
        answers.append(route.fetch())
        route.fulfill(response=answers[-1])

    page.route("**/discharge/pdf", pass_on)
    press()
    for _ in range(300):
        if answers:
            break
        page.wait_for_timeout(100)
    (answer,) = answers
    assert answer.status == 200, answer.text()[answer.text().find('<div class="error-summary"') :][:400]
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith('inline; filename="discharge-2026-12-01-')
    return bytes(answer.body())


def _violations(page: Any) -> list[str]:
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm install --prefix tests/browser)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']})"
        ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))"
    )
    return list(found)


def test_fill_the_form_and_print_gives_the_patients_sheet(page: Any) -> None:
    _fill(page)
    text = pdf_text(_print(page, lambda: page.click("button:text-is('Print')")))
    assert NAME in text and "January 5, 2027" in text and "7.5 mg" in text


def test_a_dose_the_strengths_cannot_make_is_shown_at_its_field_and_entries_are_kept(page: Any) -> None:
    _fill(page, daily_mg="31")
    page.click("button:text-is('Preview')")
    error = page.locator("#daily_mg-error")
    assert "daily_mg cannot be made from the strengths the patient has" in error.inner_text()
    assert page.get_attribute("#daily_mg", "aria-invalid") == "true"
    assert page.input_value("#name") == NAME and page.input_value("#strengths_mg") == "10,5"
    assert page.is_checked("#split_tablets")
    page.click(".error-summary a")
    assert page.evaluate("document.activeElement.id") == "daily_mg"
    assert _violations(page) == []


def test_keyboard_only_from_the_first_field_to_print(page: Any) -> None:
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    # A date field takes its parts in the browser's order (month, day, year in en-US).
    typed = {**ENTRIES, "discharge_date": "12012026", "start": "12022026", "form": "t", "split_tablets": " "}
    for _ in range(200):
        focused = page.evaluate("[document.activeElement.id, document.activeElement.textContent.trim()]")
        if focused[1] == "Print":
            break
        if focused[0] in typed:  # once: Tab also steps through a date's parts
            page.keyboard.type(typed.pop(focused[0]))
        page.keyboard.press("Tab")
    else:
        pytest.fail("Print was never reached with Tab")
    assert NAME in pdf_text(_print(page, lambda: page.keyboard.press("Enter")))


def test_the_arabic_option_previews_right_to_left(page: Any) -> None:
    _fill(page)
    page.select_option("#language", "ar")
    page.click("button:text-is('Preview')")
    sheet = page.locator(".preview .sheet")
    assert sheet.get_attribute("dir") == "rtl" and sheet.get_attribute("lang") == "ar"
    assert sheet.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert "خطتك" in sheet.inner_text()
    assert page.input_value("#language") == "ar"


@pytest.mark.parametrize("path", ["/", "/handouts", "/login"])
def test_every_empty_page_has_no_axe_violations(page: Any, path: str) -> None:
    page.goto(path)
    assert _violations(page) == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_preview_has_no_axe_violations(page: Any, language: str) -> None:
    _fill(page)
    page.select_option("#language", language)
    page.click("button:text-is('Preview')")
    assert page.locator(".preview").is_visible()
    assert _violations(page) == []


def test_a_handouts_mistake_has_no_axe_violations(page: Any) -> None:
    page.goto("/handouts")
    page.click("button:text-is('Print')")  # nothing chosen
    assert "choose at least one handout" in page.locator(".error-summary").inner_text().lower()
    assert _violations(page) == []
