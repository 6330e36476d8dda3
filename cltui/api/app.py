"""The aiohttp application: JSON endpoints under `/api/v1`, the ack-link page, health.

Every change goes through the engine, so it reaches the bus at once; every write is
committed by the store before its 2xx answer is sent. Client input never causes a 5xx:
each problem is a 4xx with `{"error": "<field>: <what is wrong>"}`.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from cltui.api import alertmanager, openapi
from cltui.api.links import AckLinks, BadLink, ExpiredLink
from cltui.domain.errors import Invalid, NotFound, Refused
from cltui.engine.runner import Engine
from cltui.store import alerts, roster, tokens
from cltui.store.alerts import AlertView

log = logging.getLogger(__name__)

API = "/api/v1"
MAX_BODY = 4 * 1024 * 1024
MAX_LIST = 1000
UUID_PATTERN = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ApiError(Exception):
    """A client error with its HTTP status; the message names the field."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Context:
    engine: Engine
    links: AckLinks
    max_body: int


CONTEXT = web.AppKey("cltui_context", Context)
TOKEN_NAME = web.RequestKey("cltui_token_name", str)


def _context(request: web.Request) -> Context:
    return request.app[CONTEXT]


def error_response(status: int, message: str) -> web.Response:
    response = web.json_response({"error": message}, status=status)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="cltui"'
    if status == 413:
        # The rest of the body is not read: close rather than drain it to keep the connection.
        response.force_close()
    return response


# ---------------------------------------------------------------- middlewares


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as error:
        return error_response(error.status, error.message)
    except Invalid as error:
        return error_response(422, str(error))
    except NotFound as error:
        return error_response(404, str(error))
    except Refused as error:
        return error_response(409, str(error))
    except web.HTTPException as error:
        if error.status < 400 or not request.path.startswith(API):
            raise
        what = f"{request.method} {request.path}"
        if error.status == 404:
            return error_response(404, f"path: no such endpoint {what}")
        if error.status == 405:
            allowed = ", ".join(sorted(getattr(error, "allowed_methods", ()) or ()))
            return error_response(405, f"method: {what} is not allowed (allowed: {allowed})")
        return error_response(error.status, f"request: {error.reason}")
    except Exception:
        log.exception("%s %s failed", request.method, request.path)
        return error_response(500, "server: an internal error; see the server log")


@web.middleware
async def _auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not (request.path == API or request.path.startswith(API + "/")):
        return await handler(request)
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise ApiError(401, "authorization: missing; send Authorization: Bearer <token>")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "authorization: not a bearer token; send Authorization: Bearer <token>")
    name = await asyncio.to_thread(tokens.verify, _context(request).engine.db, token.strip())
    if name is None:
        raise ApiError(401, "authorization: the token is not valid (unknown or revoked)")
    request[TOKEN_NAME] = name
    return await handler(request)


# ---------------------------------------------------------------- input


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string"}.get(
        type(value), "an array" if isinstance(value, list) else "an object"
    )


def _check_text(value: Any) -> None:
    """Refuse strings no database stores faithfully: lone surrogates and NUL characters."""
    stack: list[tuple[str, Any]] = [("body", value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                path = key if where == "body" else f"{where}.{key}"
                stack += [(path, key), (path, inner)]
        elif isinstance(item, list):
            stack += [(f"{where}[{i}]", inner) for i, inner in enumerate(item)]
        elif isinstance(item, str):
            if "\x00" in item:
                raise Invalid(where, "must not contain NUL characters")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise Invalid(where, "contains text that is not valid Unicode") from None


async def read_json(request: web.Request, *, optional: bool = False) -> Any:
    """The request's JSON body, read up to the size limit."""
    limit = _context(request).max_body
    too_big = ApiError(413, f"body: larger than the limit of {limit} bytes")
    if request.content_length is not None and request.content_length > limit:
        raise too_big
    data = bytearray()
    async for chunk in request.content.iter_chunked(64 * 1024):
        data += chunk
        if len(data) > limit:
            raise too_big
    if not data.strip():
        if optional:
            return {}
        raise ApiError(400, "body: empty; send a JSON object")
    try:
        value = json.loads(bytes(data))
    except RecursionError:
        raise ApiError(400, "body: JSON nested too deeply") from None
    except ValueError as error:
        raise ApiError(400, f"body: not valid JSON ({error})") from None
    _check_text(value)
    return value


def _object(value: Any, known: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid("body", f"must be a JSON object, not {_json_type(value)}")
    unknown = sorted(k for k in value if k not in known)
    if unknown:
        raise Invalid(unknown[0], f"unknown field (known: {', '.join(known)})")
    return value


def _string(body: dict[str, Any], key: str, *, required: bool = False) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            raise Invalid(key, "is required")
        return None
    if not isinstance(value, str):
        raise Invalid(key, f"must be a string, not {_json_type(value)}")
    return value


def _details(body: dict[str, Any]) -> str:
    value = body.get("details")
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)
    raise Invalid("details", f"must be a string or an object, not {_json_type(value)}")


async def _alert_number(request: web.Request) -> int:
    ident = request.match_info["id"]
    if ident.isascii() and ident.isdigit() and len(ident) <= 18:
        return int(ident)
    if UUID_PATTERN.fullmatch(ident):
        return await asyncio.to_thread(
            alerts.number_for_uuid, _context(request).engine.db, ident.lower()
        )
    raise NotFound(f'alert: "{ident}" is not an alert number or UUID')


def _actor(request: web.Request, body: dict[str, Any]) -> str:
    by = _string(body, "by")
    return request[TOKEN_NAME] if by is None else by


def _alert_response(view: AlertView, status: int = 200, **extra: Any) -> web.Response:
    return web.json_response({**view.as_json(), **extra}, status=status)


# ---------------------------------------------------------------- handlers

ALERT_FIELDS = ("summary", "team", "person", "severity", "details", "source", "dedup_key")


async def post_alert(request: web.Request) -> web.Response:
    body = _object(await read_json(request), ALERT_FIELDS)
    summary = _string(body, "summary", required=True) or ""
    team, person = _string(body, "team"), _string(body, "person")
    severity = _string(body, "severity") or "error"
    source = _string(body, "source") or request[TOKEN_NAME]
    dedup_key = _string(body, "dedup_key")
    details = _details(body)
    view, new = await _context(request).engine.raise_alert(
        summary,
        team=team,
        person=person,
        severity=severity,
        details=details,
        source=source,
        dedup_key=dedup_key,
        actor=request[TOKEN_NAME],
    )
    return _alert_response(view, 201 if new else 200, deduplicated=not new)


async def _notify(request: web.Request, *, team: str | None, person: str | None) -> web.Response:
    body = _object(await read_json(request), ("content",))
    content = _string(body, "content", required=True) or ""
    lines = [line.strip() for line in content.splitlines() if line.strip()]
    if not lines:
        raise Invalid("content", "must not be empty")
    summary = lines[0]
    if len(summary) > 500:
        summary = summary[:499] + "…"
    details = content if content.strip() != summary else ""
    view, _new = await _context(request).engine.raise_alert(
        summary,
        team=team,
        person=person,
        details=details,
        source=request[TOKEN_NAME],
        actor=request[TOKEN_NAME],
    )
    return _alert_response(view, 201, content=content)


async def notify_person(request: web.Request) -> web.Response:
    handle = request.match_info["handle"]
    await asyncio.to_thread(_known_person, _context(request), handle)
    return await _notify(request, team=None, person=handle)


async def notify_team(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    await asyncio.to_thread(_known_team, _context(request), name)
    return await _notify(request, team=name, person=None)


def _known_person(context: Context, handle: str) -> None:
    roster.person(context.engine.db, handle)


def _known_team(context: Context, name: str) -> None:
    roster.team(context.engine.db, name)


async def post_alertmanager(request: web.Request) -> web.Response:
    context = _context(request)
    team = request.query.get("team") or None
    person = request.query.get("person") or None
    if (team is None) == (person is None):
        raise Invalid("team", "name the target in the query: ?team=NAME (or ?person=HANDLE)")
    if team is not None:
        await asyncio.to_thread(_known_team, context, team)
    else:
        await asyncio.to_thread(_known_person, context, person or "")
    items = alertmanager.parse(await read_json(request))
    target = team or person or ""
    created: list[int] = []
    deduplicated: list[int] = []
    resolved: list[int] = []
    unmatched: list[str] = []
    engine = context.engine
    for item in items:
        key = item.dedup_key(target)
        if item.status == alertmanager.RESOLVED:
            view = await asyncio.to_thread(
                alerts.resolve_by_dedup_key,
                engine.db,
                engine.clock.now(),
                key,
                alertmanager.SOURCE,
            )
            engine.wake()
            if view is None:
                unmatched.append(item.fingerprint)
            else:
                resolved.append(view.number)
            continue
        view, new = await engine.raise_alert(
            item.summary,
            team=team,
            person=person,
            severity=item.severity,
            details=item.details,
            source=alertmanager.SOURCE,
            dedup_key=key,
            actor=alertmanager.SOURCE,
        )
        (created if new else deduplicated).append(view.number)
    return web.json_response(
        {
            "created": created,
            "deduplicated": deduplicated,
            "resolved": resolved,
            "unmatched": unmatched,
        }
    )


def _alert_action(act: Callable[[Engine], Callable[[int, str], Awaitable[AlertView]]]) -> Handler:
    """A handler for `POST /alerts/{id}/<action>` with an optional `{"by": NAME}` body."""

    async def handle(request: web.Request) -> web.Response:
        number = await _alert_number(request)
        body = _object(await read_json(request, optional=True), ("by",))
        view = await act(_context(request).engine)(number, _actor(request, body))
        return _alert_response(view)

    return handle


ack_alert = _alert_action(lambda engine: engine.acknowledge)
resolve_alert = _alert_action(lambda engine: engine.resolve)
escalate_alert = _alert_action(lambda engine: engine.escalate_now)


async def stop_notification(request: web.Request) -> web.Response:
    """Chicken Little's stop: acknowledge the alert with this UUID; idempotent."""
    ident = request.match_info["uuid"]
    if not UUID_PATTERN.fullmatch(ident):
        raise NotFound(f'uuid: "{ident}" is not a notification UUID')
    context = _context(request)
    number = await asyncio.to_thread(alerts.number_for_uuid, context.engine.db, ident.lower())
    try:
        view = await context.engine.acknowledge(number, request[TOKEN_NAME])
    except NotFound:
        raise
    except Refused as refusal:
        view = await asyncio.to_thread(alerts.get, context.engine.db, number)
        return _alert_response(view, stopped=False, detail=str(refusal))
    return _alert_response(view, stopped=True)


async def list_alerts(request: web.Request) -> web.Response:
    status = request.query.get("status") or None
    raw_limit = request.query.get("limit", str(MAX_LIST))
    if not (raw_limit.isascii() and raw_limit.isdigit() and 1 <= int(raw_limit) <= MAX_LIST):
        raise Invalid("limit", f'"{raw_limit}" is not a whole number from 1 to {MAX_LIST}')
    views = await asyncio.to_thread(
        alerts.list_alerts, _context(request).engine.db, status, int(raw_limit)
    )
    return web.json_response({"alerts": [v.as_json() for v in views]})


async def get_alert(request: web.Request) -> web.Response:
    number = await _alert_number(request)
    db = _context(request).engine.db
    view = await asyncio.to_thread(alerts.get, db, number)
    events = await asyncio.to_thread(alerts.timeline, db, number)
    return _alert_response(view, events=[e.as_json() for e in events])


async def health(request: web.Request) -> web.Response:
    engine = _context(request).engine
    try:
        await asyncio.to_thread(alerts.last_event_id, engine.db)
    except Exception as error:
        log.exception("health check: the database is not answering")
        return web.json_response(
            {"status": "failing", "database": type(error).__name__}, status=503
        )
    return web.json_response(
        {"status": "ok", "database": "ok", "engine": "leading" if engine.leading else "standby"}
    )


async def openapi_document(request: web.Request) -> web.Response:
    return web.json_response(openapi.document())


# ---------------------------------------------------------------- ack links


def _page(status: int, title: str, text: str) -> web.Response:
    body = (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head>\n"
        f"<body><h1>{html.escape(title)}</h1>\n<p>{html.escape(text)}</p></body></html>\n"
    )
    response = web.Response(text=body, status=status, content_type="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def ack_by_link(request: web.Request) -> web.Response:
    context = _context(request)
    try:
        claim = context.links.verify(request.match_info["token"])
    except ExpiredLink as expired:
        return _page(
            410,
            "Link expired",
            f"This link to acknowledge alert #{expired.claim.number} has expired "
            f"({expired}). Nothing was changed. Acknowledge from the console or with "
            f"`cltui ack {expired.claim.number}`.",
        )
    except BadLink as bad:
        return _page(403, "Invalid link", f"This is not a valid acknowledgement link: {bad}.")
    db = context.engine.db
    try:
        view = await asyncio.to_thread(alerts.get, db, claim.number)
    except NotFound:
        return _page(404, "Alert not found", f"Alert #{claim.number} no longer exists.")
    if view.uuid != claim.uuid:
        return _page(403, "Invalid link", "This link was made for a different alert.")
    try:
        view = await context.engine.acknowledge(claim.number, claim.person)
    except NotFound:
        return _page(404, "Alert not found", f"Alert #{claim.number} no longer exists.")
    except Refused:
        view = await asyncio.to_thread(alerts.get, db, claim.number)
        if view.status == alerts.ACKNOWLEDGED:
            when = f" at {view.acked_at:%H:%M} UTC" if view.acked_at else ""
            return _page(
                409,
                "Already acknowledged",
                f"Alert #{view.number} ({view.summary}) was already acknowledged by "
                f"{view.acked_by}{when}. Nothing was changed.",
            )
        when = f" at {view.resolved_at:%H:%M} UTC" if view.resolved_at else ""
        return _page(
            409,
            "Already resolved",
            f"Alert #{view.number} ({view.summary}) was already resolved by "
            f"{view.resolved_by}{when}. Nothing was changed.",
        )
    return _page(
        200,
        "Acknowledged",
        f"Alert #{view.number} ({view.summary}) is acknowledged by {claim.person}. "
        "The pages for it have stopped.",
    )


async def root_health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


# ---------------------------------------------------------------- the app


ROUTES: list[tuple[str, str, Handler]] = [
    ("POST", "/alerts", post_alert),
    ("GET", "/alerts", list_alerts),
    ("GET", "/alerts/{id}", get_alert),
    ("POST", "/alerts/{id}/ack", ack_alert),
    ("POST", "/alerts/{id}/resolve", resolve_alert),
    ("POST", "/alerts/{id}/escalate", escalate_alert),
    ("POST", "/people/{handle}/notify", notify_person),
    ("POST", "/teams/{name}/notify", notify_team),
    ("DELETE", "/notifications/{uuid}", stop_notification),
    ("POST", "/integrations/alertmanager", post_alertmanager),
    ("GET", "/healthz", health),
    ("GET", "/openapi.json", openapi_document),
]


def make_app(engine: Engine, links: AckLinks, *, max_body: int = MAX_BODY) -> web.Application:
    """The HTTP application over a (started or not) engine.

    If the engine has no ack-link builder yet, it gets `links.url`, so every page it sends
    carries a link this application accepts.
    """
    if engine.ack_link is None:
        engine.ack_link = links.url
    # aiohttp's own limit stays above ours: read_json answers 413 with a JSON error first.
    app = web.Application(middlewares=[_errors, _auth], client_max_size=max_body + 1024)
    app[CONTEXT] = Context(engine, links, max_body)
    for method, path, handler in ROUTES:
        app.router.add_route(method, API + path, handler)
    app.router.add_get("/ack/{token}", ack_by_link, allow_head=False)
    app.router.add_get("/healthz", root_health)
    return app
