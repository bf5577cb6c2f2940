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
from handouts.output import (
    STDOUT,
    check_writable_file,
    check_writable_folder,
    is_folder,
    write_stdout,
    write_together,
)

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
    if targets == [STDOUT]:
        write_stdout(rendered[0][1].data)
        return
    Path(targets[0]).parent.mkdir(exist_ok=True)
    # All or none: a file that cannot be written leaves the others as they were.
    write_together([(Path(target), pdf.data) for target, pdf in rendered])
    for target, pdf in rendered:
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
    elif request.kind == ALL and Path(output or ".").exists() and not is_folder(Path(output or ".")):
        raise UsageProblem(f"'{output}' is a file, but 'all' needs a folder", fix="give a folder with -o")


def _targets(request: RenderRequest, kinds: tuple[str, ...], language: Language) -> list[str]:
    output = request.output
    if output == STDOUT:
        return [STDOUT]
    if request.kind == ALL:
        folder = Path(output or ".")
        # The folder itself is made only once every PDF has rendered.
        check_writable_folder(folder if is_folder(folder) else folder.parent)
        paths = [folder / default_file_name(kind, language) for kind in kinds]
    else:
        path = Path(output) if output else Path(default_file_name(request.kind, language))
        if is_folder(path):
            path = path / default_file_name(request.kind, language)
        paths = [path]
    for path in paths:
        if request.kind == ALL and not is_folder(path.parent):
            continue  # a new folder for 'all': nothing in it to check yet
        check_writable_file(path)
    return [str(path) for path in paths]
