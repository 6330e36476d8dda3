"""Bearer tokens: every /api/v1 call needs one; missing, wrong and revoked ones get 401."""

from __future__ import annotations

import pytest
from sqlmodel import select

from cltui.api.server import parse_listen
from cltui.config import Settings
from cltui.domain.errors import NotFound, Refused
from cltui.store import tokens
from cltui.store.database import Database
from cltui.store.models import ApiToken
from tests.api.conftest import Api
from tests.api.helpers import ingest_state

ENDPOINTS = [
    ("GET", "/alerts"),
    ("POST", "/alerts"),
    ("GET", "/alerts/1"),
    ("POST", "/alerts/1/ack"),
    ("POST", "/alerts/1/resolve"),
    ("POST", "/alerts/1/escalate"),
    ("POST", "/people/arthur/notify"),
    ("POST", "/teams/kings/notify"),
    ("DELETE", "/notifications/3dd5ce7a-559f-48aa-b26c-c748c5315803"),
    ("POST", "/integrations/alertmanager?team=kings"),
    ("GET", "/healthz"),
    ("GET", "/openapi.json"),
    ("GET", "/no/such/thing"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_every_endpoint_needs_a_token(api: Api, method: str, path: str) -> None:
    url = f"{api.url}/api/v1{path}"
    async with api.http.request(method, url, json={"summary": "x", "team": "kings"}) as response:
        assert response.status == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        body = await response.json()
    assert body["error"].startswith("authorization: missing")
    assert ingest_state(api.db) == (0, 0)


@pytest.mark.parametrize(
    "header",
    ["Bearer cltui_wrong", "Bearer ", "Basic dGVzdHM6dGVzdHM=", "cltui_token", "Bearer  "],
)
async def test_a_wrong_token_is_refused(api: Api, header: str) -> None:
    status, body = await api.call(
        "POST", "/alerts", {"summary": "x", "team": "kings"}, headers={"Authorization": header}
    )
    assert status == 401
    assert body["error"].startswith("authorization:")


async def test_the_right_token_with_a_different_case_scheme_works(api: Api) -> None:
    status, _ = await api.call("GET", "/alerts", headers={"Authorization": f"bearer {api.token}"})
    assert status == 200


async def test_a_revoked_token_stops_working_at_once(api: Api) -> None:
    second = tokens.create(api.db, "grafana")
    status, _ = await api.call("GET", "/alerts", token=second)
    assert status == 200
    tokens.revoke(api.db, "grafana")
    status, body = await api.call("GET", "/alerts", token=second)
    assert status == 401
    assert "revoked" in body["error"]
    status, _ = await api.call("GET", "/alerts")
    assert status == 200, "revoking one token leaves the others"


async def test_the_token_name_is_the_default_actor_and_source(api: Api) -> None:
    status, body = await api.call("POST", "/alerts", {"summary": "x", "person": "nobody"})
    assert status == 201
    assert body["source"] == "tests"
    status, body = await api.call("POST", f"/alerts/{body['number']}/ack")
    assert (status, body["acked_by"]) == (200, "tests")


async def test_root_healthz_is_public_and_api_healthz_reports_more(api: Api) -> None:
    async with api.http.get(f"{api.url}/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"status": "ok"}
    status, body = await api.call("GET", "/healthz")
    assert status == 200
    assert body["database"] == "ok"
    await api.engine.wait_leading()
    status, body = await api.call("GET", "/healthz")
    assert body["engine"] == "leading"


def test_tokens_are_stored_hashed_and_names_are_unique(database: Database) -> None:
    token = tokens.create(database, "ci")
    with database.read() as session:
        row = session.exec(select(ApiToken)).one()
    assert token not in row.token_hash and len(row.token_hash) == 64
    assert tokens.verify(database, token) == "ci"
    assert tokens.verify(database, token + "x") is None
    assert [t.name for t in tokens.names(database)] == ["ci"]
    with pytest.raises(Refused, match="already exists"):
        tokens.create(database, "ci")
    tokens.revoke(database, "ci")
    assert tokens.verify(database, token) is None
    with pytest.raises(NotFound, match="no token named"):
        tokens.revoke(database, "ci")


def test_the_server_listens_on_localhost_unless_configured() -> None:
    assert Settings().listen.startswith("127.0.0.1:")
    assert parse_listen(":7072") == ("127.0.0.1", 7072)
    assert parse_listen("7072") == ("127.0.0.1", 7072)
    assert parse_listen("0.0.0.0:80") == ("0.0.0.0", 80)
    assert parse_listen("[::1]:7072") == ("::1", 7072)
    with pytest.raises(ValueError, match="listen"):
        parse_listen("localhost")
