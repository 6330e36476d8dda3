"""What a page says: the alert number, summary, details and how to acknowledge it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cltui.store.alerts import AlertView

# Given an alert and the handle of the person paged, the URL that acknowledges it as them.
AckLink = Callable[[AlertView, str], str | None]


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    payload: dict[str, object]


def compose(alert: AlertView, person: str | None, ack_link: AckLink | None = None) -> Message:
    title = f"[cltui #{alert.number}] {alert.severity.upper()}: {alert.summary}"
    target = f"team {alert.team}" if alert.team else f"{alert.person}"
    lines = [f"Alert #{alert.number} for {target}: {alert.summary}", f"Severity: {alert.severity}"]
    if alert.details:
        lines += ["", alert.details]
    lines += ["", "To acknowledge:"]
    link = ack_link(alert, person) if (ack_link and person) else None
    if link:
        lines.append(f"  open {link}")
    lines.append(f"  run `cltui ack {alert.number}`, or press `a` on alert #{alert.number}")
    payload = {
        "alert": alert.as_json(),
        "title": title,
        "message": "\n".join(lines),
        "ack_url": link,
    }
    return Message(title, "\n".join(lines), payload)
