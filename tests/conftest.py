"""Shared helpers: run the real command, write clinic profiles, read PDFs the
way a person would (their text, fonts, pages and metadata)."""

from __future__ import annotations

import io
import os
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from handouts.catalogs import load_catalog
from handouts.cli import main
from handouts.environment import Environment
from handouts.localization import LANGUAGES

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000b4944415478da636000020000050001e9fadcd80000000049454e44ae426082"
)

GOOD_PROFILE = """\
[clinic]
name = "Riverside Spasticity Clinic"
phone = "(312) 555-0142"
after_hours_phone = "312-555-0177"
address = \"\"\"
12 River Road
Chicago, IL 60601\"\"\"
website = "riverside.example.org"
logo = "logo.png"

[emergency]
number = "911"
crisis_line = "988"

[defaults]
paper = "letter"
"""


PATIENT = """\
[patient]
name = "María José Núñez"
date_of_birth = 1956-03-14

[discharge]
date = 2026-12-01
prescriber = "Dr. A. Chen"

[follow_up]
when = 2026-12-29T10:30:00
with = "Dr. A. Chen"
where = "Neurology clinic, 2nd floor"

[medication]
form = "tablet"
strengths_mg = [10, 5]
split_tablets = true
daily_mg = 30
doses_per_day = 3

[taper]
start = 2026-12-02
step_mg = 5
every_days = 7
hold_at_mg = 10
hold_days = 14
"""


# Issue 16's languages: their catalogs are placeholders until the translators'
# drafts land. Only these may wait; an incomplete catalog of any other fails.
NEW_LANGUAGES = ("de", "it", "pl", "hi", "ja", "zh-Hant")


def catalog_pending(tag: str) -> str | None:
    """Why a test of this language must wait (its catalog is still a
    placeholder), or None once it is complete. The one place such tests skip:
    when every new catalog is complete, nothing skips, and this can go."""
    if tag not in NEW_LANGUAGES or load_catalog(tag)[1].complete:
        return None
    return f"the {tag} catalog is still a placeholder: this test needs its translation (issue 16)"


def with_catalogs(tags: list[str] | tuple[str, ...]) -> list[object]:
    """Parametrize over languages; one whose catalog is pending is skipped, with the reason."""
    return [
        pytest.param(tag, marks=pytest.mark.skipif(why is not None, reason=why or ""))
        for tag in tags
        for why in (catalog_pending(tag),)
    ]


def require_catalogs(*tags: str) -> None:
    """Inside a test that needs these catalogs complete: skip while one is pending."""
    for tag in tags:
        why = catalog_pending(tag)
        if why:
            pytest.skip(why)


def offered(tags: list[str] | tuple[str, ...] | None = None) -> list[str]:
    """The languages a fixture can render for patients now (no pending catalog)."""
    return [tag for tag in (tags or list(LANGUAGES)) if not catalog_pending(tag)]


@dataclass
class Result:
    code: int
    stdout: bytes
    stderr: str

    @property
    def stderr_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


# One Environment (and so one Renderer: fonts, stylesheets, templates) for the
# whole test run: the CLI runs in-process, as a user would call it, without
# paying for a new interpreter and a WeasyPrint import each time.
SHARED_ENVIRONMENT = Environment()


def run_handouts(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    max_file_bytes: int | None = None,
    process: bool = False,
) -> Result:
    """Run the command as a user would: in-process through main(), with its own
    working folder, environment variables and streams.

    process=True (or max_file_bytes, which makes every larger write fail as on a
    full disk) runs the installed command in a child process instead."""
    environment = {k: v for k, v in os.environ.items() if k != "HANDOUTS_CLINIC"}
    environment.update(env or {})
    if process or max_file_bytes is not None:
        return run_process(args, cwd, environment, max_file_bytes)
    saved_cwd, saved_env = os.getcwd(), dict(os.environ)
    saved_term = signal.getsignal(signal.SIGTERM)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(environment)
    try:
        with CliRunner().isolation() as (stdout, stderr, _output):
            try:
                main(list(args), SHARED_ENVIRONMENT)
                code = 0
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
            return Result(code, stdout.getvalue(), stderr.getvalue().decode())
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        signal.signal(signal.SIGTERM, saved_term)


def run_process(
    args: tuple[str, ...], cwd: Path, environment: dict[str, str], max_file_bytes: int | None = None
) -> Result:
    """The installed command in a child process: for what only a process shows
    (a file-size limit, separate runs for reproducibility, the real entry point)."""

    def limit_writes() -> None:
        if max_file_bytes is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    completed = subprocess.run(
        [sys.executable, "-m", "handouts", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
        preexec_fn=limit_writes if max_file_bytes is not None else None,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr.decode())


@pytest.fixture
def clinic_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "clinic"
    folder.mkdir()
    (folder / "clinic.toml").write_text(GOOD_PROFILE, encoding="utf-8")
    (folder / "logo.png").write_bytes(PNG_1PX)
    return folder


@pytest.fixture
def ward(tmp_path: Path) -> Path:
    """A folder with a good clinic profile, its logo and a good patient file."""
    (tmp_path / "clinic.toml").write_text(GOOD_PROFILE, encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(PNG_1PX)
    (tmp_path / "patient.toml").write_text(PATIENT, encoding="utf-8")
    return tmp_path


def discharge(folder: Path, *args: str) -> Result:
    return run_handouts("discharge", "--clinic", "clinic.toml", *args, cwd=folder)


@pytest.fixture
def clinic_profile(clinic_dir: Path) -> Path:
    return clinic_dir / "clinic.toml"


def pdf_text(data: bytes | Path) -> str:
    reader = PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split())


def pdf_pages(data: bytes | Path) -> int:
    return len(PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data).pages)


def pdf_fonts(path: Path) -> dict[str, bool]:
    """Every font the PDF uses, and whether its program is embedded."""
    fonts: dict[str, bool] = {}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            resources = page.obj.get("/Resources", {})
            for font in resources.get("/Font", {}).values():
                descendants = font.get("/DescendantFonts")
                descriptor_owner = descendants[0] if descendants else font
                descriptor = descriptor_owner.get("/FontDescriptor", {})
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts[str(font.get("/BaseFont"))] = embedded
    return fonts


def assert_accessible(path: Path, lang: str) -> None:
    """PDF/UA basics a screen reader relies on: tagged, structure tree,
    language, a title shown as the window title, every font embedded."""
    with pikepdf.open(path) as pdf:
        assert pdf.Root.MarkInfo.Marked
        assert "/StructTreeRoot" in pdf.Root and len(pdf.Root.StructTreeRoot.K) > 0
        assert str(pdf.Root.Lang) == lang
        assert str(pdf.docinfo["/Title"]).strip()
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        assert "pdfuaid:part" in pdf.Root.Metadata.read_bytes().decode()
    fonts = pdf_fonts(path)
    assert fonts and all(fonts.values()), fonts


def pytest_sessionfinish() -> None:
    # Let WeasyPrint remove its font copies while the interpreter is whole.
    SHARED_ENVIRONMENT._renderer = None


def one_problem(result: Result, command: tuple[str, ...], words: tuple[str, ...]) -> str:
    """A refused command's single line: what, where and the fix, with these words in it.

    A batch also prints its progress and summary; any other command prints only that line."""
    assert "Traceback" not in result.stderr
    problems = [line for line in result.stderr_lines if line.startswith(("handouts: error: ", "failed: "))]
    assert len(problems) == 1, result.stderr
    for part in words:
        assert part.lower() in problems[0].lower(), (part, problems[0])
    if command[0] != "batch":
        assert result.stderr_lines == problems, result.stderr
    return problems[0]
