"""Acknowledgement by link: the link in a page acknowledges as the person paged; forged,
altered, expired and other-alert links change nothing, and every page says why."""

from __future__ import annotations

import base64
import json
import re
import stat
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from cltui.api.links import SECRET_FILE, AckLinks, load_secret
from cltui.api.server import start_api
from cltui.store import alerts
from tests.api.conftest import Api
from tests.sinks import Received

LINK = re.compile(r"open (http://\S+/ack/(\S+))")


def link_in(message: Received) -> str:
    assert message.json is not None
    found = LINK.search(message.json["message"])
    assert found, message.json["message"]
    return found.group(1)


async def paged_link(api: Api, person: str = "arthur") -> str:
    got = await api.sink.await_for(lambda r: any(m.path == f"/{person}" for m in r), 10)
    return link_in(next(m for m in got if m.path == f"/{person}"))


async def follow(api: Api, link: str) -> tuple[int, str]:
    async with api.http.get(link) as response:
        assert response.content_type == "text/html"
        return response.status, await response.text()


async def raise_for(api: Api, person: str = "arthur", key: str | None = None) -> int:
    status, body = await api.call(
        "POST", "/alerts", {"summary": "moat overflowing", "person": person, "dedup_key": key}
    )
    assert status == 201
    return int(body["number"])


def _parts(link: str) -> tuple[str, dict[str, object], str]:
    base, token = link.rsplit("/", 1)
    body, mac = token.split(".")
    claim = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return base, claim, mac


def _encode(claim: dict[str, object]) -> str:
    raw = json.dumps(claim, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


async def test_the_link_in_a_page_acknowledges_as_the_person_paged(api: Api) -> None:
    number = await raise_for(api)
    link = await paged_link(api)
    assert link.startswith(f"{api.url}/ack/")
    status, page = await follow(api, link)
    assert status == 200
    assert f"Alert #{number} (moat overflowing) is acknowledged by arthur" in page
    alert = alerts.get(api.db, number)
    assert (alert.status, alert.acked_by) == ("acknowledged", "arthur")
    status, page = await follow(api, link)
    assert status == 409
    assert "already acknowledged by arthur at 09:00 UTC" in page


async def test_a_link_for_an_alert_acknowledged_or_resolved_by_someone_else(api: Api) -> None:
    number = await raise_for(api)
    link = await paged_link(api)
    await api.call("POST", f"/alerts/{number}/ack", {"by": "merlin"})
    status, page = await follow(api, link)
    assert status == 409 and "already acknowledged by merlin" in page
    await api.call("POST", f"/alerts/{number}/resolve", {"by": "merlin"})
    status, page = await follow(api, link)
    assert status == 409 and "already resolved by merlin" in page
    assert alerts.get(api.db, number).acked_by == "merlin"


async def test_an_expired_link_says_so_and_changes_nothing(api: Api) -> None:
    number = await raise_for(api)
    link = await paged_link(api)
    api.clock.advance(timedelta(days=1))
    status, page = await follow(api, link)
    assert status == 410
    assert "has expired" in page and "Nothing was changed" in page
    assert alerts.get(api.db, number).status == "triggered"


async def test_forged_and_altered_links_are_refused(api: Api) -> None:
    first = await raise_for(api, key="one")
    link = await paged_link(api)
    second = await raise_for(api, key="two")
    base, claim, mac = _parts(link)
    other = alerts.get(api.db, second)
    forgeries = {
        "altered signature": f"{base}/{_encode(claim)}.{mac[:-2]}AA",
        "other alert, same signature": f"{base}/{_encode({**claim, 'a': second})}.{mac}",
        "other alert and uuid": f"{base}/{_encode({**claim, 'a': second, 'u': other.uuid})}.{mac}",
        "other person": f"{base}/{_encode({**claim, 'p': 'lancelot'})}.{mac}",
        "later expiry": f"{base}/{_encode({**claim, 'e': int(claim['e']) + 10**6})}.{mac}",  # type: ignore[call-overload]
        "another secret": AckLinks(b"k" * 32, api.url, clock=api.clock).url(other, "arthur"),
        "no signature": f"{base}/{_encode(claim)}",
        "garbage": f"{base}/%%%.%%%",
    }
    for what, forged in forgeries.items():
        status, page = await follow(api, forged)
        assert status == 403, what
        assert "not a valid acknowledgement link" in page, what
    # A correctly signed link names one alert: its UUID must match that alert's.
    signed = api.server.links.sign(second, alerts.get(api.db, first).uuid, "arthur")
    status, page = await follow(api, f"{base}/{signed}")
    assert status == 403 and "made for a different alert" in page
    assert [a.status for a in alerts.list_alerts(api.db)] == ["triggered", "triggered"]


async def test_a_head_request_does_not_acknowledge(api: Api) -> None:
    number = await raise_for(api)
    link = await paged_link(api)
    async with api.http.head(link) as response:
        assert response.status == 405
    assert alerts.get(api.db, number).status == "triggered"


async def test_a_link_for_an_alert_that_does_not_exist(api: Api) -> None:
    signed = api.server.links.sign(42, "3dd5ce7a-559f-48aa-b26c-c748c5315803", "arthur")
    status, page = await follow(api, f"{api.url}/ack/{signed}")
    assert status == 404 and "Alert #42 no longer exists" in page


def test_the_secret_is_private_and_kept_across_restarts(tmp_path: Path) -> None:
    secret = load_secret(tmp_path / "data")
    path = tmp_path / "data" / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_secret(tmp_path / "data") == secret and len(secret) == 32
    path.chmod(0o644)
    load_secret(tmp_path / "data")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_links_point_at_the_configured_base_url(api: Api) -> None:
    settings = replace(api.settings, base_url="https://oncall.example.com/")
    server = await start_api(api.engine, settings, listen="127.0.0.1:0")
    try:
        assert server.links.base_url == "https://oncall.example.com"
        # Both servers share the data dir's secret: a link from one works on the other.
        token = server.links.sign(1, "u", "arthur")
        assert api.server.links.verify(token).person == "arthur"
    finally:
        await server.stop()
