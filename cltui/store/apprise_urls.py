"""Apprise URLs: checked with apprise when saved, and masked wherever they are shown."""

from __future__ import annotations

import re

import apprise

from cltui.domain.errors import Invalid


def validate(url: str, field: str = "url") -> str:
    url = url.strip()
    if not url:
        raise Invalid(field, "must not be empty")
    if "://" not in url:
        raise Invalid(field, f'"{mask(url)}" is not an apprise URL (e.g. mailto://, tgram://)')
    if apprise.Apprise.instantiate(url) is None:
        scheme = url.split("://", 1)[0]
        raise Invalid(field, f'apprise cannot use this "{scheme}://" URL: {mask(url)}')
    return url


def mask(url: str) -> str:
    """The URL with its credentials hidden, as apprise itself shows it."""
    try:
        plugin = apprise.Apprise.instantiate(url)
    except Exception:
        plugin = None
    if plugin is not None:
        return str(plugin.url(privacy=True)).split("?", 1)[0]
    scheme, _, rest = url.partition("://")
    if not rest:
        return "****"
    host = re.sub(r"^[^@/]*@", "****@", rest).split("/", 1)[0].split("?", 1)[0]
    return f"{scheme}://{host}/…"


def mask_http(url: str) -> str:
    """A webhook URL as shown: scheme and host only, since credentials or a token may sit in
    its user part, path or query (`https://hooks.example.com/…`)."""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]
    return f"{scheme}://{host}/…" if host else "****"
