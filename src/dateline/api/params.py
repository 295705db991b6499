"""Query parameters of a request, read and checked against the query layer's table.

Routes take the raw query string themselves (no FastAPI parameter declarations), so every
value goes through the same strict parsers as the CLI, and the OpenAPI document lists the
parameters from the same table.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from dateline.query.params import Param, QueryError


def openapi_parameters(params: tuple[Param, ...]) -> dict[str, Any]:
    """``openapi_extra`` for a route: its query parameters from the table."""
    out = []
    for p in params:
        entry: dict[str, Any] = {"name": p.name, "in": "query", "required": False,
                                 "description": p.help, "schema": p.schema}
        if p.example is not None:
            entry["example"] = p.example
        out.append(entry)
    return {"parameters": out}


def raw_values(request: Request, params: tuple[Param, ...]) -> dict[str, str]:
    """The request's query parameters as text: unknown names and repeated single-valued
    parameters are errors; repeats of list parameters are joined with commas."""
    known = {p.name: p for p in params}
    out: dict[str, str] = {}
    for name in request.query_params:
        if name not in known:
            raise QueryError(name, f"unknown parameter (known: {', '.join(known)})")
        values = request.query_params.getlist(name)
        if len(values) > 1 and not known[name].multi:
            raise QueryError(name, "given more than once")
        out[name] = ",".join(values)
    return out


def parse_extra(values: dict[str, str], params: tuple[Param, ...]) -> dict[str, Any]:
    """Pop and parse the parameters ``params`` (those that are not event filters)."""
    out: dict[str, Any] = {}
    for p in params:
        if p.name in values:
            out[p.name] = p.parse(p.name, values.pop(p.name))
        elif "default" in p.schema:
            out[p.name] = p.schema["default"]
    return out
