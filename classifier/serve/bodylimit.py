"""A request body larger than the limit is refused with 413 before the application sees it.

Pure ASGI, so it sees the body as it arrives: a declared Content-Length past the limit is refused at
once, and a chunked body is counted and refused as soon as it passes the limit. A body within the
limit is handed on whole (every route reads its whole body anyway).
"""

from __future__ import annotations

import json
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]


class BodySizeLimit:
    """ASGI middleware: answers 413 (JSON for the API, a short page otherwise) past ``max_bytes``."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send, f"{int(declared):,} bytes")
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > self.max_bytes:
                await self._refuse(scope, send, f"more than {self.max_bytes:,} bytes")
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Any, said: str) -> None:
        message = f"the request body is {said}; the limit is {self.max_bytes:,} bytes"
        if scope.get("path", "").startswith("/v1/"):
            body, kind = json.dumps({"error": message, "detail": []}).encode(), b"application/json"
        else:
            page = f"<!DOCTYPE html><html lang=en><title>Too large</title><p>{message}</p><p><a href=/>Back</a></p>"
            body, kind = page.encode(), b"text/html; charset=utf-8"
        headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
