"""Every input the tool reads, spoiled the ways busy hands and hostile files
spoil it. One row a case.

A bad input gets exactly one clear line (what, where, how to fix), the right
exit code, no traceback, no patient data in the message, and no partial or
stale file; in a batch the good documents are still written. A few rows are
odd but valid (a byte-order mark, a name in another script): those must
print, and show the text on the page.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import PNG_1PX, pdf_text, run_handouts
from test_batch import HEADER, _row

from handouts.catalogs import catalog_path

NAME = "María José Núñez"
FOLDER = b"<make a folder here>"
Spoil = str | bytes | Callable[[str], str | bytes]

RENDER = ("render", "tapering", "--clinic", "clinic.toml", "-o", "out.pdf")
DISCHARGE = (
    "discharge", "--clinic", "clinic.toml", "--patient", "patient.toml", "--lang", "en",
    "-o", "out.pdf", "--ics", "out.ics",
)  # fmt: skip
WITH_CATALOG = ("render", "tapering", "--clinic", "clinic.toml", "--catalog", "es.po", "-o", "out.pdf")
CSV_BATCH = ("batch", "sheets.csv", "--clinic", "clinic.toml", "-o", "shelf", "-j", "1")
TOML_BATCH = ("batch", "batch.toml", "-o", "shelf", "-j", "1")
GOOD_SHEETS = ("shelf/discharge-a-en.pdf", "shelf/discharge-c-en.pdf")


@dataclass(frozen=True)
class Case:
    input: str
    name: str
    files: dict[str, Spoil]
    command: tuple[str, ...]
    code: int
    words: tuple[str, ...]
    # Files that must exist afterwards: the good part of a batch, or a valid odd input's PDF.
    kept: tuple[str, ...] = ()
    max_file_bytes: int | None = None
    env: dict[str, str] = field(default_factory=dict)


def swap(old: str, new: str) -> Callable[[str], str]:
    def spoil(good: str) -> str:
        assert old in good, old  # a row that spoils nothing would pass for the wrong reason
        return good.replace(old, new, 1)

    return spoil


def profile(name: str, spoil: Spoil, *words: str, code: int = 1) -> Case:
    return Case("clinic profile", name, {"clinic.toml": spoil}, RENDER, code, words)


def patient(name: str, spoil: Spoil, *words: str, code: int = 1) -> Case:
    return Case("patient file", name, {"patient.toml": spoil}, DISCHARGE, code, words)


def catalog(name: str, spoil: Spoil, *words: str, code: int = 1) -> Case:
    return Case("catalog", name, {"es.po": spoil}, WITH_CATALOG, code, words)


def sheets(
    name: str, rows: list[str] | bytes, *words: str, code: int = 1, kept: tuple[str, ...] = ()
) -> Case:
    content = rows if isinstance(rows, bytes) else "\n".join([HEADER, *rows]) + "\n"
    return Case("batch CSV", name, {"sheets.csv": content}, CSV_BATCH, code, words, kept)


def logo(name: str, data: bytes, *words: str) -> Case:
    return Case("logo", name, {"logo.png": data}, RENDER, 1, words)


def translation(msgid_start: str, old: str, new: str) -> Callable[[str], str]:
    """Change only the translation (msgstr) of the message whose msgid starts so."""

    def spoil(po: str) -> str:
        entry = po.index(msgid_start)
        start = po.index("msgstr", entry)
        end = po.index("\n\n", start)
        assert old in po[start:end], old
        return po[:start] + po[start:end].replace(old, new, 1) + po[end:]

    return spoil


def png_of_size(width: int, height: int) -> bytes:
    """A valid PNG header claiming a size; a small file that would unpack huge."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


AT_ANY_TIME = '"<strong>At any time</strong>'

# fmt: off
CASES = [
    # The clinic profile.
    profile("unknown key", swap("website =", "webiste ="), "clinic.toml", "unknown key 'webiste'", "takes only"),
    profile("unknown section", lambda t: t + '\n[clinc]\nname = "x"\n', "unknown section [clinc]", "spelling"),
    profile("wrong type", swap('number = "911"', "number = 911"), "[emergency] number must be text", 'number = "911"'),
    profile("missing name", swap('name = "Riverside Spasticity Clinic"\n', ""), "[clinic] name is missing", 'add name = "..."'),
    profile("empty phone", swap('phone = "(312) 555-0142"', 'phone = ""'), "[clinic] phone is missing or empty"),
    profile("missing emergency number", swap('number = "911"\n', ""), "[emergency] number is missing"),
    profile("not a phone number", swap('phone = "(312) 555-0142"', 'phone = "call us"'), "'call us' is not a phone number"),
    profile("unknown paper", swap('paper = "letter"', 'paper = "legal"'), "paper 'legal' is not a paper size", "letter, a4"),
    profile("malformed TOML", swap("[emergency]", "[emergency"), "clinic.toml", "is not valid TOML", "line 11"),
    profile("control character", swap("Riverside", "River\\u0007side"), "control character U+0007"),
    profile("name of 500 characters", swap("Riverside Spasticity Clinic", "R" * 500), "500 characters long", "shorten"),
    profile("emoji in the name", swap("Riverside", "Riverside \U0001f3e5"), "'name'", "U+1F3E5"),
    profile("Hebrew, which no bundled font draws", swap("Riverside", "מרפאה"), "'name'", "U+05DE"),
    profile("empty file", "", "clinic.toml: is empty", "handouts init"),
    profile("a folder, not a file", FOLDER, "clinic.toml", "is a folder"),
    profile("not UTF-8", lambda t: t.replace("Riverside", "Rivérside").encode("latin-1"), "is not UTF-8 text"),
    Case("clinic profile", "file does not exist", {}, ("render", "tapering", "--clinic", "nope.toml", "-o", "out.pdf"), 1, ("nope.toml", "no such file")),
    # The logo the profile names.
    logo("text file named .png", b"just some notes", "logo 'logo.png' is not a PNG or SVG image"),
    logo("PNG header with nothing after it", b"\x89PNG\r\n\x1a\n", "is not a complete PNG image"),
    logo("corrupt PNG data", PNG_1PX[:40] + b"\x00" * 40, "is a damaged PNG image"),
    logo("file over 2 MiB", PNG_1PX + b"\x00" * (3 * 1024 * 1024), "is 3072 KiB", "under 2 MiB"),
    logo("20000 x 20000 pixels in a small file", png_of_size(20000, 20000), "20000 x 20000 pixels", "at most 4000"),
    profile("logo outside the folder", swap('logo = "logo.png"', 'logo = "../secret.png"'), "outside the profile's folder"),
    profile("logo at /etc/passwd", swap('logo = "logo.png"', 'logo = "/etc/passwd"'), "outside the profile's folder"),
    profile("logo as a file:// URL", swap('logo = "logo.png"', 'logo = "file:///etc/passwd"'), "is a URL", "never downloads"),
    profile("logo as a web address", swap('logo = "logo.png"', 'logo = "http://127.0.0.1:9/l.png"'), "is a URL"),
    profile("logo missing", swap('logo = "logo.png"', 'logo = "missing.png"'), "logo 'missing.png' was not found"),
    # The patient file.
    patient("malformed TOML", swap("[taper]", "[taper"), "patient.toml", "not valid TOML", "line"),
    patient("unknown key", swap("every_days", "evry_days"), "unknown key 'evry_days'", "takes only"),
    patient("unknown section", lambda t: t + "\n[notes]\ntext = 'x'\n", "unknown section [notes]"),
    patient("missing name", swap(f'name = "{NAME}"\n', ""), "[patient] name is missing"),
    patient("name of 10,000 characters", swap(NAME, "A" * 10_000), "10000 characters long", "at most 100"),
    patient("control character in the name", swap(NAME, "Mar\\u0000ía"), "control or private-use character"),
    patient("emoji in the name", swap(NAME, "María \U0001f600"), "'patient name'", "emoji or symbol"),
    patient("Hebrew name: the script is named, not the letters", swap(NAME, "דוד לוי"), "'patient name'", "Hebrew characters"),
    patient("date as month/day/year", swap("start = 2026-12-02", 'start = "12/02/2026"'), "[taper] start must be a date"),
    patient("date that does not exist", swap("start = 2026-12-02", "start = 2026-02-30"), "not valid TOML"),
    patient("follow-up before discharge", swap("2026-12-29T10:30:00", "2026-11-29T10:30:00"), "[follow_up] when is before the discharge date"),
    patient("taper before discharge", swap("start = 2026-12-02", "start = 2026-11-20"), "[taper] start is before the discharge date"),
    patient("negative dose", swap("daily_mg = 30", "daily_mg = -30"), "must be zero or more"),
    patient("dose with its unit, as text", swap("daily_mg = 30", 'daily_mg = "30 mg"'), "without quotes or units"),
    patient("dose in grams by mistake", swap("daily_mg = 30", "daily_mg = 0.03"), "[medication] daily_mg", "cannot be made"),
    patient("absurd dose", swap("daily_mg = 30", "daily_mg = 3000"), "above 300 mg a day", "typo"),
    patient("above the label maximum, not acknowledged", swap("daily_mg = 30", "daily_mg = 90"), "label maximum of 80 mg", "above_label_maximum_acknowledged"),
    patient("dose the tablets cannot make", swap("daily_mg = 30", "daily_mg = 32"), "[medication] daily_mg", "cannot be made"),
    patient("step of zero", swap("step_mg = 5", "step_mg = 0"), "[taper] step_mg", "never go down"),
    patient("five doses a day", swap("doses_per_day = 3", "doses_per_day = 5"), "1 to 4"),
    patient("plan of years", swap("every_days = 7", "every_days = 90"), "would take", "max_days"),
    patient("no reduction given", swap("step_mg = 5\n", ""), "needs exactly one of step_mg"),
    patient("empty file", "", "patient.toml: is empty"),
    patient("a folder, not a file", FOLDER, "patient.toml", "is a folder"),
    patient("not UTF-8", lambda t: t.encode("latin-1"), "is not UTF-8 text"),
    patient("a language the tool does not print", swap('date_of_birth = 1956-03-14', 'date_of_birth = 1956-03-14\nlanguage = "xx"'), "patient.toml", "[patient] language", "'xx'"),
    patient("a clock time in another time zone", swap("doses_per_day = 3", 'doses_per_day = 3\nclock_times = { morning = "07:30-06:00" }'), "[medication] clock_times", "time zone"),
    patient("a billion mg, acknowledged", swap("daily_mg = 30", "daily_mg = 1e9\nabove_label_maximum_acknowledged = true"), "[medication] daily_mg", "at most 10000"),
    patient("a taper of 10,000 days", swap("every_days = 7", "every_days = 7\nmax_days = 10000"), "[taper] max_days", "1 to 730"),
    patient("a step of a billion days", swap("every_days = 7", "every_days = 1000000000"), "[taper] every_days", "1 to 365"),
    patient("a liquid dose no oral syringe holds", lambda t: t.replace('strengths_mg = [10, 5]\nsplit_tablets = true', 'concentration_mg_per_ml = 1\nsmallest_ml = 0.5').replace('form = "tablet"', 'form = "solution"').replace("daily_mg = 30", "daily_mg = 75"), "[medication] concentration_mg_per_ml", "largest oral syringe (20 mL)", "stronger liquid"),
    patient("a date near the end of time", swap("start = 2026-12-02", "start = 9999-12-30"), "[taper] start", "between 1900-01-01 and 2100-12-31"),
    # Right-to-left and left-to-right text on the other's page: valid, and printed as typed.
    Case("patient file", "Arabic name on an English page", {"patient.toml": swap(NAME, "ليلى حسن")}, DISCHARGE, 0, ("ليلى حسن",), ("out.pdf",)),
    Case("patient file", "Latin name on an Arabic page", {}, (*DISCHARGE[:5], "--lang", "ar", *DISCHARGE[7:]), 0, (NAME,), ("out.pdf",)),
    Case("clinic profile", "Arabic clinic name on an English page", {"clinic.toml": swap("Riverside Spasticity Clinic", "عيادة النهر")}, RENDER, 0, ("(312) 555-0142",), ("out.pdf",)),
    Case("clinic profile", "byte-order mark from a Windows editor", {"clinic.toml": lambda t: b"\xef\xbb\xbf" + t.encode()}, RENDER, 0, ("Riverside Spasticity Clinic",), ("out.pdf",)),
    # A translator's catalog.
    catalog("placeholder left out", translation(AT_ANY_TIME, "%(number)s", "911"), "line", "leaves out %(number)s"),
    catalog("placeholder added", translation(AT_ANY_TIME, "%(number)s", "%(number)s %(phone)s"), "has %(phone)s, which the source does not have"),
    catalog("placeholder misspelled", translation(AT_ANY_TIME, "%(number)s", "%(numero)s"), "leaves out %(number)s"),
    catalog("markup changed", translation(AT_ANY_TIME, "</strong>", "</b>"), "has markup", "</b>"),
    catalog("quote not closed", translation(AT_ANY_TIME, 'msgstr ""', 'msgstr "'), "does not compile", "line", "not closed"),
    catalog("unknown escape", translation(AT_ANY_TIME, 'msgstr ""', 'msgstr "\\q"'), "does not compile", "backslash escape"),
    catalog("msgstr missing", lambda po: po.rstrip() + '\n\nmsgid "Extra"\n', "does not compile", "expected msgstr"),
    catalog("message twice", lambda po: po + '\nmsgid "Key points"\nmsgstr "Puntos"\n', "does not compile", "already in the catalog"),
    catalog("language not said", swap('"Language: es\\n"\n', ""), "es.po", "does not say its language"),
    catalog("language not offered", swap('"Language: es\\n"', '"Language: th\\n"'), "'th' is not one this tool translates into"),
    catalog("incomplete", translation('msgid "Key points"', "Puntos clave", ""), "catalog is incomplete", "--preview-incomplete"),
    catalog("not UTF-8", lambda po: po.encode("utf-8").replace("ó".encode(), b"\xf3", 1), "es.po", "is not UTF-8 text"),
    catalog("a folder, not a file", FOLDER, "es.po", "is a folder"),
    Case("catalog", "--lang says another language", {}, (*WITH_CATALOG, "--lang", "ar"), 2, ("--lang ar does not match", "es.po")),
    # A CSV of discharge sheets: bad rows reported by row, good rows still written.
    sheets("row with a dose the tablets cannot make", [_row("a"), _row("bad", daily="32"), _row("c")], "sheets.csv row 3", "daily_mg", kept=GOOD_SHEETS),
    sheets("ragged row", [_row("a"), "bad,only,three", _row("c")], "sheets.csv row 3: has 3 cells but the header has 13", kept=GOOD_SHEETS),
    sheets("impossible date in a row", [_row("a"), _row("bad").replace("2026-12-01", "2026-13-01"), _row("c")], "sheets.csv row 3", "discharge_date must be a date", kept=GOOD_SHEETS),
    sheets("negative dose in a row", [_row("a"), _row("bad", daily="-20"), _row("c")], "sheets.csv row 3", "zero or more", kept=GOOD_SHEETS),
    sheets("unknown language in a row", [_row("a"), _row("bad", lang="xx"), _row("c")], "sheets.csv row 3", "'xx'", kept=GOOD_SHEETS),
    sheets("empty file", b"", "sheets.csv", "is empty"),
    sheets("unknown column", b"id,nmae\nx,y\n", "header cell 2 is not a column name", "daily_mg"),
    sheets("no header row: never quotes the first patient", ("\n".join([_row("a", name="Zofia Kowalska"), _row("b")]) + "\n").encode(), "the first row is not a header row"),
    sheets("a cell over 128 KiB fails its row only", [_row("a"), _row("big", name="A" * 140_000), _row("c")], "sheets.csv row 3", "longer than 128 KiB", kept=GOOD_SHEETS),
    sheets("UTF-16 from a spreadsheet", b"\xff\xfe" + "id,name\n".encode("utf-16-le"), "not UTF-8"),
    sheets("Latin-1 from a spreadsheet", ("\n".join([HEADER, _row("a", name="Núñez")]) + "\n").encode("latin-1"), "sheets.csv", "not UTF-8"),
    sheets("byte-order mark", b"\xef\xbb\xbf" + ("\n".join([HEADER, _row("a"), _row("c")]) + "\n").encode(), code=0, kept=GOOD_SHEETS),
    Case("batch CSV", "disk full as a worker starts", {"sheets.csv": "\n".join([HEADER, _row("a")]) + "\n"}, CSV_BATCH, 1, ("sheets.csv row 2", "could not prepare the pages"), max_file_bytes=20_000),
    Case("batch CSV", "a folder, not a file", {"sheets.csv": FOLDER}, CSV_BATCH, 1, ("sheets.csv", "is a folder")),
    # A TOML batch manifest.
    Case("batch manifest", "malformed TOML", {"batch.toml": swap("[batch]", "[batch")}, TOML_BATCH, 1, ("batch.toml", "not valid TOML")),
    Case("batch manifest", "unknown language", {"batch.toml": swap('"en"', '"en", "xx"')}, TOML_BATCH, 1, ("batch.toml", "[batch] languages", "'xx'")),
    Case("batch manifest", "unknown kind", {"batch.toml": swap('"tapering"', '"tapring"')}, TOML_BATCH, 1, ("batch.toml", "'tapring'")),
    Case("batch manifest", "no kinds at all", {"batch.toml": swap('["tapering"]', "[]")}, TOML_BATCH, 1, ("batch.toml", "[batch] kinds", "is empty")),
    Case("batch manifest", "one language twice", {"batch.toml": swap('["en"]', '["es", "es-MX"]')}, TOML_BATCH, 1, ("[batch] languages", "twice")),
    Case("batch manifest", "CSS pasted as the paper", {"batch.toml": lambda t: t + 'paper = "letter; } .phone { display: none"\n'}, TOML_BATCH, 1, ("[batch] paper",)),
    Case("batch manifest", "legal paper", {"batch.toml": lambda t: t + 'paper = "legal"\n'}, TOML_BATCH, 1, ("[batch] paper",)),
    Case("batch manifest", "large print as a word that is not yes or no", {"batch.toml": lambda t: t + 'large_print = "maybe"\n'}, TOML_BATCH, 1, ("[batch] large_print", "yes or no")),
    # The command line and the output.
    Case("command line", "unknown language", {}, (*RENDER, "--lang", "xx"), 2, ("'xx'", "use one of")),
    Case("command line", "output folder does not exist", {}, (*RENDER[:-1], "nowhere/out.pdf"), 1, ("nowhere", "does not exist")),
    Case("command line", "output inside a file", {"plain.txt": "x"}, (*RENDER[:-1], "plain.txt/out.pdf"), 1, ("plain.txt", "is not a folder")),
    Case("command line", "output folder not writable", {}, (*RENDER[:-1], "/proc/out.pdf"), 1, ("/proc", "could not be written")),
    Case("command line", "output path is a folder: the PDF goes inside it", {"out.pdf": FOLDER}, RENDER, 0, ("Riverside Spasticity Clinic",), ("out.pdf/tapering-en.pdf",)),
    Case("command line", "calendar file is a folder", {"out.ics": FOLDER}, DISCHARGE, 1, ("out.ics", "is a folder")),
    Case("command line", "a 300-character output name", {}, (*RENDER[:-1], "x" * 300 + ".pdf"), 1, ("cannot be used", "too long")),
    Case("command line", "batch output is a file", {"shelf": "x"}, CSV_BATCH, 2, ("'shelf' is a file", "give a folder")),
    Case("command line", "disk full while preparing the pages", {}, RENDER, 1, ("could not prepare the pages", "disk space"), max_file_bytes=20_000),
]
# fmt: on


@pytest.fixture
def desk(ward: Path) -> Path:
    """The ward's good clinic and patient, plus a good catalog and manifest."""
    folder = ward
    (folder / "es.po").write_bytes(catalog_path("es").read_bytes())
    (folder / "batch.toml").write_text(
        '[batch]\nclinics = ["clinic.toml"]\nlanguages = ["en"]\nkinds = ["tapering"]\n', encoding="utf-8"
    )
    (folder.parent / "secret.png").write_bytes(PNG_1PX)  # a real file, just outside
    return folder


def _spoil(desk: Path, files: dict[str, Spoil]) -> None:
    for name, spoil in files.items():
        path = desk / name
        if callable(spoil):
            value = spoil(path.read_text(encoding="utf-8") if path.is_file() else "")
        else:
            value = spoil
        path.unlink(missing_ok=True)
        if value == FOLDER:
            path.mkdir()
        elif isinstance(value, bytes):
            path.write_bytes(value)
        else:
            path.write_text(value, encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.input}: {c.name}" for c in CASES])
def test_bad_input(desk: Path, case: Case) -> None:
    _spoil(desk, case.files)
    before = {path for path in desk.rglob("*")}
    result = run_handouts(*case.command, cwd=desk, max_file_bytes=case.max_file_bytes)
    assert "Traceback" not in result.stderr
    assert result.code == case.code, result.stderr
    for name in case.kept:
        assert (desk / name).is_file(), (name, result.stderr)
    if case.code == 0:
        if case.words:
            text = pdf_text(desk / case.kept[0])
            assert all(words in text for words in case.words), text[:500]
        return
    problems = [line for line in result.stderr_lines if line.startswith(("handouts: error: ", "failed: "))]
    assert len(problems) == 1, result.stderr
    for words in case.words:
        assert words.lower() in problems[0].lower(), (words, problems[0])
    if case.command[0] != "batch":
        assert result.stderr_lines == problems, result.stderr
    assert NAME not in result.stderr and "AAAA" not in result.stderr and "Pat Example" not in result.stderr
    assert not any(word in result.stderr for word in ("דוד", "Zofia", "Kowalska"))
    # Nothing half-written, and nothing new except what a batch was right to write.
    written = {path for path in desk.rglob("*")} - before
    assert not [
        path for path in written if path.suffix in (".part", ".pdf", ".ics") and not _kept(desk, path, case)
    ]
    assert not list(desk.rglob("*.part"))


def _kept(desk: Path, path: Path, case: Case) -> bool:
    return str(path.relative_to(desk)) in case.kept


def test_the_table_covers_at_least_thirty_bad_inputs_across_every_input() -> None:
    bad = [case for case in CASES if case.code != 0]
    assert len(bad) >= 30
    assert {case.input for case in bad} >= {
        "clinic profile",
        "logo",
        "patient file",
        "catalog",
        "batch CSV",
        "batch manifest",
        "command line",
    }
