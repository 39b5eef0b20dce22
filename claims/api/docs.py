"""A self-hosted API reference page rendered from the OpenAPI schema.

No JavaScript, so it works under our `script-src 'self'` CSP without a CDN or extra package.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from claims.api.schema import api_schema

METHODS = ("get", "post", "put", "patch", "delete")


def _ref_name(schema: dict[str, Any] | None) -> str:
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"list of {_ref_name(schema.get('items')) or 'items'}"
    return schema.get("type", "")


def _fields(schema: dict[str, Any], components: dict[str, Any]) -> list[dict[str, Any]]:
    if "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": _ref_name(prop) or ("enum" if "enum" in prop else ""),
            "required": name in required,
            "read_only": prop.get("readOnly", False),
            "description": prop.get("description", ""),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    components = spec.get("components", {}).get("schemas", {})
    operations = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = op.get("requestBody", {}).get("content", {})
            body_schema = next(iter(body.values()), {}).get("schema") if body else None
            responses = []
            for code, response in op.get("responses", {}).items():
                content = response.get("content", {})
                schema = next(iter(content.values()), {}).get("schema") if content else None
                responses.append(
                    {
                        "code": code,
                        "description": response.get("description", ""),
                        "schema": _ref_name(schema),
                    }
                )
            operations.append(
                {
                    "id": op.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": op.get("parameters", []),
                    "body": _fields(body_schema, components) if body_schema else [],
                    "responses": responses,
                }
            )
    return operations


@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    spec = api_schema()
    context = {"spec": spec, "info": spec.get("info", {}), "operations": _operations(spec)}
    return render(request, "claims/api/docs.html", context)


@require_safe
def api_root(request: HttpRequest) -> JsonResponse:
    """/api/: every endpoint with its summary, and where the docs and schema are."""
    spec = api_schema()
    endpoints = [
        {"method": op["method"], "path": op["path"], "summary": op["summary"]}
        for op in _operations(spec)
    ]
    return JsonResponse(
        {
            "name": spec.get("info", {}).get("title", "API"),
            "docs": request.build_absolute_uri(reverse("api:docs")),
            "schema": request.build_absolute_uri(reverse("api:schema")),
            "authentication": "Session (signed in) or 'Authorization: Token <key>'.",
            "endpoints": endpoints,
        },
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
