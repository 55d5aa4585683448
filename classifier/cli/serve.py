"""``claims serve``: the classifier as a local web page and JSON API (needs the 'serve' extra)."""

from __future__ import annotations

import socket
import sys
from typing import Annotated

import typer

from .common import IO_ERROR_EXIT, ModelOption, RulesOption, _error, handles_errors


def register(app: typer.Typer) -> None:
    """Add the command to the main ``claims`` app."""
    app.command()(serve)


@handles_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    model: ModelOption = None,
    rules: RulesOption = None,
    max_bytes: Annotated[
        int, typer.Option(min=1, help="Largest request body accepted, in bytes (413 past it).")
    ] = 2_000_000,
    max_sentences: Annotated[
        int, typer.Option(min=1, help="Most sentences one request may hold (413 past it).")
    ] = 5_000,
    time_limit: Annotated[
        float, typer.Option(min=0.001, help="Seconds of labelling allowed per request (503 past it).")
    ] = 30.0,
) -> None:
    """Serve a page for labelling statements and a JSON API.

    The page at / labels a pasted or uploaded statement and downloads label
    corrections for 'claims train --data'; the API is POST /v1/label,
    POST /v1/explain, GET /v1/health and GET /v1/model, documented at /docs.
    The model is loaded and verified before the server starts.
    Example: claims serve --port 8000
    """
    import uvicorn  # the web modules first: without the extra, say so before loading anything

    from ..api import ClaimClassifier
    from ..serve.app import create_app
    from ..serve.labelling import Limits

    classifier = ClaimClassifier.load(model, rules=rules or [])
    app = create_app(classifier, Limits(max_bytes=max_bytes, max_sentences=max_sentences, time_limit=time_limit))
    sock = _listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    print(f"claims: serving on http://{shown}:{sock.getsockname()[1]}/ (Ctrl-C stops)", file=sys.stderr)
    with sock:
        uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the server starts, so that a port in use is one line and exit 8
    (the system refused) instead of the server's own start-up failure."""
    try:
        family, kind, protocol, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, protocol)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        _error(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
        raise typer.Exit(IO_ERROR_EXIT) from None
    return sock
