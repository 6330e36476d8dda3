"""End to end: an alert posted over HTTP pages a person through apprise into a local sink;
the ack link in the message they received is followed, and the pages stop."""

from __future__ import annotations

from datetime import timedelta

from cltui.store import alerts
from tests.api.conftest import Api
from tests.api.test_links import follow, link_in
from tests.sinks import Received


async def test_post_page_follow_the_link_and_the_pages_stop(api: Api) -> None:
    status, body = await api.call(
        "POST", "/alerts", {"summary": "castle on fire", "team": "kings", "severity": "critical"}
    )
    assert status == 201
    number = body["number"]

    def to_arthur(received: list[Received]) -> list[Received]:
        return [r for r in received if r.path == "/arthur"]

    [first] = to_arthur(await api.sink.await_for(lambda r: len(to_arthur(r)) == 1, 10))
    assert first.json is not None
    assert first.json["title"] == f"[cltui #{number}] CRITICAL: castle on fire"
    # Arthur's plan repeats every minute until someone acknowledges.
    api.clock.advance(timedelta(seconds=60))
    await api.sink.await_for(lambda r: len(to_arthur(r)) == 2, 10)

    status, page = await follow(api, link_in(first))
    assert status == 200 and "acknowledged by arthur" in page
    alert = alerts.get(api.db, number)
    assert (alert.status, alert.acked_by, alert.paging, alert.next_at) == (
        "acknowledged",
        "arthur",
        (),
        None,
    )
    sent = len(api.sink.received)
    # An hour later: no repeat for arthur, no escalation to lancelot.
    api.clock.advance(timedelta(hours=1))
    await api.engine.run_once()
    assert len(api.sink.received) == sent
    kinds = [e.kind for e in alerts.timeline(api.db, number)]
    assert kinds.count("acknowledged") == 1 and "escalated" in kinds
