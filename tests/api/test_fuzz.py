"""Property-based fuzzing of request bodies (hypothesis), through a real server: whatever a
client sends, the answer is never a 5xx, an error names what is wrong, and a refused
request writes nothing while an accepted one is committed before its answer."""

from __future__ import annotations

import asyncio
import copy
import http.client
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cltui.domain.validation import SEVERITIES
from cltui.store import alerts
from tests.api.conftest import Api, fixture_payload
from tests.api.helpers import ingest_state

TEXT = st.text(st.characters(exclude_categories=()), max_size=40)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
ALERT_BODY = st.fixed_dictionaries(
    {},
    optional={
        "summary": TEXT | JSON,
        "team": st.sampled_from(["kings", "infra", "knights", ""]) | JSON,
        "person": st.sampled_from(["arthur", "nobody", "mordred"]) | JSON,
        "severity": st.sampled_from([*SEVERITIES, "CRITICAL ", "bad"]) | JSON,
        "details": JSON,
        "source": TEXT | JSON,
        "dedup_key": st.sampled_from(["a", "b", " ", "x" * 300]) | JSON,
        "content": TEXT | JSON,
        "by": TEXT | JSON,
    },
) | st.dictionaries(TEXT, JSON, max_size=3)

AM_FIELDS = ["status", "fingerprint", "labels", "annotations", "generatorURL", "startsAt"]


@st.composite
def alertmanager_body(draw: st.DrawFn) -> Any:
    payload = copy.deepcopy(fixture_payload("alertmanager-webhook-mixed-sample.json"))
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.sampled_from(["top", "alert", "label", "drop"]))
        item = payload["alerts"][draw(st.integers(0, 2))]
        if where == "top":
            payload[draw(st.sampled_from(["alerts", "version", "status"]))] = draw(JSON)
            break
        if where == "alert":
            item[draw(st.sampled_from(AM_FIELDS))] = draw(JSON)
        elif where == "label" and isinstance(item.get("labels"), dict):
            item["labels"][draw(TEXT)] = draw(JSON)
        elif where == "drop":
            item.pop(draw(st.sampled_from(AM_FIELDS)), None)
    return payload


PATHS = [
    "/alerts",
    "/people/arthur/notify",
    "/teams/kings/notify",
    "/alerts/1/ack",
    "/alerts/1/resolve",
    "/alerts/1/escalate",
    "/integrations/alertmanager?team=infra",
]
BODIES = (
    st.tuples(st.sampled_from(PATHS), ALERT_BODY.map(lambda b: json.dumps(b).encode()))
    | st.tuples(st.sampled_from(PATHS), JSON.map(lambda b: json.dumps(b).encode()))
    | st.tuples(st.sampled_from(PATHS), st.binary(max_size=200))
    | st.tuples(
        st.just("/integrations/alertmanager?team=infra"),
        alertmanager_body().map(lambda b: json.dumps(b).encode()),
    )
)


def _send(api: Api, path: str, body: bytes) -> tuple[int, Any]:
    connection = http.client.HTTPConnection(api.server.host, api.server.port, timeout=30)
    try:
        connection.request(
            "POST",
            "/api/v1" + path,
            body=body,
            headers={**api.headers(), "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def _fuzz(api: Api) -> None:
    @settings(
        max_examples=300,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(BODIES)
    def check(case: tuple[str, bytes]) -> None:
        path, body = case
        before = ingest_state(api.db)
        first_before = alerts.get(api.db, 1)
        status, answer = _send(api, path, body)
        assert status < 500, (status, answer)
        if status >= 400:
            assert isinstance(answer, dict) and set(answer) == {"error"}, answer
            assert isinstance(answer["error"], str) and answer["error"]
            assert ingest_state(api.db) == before, "a refused request wrote something"
            assert alerts.get(api.db, 1).status == first_before.status
        elif "number" in answer:
            stored = alerts.get(api.db, answer["number"])
            assert stored.uuid == answer["uuid"] and stored.status == answer["status"]

    check()


async def test_no_request_body_causes_a_5xx_or_a_half_written_alert(api: Api) -> None:
    status, _ = await api.call("POST", "/alerts", {"summary": "first", "person": "nobody"})
    assert status == 201
    await asyncio.to_thread(_fuzz, api)
