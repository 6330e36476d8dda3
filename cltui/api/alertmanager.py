"""Prometheus Alertmanager's webhook (payload version 4) mapped onto cltui alerts.

One cltui alert per Alertmanager alert, deduplicated by its `fingerprint` (scoped by the
target, so one Alertmanager alert routed to two teams opens one alert for each). The whole
payload is checked before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cltui.domain.errors import Invalid
from cltui.domain.validation import MAX_DETAILS, MAX_SUMMARY

SOURCE = "alertmanager"
FIRING, RESOLVED = "firing", "resolved"

# Alertmanager's severity label is free text; these are the spellings met in practice.
SEVERITY_ALIASES = {
    "critical": "critical",
    "crit": "critical",
    "page": "critical",
    "high": "critical",
    "fatal": "critical",
    "emergency": "critical",
    "error": "error",
    "err": "error",
    "major": "error",
    "warning": "warning",
    "warn": "warning",
    "minor": "warning",
    "medium": "warning",
    "low": "info",
    "info": "info",
    "informational": "info",
    "none": "info",
    "notice": "info",
}


@dataclass(frozen=True)
class AmAlert:
    """One Alertmanager alert, as a cltui alert would record it."""

    status: str
    fingerprint: str
    summary: str
    severity: str
    details: str

    def dedup_key(self, target: str) -> str:
        return f"{SOURCE}:{target}:{self.fingerprint}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _strings(value: Any, field: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Invalid(field, "must be an object of strings")
    return value


def _text(value: Any, field: str, *, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise Invalid(field, "must be a non-empty string" if required else "must be a string")
    return value


def _details(item: dict[str, Any], labels: dict[str, str], notes: dict[str, str]) -> str:
    lines = []
    if notes.get("description"):
        lines += [notes["description"], ""]
    lines.append(f"Alertmanager alert {item['fingerprint']}, since {item.get('startsAt') or '?'}")
    url = item.get("generatorURL")
    if url:
        lines.append(f"Source: {url}")
    if labels:
        lines += ["", "Labels:"] + [f"  {k}={v}" for k, v in sorted(labels.items())]
    others = {k: v for k, v in notes.items() if k not in ("summary", "description")}
    if others:
        lines += ["", "Annotations:"] + [f"  {k}: {v}" for k, v in sorted(others.items())]
    record = {"generatorURL": url or "", "labels": labels, "annotations": notes}
    lines += ["", "Alertmanager: " + json.dumps(record, sort_keys=True, ensure_ascii=False)]
    return _clip("\n".join(lines), MAX_DETAILS)


def severity(labels: dict[str, str]) -> str:
    raw = labels.get("severity", "").strip().lower()
    return SEVERITY_ALIASES.get(raw, "error")


def parse(payload: Any) -> list[AmAlert]:
    """The alerts of a webhook payload; raises Invalid naming the first field that is wrong."""
    if not isinstance(payload, dict):
        raise Invalid("body", "must be a JSON object (an Alertmanager webhook payload)")
    version = payload.get("version")
    if version is not None and version != "4":
        raise Invalid("version", f"{version!r} is not supported; Alertmanager sends version 4")
    items = payload.get("alerts")
    if not isinstance(items, list):
        raise Invalid("alerts", "must be a list")
    parsed = []
    for index, item in enumerate(items):
        where = f"alerts[{index}]"
        if not isinstance(item, dict):
            raise Invalid(where, "must be an object")
        status = item.get("status")
        if status not in (FIRING, RESOLVED):
            raise Invalid(f"{where}.status", f'{status!r} is not "firing" or "resolved"')
        fingerprint = _text(item.get("fingerprint"), f"{where}.fingerprint", required=True)
        if len(fingerprint) > 128:
            raise Invalid(f"{where}.fingerprint", "is longer than 128 characters")
        labels = _strings(item.get("labels"), f"{where}.labels")
        notes = _strings(item.get("annotations"), f"{where}.annotations")
        for key in ("generatorURL", "startsAt", "endsAt"):
            _text(item.get(key), f"{where}.{key}")
        summary = (notes.get("summary") or "").strip() or (labels.get("alertname") or "").strip()
        if not summary:
            summary = f"Alertmanager alert {fingerprint}"
        parsed.append(
            AmAlert(
                status=status,
                fingerprint=fingerprint,
                summary=_clip(" ".join(summary.split()), MAX_SUMMARY),
                severity=severity(labels),
                details=_details(item, labels, notes),
            )
        )
    return parsed
