"""What the tool does with a catalog that is incomplete, broken or reviewed."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
import tinyhtml5
from babel.messages.pofile import read_po
from conftest import pdf_text, with_catalogs
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from test_bad_catalog import CASES
from test_bad_input import Case

from handouts import catalogs, cli
from handouts.catalog_rules import (
    plural_rule_problem,
    single_number_forms,
    syntax_problem,
    translation_problems,
)
from handouts.catalogs import load_catalog
from handouts.clinic import load_sample_profile
from handouts.localization import LANGUAGES, SOURCE_LANGUAGE
from handouts.page import PageOptions
from handouts.rendering import Renderer

HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: es\\n"
"Plural-Forms: nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);\\n"
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
        (("Stop",), ("<img src=x>Pare",), "msgstr has markup <img src=x>"),
        (("100%% sure",), ("100%% seguro",), None),
    ],
    ids=["same", "plural form drops the count", "same markup", "unclosed tag", "added image", "literal percent"],
)  # fmt: skip
def test_translation_keeps_placeholders_and_markup(source, translation, problem) -> None:
    problems = translation_problems(source, translation)
    assert problems == [] if problem is None else problems and problems[0].startswith(problem), problems


CALL = ("<strong>At any time</strong>, call %(number)s now.",)


@pytest.mark.parametrize(
    ("translation", "problem"),
    [
        ("<strong>En todo momento</strong>, llame al %(number)s &amp; &lt;&gt; &quot;&#39; &#233; &#xe9;.", None),
        ("Llame al %(number)s <strong>en todo momento</strong>.", None),
        ("<strong>En</strong> <!-- %(number)s --> 112", "msgstr puts %(number)s where it is not printed"),
        ("<strong>En</strong> %(number)s <!-- el resto", "msgstr has an HTML comment (<!--)"),
        ("<strong>En</strong> %(number).0s", "msgstr writes %(number).0s: write the placeholder exactly %(number)s"),
        ("<strong>En</strong> %(number)d", "msgstr writes %(number)d"),
        ("<strong>En</strong> %(number)5s", "msgstr writes %(number)5s"),
        ("<strong>En</strong> %(number)-s", "msgstr writes %(number)-s"),
        ('<strong title="%(number)s">En</strong> 112', "msgstr puts %(number)s where it is not printed"),
        ("<strong>En</strong> &#37;(number)s", "msgstr leaves out %(number)s"),
        ("<strong>En</strong> %(num&#98;er)s", "msgstr has %(num&#98;er)s, which is not a placeholder"),
        ("<strong>En</strong> %(number)s <![CDATA[x]]>", "msgstr has a CDATA section"),
        ("<strong>En</strong> %(number)s <![<", "msgstr has markup that HTML cannot read"),
        ("<strong>En</strong> %(number)s <?x?>", "msgstr has a processing instruction"),
        ("<!DOCTYPE html><strong>En</strong> %(number)s", "msgstr has a declaration"),
        ("<strong>En</strong> %(number)s </>", "msgstr has an end tag without a name (</)"),
        ("<strong>En</strong> %(number)s >", "msgstr has a < or > outside the source's tags"),
        ("<strong>En</strong> %(number)s &nbsp;", "msgstr has &nbsp;: write & as &amp;"),
        ("<strong>En</strong> %(number)s &amp", "msgstr has &amp: write & as &amp;"),
        ("<strong>En</strong> %(number)s & ", "msgstr has &: write & as &amp;"),
        ('<strong>En</strong> %(number)s "', "msgstr has a straight double quote"),
        ("<strong>En</strong> \u202e%(number)s", "msgstr has the invisible character U+202E"),
        ("<strong>En</strong> &#8238;%(number)s", "msgstr has the invisible character U+202E"),
        ("<strong>En</strong> &#0;%(number)s", "msgstr has the invisible character U+0000"),
        ("<strong>En</strong> %(number)s 100%", "msgstr has %, which is not a placeholder of the source (the source has no"),
        ("<strong>En</strong> %(number)s %%", "msgstr has %%, which is not a placeholder"),
        ("<strong>En</strong> %(number)s %s", "msgstr has %s, which is not a placeholder"),
        ("<STRONG>En</STRONG> %(number)s", "msgstr has markup <STRONG> </STRONG> where the source has <strong> </strong>"),
        ("</ strong>En<strong> %(number)s", "msgstr has markup </ strong> <strong>"),
        ("<strong/>En %(number)s", "msgstr has markup <strong/> where"),
        ("<strong>En</strong> <strong>%(number)s</strong>", "msgstr has markup <strong> </strong> <strong> </strong>"),
    ],
    ids=["entities and numbers", "tags moved", "number in a comment", "comment left open", "precision", "integer",
         "width", "flag", "number in an attribute", "percent as an entity", "entity inside the name", "CDATA",
         "broken section", "processing instruction", "doctype", "empty end tag", "stray >", "named entity",
         "entity without semicolon", "bare ampersand", "straight quote", "override", "override as entity",
         "NUL as entity", "lone percent", "percent sign the source lacks", "unnamed conversion", "upper case tag",
         "bogus end tag", "self-closed tag", "extra tags"],
)  # fmt: skip
def test_every_trick_is_named(translation: str, problem: str | None) -> None:
    problems = translation_problems(CALL, (translation,))
    if problem is None:
        assert problems == []
    else:
        assert any(found.startswith(problem) for found in problems), problems


def test_a_percent_sign_is_written_as_the_source_writes_it() -> None:
    assert translation_problems(("%(count)s%% lower",), ("%(count)s %% menos",)) == []
    assert translation_problems(("%(count)s%% lower",), ("%(count)s % menos",)) == [
        "msgstr has % m, which is not a placeholder of the source (write a percent sign as %%)"
    ]


def _as_printed(translation: str, names: set[str]) -> tuple[ElementTree.Element, ElementTree.Element]:
    """The translation filled in as Jinja's newstyle gettext does (Markup, escaped values), then read by
    WeasyPrint's HTML parser: as a paragraph with phone numbers in it, and as an attribute with text
    in it (templates use both)."""
    phones = {name: Markup('<span class="phone">⟦%s⟧</span>') % name for name in names}
    # A stream, as WeasyPrint passes it: tinyhtml5 takes a short str for a file name.
    in_text = tinyhtml5.parse(io.StringIO(f"<p>{Markup(translation) % phones}</p><p>end of page</p>"))
    texts = {name: f"⟦{name}⟧" for name in names}
    in_attribute = tinyhtml5.parse(
        io.StringIO(f'<img alt="{Markup(translation) % texts}"><p>end of page</p>')
    )
    return in_text, in_attribute


def _elements(paragraph: ElementTree.Element) -> list[str]:
    """The elements the translation itself made (the filled-in numbers left out)."""
    inside = list(paragraph.iter())[1:]
    return [str(element.tag).split("}")[-1] for element in inside if element.get("class") != "phone"]


def _assert_survives(source: tuple[str, ...], translation: str) -> None:
    """Every word the translator wrote is printed, as text, with the numbers filled in; then the page goes on."""
    names = set(re.findall(r"%\((\w+)\)s", " ".join(source)))
    wanted = _elements(_as_printed(source[-1], names)[0].find(f"{HTML}body/{HTML}p"))
    filled = translation % {name: f"⟦{name}⟧" for name in names}
    as_text, words = html.unescape(filled), filled
    for tag in set(re.findall(r"</?\w+>", source[-1])):
        words = words.replace(tag, "")
    words = html.unescape(words)
    in_text, in_attribute = _as_printed(translation, names)
    body = in_text.find(f"{HTML}body")
    assert "".join(body.itertext()) == words + "end of page"
    assert _elements(body.find(f"{HTML}p")) == wanted and len(body) == 2
    image = in_attribute.find(f"{HTML}body/{HTML}img")
    assert image.attrib == {"alt": as_text} and "".join(in_attribute.itertext()) == "end of page"


HTML = "{http://www.w3.org/1999/xhtml}"
# What a hostile translation is made of, put into the gaps of a good one.
PIECE = st.sampled_from(
    ["<strong>", "</strong>", "%(number)s", "%(number)d", "%(number).0s", "%%", "%", "<!--", "-->", "<![CDATA[",
     "]]>", "<?", "<!", "</", "<", ">", "/", '"', "'", "=", "&", "&amp;", "&lt;", "&#", "&#233;", "x", "3", ";",
     " ", "\u202e", "<img src=x>", "<b>", "title=", "\n", "--"]
)  # fmt: skip
GAP = st.lists(PIECE, max_size=4).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.tuples(GAP, GAP, GAP, GAP, GAP))
def test_an_accepted_translation_prints_every_word_and_the_rest_of_the_page(gaps: tuple[str, ...]) -> None:
    """Whatever passes the rules reads, in WeasyPrint's own HTML parser, as the text it says."""
    translation = "{}<strong>{}Ahora{}</strong>{}%(number)s{}".format(*gaps)
    if translation_problems(CALL, (translation,)):
        return  # refused, with a reason
    _assert_survives(CALL, translation)


@pytest.mark.parametrize("tag", with_catalogs([tag for tag in LANGUAGES if tag != SOURCE_LANGUAGE]))
def test_every_shipped_translation_keeps_its_placeholders_and_tags(tag: str) -> None:
    with catalogs.catalog_path(tag).open("rb") as handle:
        catalog = read_po(handle)
    checked = 0
    single = single_number_forms(catalog.plural_expr, catalog.num_plurals)
    for message in catalog:
        if not message.id:
            continue
        source = catalogs.message_forms(message.id)
        forms = catalogs.message_forms(message.string)
        assert translation_problems(source, forms, single) == [], (message.lineno, forms)
        for index, form in enumerate(forms):
            if len(forms) == 1 or index not in single:  # a form for one number may say it in words
                _assert_survives(source, form)
            checked += 1
    assert checked >= len(catalogs.template_ids())


SPANISH_WARNING = "llame al 911 ahora mismo."  # the sample clinic's emergency number, in the trick's message
# Tricks that, printed, would change what a patient reads (the words that would be missing) or crash
# the command (the error); the rest are refused as a precaution.
HARMFUL: dict[str, str | type[Exception]] = {
    "comment left open blanks the page": "A quién llamar",  # the contacts section that follows
    "number hidden in a comment": SPANISH_WARNING,
    "precision prints nothing": SPANISH_WARNING,
    "integer conversion crashes": ValueError,
    "number in an attribute": SPANISH_WARNING,
    "CDATA section": SPANISH_WARNING,
    "processing instruction": SPANISH_WARNING,
    "lone percent sign": TypeError,
    "other conversion": TypeError,
    "plural rule picks the singular for 10": "Después de 10 días",
    "plural rule divides by zero": ZeroDivisionError,
}


def _translator_catalog(case: Case, tmp_path: Path) -> tuple[str, Path]:
    """A spoiled copy of the Spanish catalog, as a translator hands it to --catalog."""
    spoil = case.files["es.po"]
    assert callable(spoil)
    spoiled = spoil(catalogs.catalog_path("es").read_text(encoding="utf-8"))
    path = tmp_path / "es.po"
    path.write_text(str(spoiled), encoding="utf-8")
    return catalogs.catalog_file_language(path), path


def _treatment_page(tag: str, catalog: Path | None = None) -> str:
    """The page as it would print if nothing refused the catalog."""
    pdf = Renderer().render("treatment", load_sample_profile(), PageOptions(LANGUAGES[tag], catalog=catalog))
    return pdf_text(pdf.data)


def test_the_shipped_spanish_page_prints_the_warning_and_the_contacts() -> None:
    text = _treatment_page("es")
    assert all(words in text for words in HARMFUL.values() if isinstance(words, str))


@pytest.mark.parametrize("case", [case for case in CASES if case.name in HARMFUL], ids=lambda case: case.name)
def test_a_trick_would_change_the_page_and_is_refused_before_rendering(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tag, path = _translator_catalog(case, tmp_path)
    _translations, status = load_catalog(tag, path)
    # What `render` and `discharge` refuse on, even for a preview; and the language is not offered.
    assert not status.complete
    assert any(all(words.lower() in error.lower() for words in case.words) for error in status.errors)
    harm = HARMFUL[case.name]
    if isinstance(harm, str):
        assert harm not in _treatment_page(tag, path)
    else:
        with pytest.raises(harm):
            _treatment_page(tag, path)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_check_reports_every_trick_and_never_crashes(case: Case, tmp_path, monkeypatch, capsys) -> None:
    _tag, path = _translator_catalog(case, tmp_path)
    code, err = run(["check", "--catalog", str(path)], capsys)
    assert code == 1 and "internal error" not in err and "Traceback" not in err, err
    problems = [line for line in err.splitlines() if line.startswith("handouts: problem: ")]
    assert any(all(words.lower() in line.lower() for words in case.words) for line in problems), err


SPANISH_PLURAL = "(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2)"


@pytest.mark.parametrize(
    ("written", "forms", "problem"),
    [
        ("n==1 ? 0 : (n != 0 && n % 1000000 == 0) ? 1 : 2", 3, None),
        ("(n != 1)", 2, "Plural-Forms has nplurals=2, but this language has 3 forms"),
        ("(n == 1 ? 0 : 2)", 3, "the Plural-Forms rule picks form 2 for 1000000, not 1"),
        ("(n % 0)", 3, "the Plural-Forms rule '(n % 0)' fails for some counts"),
        ("n ? 1", 3, "the Plural-Forms rule 'n ? 1' cannot be read"),
    ],
    ids=["written differently", "too few forms", "wrong for a million", "modulo zero", "unreadable"],
)
def test_the_plural_rule_is_the_languages(written: str, forms: int, problem: str | None) -> None:
    found = plural_rule_problem(written, forms, SPANISH_PLURAL, 3)
    assert found == problem if problem is None else found is not None and found.startswith(problem), found
    if found:
        assert found.endswith(f'"Plural-Forms: nplurals=3; plural={SPANISH_PLURAL};\\n"')


ARABIC_RULE = "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5)"


def test_forms_for_exactly_one_number_are_found_from_the_rule() -> None:
    assert single_number_forms(ARABIC_RULE, 6) == {0, 1, 2}
    assert single_number_forms("(n != 1)", 2) == {0}  # English "one" is only 1
    assert single_number_forms("0", 1) == frozenset()  # one form for every number


def test_a_form_for_exactly_one_number_may_leave_out_only_the_count() -> None:
    source = ("%(count)s tablet of %(strength)s", "%(count)s tablets of %(strength)s")
    many = "%(count)s أقراص من عيار %(strength)s"
    dual = ("%(count)s " + many, "قرص واحد من عيار %(strength)s", "قرصان من عيار %(strength)s", many, many, many)
    single = single_number_forms(ARABIC_RULE, 6)
    assert translation_problems(source, dual, single) == []
    # The strength is still required in the dual form, and the count in the forms for many numbers.
    no_strength = (*dual[:2], "قرصان", *dual[3:])
    assert translation_problems(source, no_strength, single) == ["msgstr[2] leaves out %(strength)s, so the page would lose it"]
    no_count = (*dual[:3], "أقراص من عيار %(strength)s", *dual[4:])
    assert translation_problems(source, no_count, single) == ["msgstr[3] leaves out %(count)s, so the page would lose it"]
    # Without the rule's help (a language whose forms all cover many numbers), the count stays required.
    assert translation_problems(source, dual) != []
