"""The `handouts` command: parse, call, report. No business logic here."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from handouts import __version__
from handouts.batch import default_jobs
from handouts.clinic import PAPER_SIZES
from handouts.commands.batch import BatchRequest, run_batch_command
from handouts.commands.discharge import (
    DischargeRequest,
    option_name,
    order_option_fields,
    parse_include,
    patient_data_from_options,
    run_discharge,
)
from handouts.commands.init import DEFAULT_PROFILE, run_init
from handouts.commands.languages import language_lines
from handouts.commands.listing import handout_lines
from handouts.commands.render import ALL, RenderRequest, run_render
from handouts.commands.serve import DEFAULT_HOST, DEFAULT_PORT, ServeRequest, run_serve
from handouts.content import handout_kinds
from handouts.environment import Environment
from handouts.errors import HandoutsError
from handouts.localization import available_tags

PROG = "handouts"
F = TypeVar("F", bound=Callable[..., Any])


# Options that several commands share: one definition each.
def clinic_option(text: str) -> Callable[[F], F]:
    return click.option(
        "--clinic",
        "clinic_path",
        type=click.Path(path_type=Path),
        envvar="HANDOUTS_CLINIC",
        metavar="FILE",
        help=text,
    )


def language_option(text: str) -> Callable[[F], F]:
    return click.option(
        "--lang",
        "language_tag",
        metavar="TAG",
        help=f"{text} BCP 47 tags such as es, es-MX, zh-CN ({available_tags()}).",
    )


paper_option = click.option(
    "--paper",
    type=click.Choice(PAPER_SIZES, case_sensitive=False),
    help="Paper size. Default: the profile's paper, else its country's, else letter.",
)
large_print_option = click.option(
    "--large-print", is_flag=True, help="18 pt bold text for readers with low vision."
)
catalog_option = click.option(
    "--catalog",
    "catalog_file",
    type=click.Path(path_type=Path),
    metavar="FILE.po",
    help="For translators: use this .po file instead of the bundled catalog of its language "
    "(named by its Language header).",
)
preview_option = click.option(
    "--preview-incomplete",
    is_flag=True,
    help="For translators: use an incomplete catalog, every page marked as a preview.",
)


def _warn(message: str) -> None:
    click.echo(f"{PROG}: warning: {message}", err=True)


def _say(message: str) -> None:
    click.echo(message, err=True)


@click.group(
    help="Print reviewed patient handouts with your clinic's own contact details.",
    epilog="Example:  handouts render all --clinic clinic.toml -o handouts/",
)
@click.version_option(__version__, prog_name=PROG)
@click.option("--debug", is_flag=True, help="Show a traceback when something fails.")
def cli(debug: bool) -> None:
    """Entry group; main() reads --debug from the parsed options."""


@cli.command("list", epilog="Example:  handouts list")
def list_command() -> None:
    """List the handout kinds with a one-line description of each."""
    for line in handout_lines():
        click.echo(line)


@cli.command(
    "render",
    epilog=(
        "Examples:\n\n"
        "  handouts render tapering --clinic clinic.toml -o tapering.pdf\n\n"
        "  handouts render all --clinic clinic.toml -o handouts/\n\n"
        "  handouts render warning-signs --large-print -o - > warning-signs.pdf\n\n"
        "  handouts render all --lang es --with-english -o spanish/"
    ),
)
@click.argument("kind", type=click.Choice([*handout_kinds(), ALL]), metavar="KIND")
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="PDF file to write, a folder (for 'all'), or - for standard output. "
    "Default: KIND-LANG.pdf in the current folder.",
)
@clinic_option("Clinic profile (TOML). Default: $HANDOUTS_CLINIC, else the marked sample clinic.")
@paper_option
@large_print_option
@language_option("Language. Default: the profile's [defaults] language, else en.")
@click.option(
    "--with-english",
    is_flag=True,
    help="After the patient's language, add the same handout in English for staff.",
)
@preview_option
@catalog_option
def render_command(
    kind: str,
    output: str | None,
    clinic_path: Path | None,
    paper: str | None,
    large_print: bool,
    language_tag: str | None,
    with_english: bool,
    preview_incomplete: bool,
    catalog_file: Path | None,
) -> None:
    """Render KIND (one of the kinds in 'handouts list', or 'all') as a PDF."""
    request = RenderRequest(
        kind=kind,
        output=output,
        clinic_path=clinic_path,
        language_tag=language_tag,
        paper=paper.lower() if paper else None,
        large_print=large_print,
        with_english=with_english,
        preview_incomplete=preview_incomplete,
        catalog_file=catalog_file,
    )
    run_render(request, _environment(), warn=_warn, say=_say)


def _patient_options(function: F) -> F:
    """One option per field of the order schema, named by its flat name."""
    for info in reversed(order_option_fields()):
        flag = "--" + option_name(info)
        if info.kind == "yes/no":
            function = click.option(flag, is_flag=True, default=None, help=info.hint)(function)
            continue
        # --date is the short name a nurse reaches for; it is the discharge date.
        flags = (flag, "--date") if info.flat == "discharge_date" else (flag,)
        example = f" e.g. {info.example}" if info.example else ""
        function = click.option(*flags, str(info.flat), help=f"{info.hint}{example}", metavar="VALUE")(function)
    return function


@cli.command(
    "discharge",
    epilog=(
        "Examples:\n\n"
        "  handouts discharge --patient examples/patient-tablets.toml --clinic clinic.toml -o sheet.pdf\n\n"
        "  handouts discharge --patient patient.toml --include tapering,warning-signs --ics doses.ics\n\n"
        '  handouts discharge --name "Ana Ruiz" --prescriber "Dr. Chen" --form tablet --strengths-mg 10,5 '
        "--split-tablets --daily-mg 30 --doses-per-day 3 --start 2026-12-02 --step-mg 5 --every-days 7"
    ),
)
@click.option(
    "--patient",
    "patient_file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Patient file (TOML); see examples/.",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="PDF to write (replaced if it exists), a folder, or -. Default: discharge-DATE-LANG.pdf, "
    "or -2, -3... if that name is taken: never the patient's name, never replacing a file.",
)
@clinic_option("Clinic profile. Default: $HANDOUTS_CLINIC, else the marked sample clinic.")
@language_option("Language. Default: the patient file's, else the profile's, else en.")
@paper_option
@large_print_option
@click.option("--include", "include", metavar="KINDS", help=f"Append handouts: {','.join(handout_kinds())}.")
@click.option(
    "--ics",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Also write the doses as an iCalendar file for the patient's phone.",
)
@click.option(
    "--chart-copy",
    is_flag=True,
    help="Add a second copy of the signatures, marked for the chart (the first goes home).",
)
@click.option(
    "--fhir",
    "fhir_file",
    type=click.Path(path_type=Path),
    metavar="FILE.json",
    help="The order as FHIR R4 JSON: a Bundle, or a MedicationRequest with contained resources.",
)
@click.option(
    "--fhir-out",
    type=click.Path(path_type=Path),
    metavar="FILE.json",
    help="Also write a FHIR Bundle for the EHR: the sheet as a DocumentReference (PDF and XHTML).",
)
@click.option(
    "--fhir-plan-out",
    type=click.Path(path_type=Path),
    metavar="FILE.json",
    help="Also write the plan as printed, as a FHIR MedicationRequest.",
)
@preview_option
@catalog_option
@_patient_options
def discharge_command(
    patient_file: Path | None,
    output: str | None,
    clinic_path: Path | None,
    language_tag: str | None,
    paper: str | None,
    large_print: bool,
    include: str | None,
    ics: Path | None,
    chart_copy: bool,
    fhir_file: Path | None,
    fhir_out: Path | None,
    fhir_plan_out: Path | None,
    preview_incomplete: bool,
    catalog_file: Path | None,
    **patient_values: str | bool | None,
) -> None:
    """Print one patient's discharge sheet with their own taper calendar."""
    request = DischargeRequest(
        patient_file=patient_file,
        patient_options=patient_data_from_options(patient_values),
        output=output,
        clinic_path=clinic_path,
        language_tag=language_tag,
        paper=paper.lower() if paper else None,
        large_print=large_print,
        include=parse_include(include),
        ics=ics,
        chart_copy=chart_copy,
        preview_incomplete=preview_incomplete,
        catalog_file=catalog_file,
        fhir_file=fhir_file,
        fhir_out=fhir_out,
        fhir_plan_out=fhir_plan_out,
    )
    run_discharge(request, _environment(), warn=_warn, say=_say)


@cli.command(
    "batch",
    epilog=(
        "Examples:\n\n"
        "  handouts batch examples/batch.toml -o shelf/\n\n"
        "  handouts batch examples/discharges.csv --clinic clinic.toml -o tomorrow/ --merge tomorrow.pdf"
    ),
)
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path),
    required=True,
    metavar="DIR",
    help="Folder for the PDFs, index.csv and the record of what is up to date.",
)
@clinic_option("Clinic profile for a CSV manifest. Default: $HANDOUTS_CLINIC, else the marked sample clinic.")
@click.option(
    "-j", "--jobs", type=int, default=None, metavar="N", help="Worker processes. Default: the number of CPUs."
)
@click.option("--force", is_flag=True, help="Render everything, even what has not changed.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first failure.")
@click.option(
    "--merge",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Also write one combined PDF of everything, for one print job.",
)
@large_print_option
def batch_command(
    manifest: Path,
    out_dir: Path,
    clinic_path: Path | None,
    jobs: int | None,
    force: bool,
    fail_fast: bool,
    merge: Path | None,
    large_print: bool,
) -> None:
    """Render every document a MANIFEST (.toml or .csv) asks for into DIR."""
    request = BatchRequest(
        manifest_path=manifest,
        out_dir=out_dir,
        clinic_path=clinic_path,
        jobs=jobs or default_jobs(),
        force=force,
        fail_fast=fail_fast,
        merge=merge,
        large_print=large_print,
    )
    summary = run_batch_command(request, _say)
    if summary.failed:
        sys.exit(1)


@cli.command(
    "check",
    epilog="Examples:\n\n  handouts check --clinic clinic.toml\n\n  handouts check --catalog es.po",
)
@clinic_option("The clinic profile to check. Default: $HANDOUTS_CLINIC.")
@catalog_option
def check_command(clinic_path: Path | None, catalog_file: Path | None) -> None:
    """Before printing: catalogs, fonts, the clinic profile and reading levels.

    With --catalog alone, checks that catalog and the reading levels, not a
    profile. Exits non-zero on any problem."""
    from handouts.checks import run_checks

    report = run_checks(clinic_path, catalog_file)
    for line in report.lines:
        click.echo(line)
    for problem in report.problems:
        click.echo(f"{PROG}: problem: {problem}", err=True)
    count = len(report.problems)
    click.echo(f"{count} {'problem' if count == 1 else 'problems'}" if count else "all checks passed")
    if report.problems:
        sys.exit(1)


@cli.command("languages", epilog="Example:  handouts languages")
def languages_command() -> None:
    """List the languages: names, how complete each catalog is, review status, script, direction."""
    for line in language_lines():
        click.echo(line)


@cli.command("init", epilog="Example:  handouts init clinic.toml")
@click.argument("path", type=click.Path(path_type=Path), default=DEFAULT_PROFILE, required=False)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def init_command(path: Path, force: bool) -> None:
    """Write a commented starter clinic profile to PATH (default: clinic.toml)."""
    written = run_init(path, force)
    _say(f"wrote {written}: fill in the values marked REQUIRED, then use --clinic {written}")


@cli.command(
    "serve",
    epilog="Examples:  handouts serve --clinic clinic.toml\n\n"
    "  handouts serve --host 0.0.0.0 --token-file /etc/handouts/token --clinic clinic.toml",
)
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@clinic_option("Clinic profile. Default: $HANDOUTS_CLINIC, else the marked sample clinic.")
@click.option(
    "--token-file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="A file holding the access token: required (or --trust-proxy-user) for any address but loopback.",
)
@click.option(
    "--trust-proxy-user",
    metavar="HEADER",
    help="Behind a single sign-on proxy: the header that names the signed-in user (e.g. X-Remote-User).",
)
@click.option("--workers", default=2, show_default=True, type=int, help="Render worker processes.")
@click.option("--queue", default=8, show_default=True, type=int, help="Requests that may wait; more get 503.")
def serve_command(
    host: str,
    port: int,
    clinic_path: Path | None,
    token_file: Path | None,
    trust_proxy_user: str | None,
    workers: int,
    queue: int,
) -> None:
    """Serve the discharge form and the API (default http://127.0.0.1:8000)."""
    request = ServeRequest(host, port, clinic_path, token_file, trust_proxy_user, workers, queue)
    run_serve(request, _warn, _say)


def _environment() -> Environment:
    found = click.get_current_context().find_object(Environment)
    assert found is not None, "main() puts the Environment in the context"
    return found


def _interrupt(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None, environment: Environment | None = None) -> None:
    """Run the CLI; every failure becomes one line on stderr and an exit code.

    The tests pass one Environment for the whole run, so the CLI runs in-process."""
    args = sys.argv[1:] if argv is None else argv
    debug = False
    # A kill (SIGTERM) cleans up like Ctrl-C: no temporary file is left behind.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with cli.make_context(PROG, list(args), obj=environment or Environment()) as context:
            debug = bool(context.params.get("debug"))
            result = cli.invoke(context)
    except click.exceptions.Exit as done:  # --help, --version
        sys.exit(done.exit_code)
    except click.UsageError as error:
        command = error.ctx.command_path if error.ctx else PROG
        click.echo(f"{PROG}: error: {error.format_message()} (see '{command} --help')", err=True)
        sys.exit(2)
    except HandoutsError as error:
        if debug:
            raise
        click.echo(f"{PROG}: error: {error}", err=True)
        sys.exit(error.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo(f"{PROG}: interrupted (no partial file is left behind)", err=True)
        sys.exit(130)
    except Exception:  # a nurse must never see a traceback, nor a patient value in one
        if debug:
            raise
        click.echo(
            f"{PROG}: internal error: a bug in handouts, not in your input (details are not shown, "
            "as they may hold patient data). Rerun with --debug to see them, and report it",
            err=True,
        )
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)
