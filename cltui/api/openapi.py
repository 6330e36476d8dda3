"""The OpenAPI 3.1 document for `/api/v1`, served at `/api/v1/openapi.json`.

Tests check that its paths and methods are exactly the application's routes.
"""

from __future__ import annotations

from typing import Any

from cltui.domain.validation import SEVERITIES

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Schema]:
    words = {
        400: "Malformed JSON or an empty body",
        401: "Missing, wrong or revoked bearer token",
        404: "Unknown alert, team or person",
        409: "Not allowed in the alert's current state (e.g. acknowledging a resolved alert)",
        413: "Body larger than the limit (default 4 MiB)",
        422: "A field is missing, of the wrong type or not valid",
    }
    return {str(s): _json(_ref("Error"), words[s]) for s in (401, *statuses)}


ALERT_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": "The alert's number or UUID",
    "schema": {"type": "string"},
}

BY_BODY = {
    "required": False,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "by": {"type": "string", "description": "Who acts; default: the token's name"}
                },
            }
        }
    },
}

NOTIFY_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["content"],
                "additionalProperties": False,
                "properties": {"content": {"type": "string", "minLength": 1}},
            }
        }
    },
}


def _action(summary: str, operation: str, done: str) -> Schema:
    """`POST /alerts/{id}/<action>`: acknowledge, resolve, escalate."""
    return {
        "post": {
            "summary": summary,
            "operationId": operation,
            "parameters": [ALERT_ID],
            "requestBody": BY_BODY,
            "responses": {
                "200": _json(_ref("Alert"), done),
                **_errors(400, 404, 409, 413, 422),
            },
        }
    }


def _notify(what: str, name: str) -> Schema:
    return {
        "post": {
            "summary": f"Chicken Little's notify: raise an alert for a {what}",
            "operationId": f"notify_{what}",
            "parameters": [
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "requestBody": NOTIFY_BODY,
            "responses": {
                "201": _json(_ref("Alert"), "The new alert (with `content` echoed)"),
                **_errors(400, 404, 413, 422),
            },
        }
    }


def document() -> Schema:
    alert_in: Schema = {
        "type": "object",
        "required": ["summary"],
        "additionalProperties": False,
        "description": "Name exactly one of `team` and `person`.",
        "properties": {
            "summary": {"type": "string", "minLength": 1, "maxLength": 500},
            "team": {"type": "string"},
            "person": {"type": "string"},
            "severity": {"type": "string", "enum": list(SEVERITIES), "default": "error"},
            "details": {"oneOf": [{"type": "string"}, {"type": "object"}, {"type": "array"}]},
            "source": {"type": "string", "maxLength": 200},
            "dedup_key": {"type": ["string", "null"], "maxLength": 255},
        },
    }
    alert: Schema = {
        "type": "object",
        "required": ["number", "uuid", "status", "severity", "summary", "created_at"],
        "properties": {
            "number": {"type": "integer"},
            "uuid": {"type": "string", "format": "uuid"},
            "status": {"type": "string", "enum": ["triggered", "acknowledged", "resolved"]},
            "severity": {"type": "string", "enum": list(SEVERITIES)},
            "team": {"type": ["string", "null"]},
            "person": {"type": ["string", "null"]},
            "summary": {"type": "string"},
            "details": {"type": "string"},
            "source": {"type": "string"},
            "dedup_key": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "acked_by": {"type": ["string", "null"]},
            "acked_at": {"type": ["string", "null"], "format": "date-time"},
            "resolved_by": {"type": ["string", "null"]},
            "resolved_at": {"type": ["string", "null"], "format": "date-time"},
            "duplicates": {"type": "integer"},
            "exhausted": {"type": "boolean"},
            "paging": {"type": "array", "items": {"type": "string"}},
            "escalation": {
                "type": "object",
                "description": "The escalation step that ran last (from 1) of `steps`, in"
                " which loop of the plan (from 1); null before the first step",
                "properties": {
                    "steps": {"type": "integer"},
                    "last_step": {"type": ["integer", "null"]},
                    "loop": {"type": ["integer", "null"]},
                },
            },
            "next_at": {"type": ["string", "null"], "format": "date-time"},
        },
    }
    event: Schema = {
        "type": "object",
        "properties": {
            "at": {"type": "string", "format": "date-time"},
            "kind": {"type": "string"},
            "actor": {"type": "string"},
            "detail": {"type": "string"},
        },
    }
    am_payload: Schema = {
        "type": "object",
        "required": ["alerts"],
        "description": "Alertmanager's webhook payload, version 4",
        "properties": {
            "version": {"const": "4"},
            "status": {"type": "string"},
            "alerts": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["status", "fingerprint"],
                    "properties": {
                        "status": {"enum": ["firing", "resolved"]},
                        "fingerprint": {"type": "string"},
                        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                        "annotations": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                        },
                        "generatorURL": {"type": "string"},
                        "startsAt": {"type": "string"},
                        "endsAt": {"type": "string"},
                    },
                },
            },
        },
    }
    am_result: Schema = {
        "type": "object",
        "properties": {
            "created": {"type": "array", "items": {"type": "integer"}},
            "deduplicated": {"type": "array", "items": {"type": "integer"}},
            "resolved": {"type": "array", "items": {"type": "integer"}},
            "unmatched": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Fingerprints of resolved alerts with no open cltui alert",
            },
        },
    }
    with_events = {
        "allOf": [
            _ref("Alert"),
            {"type": "object", "properties": {"events": {"type": "array", "items": _ref("Event")}}},
        ]
    }
    paths: Schema = {
        "/alerts": {
            "post": {
                "summary": "Raise an alert for a team or a person",
                "operationId": "raise_alert",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("AlertIn")}},
                },
                "responses": {
                    "201": _json(_ref("Alert"), "A new alert (`deduplicated`: false)"),
                    "200": _json(
                        _ref("Alert"),
                        "An open alert with the same dedup key took it as a duplicate",
                    ),
                    **_errors(400, 404, 413, 422),
                },
            },
            "get": {
                "summary": "List alerts, newest first",
                "operationId": "list_alerts",
                "parameters": [
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"enum": ["open", "triggered", "acknowledged", "resolved"]},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
                    },
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {"alerts": {"type": "array", "items": _ref("Alert")}},
                        },
                        "The alerts",
                    ),
                    **_errors(422),
                },
            },
        },
        "/alerts/{id}": {
            "get": {
                "summary": "One alert with its timeline",
                "operationId": "get_alert",
                "parameters": [ALERT_ID],
                "responses": {
                    "200": _json(with_events, "The alert and its events"),
                    **_errors(404),
                },
            }
        },
        "/alerts/{id}/ack": _action(
            "Acknowledge a triggered alert, stopping its pages", "acknowledge", "Acknowledged"
        ),
        "/alerts/{id}/resolve": _action(
            "Resolve an alert, stopping its pages", "resolve", "Resolved"
        ),
        "/alerts/{id}/escalate": _action(
            "Run a triggered alert's next escalation step now", "escalate", "Escalated"
        ),
        "/people/{handle}/notify": _notify("person", "handle"),
        "/teams/{name}/notify": _notify("team", "name"),
        "/notifications/{uuid}": {
            "delete": {
                "summary": "Chicken Little's stop: acknowledge the alert with this UUID",
                "operationId": "stop_notification",
                "parameters": [
                    {
                        "name": "uuid",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "format": "uuid"},
                    }
                ],
                "responses": {
                    "200": _json(
                        _ref("Alert"),
                        "The alert; `stopped` says whether this call acknowledged it",
                    ),
                    **_errors(404),
                },
            }
        },
        "/integrations/alertmanager": {
            "post": {
                "summary": "Prometheus Alertmanager webhook receiver",
                "operationId": "alertmanager_webhook",
                "parameters": [
                    {"name": "team", "in": "query", "schema": {"type": "string"}},
                    {"name": "person", "in": "query", "schema": {"type": "string"}},
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("AlertmanagerPayload")}},
                },
                "responses": {
                    "200": _json(_ref("AlertmanagerResult"), "What each alert became"),
                    **_errors(400, 404, 413, 422),
                },
            }
        },
        "/healthz": {
            "get": {
                "summary": "The server, its database and its engine",
                "operationId": "health",
                "responses": {
                    "200": _json({"type": "object"}, "Healthy"),
                    "503": _json({"type": "object"}, "The database is not answering"),
                    **_errors(),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "operationId": "openapi",
                "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1"), **_errors()},
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "cltui",
            "version": "1",
            "description": "Alert ingest, Alertmanager webhook and acknowledgement for cltui. "
            "Acknowledgement links in messages (`GET /ack/{token}`) are outside this API: "
            "the signed token is their authorisation.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `cltui token create NAME`",
                }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {"type": "string", "description": "`<field>: <what is wrong>`"}
                    },
                },
                "AlertIn": alert_in,
                "Alert": alert,
                "Event": event,
                "AlertmanagerPayload": am_payload,
                "AlertmanagerResult": am_result,
            },
        },
    }
