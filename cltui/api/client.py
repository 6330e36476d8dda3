"""A small blocking client of the HTTP API, for `cltui alert/ack/resolve --url --token`.

Refusals come back as `RemoteError` (a `Refused`), carrying the server's own message, so
the command line reports them exactly as it reports a local refusal.
"""

from __future__ import annotations

import argparse
import json
import os
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import quote

from cltui.domain.errors import Refused

TIMEOUT = 30.0


class RemoteError(Refused):
    """The server refused the request, or could not be reached; the message says which."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ApiClient:
    def __init__(self, url: str, token: str, *, timeout: float = TIMEOUT) -> None:
        url = url.rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise RemoteError(f'url: "{url}" is not an http:// or https:// URL')
        if not token:
            raise RemoteError("token: needed with --url (--token or CLTUI_TOKEN)")
        self.base = url if url.endswith("/api/v1") else url + "/api/v1"
        self.token = token
        self.timeout = timeout

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            try:
                message = json.loads(error.read())["error"]
            except (ValueError, KeyError, TypeError):
                message = f"HTTP {error.code} {error.reason}"
            raise RemoteError(f"{message} (HTTP {error.code})", error.code) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise RemoteError(f"cannot reach {self.base}: {reason}") from None
        except ValueError:
            raise RemoteError(f"{self.base}: the answer is not JSON") from None

    def raise_alert(self, summary: str, **fields: Any) -> tuple[dict[str, Any], bool]:
        body = {"summary": summary, **{k: v for k, v in fields.items() if v is not None}}
        status, answer = self.request("POST", "/alerts", body)
        return answer, status == 201

    def act(self, number: int, action: str, by: str) -> dict[str, Any]:
        """`ack`, `resolve` or `escalate` alert `number` as `by`."""
        return self.request("POST", f"/alerts/{number}/{action}", {"by": by})[1]

    def get(self, number: int | str) -> dict[str, Any]:
        return self.request("GET", f"/alerts/{quote(str(number), safe='')}")[1]


def run_remote(command: str, args: Any, operator: str) -> str:
    """Run `alert`, `ack`, `resolve` or `escalate` against the server at `args.url`; the
    line to print (the same words as the local command)."""
    client = ApiClient(args.url, args.token or "")
    if command == "alert":
        alert, created = client.raise_alert(
            args.summary,
            team=args.team,
            person=args.person,
            severity=args.severity,
            details=args.details,
            dedup_key=args.dedup_key,
            source="cli",
        )
        return raised_line(
            alert["number"], created, alert["duplicates"], alert["summary"], alert["uuid"]
        )
    if command not in DONE:
        raise RemoteError(f"{command}: not available with --url")
    by = args.by or operator
    alert = client.act(args.number, command, by)
    return action_line(alert["number"], command, by, alert["summary"])


# What each alert action is called once done, for the line the CLI prints.
DONE = {"ack": "acknowledged", "resolve": "resolved", "escalate": "escalated"}


def raised_line(number: int, created: bool, duplicates: int, summary: str, uuid: str) -> str:
    verb = "raised" if created else f"deduplicated into (seen {duplicates + 1} times)"
    return f"alert {number} {verb}: {summary} [{uuid}]"


def action_line(number: int, action: str, by: str, summary: str) -> str:
    return f"alert {number} {DONE[action]} by {by}: {summary}"


def add_remote_options(parser: argparse.ArgumentParser) -> None:
    """`--url` and `--token` on a command that can run against a remote server."""
    parser.add_argument(
        "--url", metavar="URL", help="act through the HTTP API at URL instead of the database"
    )
    parser.add_argument(
        "--token",
        metavar="TOKEN",
        default=os.environ.get("CLTUI_TOKEN"),
        help="API token for --url (default: $CLTUI_TOKEN)",
    )
