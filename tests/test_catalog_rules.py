"""What the tool does with a catalog that is incomplete, broken or reviewed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import pdf_text

from handouts import catalogs, cli
from handouts.catalog_rules import syntax_problem, translation_problems
from handouts.catalogs import load_catalog

HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: es\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
{extra}
"""


def _catalog_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, extra: str = "") -> None:
    """Point the Spanish catalog at a .po written for this test."""
    path = tmp_path / "messages.po"
    path.write_text(HEADER.format(extra=extra) + body, encoding="utf-8")
    monkeypatch.setattr(catalogs, "catalog_path", lambda tag: path)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(args)
    return int(exit_info.value.code or 0), capsys.readouterr().err


def test_incomplete_catalog_is_refused_and_can_be_previewed(tmp_path, monkeypatch, capsys) -> None:
    _catalog_from(tmp_path, monkeypatch, 'msgid "Key points"\nmsgstr "Puntos clave"\n')
    code, err = run(["render", "tapering", "--lang", "es", "-o", str(tmp_path / "t.pdf")], capsys)
    assert code == 1
    assert "incomplete" in err and "are not translated" in err and "--preview-incomplete" in err
    assert "messages.po" in err
    assert not (tmp_path / "t.pdf").exists()

    code, err = run(
        ["render", "tapering", "--lang", "es", "--preview-incomplete", "-o", str(tmp_path / "t.pdf")], capsys
    )
    assert code == 0, err
    text = pdf_text(tmp_path / "t.pdf")
    assert "Puntos clave" in text
    assert "TRANSLATION PREVIEW: INCOMPLETE, NOT FOR PATIENT USE." in text.upper()


def test_placeholder_mismatch_is_an_error_even_for_a_preview(tmp_path, monkeypatch, capsys) -> None:
    _catalog_from(
        tmp_path,
        monkeypatch,
        '#, python-format\nmsgid "Call %(number)s now"\nmsgstr "Llame al %(numero)s ahora"\n',
    )
    _translations, status = load_catalog("es")
    assert "line 8" in status.errors[0] and "leaves out %(number)s" in status.errors[0]
    assert "has %(numero)s, which the source does not have" in status.errors[1]
    code, err = run(
        ["render", "tapering", "--lang", "es", "--preview-incomplete", "-o", str(tmp_path / "t.pdf")], capsys
    )
    assert code == 1 and "errors" in err and "leaves out %(number)s" in err
    assert not (tmp_path / "t.pdf").exists()


def test_reviewed_needs_a_reviewer_and_a_date(tmp_path, monkeypatch) -> None:
    _catalog_from(
        tmp_path,
        monkeypatch,
        'msgid "Key points"\nmsgstr "Puntos clave"\n',
        extra='"X-Review-Status: reviewed\\n"',
    )
    _translations, status = load_catalog("es")
    assert status.review == "draft" and any("X-Reviewed-By" in e for e in status.errors)


def test_reviewed_catalog_with_reviewer_is_not_a_draft(tmp_path, monkeypatch) -> None:
    _catalog_from(
        tmp_path,
        monkeypatch,
        'msgid "Key points"\nmsgstr "Puntos clave"\n',
        extra='"X-Review-Status: reviewed\\n"\n"X-Reviewed-By: A. Translator\\n"\n'
        '"X-Reviewed-On: 2026-11-30\\n"',
    )
    _translations, status = load_catalog("es")
    assert status.review == "reviewed" and not status.is_draft
    assert status.reviewer == "A. Translator"


def test_fuzzy_entries_count_as_missing(tmp_path, monkeypatch) -> None:
    _catalog_from(tmp_path, monkeypatch, '#, fuzzy\nmsgid "Key points"\nmsgstr "Puntos clave"\n')
    _translations, status = load_catalog("es")
    assert "Key points" in status.missing


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('msgid "a"\nmsgstr "b"\n', None),
        ('msgctxt "c"\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n', None),
        ('#~ msgid "old"\n#~ msgstr "viejo"\nmsgid "a"\nmsgstr ""\n"b"\n', None),
        ('msgid "a"\nmsgstr "b\n', "line 2: a quoted text is not closed"),
        ('msgid "a"\nmsgstr "b" c\n', "line 2: something follows the closing quote"),
        ('msgid "a"\nmsgstr "\\q"\n', "line 2: an unknown backslash escape"),
        ('msgid "a"\n', "line 1: expected msgstr after msgid, found the end of the file"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "y"\n', "line 1: expected msgstr[0] after msgid_plural"),
        ('msgid "a"\nmsgstr "b"\nmsgid "a"\nmsgstr "c"\n', "line 3: this message is already in the catalog"),
        ('msgstr "b"\n', "expected msgid, found msgstr (line 1)"),
    ],
    ids=["plain", "plural with context", "obsolete and continued", "open quote", "trailing text",
         "bad escape", "no msgstr", "plural forms skip 0", "twice", "msgstr alone"],
)  # fmt: skip
def test_strict_syntax_names_the_line(text: str, problem: str | None) -> None:
    found = syntax_problem(text)
    assert found == problem if problem is None else found is not None and found.startswith(problem), found


@pytest.mark.parametrize(
    ("source", "translation", "problem"),
    [
        (("Call %(number)s now",), ("Llame al %(number)s",), None),
        (("one tablet", "%(count)s tablets"), ("una tableta", "%(count)s tabletas"), "msgstr[0] leaves out %(count)s"),
        (("<strong>Stop</strong> now",), ("<strong>Pare</strong>",), None),
        (("<strong>Stop</strong> now",), ("<strong>Pare",), "msgstr has markup <strong>"),
        (("Stop",), ("<img src=x>Pare",), "msgstr has markup <img>"),
        (("100%% sure",), ("100%% seguro",), None),
    ],
    ids=["same", "plural form drops the count", "same markup", "unclosed tag", "added image", "literal percent"],
)  # fmt: skip
def test_translation_keeps_placeholders_and_markup(source, translation, problem) -> None:
    problems = translation_problems(source, translation)
    assert problems == [] if problem is None else problems and problems[0].startswith(problem), problems
