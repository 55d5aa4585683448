"""``/docs``: the OpenAPI document as a readable page, served without any outside script or style.

The usual interactive viewers load their code from a CDN; this page is drawn on the server from the
same OpenAPI document (also at ``/openapi.json``): each operation, its request and response schemas,
and their examples.
"""

from __future__ import annotations

import html
import json
from typing import Any


def render_docs(spec: dict[str, Any]) -> str:
    """The page for an OpenAPI 3 document."""
    info = spec.get("info", {})
    operations = []
    for path, methods in spec.get("paths", {}).items():
        for method, operation in methods.items():
            operations.append(_operation(path, method, operation))
    schemas = spec.get("components", {}).get("schemas", {})
    schema_items = "".join(
        f'<section id="schema-{html.escape(name)}"><h3>{html.escape(name)}</h3>{_json(schema)}</section>'
        for name, schema in schemas.items()
    )
    return _PAGE.format(
        title=html.escape(str(info.get("title", "API"))),
        version=html.escape(str(info.get("version", ""))),
        description=html.escape(str(info.get("description", ""))),
        operations="\n".join(operations),
        schemas=schema_items,
    )


def _operation(path: str, method: str, operation: dict[str, Any]) -> str:
    parts = [f"<h3><code>{method.upper()} {html.escape(path)}</code></h3>"]
    if operation.get("summary"):
        parts.append(f"<p><strong>{html.escape(operation['summary'])}</strong></p>")
    if operation.get("description"):
        parts.append(f'<p class="description">{html.escape(operation["description"])}</p>')
    body = operation.get("requestBody", {}).get("content", {})
    for kind, content in body.items():
        parts.append(f"<h4>Request body ({html.escape(kind)})</h4>{_schema_ref(content.get('schema', {}))}")
        parts.extend(_examples(content))
    for status, response in operation.get("responses", {}).items():
        parts.append(f"<h4>Response {html.escape(status)}: {html.escape(response.get('description', ''))}</h4>")
        for kind, content in response.get("content", {}).items():
            parts.append(f"<p>{html.escape(kind)}: {_schema_ref(content.get('schema', {}))}</p>")
            parts.extend(_examples(content))
    return f'<section class="operation">{"".join(parts)}</section>'


def _schema_ref(schema: dict[str, Any]) -> str:
    """A link to a named schema, or the schema itself inline."""
    ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        link = f'<a href="#schema-{html.escape(name)}">{html.escape(name)}</a>'
        return f"array of {link}" if "items" in schema else link
    return _json(schema) if schema else "(any)"


def _examples(content: dict[str, Any]) -> list[str]:
    found = list(content.get("examples", {}).values())
    if "example" in content:
        found.append({"value": content["example"]})
    return [f"<p>Example:</p>{_json(example.get('value'))}" for example in found]


def _json(value: Any) -> str:
    return f"<pre>{html.escape(json.dumps(value, indent=2, ensure_ascii=False))}</pre>"


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: API documentation</title>
<link rel="stylesheet" href="/static/report.css">
<link rel="stylesheet" href="/static/page.css">
</head>
<body>
<main>
<h1>{title} <small>{version}</small></h1>
<p>{description}</p>
<p>The machine-readable OpenAPI document is at <a href="/openapi.json">/openapi.json</a>. Every error answer
is JSON: <code>{{"error": "one line", "detail": [{{"field": ..., "message": ...}}]}}</code>.</p>
<h2>Operations</h2>
{operations}
<h2>Schemas</h2>
{schemas}
</main>
</body>
</html>
"""
