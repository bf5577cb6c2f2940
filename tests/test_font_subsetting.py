"""The same page gives the same bytes whichever font subsetter WeasyPrint
uses: fontTools (when libharfbuzz-subset is missing) or HarfBuzz. Each path is
forced in process and run under two different clocks."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest
import weasyprint.pdf.fonts
from fontTools.ttLib import TTFont

from handouts.clinic import load_sample_profile
from handouts.localization import LANGUAGES
from handouts.page import PageOptions
from handouts.rendering import Renderer
from handouts.resources import asset_dir

HARFBUZZ_SUBSET = weasyprint.pdf.fonts.harfbuzz_subset
# Two clocks far apart: fontTools takes the time of saving from SOURCE_DATE_EPOCH when it is set.
CLOCKS = ("1000000000", "2000000000")


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def _render_under_each_clock(renderer: Renderer, monkeypatch: pytest.MonkeyPatch, tag: str) -> list[bytes]:
    outputs = []
    for clock in CLOCKS:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", clock)
        pdf = renderer.render("warning-signs", load_sample_profile(), PageOptions(LANGUAGES[tag]))
        outputs.append(pdf.data)
    return outputs


def _subsetters_used(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record which of WeasyPrint's two subsetting methods really ran."""
    used: list[str] = []
    for name in ("_fonttools_subset", "_harfbuzz_subset"):
        original = getattr(weasyprint.pdf.fonts.Font, name)

        def spy(font: object, *args: object, _name: str = name, _original: object = original) -> object:
            used.append(_name)
            return _original(font, *args)  # type: ignore[operator]

        monkeypatch.setattr(weasyprint.pdf.fonts.Font, name, spy)
    return used


def _embedded_font_dates(pdf: bytes) -> set[int]:
    dates = set()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for item in document.objects:
            if isinstance(item, pikepdf.Dictionary) and "/FontFile2" in item:
                font = TTFont(io.BytesIO(item.FontFile2.read_bytes()))
                dates.add(font["head"].modified)
    return dates


@pytest.mark.parametrize("tag", ["en", "zh-Hans"])
def test_fonttools_subsetting_gives_the_same_bytes_at_any_time(
    renderer: Renderer, monkeypatch: pytest.MonkeyPatch, tag: str
) -> None:
    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)  # as without the library
    used = _subsetters_used(monkeypatch)
    first, second = _render_under_each_clock(renderer, monkeypatch, tag)
    assert set(used) == {"_fonttools_subset"}
    assert first == second


def test_fonttools_keeps_each_fonts_own_date(renderer: Renderer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    first, _ = _render_under_each_clock(renderer, monkeypatch, "en")
    bundled = {TTFont(path)["head"].modified for path in asset_dir("fonts").glob("*.ttf")}
    dates = _embedded_font_dates(first)
    assert dates and dates <= bundled


@pytest.mark.skipif(HARFBUZZ_SUBSET is None, reason="libharfbuzz-subset is not installed here")
@pytest.mark.parametrize("tag", ["en", "zh-Hans"])
def test_harfbuzz_subsetting_gives_the_same_bytes_at_any_time(
    renderer: Renderer, monkeypatch: pytest.MonkeyPatch, tag: str
) -> None:
    used = _subsetters_used(monkeypatch)
    first, second = _render_under_each_clock(renderer, monkeypatch, tag)
    assert set(used) == {"_harfbuzz_subset"}
    assert first == second


def _debian_packages(text: str, pattern: str) -> set[str]:
    return {name for match in re.findall(pattern, text) for name in match.split()}


def test_ci_installs_exactly_the_system_packages_the_readme_names() -> None:
    root = Path(__file__).resolve().parent.parent
    readme = _debian_packages((root / "README.md").read_text(encoding="utf-8"), r"apt-get install ([a-z0-9][a-z0-9.+\- ]*)")
    ci = _debian_packages((root / ".ci" / "run").read_text(encoding="utf-8"), r"for package in ([^;]+);")
    assert readme == ci == {
        "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "poppler-utils", "chromium"
    }  # fmt: skip
