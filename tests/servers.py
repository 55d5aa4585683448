"""Helpers for the tests of ``claims serve``: a real server on a loopback port, and a plain HTTP client.

Imported only by tests that have already skipped when the 'serve' extra is missing.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


@contextmanager
def running(app: Any) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a free loopback port for the block; yields its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(500):
            if server.started:
                break
            threading.Event().wait(0.02)
        assert server.started, "the test server did not start"
        yield f"127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def call(
    where: str,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    *,
    chunked: bool = False,
    timeout: float = 60,
) -> Answer:
    connection = http.client.HTTPConnection(where, timeout=timeout)
    try:
        if chunked:
            connection.request(method, path, body=iter([body or b""]), headers=headers or {}, encode_chunked=True)
        else:
            connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


def post_json(where: str, path: str, payload: Any) -> Answer:
    return call(where, "POST", path, json.dumps(payload).encode(), {"content-type": "application/json"})


def post_form(where: str, path: str, fields: list[tuple[str, str]]) -> Answer:
    body = urlencode(fields).encode()
    return call(where, "POST", path, body, {"content-type": "application/x-www-form-urlencoded"})


def post_multipart(where: str, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> Answer:
    """A form post with file uploads, as a browser sends it without JavaScript."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return call(where, "POST", path, b"".join(parts), {"content-type": f"multipart/form-data; boundary={boundary}"})
