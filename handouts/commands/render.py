"""`handouts render`: one handout kind, or all of them, for one clinic."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from handouts.application import choose_clinic, choose_language, page_options
from handouts.content import handout_kinds
from handouts.environment import Environment
from handouts.errors import UsageProblem
from handouts.localization import SOURCE_LANGUAGE, Language
from handouts.output import STDOUT, check_writable_folder, write_atomically, write_stdout

ALL = "all"


@dataclass(frozen=True)
class RenderRequest:
    kind: str
    output: str | None
    clinic_path: Path | None
    language_tag: str | None = None
    paper: str | None = None
    large_print: bool = False
    with_english: bool = False
    preview_incomplete: bool = False
    catalog_file: Path | None = None


def default_file_name(kind: str, language: Language) -> str:
    return f"{kind}-{language.tag}.pdf"


def run_render(
    request: RenderRequest, environment: Environment, warn: Callable[[str], None], say: Callable[[str], None]
) -> None:
    kinds = handout_kinds() if request.kind == ALL else (request.kind,)
    _check_output_usage(request, kinds)  # a wrong command line fails before anything else
    clinic = choose_clinic(request.clinic_path, warn)
    language = choose_language(request.language_tag, clinic, request.preview_incomplete, request.catalog_file)
    if request.with_english and language.tag == SOURCE_LANGUAGE:
        warn("--with-english has no effect on an English handout")
    targets = _targets(request, kinds, language)
    options = page_options(clinic, language, request.paper, request.large_print, request.catalog_file)
    renderer = environment.renderer()
    # Render everything before writing anything: a failure leaves no files.
    rendered = [
        (target, renderer.render(kind, clinic, options, with_english=request.with_english))
        for kind, target in zip(kinds, targets, strict=True)
    ]
    for target, pdf in rendered:
        if target == STDOUT:
            write_stdout(pdf.data)
        else:
            Path(target).parent.mkdir(exist_ok=True)
            write_atomically(Path(target), pdf.data)
            say(f"wrote {target} ({pdf.pages} {'page' if pdf.pages == 1 else 'pages'})")


def refuse_terminal_output() -> None:
    """-o - on a terminal would fill it with binary PDF."""
    if sys.stdout.isatty():
        raise UsageProblem(
            "-o - would write a PDF to the terminal",
            fix="redirect it, e.g. handouts render tapering -o - > tapering.pdf",
        )


def _check_output_usage(request: RenderRequest, kinds: tuple[str, ...]) -> None:
    output = request.output
    if output == STDOUT:
        if len(kinds) > 1:
            raise UsageProblem(
                "-o - writes one PDF, but 'all' makes several",
                fix="name a folder instead, e.g. -o handouts/",
            )
        refuse_terminal_output()
    elif request.kind == ALL and Path(output or ".").exists() and not Path(output or ".").is_dir():
        raise UsageProblem(f"'{output}' is a file, but 'all' needs a folder", fix="give a folder with -o")


def _targets(request: RenderRequest, kinds: tuple[str, ...], language: Language) -> list[str]:
    output = request.output
    if output == STDOUT:
        return [STDOUT]
    if request.kind == ALL:
        folder = Path(output or ".")
        # The folder itself is made only once every PDF has rendered.
        check_writable_folder(folder if folder.exists() else folder.parent)
        return [str(folder / default_file_name(kind, language)) for kind in kinds]
    path = Path(output) if output else Path(default_file_name(request.kind, language))
    if path.is_dir():
        path = path / default_file_name(request.kind, language)
    check_writable_folder(path.parent)
    return [str(path)]
