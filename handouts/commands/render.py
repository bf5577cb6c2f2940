"""`handouts render`: one handout kind, or all of them, for one clinic."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from handouts.clinic import ClinicProfile, load_clinic_profile, load_sample_profile
from handouts.content import handout_kinds
from handouts.errors import UsageProblem
from handouts.localization import Language
from handouts.output import STDOUT, check_writable_folder, write_atomically, write_stdout
from handouts.rendering import PageOptions, RenderedPdf, Renderer

ALL = "all"
DEFAULT_PAPER = "letter"


@dataclass(frozen=True)
class RenderRequest:
    kind: str
    output: str | None
    clinic_path: Path | None
    language: Language
    paper: str | None
    large_print: bool


def choose_clinic(path: Path | None, warn: Callable[[str], None]) -> ClinicProfile:
    if path is not None:
        return load_clinic_profile(path)
    warn(
        "no clinic profile given (--clinic or HANDOUTS_CLINIC): using the bundled sample "
        "clinic; every page is marked SAMPLE - not for patient use"
    )
    return load_sample_profile()


def default_file_name(kind: str, language: Language) -> str:
    return f"{kind}-{language.tag}.pdf"


def run_render(request: RenderRequest, warn: Callable[[str], None], say: Callable[[str], None]) -> None:
    kinds = handout_kinds() if request.kind == ALL else (request.kind,)
    targets = _targets(request, kinds)
    clinic = choose_clinic(request.clinic_path, warn)
    options = PageOptions(
        language=request.language,
        paper=request.paper or clinic.paper or DEFAULT_PAPER,
        large_print=request.large_print,
    )
    renderer = Renderer()
    # Render everything before writing anything: a failure leaves no files.
    rendered: list[tuple[str, RenderedPdf]] = [
        (target, renderer.render(kind, clinic, options)) for kind, target in zip(kinds, targets, strict=True)
    ]
    for target, pdf in rendered:
        if target == STDOUT:
            write_stdout(pdf.data)
        else:
            Path(target).parent.mkdir(exist_ok=True)
            write_atomically(Path(target), pdf.data)
            say(f"wrote {target} ({pdf.pages} {'page' if pdf.pages == 1 else 'pages'})")


def _targets(request: RenderRequest, kinds: tuple[str, ...]) -> list[str]:
    output = request.output
    if output == STDOUT:
        if len(kinds) > 1:
            raise UsageProblem(
                "-o - writes one PDF, but 'all' makes several",
                fix="name a folder instead, e.g. -o handouts/",
            )
        if sys.stdout.isatty():
            raise UsageProblem(
                "-o - would write a PDF to the terminal",
                fix="redirect it, e.g. handouts render tapering -o - > tapering.pdf",
            )
        return [STDOUT]
    if request.kind == ALL:
        folder = Path(output or ".")
        if folder.exists() and not folder.is_dir():
            raise UsageProblem(f"'{folder}' is a file, but 'all' needs a folder", fix="give a folder with -o")
        # The folder itself is made only once every PDF has rendered.
        check_writable_folder(folder if folder.exists() else folder.parent)
        return [str(folder / default_file_name(kind, request.language)) for kind in kinds]
    path = Path(output) if output else Path(default_file_name(request.kind, request.language))
    if path.is_dir():
        path = path / default_file_name(request.kind, request.language)
    check_writable_folder(path.parent)
    return [str(path)]
