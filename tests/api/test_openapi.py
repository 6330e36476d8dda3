"""The OpenAPI document describes exactly the routes the application serves."""

from __future__ import annotations

import re
from typing import Any

from cltui.api import openapi
from cltui.api.app import API
from tests.api.conftest import Api


def served_routes(api: Api) -> set[tuple[str, str]]:
    app = api.server.runner.app
    found = set()
    for route in app.router.routes():
        path = route.resource.canonical if route.resource else ""
        if path.startswith(API + "/"):
            found.add((route.method.lower(), path.removeprefix(API)))
    return found


def documented_routes(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(method, path) for path, ops in document["paths"].items() for method in ops}


async def test_the_document_matches_the_real_routes_and_is_served(api: Api) -> None:
    document = openapi.document()
    assert documented_routes(document) == served_routes(api)
    status, served = await api.call("GET", "/openapi.json")
    assert status == 200 and served == document
    assert document["openapi"].startswith("3.1")


async def test_every_operation_documents_auth_and_its_path_parameters(api: Api) -> None:
    document = openapi.document()
    ids = set()
    for path, operations in document["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        for method, operation in operations.items():
            assert "401" in operation["responses"], (method, path)
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == names, (method, path)
            ids.add(operation["operationId"])
    assert len(ids) == len(served_routes(api))
    schemas = document["components"]["schemas"]
    refs = re.findall(r'"#/components/schemas/(\w+)"', str(document).replace("'", '"'))
    assert set(refs) <= set(schemas)


async def test_the_documented_error_statuses_are_ones_the_server_gives(api: Api) -> None:
    # Spot checks: each documented 4xx is reachable on POST /alerts.
    post = openapi.document()["paths"]["/alerts"]["post"]["responses"]
    got = {
        (await api.call("POST", "/alerts", data=b"{"))[0],
        (await api.call("POST", "/alerts", {"summary": "x", "team": "knights"}))[0],
        (await api.call("POST", "/alerts", {"team": "kings"}))[0],
        (await api.call("POST", "/alerts", token="cltui_wrong"))[0],
        (
            await api.call(
                "POST", "/alerts", {"summary": "x", "team": "kings", "details": "y" * (5 << 20)}
            )
        )[0],
    }
    assert {str(s) for s in got} == {s for s in post if s.startswith("4")}
