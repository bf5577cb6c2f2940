"""`handouts serve`: the nurse's form and the EHR's API, as HTTP routes.

Routes only read the request, call `service` (the application layer) and the
render pool, and answer. Patient data arrives in POST bodies only; every
answer carries the guard's headers (no-store, CSP, no referrer).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from handouts import __version__
from handouts.clinic import ClinicProfile
from handouts.clock import today
from handouts.errors import HandoutsError, UsageProblem
from handouts.order import OrderError, Source, Style
from handouts.order_schema import json_schema
from handouts.web import service
from handouts.web.access import Access
from handouts.web.forms import (
    FORM_SOURCE,
    FieldProblem,
    field_problem,
    form_sections,
    form_values,
    order_data,
)
from handouts.web.guard import CSRF_COOKIE, SESSION_COOKIE
from handouts.web.pages import STATIC, page
from handouts.web.pool import PacketJob, PoolBusy, Printed, RenderPool

API_SOURCE = Source("the request body", Style.JSON)
RETRY_SECONDS = "2"
_NO_OPTIONS: dict[str, Any] = {"include": [], "large_print": False, "paper": None}
JSON_TYPES = ("application/json",)


def create_app(clinic: ClinicProfile, access: Access, pool: RenderPool) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(pool.start)  # warm workers before the first request
        try:
            yield
        finally:
            await asyncio.to_thread(pool.stop)

    app = FastAPI(
        title="handouts",
        version=__version__,
        description="Baclofen discharge sheets and handouts as PDF.",
        docs_url=None,  # the interactive pages load scripts from a CDN; the document alone is served
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=lifespan,
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    web = _Pages(clinic, access)

    @app.get("/", response_class=HTMLResponse)
    def discharge_form(request: Request) -> Response:
        return web.discharge(request, {"discharge_date": today().isoformat()})

    @app.post("/discharge/{action}", response_class=HTMLResponse)
    async def discharge_post(request: Request, action: str) -> Response:
        if action not in ("preview", "pdf", "ics"):
            return web.problem(request, 404, "Not found", "There is no such page.")
        form = await request.form()
        refused = web.csrf_refusal(request, form)
        if refused is not None:
            return refused
        values = form_values({key: str(value) for key, value in form.items() if isinstance(value, str)})
        options = _print_options(form)
        try:
            job = service.discharge_job(
                order_data(values),
                FORM_SOURCE,
                clinic,
                values.get("language") or None,
                options["paper"],
                options["large_print"],
                service.checked_kinds(options["include"], "include"),
            )
            if action == "preview":
                shown = await run_in_threadpool(service.preview, job)
                return web.discharge(request, values, options, preview=(shown, job))
            if action == "ics":
                data = await run_in_threadpool(service.calendar, job)
                return _file(data, "text/calendar", service.sheet_file_name(job, ".ics"), "attachment")
            printed = await pool.run(job)
        except PoolBusy:
            return web.problem(request, 503, "Busy", "Every printer worker is busy. Try again in a moment.")
        except HandoutsError as problem:
            if isinstance(problem, OrderError | UsageProblem):
                return web.discharge(request, values, options, problems=[field_problem(problem)])
            return web.problem(request, 500, "Could not print", str(problem))
        return _file(printed.data, "application/pdf", service.sheet_file_name(job, ".pdf"), "inline")

    @app.get("/handouts", response_class=HTMLResponse)
    def handouts_form(request: Request) -> Response:
        return web.handouts(request, {}, _NO_OPTIONS)

    @app.post("/handouts/pdf", response_class=HTMLResponse)
    async def handouts_post(request: Request) -> Response:
        form = await request.form()
        refused = web.csrf_refusal(request, form)
        if refused is not None:
            return refused
        options = _print_options(form)
        tag = str(form.get("language") or "") or None
        try:
            kinds = service.checked_kinds(options["include"], "include")
            job = service.handouts_job(kinds, clinic, tag, options["paper"], options["large_print"])
            printed = await pool.run(job)
        except PoolBusy:
            return web.problem(request, 503, "Busy", "Every printer worker is busy. Try again in a moment.")
        except HandoutsError as problem:
            return web.handouts(request, {"language": tag or ""}, options, [field_problem(problem)])
        return _file(printed.data, "application/pdf", f"handouts-{job.options.language.tag}.pdf", "inline")

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request) -> Response:
        return web.login(request)

    @app.post("/login", response_class=HTMLResponse)
    async def login(request: Request) -> Response:
        form = await request.form()
        refused = web.csrf_refusal(request, form)
        if refused is not None:
            return refused
        if access.open or not access.token_ok(str(form.get("token") or "")):
            message = "This server has no sign-in." if access.open else "That is not the ward's access token."
            problem = FieldProblem("token", "token", message)
            return web.login(request, [problem])
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            access.new_session(),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )
        return response

    @app.post("/api/v1/discharge", openapi_extra=_body_schema("#/components/schemas/DischargeOrder"))
    async def api_discharge(
        request: Request,
        include: str = "",
        paper: str | None = None,
        large_print: bool = False,
        language: str | None = None,
    ) -> Response:
        """A discharge order (JSON, per the order schema) as the sheet's PDF, with any handouts."""
        data = await _json_body(request)
        if isinstance(data, Response):
            return data

        async def printed() -> Response:
            kinds = service.checked_kinds([part for part in include.split(",") if part], "include")
            job = service.discharge_job(data, API_SOURCE, clinic, language, paper, large_print, kinds)
            return _pdf(await pool.run(job), service.sheet_file_name(job, ".pdf"))

        return await _answered(printed)

    @app.post("/api/v1/handouts", openapi_extra=_body_schema("#/components/schemas/HandoutsRequest"))
    async def api_handouts(request: Request) -> Response:
        """Handouts by kind as one PDF: {"kinds": [...], "language": "es", "paper": "a4", "large_print": false}."""
        data = await _json_body(request)
        if isinstance(data, Response):
            return data

        async def printed() -> Response:
            kinds, tag, paper, large = _handouts_request(data)
            job = service.handouts_job(kinds, clinic, tag, paper, large)
            return _pdf(await pool.run(job), f"handouts-{job.options.language.tag}.pdf")

        return await _answered(printed)

    @app.post("/api/v1/fhir/discharge")
    async def api_fhir_discharge(
        request: Request,
        include: str = "",
        paper: str | None = None,
        large_print: bool = False,
        date: str | None = None,
    ) -> Response:
        """A FHIR R4 Bundle (or MedicationRequest with contained resources): the sheet printed,
        answered with the FHIR Bundle the EHR files back (the PDF inside, with its XHTML rendition)."""
        data = await _json_body(request)
        if isinstance(data, Response):
            return data

        async def filed() -> Response:
            kinds = service.checked_kinds([part for part in include.split(",") if part], "include")
            job, mapped = service.fhir_discharge_job(data, clinic, date, paper, large_print, kinds)
            record = service.fhir_record(job, mapped, (await pool.run(job)).data)
            return JSONResponse(record, media_type="application/fhir+json")

        return await _answered(filed)

    @app.get("/infobutton", response_class=HTMLResponse)
    def infobutton(request: Request) -> Response:
        """An HL7 Infobutton (URL-based) request: links to each handout in the asked language."""
        answer = service.infobutton(
            dict(request.query_params),
            lambda kind, tag: f"/infobutton/{kind}-{tag}.pdf",
        )
        return HTMLResponse(answer.html, status_code=answer.status)

    @app.get("/infobutton/{name}.pdf")
    async def infobutton_pdf(name: str) -> Response:
        """One handout's PDF for an Infobutton link: no patient data, just the kind and language."""
        kind = next((kind for kind, _title in service.kind_titles() if name.startswith(f"{kind}-")), "")
        tag = name.removeprefix(f"{kind}-")

        async def printed() -> Response:
            job = service.handouts_job(service.checked_kinds([kind], "handout"), clinic, tag, None, False)
            return _pdf(await pool.run(job), f"{kind}-{tag}.pdf")

        return await _answered(printed)

    @app.get("/api/v1/languages")
    def api_languages() -> list[dict[str, str]]:
        """The languages a page can be printed in, with their review status."""
        return [choice.__dict__ for choice in service.language_choices()]

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {"status": "ok" if pool.alive() == pool.size else "degraded", "workers": pool.alive()}

    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


class _Pages:
    """The HTML pages, each with this browser's CSRF value."""

    def __init__(self, clinic: ClinicProfile, access: Access) -> None:
        self.clinic = clinic
        self.access = access

    def _render(
        self,
        request: Request,
        template: str,
        problems: list[FieldProblem] | None = None,
        status: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        cookie = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        html = page(
            template,
            clinic_name=self.clinic.name,
            sample=self.clinic.is_sample,
            csrf_token=self.access.csrf_for(cookie),
            languages=service.language_choices(),
            kinds=service.kind_titles(),
            problems=problems or [],
            **context,
        )
        response = HTMLResponse(html, status_code=422 if problems and status == 200 else status)
        if request.cookies.get(CSRF_COOKIE) != cookie:
            response.set_cookie(
                CSRF_COOKIE,
                cookie,
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
                path="/",
            )
        return response

    def discharge(
        self,
        request: Request,
        values: dict[str, str],
        options: dict[str, Any] | None = None,
        problems: list[FieldProblem] | None = None,
        preview: tuple[Markup, PacketJob] | None = None,
    ) -> HTMLResponse:
        shown, language = (preview[0], preview[1].options.language) if preview else (None, None)
        return self._render(
            request,
            "discharge.html",
            problems,
            active="discharge",
            sections=form_sections(),
            values=values,
            errors={problem.field: problem.message for problem in problems or [] if problem.field},
            with_language=False,
            include_legend="Handouts to add after the sheet",
            preview=shown,
            preview_lang=language.tag if language else "",
            preview_dir=language.direction if language else "",
            **(options or _NO_OPTIONS),
        )

    def handouts(
        self,
        request: Request,
        values: dict[str, str],
        options: dict[str, Any],
        problems: list[FieldProblem] | None = None,
    ) -> HTMLResponse:
        return self._render(
            request,
            "handouts.html",
            problems,
            active="handouts",
            values=values,
            errors={},
            with_language=True,
            include_legend="Handouts to print",
            **options,
        )

    def login(self, request: Request, problems: list[FieldProblem] | None = None) -> HTMLResponse:
        return self._render(request, "login.html", problems, 401 if problems else 200, active="login")

    def problem(self, request: Request, status: int, title: str, message: str) -> HTMLResponse:
        response = self._render(
            request, "problem.html", None, status, active="", title=title, message=message, back="/"
        )
        if status == 503:
            response.headers["retry-after"] = RETRY_SECONDS
        return response

    def csrf_refusal(self, request: Request, form: FormData) -> Response | None:
        given = form.get("csrf_token")
        if self.access.csrf_ok(request.cookies.get(CSRF_COOKIE), given if isinstance(given, str) else None):
            return None
        return self.problem(
            request,
            403,
            "Form expired",
            "This form was not sent from this site's page, or it has expired. "
            "Open the form again and send it from there.",
        )


def _print_options(form: FormData) -> dict[str, Any]:
    paper = str(form.get("paper") or "")
    return {
        "include": [str(value) for value in form.getlist("include")],
        "large_print": str(form.get("large_print") or "") == "true",
        "paper": paper if paper in service.PAPERS else None,
    }


def _file(data: bytes, media: str, name: str, disposition: str) -> Response:
    return Response(
        data, media_type=media, headers={"content-disposition": f'{disposition}; filename="{name}"'}
    )


def _pdf(printed: Printed, name: str) -> Response:
    return _file(printed.data, "application/pdf", name, "inline")


async def _answered(make: Callable[[], Awaitable[Response]]) -> Response:
    """An API answer: what make() gives, or the one answer for a full pool and for bad input."""
    try:
        return await make()
    except PoolBusy:
        return _busy()
    except HandoutsError as problem:
        return _api_problem(problem)


def _busy() -> Response:
    return JSONResponse(
        {"errors": [{"field": "", "message": "every render worker is busy; try again shortly"}]},
        status_code=503,
        headers={"retry-after": RETRY_SECONDS},
    )


def _api_problem(problem: HandoutsError) -> Response:
    field = problem.field if isinstance(problem, OrderError) else ""
    status = 422 if isinstance(problem, OrderError | UsageProblem) else 500
    return JSONResponse({"errors": [{"field": field, "message": str(problem)}]}, status_code=status)


def _reject_constant(name: str) -> None:
    raise ValueError(name)


async def _json_body(request: Request) -> dict[str, Any] | Response:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in JSON_TYPES:
        # Also what keeps another site's page from posting a simple form to the API.
        return JSONResponse(
            {"errors": [{"field": "", "message": "send the body as application/json"}]}, status_code=415
        )
    try:
        # Exact decimals, as `--fhir` reads a file: 0.1 mg is 0.1, not its binary neighbour.
        data = json.loads(await request.body(), parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):  # a deeply nested body overflows the parser
        return JSONResponse(
            {"errors": [{"field": "", "message": "the request body is not valid JSON"}]}, status_code=422
        )
    if not isinstance(data, dict):
        return JSONResponse(
            {"errors": [{"field": "", "message": "the request body must be a JSON object"}]}, status_code=422
        )
    return data


def _handouts_request(data: dict[str, Any]) -> tuple[tuple[str, ...], str | None, str | None, bool]:
    known = {"kinds", "language", "paper", "large_print"}
    extra = sorted(set(data) - known)
    if extra:
        raise UsageProblem(f"unknown key '{extra[0][:40]}'", fix=f"use only: {', '.join(sorted(known))}")
    kinds = data.get("kinds")
    if not isinstance(kinds, list) or not all(isinstance(kind, str) for kind in kinds):
        raise UsageProblem("kinds must be a list of handout kinds", fix='e.g. "kinds": ["tapering"]')
    language, paper, large = data.get("language"), data.get("paper"), data.get("large_print", False)
    if language is not None and not isinstance(language, str):
        raise UsageProblem("language must be text", fix='e.g. "language": "es"')
    if paper is not None and not isinstance(paper, str):
        raise UsageProblem("paper must be text", fix='"letter" or "a4"')
    if not isinstance(large, bool):
        raise UsageProblem("large_print must be true or false", fix='e.g. "large_print": true')
    return service.checked_kinds(kinds, "kinds"), language, paper, large


def _body_schema(reference: str) -> dict[str, Any]:
    return {
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": reference}}}}
    }


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with the order's JSON Schema (its definitions under components)."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    order = json.loads(json.dumps(json_schema()).replace("#/$defs/", "#/components/schemas/"))
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(order.pop("$defs", {}))
    schemas["DischargeOrder"] = order
    schemas["HandoutsRequest"] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["kinds"],
        "properties": {
            "kinds": {"type": "array", "items": {"type": "string"}},
            "language": {"type": "string"},
            "paper": {"enum": list(service.PAPERS)},
            "large_print": {"type": "boolean"},
        },
    }
    app.openapi_schema = document
    return document
