"""Alertmanager's webhook with the real payloads in the shared fixtures: firing, grouped,
resolved, and mixed (one of three resolved while the group is still firing)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from cltui.api import alertmanager
from cltui.domain.errors import Invalid
from cltui.store import alerts
from tests.api.conftest import Api, fixture_payload
from tests.api.helpers import ingest_state

HOOK = "/integrations/alertmanager?team=infra"
FIRING = "alertmanager-webhook-sample.json"
RESOLVED = "alertmanager-webhook-resolved-sample.json"
GROUPED = "alertmanager-webhook-grouped-sample.json"
MIXED = "alertmanager-webhook-mixed-sample.json"


async def post(api: Api, name: str, path: str = HOOK) -> dict[str, Any]:
    status, body = await api.call("POST", path, fixture_payload(name))
    assert status == 200, body
    return body


async def test_a_firing_alert_becomes_an_alert_for_the_team(api: Api) -> None:
    assert await post(api, FIRING) == {
        "created": [1],
        "deduplicated": [],
        "resolved": [],
        "unmatched": [],
    }
    alert = alerts.get(api.db, 1)
    assert (alert.team, alert.status, alert.severity, alert.source) == (
        "infra",
        "triggered",
        "critical",
        "alertmanager",
    )
    assert alert.summary == "Instance db-1.example:9100 is down"
    assert alert.dedup_key == "alertmanager:infra:ba09170630e1fe5b"
    assert "http://prometheus.example:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1" in alert.details
    assert "instance=db-1.example:9100" in alert.details
    assert "db-1.example:9100 of job node has been down" in alert.details


async def test_firing_again_is_deduplicated_by_fingerprint_then_resolved(api: Api) -> None:
    await post(api, FIRING)
    assert (await post(api, FIRING))["deduplicated"] == [1]
    assert alerts.get(api.db, 1).duplicates == 1
    assert (await post(api, RESOLVED))["resolved"] == [1]
    alert = alerts.get(api.db, 1)
    assert (alert.status, alert.resolved_by) == ("resolved", "alertmanager")
    # Resolved twice: Alertmanager retries; the second finds nothing open.
    assert (await post(api, RESOLVED))["unmatched"] == ["ba09170630e1fe5b"]
    # Firing after resolution opens a new alert.
    assert (await post(api, FIRING))["created"] == [2]


async def test_a_group_is_one_alert_each_and_mixed_resolves_only_the_resolved_one(
    api: Api,
) -> None:
    assert (await post(api, GROUPED))["created"] == [1, 2, 3]
    summaries = {a.number: a.summary for a in alerts.list_alerts(api.db)}
    assert summaries[1] == "Instance web-0.example:9100 is down"
    # The payload's top-level status is "firing", but its first alert is resolved.
    result = await post(api, MIXED)
    assert result == {"created": [], "deduplicated": [2, 3], "resolved": [1], "unmatched": []}
    assert [a.status for a in sorted(alerts.list_alerts(api.db), key=lambda a: a.number)] == [
        "resolved",
        "triggered",
        "triggered",
    ]


async def test_mixed_with_nothing_open_opens_the_firing_two(api: Api) -> None:
    result = await post(api, MIXED)
    assert result == {
        "created": [1, 2],
        "deduplicated": [],
        "resolved": [],
        "unmatched": ["e6c6a4521e1f29f5"],
    }


async def test_the_same_alert_routed_to_two_targets_opens_one_alert_each(api: Api) -> None:
    await post(api, FIRING)
    await post(api, FIRING, "/integrations/alertmanager?team=kings")
    await post(api, FIRING, "/integrations/alertmanager?person=arthur")
    targets = sorted((a.team or "", a.person or "") for a in alerts.list_alerts(api.db))
    assert targets == [("", "arthur"), ("infra", ""), ("kings", "")]
    await post(api, RESOLVED, "/integrations/alertmanager?team=kings")
    assert [a.team for a in alerts.list_alerts(api.db, "resolved")] == ["kings"]


def _broken(change: str) -> dict[str, Any]:
    payload = copy.deepcopy(fixture_payload(GROUPED))
    second = payload["alerts"][1]
    if change == "status":
        second["status"] = "pending"
    elif change == "fingerprint":
        del second["fingerprint"]
    elif change == "labels":
        second["labels"]["severity"] = 3
    elif change == "alerts":
        payload["alerts"] = {"a": 1}
    elif change == "version":
        payload["version"] = "3"
    elif change == "item":
        payload["alerts"][1] = "firing"
    return payload


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ("status", 'alerts[1].status: \'pending\' is not "firing" or "resolved"'),
        ("fingerprint", "alerts[1].fingerprint: must be a non-empty string"),
        ("labels", "alerts[1].labels: must be an object of strings"),
        ("alerts", "alerts: must be a list"),
        ("version", "version: '3' is not supported"),
        ("item", "alerts[1]: must be an object"),
    ],
)
async def test_a_bad_payload_is_422_and_none_of_its_alerts_is_written(
    api: Api, change: str, error: str
) -> None:
    status, body = await api.call("POST", HOOK, _broken(change))
    assert (status, body["error"][: len(error)]) == (422, error)
    assert ingest_state(api.db) == (0, 0)


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [
        ("/integrations/alertmanager", 422, "team: name the target in the query"),
        ("/integrations/alertmanager?team=infra&person=arthur", 422, "team: name the target"),
        ("/integrations/alertmanager?team=knights", 404, 'team: no team named "knights"'),
        ("/integrations/alertmanager?person=mordred", 404, "person: no person"),
    ],
)
async def test_the_target_must_be_named_and_known(
    api: Api, path: str, status: int, error: str
) -> None:
    got, body = await api.call("POST", path, fixture_payload(FIRING))
    assert (got, body["error"][: len(error)]) == (status, error)
    assert ingest_state(api.db) == (0, 0)


def test_mapping_severity_summary_and_long_text() -> None:
    payload = fixture_payload(FIRING)
    item = payload["alerts"][0]
    item["labels"]["severity"] = "page"
    del item["annotations"]["summary"]
    item["annotations"]["description"] = "d" * 70_000
    [parsed] = alertmanager.parse(payload)
    assert parsed.severity == "critical"
    assert parsed.summary == "InstanceDown"
    assert len(parsed.details) == 65_536
    item["labels"] = {"severity": "weird"}
    item["annotations"] = {}
    [parsed] = alertmanager.parse(payload)
    assert (parsed.severity, parsed.summary) == ("error", "Alertmanager alert ba09170630e1fe5b")
    with pytest.raises(Invalid, match="body: must be a JSON object"):
        alertmanager.parse([])
