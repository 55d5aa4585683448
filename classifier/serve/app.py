"""The ASGI application: the JSON API under ``/v1``, the page at ``/``, its static files and ``/docs``.

The classifier is loaded once, before the application is made, and shared by every request (it is
immutable). Labelling is CPU-bound, so it runs in worker threads under a per-request time limit and
never blocks the event loop. Every error answer is one line of JSON (a short page for the form
routes), never a stack trace.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from importlib import resources
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from .. import __version__
from ..api import ClaimClassifier
from ..errors import ClassifierError
from ..output.html import report_css
from . import labelling
from .bodylimit import BodySizeLimit
from .docs_page import render_docs
from .labelling import Limits, TooLarge
from .page import FormState, render_page
from .schemas import ErrorOut, ExplainRequest, ExplanationOut, Health, LabelRequest, ModelOut, Record

T = TypeVar("T")

#: The page may load only this server's own files: no outside script, style, font or image.
CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"
_STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in (
        (400, "The input cannot be labelled (for example, an uploaded file that is not text)."),
        (413, "The request is larger than the server's limits (bytes or sentences)."),
        (415, "The body was not sent as JSON (no 'content-type: application/json' header)."),
        (422, "Malformed JSON, a wrong type or an unknown field; 'detail' names each field at fault."),
        (503, "Labelling took longer than the per-request time limit."),
    )
}


class TimeLimitExceeded(Exception):
    """A request's labelling ran past the time limit (answered with 503)."""


def create_app(classifier: ClaimClassifier, limits: Limits | None = None) -> FastAPI:
    """The application around an already loaded (so already verified) classifier."""
    limits = limits or Limits()
    app = FastAPI(
        title="claim-classifier",
        version=__version__,
        description=(
            "Labels each sentence of an official statement as accusation, legal claim, assurance, demand, "
            "warning or no claim, with the rule hits and model scores behind each label."
        ),
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(BodySizeLimit, max_bytes=limits.max_bytes)
    run = _runner(limits)
    _add_error_handlers(app)

    @app.get("/v1/health", response_model=Health, tags=["service"])
    async def health() -> dict[str, str]:
        """The server is up and its model is loaded."""
        return {"status": "ok", "version": __version__}

    @app.get("/v1/model", response_model=ModelOut, tags=["service"])
    async def model() -> Response:
        """The loaded model's metadata: versions, training data, settings and evaluation figures."""
        return JSONResponse(classifier.metadata)

    @app.post("/v1/label", response_model=list[Record], responses=_ERRORS, tags=["labelling"])
    async def label(request: LabelRequest) -> Response:
        """Label a text, several texts, or sentences already split. Returns the records of
        `claims label --format json`, in order; all sentences of a request are scored in one batch."""
        options = request.model_dump(include={"mode", "min_confidence", "force_label"})
        if request.sentences is not None:
            job = functools.partial(
                labelling.label_split, classifier, "<sentences>", request.sentences, options, limits
            )
            labelled = [await run(job)]
        else:
            if request.text is not None:
                pairs = [("<text>", request.text)]
            else:
                texts = request.texts or []
                names = request.docs or [f"<text {number}>" for number in range(len(texts))]
                pairs = list(zip(names, texts, strict=True))
            labelled = await run(functools.partial(labelling.label_texts, classifier, pairs, options, limits))
        return JSONResponse(labelling.records(labelled))

    @app.post("/v1/explain", response_model=ExplanationOut, responses=_ERRORS, tags=["labelling"])
    async def explain(request: ExplainRequest) -> Response:
        """Why the hybrid gives one sentence its label (as `claims explain --format json`): rule hits,
        the model's strongest features, and how the hybrid combined them."""
        labelling.check_sentence_count(1, limits)
        explanation = await run(functools.partial(classifier.explain, request.sentence))
        return JSONResponse(explanation.to_dict())

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> Response:
        return _html(render_page(FormState()))

    @app.post("/", response_class=HTMLResponse, include_in_schema=False)
    async def page_labelled(request: Request) -> Response:
        form = await request.form(max_part_size=limits.max_bytes)
        state, problem = await _read_label_form(form)
        if problem:
            return _html(render_page(state, error=problem), 422)
        options = {"mode": state.mode, "min_confidence": state.min_confidence, "force_label": state.force_label}
        doc = labelling.statement_doc(state.text, state.name)
        shown = state.name or "Pasted statement"
        try:
            job = functools.partial(labelling.label_texts, classifier, [(shown, state.text)], options, limits)
            [result] = await run(job)
        except TooLarge as exc:
            return _html(render_page(state, error=str(exc)), 413)
        except TimeLimitExceeded as exc:
            return _html(render_page(state, error=str(exc)), 503)
        return _html(render_page(state, result, doc=doc))

    @app.post("/corrections.jsonl", include_in_schema=False)
    async def corrections(request: Request) -> Response:
        form = await request.form(max_fields=3 * limits.max_sentences + 10, max_part_size=limits.max_bytes)
        lines = labelling.corrections_jsonl(
            str(form.get("doc") or "statement"),
            [str(v) for v in form.getlist("text")],
            [str(v) for v in form.getlist("predicted")],
            [str(v) for v in form.getlist("label")],
            include_unchanged=form.get("include_unchanged") == "1",
        )
        headers = {"content-disposition": 'attachment; filename="corrections.jsonl"'}
        return Response(lines, media_type="application/x-ndjson; charset=utf-8", headers=headers)

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        if name == "report.css":
            return Response(report_css(), media_type=_STATIC_TYPES[".css"], headers=_CACHE)
        suffix = name[name.rfind(".") :] if "." in name else ""
        folder = resources.files("classifier.serve") / "static"
        if "/" in name or suffix not in _STATIC_TYPES or not (folder / name).is_file():
            raise HTTPException(404, f"no such file: /static/{name}")
        return Response((folder / name).read_bytes(), media_type=_STATIC_TYPES[suffix], headers=_CACHE)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs() -> Response:
        return _html(render_docs(app.openapi()))

    return app


_CACHE = {"cache-control": "no-cache"}


def _html(page: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(page, status_code=status, headers={"content-security-policy": CONTENT_SECURITY_POLICY})


async def _read_label_form(form: Any) -> tuple[FormState, str]:
    """The labelling form's fields, checked; an uploaded file replaces the pasted text."""
    # a browser sends a textarea's line breaks as CRLF; the statement pasted had plain line breaks
    text, name = str(form.get("text") or "").replace("\r\n", "\n"), str(form.get("name") or "")
    if str(form.get("name_of") or "") != labelling.text_digest(text):
        name = ""  # the uploaded file's name went with its text; this text was edited or pasted since
    upload = form.get("file")
    problem = ""
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read()
        try:
            text, name = labelling.decode_upload(data, upload.filename), upload.filename
        except ClassifierError as exc:
            problem = str(exc)
    mode = str(form.get("mode") or "hybrid")
    try:
        threshold = float(str(form.get("min_confidence") or 0))
    except ValueError:
        threshold = -1.0
    state = FormState(text=text, name=name, mode=mode, force_label=form.get("force_label") == "1")
    if mode not in ("hybrid", "rules", "model"):
        return state, f"mode: {mode!r} is not one of hybrid, rules, model"
    if not 0.0 <= threshold <= 1.0:
        return state, "confidence threshold: give a number from 0 to 1"
    state = FormState(text, name, mode, threshold, state.force_label)
    if not problem and not text.strip():
        problem = "paste a statement or choose a file to label"
    return state, problem


def _runner(limits: Limits) -> Callable[[Callable[[], T]], Any]:
    """Runs labelling jobs in worker threads, at most ``limits.threads`` at once, under the time limit.

    A request past the limit is answered with 503 at once. Its thread cannot be stopped: it finishes
    its batch in the background, still holding its place among the labelling threads, so slow
    requests can never pile up more than ``limits.threads`` labelling jobs; and a job whose time ran
    out while it waited for a place is dropped without being run.
    """
    places = threading.BoundedSemaphore(limits.threads)
    message = f"labelling took longer than the limit of {limits.time_limit:g} s; send less text per request"

    async def run(job: Callable[[], T]) -> T:
        deadline = time.monotonic() + limits.time_limit

        def in_place() -> T:
            with places:
                if time.monotonic() >= deadline:  # nobody is waiting for this answer any more
                    raise TimeLimitExceeded(message)
                return job()

        try:
            with anyio.fail_after(limits.time_limit):
                return await anyio.to_thread.run_sync(in_place, abandon_on_cancel=True)
        except TimeoutError:
            raise TimeLimitExceeded(message) from None

    return run


def _add_error_handlers(app: FastAPI) -> None:
    """One line of JSON for every error; 422 names each field at fault."""

    def error(status: int, message: str, detail: list[dict[str, Any]] | None = None) -> JSONResponse:
        return JSONResponse({"error": message, "detail": detail or []}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        if "json" not in request.headers.get("content-type", ""):  # e.g. curl -d without -H: not read as JSON
            return error(415, "send the body as JSON, with the header 'content-type: application/json'")
        detail = [
            {"field": _field(e.get("loc", ())), "message": str(e.get("msg", "")).removeprefix("Value error, ")}
            for e in exc.errors()
        ]
        first = f"{detail[0]['field']}: {detail[0]['message']}" if detail else "malformed request"
        return error(422, f"invalid request: {first}", detail)

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return error(exc.status_code, str(exc.detail))

    @app.exception_handler(TooLarge)
    async def too_large(_request: Request, exc: TooLarge) -> JSONResponse:
        return error(413, str(exc))

    @app.exception_handler(TimeLimitExceeded)
    async def too_slow(_request: Request, exc: TimeLimitExceeded) -> JSONResponse:
        return error(503, str(exc))

    @app.exception_handler(ClassifierError)
    async def refused(_request: Request, exc: ClassifierError) -> JSONResponse:
        return error(400, str(exc).splitlines()[0])

    @app.exception_handler(Exception)
    async def internal(_request: Request, exc: Exception) -> JSONResponse:
        return error(500, f"internal error ({type(exc).__name__}); please report it")


def _field(location: Any) -> str:
    """'text' for ('body', 'text'), 'sentences.2' for ('body', 'sentences', 2), 'body' for the body."""
    parts = [str(part) for part in location if part != "body"]
    if parts and parts[0].isdigit() and len(location) == 2:  # a JSON syntax error's position
        return "body"
    return ".".join(parts) or "body"
