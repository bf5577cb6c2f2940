"""The PEMAT-P items `handouts check` verifies by machine: each one found on
the shipped handouts, and each one missed when a page lacks it."""

from __future__ import annotations

import pytest

from handouts.assembly import Assembler
from handouts.clinic import load_sample_profile
from handouts.content import handout_kinds
from handouts.localization import LANGUAGES
from handouts.page import PageOptions
from handouts.pemat import HEADERS, LISTS, NO_CALCULATION, SUMMARY, TOOL, pemat_items

GOOD = """<html><body><main><h1>Title</h1>
<section class="key-points"><h2>Key points</h2><ul><li>One.</li><li>Two.</li></ul></section>
<h2>A</h2><p>Short text.</p><h2>B</h2><ul><li>Step one.</li><li>Step two.</li></ul>
<h2>C</h2><table><tr><th>Date</th><th>Dose</th></tr><tr><td></td><td></td></tr></table>
</main></body></html>"""


def _met(html: str) -> dict[str, bool]:
    return {item.name: item.met for item in pemat_items(html)}


@pytest.mark.parametrize("kind", handout_kinds())
def test_every_shipped_handout_meets_every_checked_item(kind: str) -> None:
    html = Assembler().handout_html(kind, load_sample_profile(), PageOptions(LANGUAGES["en"]))
    items = pemat_items(html)
    assert all(item.met for item in items), [item for item in items if not item.met]


def test_a_well_built_page_meets_all_five() -> None:
    assert all(_met(GOOD).values())


def test_key_points_after_the_body_are_not_a_summary_first() -> None:
    moved = GOOD.replace('<section class="key-points">', '<p>Intro first.</p><section class="key-points">')
    assert _met(moved)[SUMMARY] is False


def test_a_wall_of_text_fails_short_sections() -> None:
    wall = GOOD.replace("<p>Short text.</p>", "<p>" + "word " * 250 + "</p>")
    assert _met(wall)[HEADERS] is False


def test_prose_only_fails_lists_and_a_page_with_nothing_to_fill_in_has_no_tool() -> None:
    prose = GOOD.replace("<ul><li>Step one.</li><li>Step two.</li></ul>", "<p>Steps.</p>")
    prose = prose.replace("<ul><li>One.</li><li>Two.</li></ul>", "<ul><li>One.</li></ul>")
    prose = prose.replace('<tr><td></td><td></td></tr>', "<tr><td>May 1</td><td>10 mg</td></tr>")
    prose = prose.replace("<table>", "<div>").replace("</table>", "</div>")
    met = _met(prose)
    assert met[LISTS] is False and met[TOOL] is False


@pytest.mark.parametrize("asking", ["Divide the dose by 2.", "Take 10 % less each week.", "Work out your dose."])
def test_asking_the_reader_to_calculate_is_found(asking: str) -> None:
    assert _met(GOOD.replace("Short text.", asking))[NO_CALCULATION] is False
