"""Alert ingest and the alert endpoints, through a real server: every success and every
client error, each error a 4xx naming the field, with nothing written."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from cltui.store import alerts
from tests.api.conftest import Api
from tests.api.helpers import ingest_state

KINGS = {"summary": "disk full on db-1", "team": "kings"}


async def raise_one(api: Api, **fields: Any) -> dict[str, Any]:
    status, body = await api.call("POST", "/alerts", {**KINGS, **fields})
    assert status == 201, body
    return body


async def test_a_new_alert_is_201_with_number_uuid_and_status_and_is_committed(api: Api) -> None:
    status, body = await api.call(
        "POST",
        "/alerts",
        {
            "summary": "disk full on db-1",
            "team": "kings",
            "severity": "critical",
            "details": "94% used",
            "source": "nagios",
            "dedup_key": "db-1/disk",
        },
    )
    assert status == 201
    assert body["number"] == 1 and len(body["uuid"]) == 36 and body["status"] == "triggered"
    assert body["deduplicated"] is False
    # Committed before the answer: another connection sees it at once.
    stored = alerts.get(api.db, 1)
    assert (stored.summary, stored.severity, stored.details, stored.source, stored.dedup_key) == (
        "disk full on db-1",
        "critical",
        "94% used",
        "nagios",
        "db-1/disk",
    )
    assert stored.team == "kings" and stored.uuid == body["uuid"]


async def test_the_same_dedup_key_answers_200_with_the_existing_alert(api: Api) -> None:
    first = await raise_one(api, dedup_key="k1")
    status, again = await api.call("POST", "/alerts", {**KINGS, "dedup_key": "k1"})
    assert status == 200
    assert again["number"] == first["number"] and again["uuid"] == first["uuid"]
    assert again["deduplicated"] is True and again["duplicates"] == 1
    await api.call("POST", f"/alerts/{first['number']}/resolve")
    status, third = await api.call("POST", "/alerts", {**KINGS, "dedup_key": "k1"})
    assert status == 201 and third["number"] != first["number"], "a resolved alert is not reused"


async def test_an_alert_for_a_person_and_structured_details(api: Api) -> None:
    status, body = await api.call(
        "POST",
        "/alerts",
        {"summary": "call me", "person": "arthur", "details": {"host": "db-1", "used": 94}},
    )
    assert status == 201
    assert body["person"] == "arthur" and body["team"] is None
    assert json.loads(body["details"]) == {"host": "db-1", "used": 94}


BAD_BODIES: list[tuple[str, Any, int, str]] = [
    ("malformed JSON", b'{"summary": "x", "team": ', 400, "body: not valid JSON"),
    ("invalid UTF-8", b'{"summary": "\xff\xfe", "team": "kings"}', 400, "body: not valid JSON"),
    ("empty body", b"", 400, "body: empty"),
    ("deep nesting", b"[" * 100_000 + b"]" * 100_000, 400, "body: JSON nested too deeply"),
    ("an array", [KINGS], 422, "body: must be a JSON object, not an array"),
    ("a string", "summary", 422, "body: must be a JSON object, not a string"),
    ("missing summary", {"team": "kings"}, 422, "summary: is required"),
    ("null summary", {"summary": None, "team": "kings"}, 422, "summary: is required"),
    ("blank summary", {"summary": "  ", "team": "kings"}, 422, "summary: must not be empty"),
    ("numeric summary", {"summary": 5, "team": "kings"}, 422, "summary: must be a string"),
    ("long summary", {"summary": "x" * 501, "team": "kings"}, 422, "summary: is longer"),
    ("team as a list", {"summary": "x", "team": ["kings"]}, 422, "team: must be a string"),
    ("no target", {"summary": "x"}, 422, "target: name exactly one"),
    ("two targets", {**KINGS, "person": "arthur"}, 422, "target: name exactly one"),
    ("unknown team", {"summary": "x", "team": "knights"}, 404, 'team: no team named "knights"'),
    ("unknown person", {"summary": "x", "person": "mordred"}, 404, "person: no person"),
    ("bad severity", {**KINGS, "severity": "apocalyptic"}, 422, "severity:"),
    ("boolean severity", {**KINGS, "severity": True}, 422, "severity: must be a string"),
    ("numeric details", {**KINGS, "details": 3}, 422, "details: must be a string or an object"),
    ("numeric dedup key", {**KINGS, "dedup_key": 7}, 422, "dedup_key: must be a string"),
    ("blank dedup key", {**KINGS, "dedup_key": " "}, 422, "dedup_key: must not be empty"),
    ("unknown field", {**KINGS, "priority": "P1"}, 422, "priority: unknown field"),
    ("NUL character", {**KINGS, "summary": "a\x00b"}, 422, "summary: must not contain NUL"),
    ("lone surrogate", b'{"summary": "\\ud800", "team": "kings"}', 422, "summary: contains text"),
    (
        "huge number",
        b'{"summary": "x", "team": "kings", "details": 1' + b"0" * 5000 + b"}",
        400,
        "body",
    ),
]


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [pytest.param(b, s, e, id=name) for name, b, s, e in BAD_BODIES],
)
async def test_bad_input_is_a_4xx_naming_the_field_and_writes_nothing(
    api: Api, body: Any, status: int, error: str
) -> None:
    await raise_one(api, dedup_key="existing")
    before = ingest_state(api.db)
    if isinstance(body, bytes):
        got, answer = await api.call(
            "POST", "/alerts", data=body, headers={"Content-Type": "application/json"}
        )
    else:
        got, answer = await api.call("POST", "/alerts", body)
    assert (got, answer["error"][: len(error)]) == (status, error), answer
    assert set(answer) == {"error"}
    assert ingest_state(api.db) == before


async def test_a_body_over_the_limit_is_413_whether_or_not_its_length_is_announced(
    api: Api,
) -> None:
    padding = "x" * (4 * 1024 * 1024)
    status, body = await api.call("POST", "/alerts", {**KINGS, "details": padding})
    assert status == 413
    assert body["error"] == f"body: larger than the limit of {4 * 1024 * 1024} bytes"

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"summary": "x", "team": "kings", "details": "'
        for _ in range(65):
            yield b"y" * 65536
        yield b'"}'

    url = f"{api.url}/api/v1/alerts"
    async with api.http.post(url, data=chunks(), headers=api.headers()) as response:
        assert response.status == 413
    assert ingest_state(api.db) == (0, 0)
    # Just under the limit is fine.
    status, body = await api.call("POST", "/alerts", {**KINGS, "details": "x" * 60_000})
    assert status == 201


async def test_chicken_little_notify_for_a_person_and_a_team(api: Api) -> None:
    status, body = await api.call("POST", "/people/arthur/notify", {"content": "wake up\nnow"})
    assert status == 201
    assert (body["person"], body["summary"], body["details"]) == (
        "arthur",
        "wake up",
        "wake up\nnow",
    )
    assert body["content"] == "wake up\nnow" and body["uuid"]
    status, body = await api.call("POST", "/teams/kings/notify", {"content": "castle on fire"})
    assert status == 201
    assert (body["team"], body["summary"], body["details"]) == ("kings", "castle on fire", "")


@pytest.mark.parametrize(
    ("path", "body", "status", "error"),
    [
        (
            "/people/mordred/notify",
            {"content": "x"},
            404,
            'person: no person with handle "mordred"',
        ),
        ("/teams/knights/notify", {"content": "x"}, 404, 'team: no team named "knights"'),
        ("/people/arthur/notify", {}, 422, "content: is required"),
        ("/people/arthur/notify", {"content": " \n "}, 422, "content: must not be empty"),
        ("/people/arthur/notify", {"content": 1}, 422, "content: must be a string"),
        ("/teams/kings/notify", {"content": "x", "to": "y"}, 422, "to: unknown field"),
    ],
)
async def test_notify_errors(api: Api, path: str, body: Any, status: int, error: str) -> None:
    got, answer = await api.call("POST", path, body)
    assert (got, answer["error"][: len(error)]) == (status, error)
    assert ingest_state(api.db) == (0, 0)


async def test_acknowledge_then_resolve_and_what_is_refused_after(api: Api) -> None:
    alert = await raise_one(api)
    number = alert["number"]
    status, body = await api.call("POST", f"/alerts/{number}/ack", {"by": "merlin"})
    assert (status, body["status"], body["acked_by"]) == (200, "acknowledged", "merlin")
    status, body = await api.call("POST", f"/alerts/{number}/ack")
    assert status == 409
    assert body["error"].startswith(f"alert {number} is already acknowledged by merlin")
    status, body = await api.call("POST", f"/alerts/{alert['uuid']}/resolve")
    assert (status, body["status"], body["resolved_by"]) == (200, "resolved", "tests")
    status, body = await api.call("POST", f"/alerts/{number}/ack")
    assert status == 409 and "is resolved" in body["error"]
    status, body = await api.call("POST", f"/alerts/{number}/resolve")
    assert status == 409 and "already resolved by tests" in body["error"]


@pytest.mark.parametrize(
    ("path", "body", "status", "error"),
    [
        ("/alerts/99/ack", None, 404, "alert 99 does not exist"),
        ("/alerts/99/resolve", None, 404, "alert 99 does not exist"),
        ("/alerts/99", None, 404, "alert 99 does not exist"),
        ("/alerts/abc/ack", None, 404, 'alert: "abc" is not an alert number or UUID'),
        ("/alerts/99999999999999999999/ack", None, 404, "alert:"),
        (
            "/alerts/3dd5ce7a-559f-48aa-b26c-c748c5315803/ack",
            None,
            404,
            'alert: no alert with UUID "3dd5ce7a-559f-48aa-b26c-c748c5315803"',
        ),
        ("/alerts/1/ack", {"by": 3}, 422, "by: must be a string"),
        ("/alerts/1/ack", {"by": ""}, 422, "by: must not be empty"),
        ("/alerts/1/ack", {"who": "x"}, 422, "who: unknown field"),
        ("/alerts/1/ack", [], 422, "body: must be a JSON object"),
    ],
)
async def test_ack_and_resolve_errors(
    api: Api, path: str, body: Any, status: int, error: str
) -> None:
    await raise_one(api)
    method = "GET" if path.count("/") == 2 else "POST"
    got, answer = await api.call(method, path, body)
    assert (got, answer["error"][: len(error)]) == (status, error)
    assert alerts.get(api.db, 1).status == "triggered"


async def test_chicken_little_stop_acknowledges_by_uuid_and_is_idempotent(api: Api) -> None:
    alert = await raise_one(api)
    status, body = await api.call("DELETE", f"/notifications/{alert['uuid']}")
    assert (status, body["status"], body["stopped"]) == (200, "acknowledged", True)
    status, body = await api.call("DELETE", f"/notifications/{alert['uuid']}")
    assert (status, body["stopped"]) == (200, False)
    assert "already acknowledged" in body["detail"]
    status, body = await api.call("DELETE", "/notifications/3dd5ce7a-559f-48aa-b26c-c748c5315803")
    assert status == 404 and body["error"].startswith("alert: no alert with UUID")
    status, body = await api.call("DELETE", "/notifications/12")
    assert status == 404 and body["error"].startswith("uuid:")


async def test_list_alerts_by_status_and_one_alert_with_its_timeline(api: Api) -> None:
    first = await raise_one(api, dedup_key="a")
    second = await raise_one(api, dedup_key="b")
    await api.call("POST", f"/alerts/{first['number']}/ack")
    status, body = await api.call("GET", "/alerts")
    assert status == 200
    assert [a["number"] for a in body["alerts"]] == [second["number"], first["number"]]
    status, body = await api.call("GET", "/alerts?status=acknowledged")
    assert [a["number"] for a in body["alerts"]] == [first["number"]]
    status, body = await api.call("GET", "/alerts?status=open&limit=1")
    assert [a["number"] for a in body["alerts"]] == [second["number"]]
    status, body = await api.call("GET", f"/alerts/{first['number']}")
    assert status == 200 and body["status"] == "acknowledged"
    kinds = [e["kind"] for e in body["events"]]
    assert kinds[0] == "created" and "acknowledged" in kinds
    assert set(body["events"][0]) == {"at", "kind", "actor", "detail"}
    status, body = await api.call("GET", f"/alerts/{second['uuid']}")
    assert body["number"] == second["number"]


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("status=bogus", 'status: "bogus" is not one of'),
        ("limit=0", 'limit: "0" is not a whole number'),
        ("limit=x", 'limit: "x" is not a whole number'),
        ("limit=1001", 'limit: "1001"'),
    ],
)
async def test_list_errors(api: Api, query: str, error: str) -> None:
    status, body = await api.call("GET", f"/alerts?{query}")
    assert (status, body["error"][: len(error)]) == (422, error)


async def test_unknown_paths_and_methods_answer_json(api: Api) -> None:
    status, body = await api.call("GET", "/nothing/here")
    assert (status, body["error"]) == (404, "path: no such endpoint GET /api/v1/nothing/here")
    status, body = await api.call("PUT", "/alerts")
    assert status == 405 and body["error"].startswith("method: PUT /api/v1/alerts is not allowed")


async def test_escalate_runs_the_next_step_now_and_is_refused_once_acknowledged(
    api: Api,
) -> None:
    status, alert = await api.call("POST", "/alerts", {"team": "kings", "summary": "Disk full"})
    assert status == 201
    number = alert["number"]
    status, body = await api.call("POST", f"/alerts/{number}/escalate", {"by": "merlin"})
    assert status == 200, body
    status, body = await api.call("GET", f"/alerts/{number}")
    assert any(
        e["kind"] == "escalated" and e["detail"] == "escalation forced by merlin"
        for e in body["events"]
    )
    await api.call("POST", f"/alerts/{number}/ack")
    status, body = await api.call("POST", f"/alerts/{number}/escalate")
    assert status == 409
    assert "only triggered alerts escalate" in body["error"]
