"""Delivery: apprise for people's contacts and email steps, an HTTP POST for webhook steps.

Sends run off the event loop (apprise's own thread pool), and their outcome comes back as a
`Delivery` naming why a failure failed, with any credentials masked.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

import aiohttp
import apprise

from cltui.engine.messages import Message
from cltui.store.apprise_urls import mask


@dataclass(frozen=True)
class Delivery:
    ok: bool
    detail: str = ""


class Notifier(Protocol):
    async def send(self, channel: str, url: str, message: Message) -> Delivery: ...

    async def close(self) -> None: ...


def email_url(base: str, to: str) -> str:
    """An apprise mailto URL from the configured SMTP `base` with the recipient added."""
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}to={quote(to, safe='@')}"


class AppriseNotifier:
    def __init__(self, email_base: str | None = None, timeout: float = 15.0) -> None:
        self.email_base = email_base
        self.timeout = timeout
        self._http: aiohttp.ClientSession | None = None

    async def send(self, channel: str, url: str, message: Message) -> Delivery:
        try:
            if channel == "webhook":
                return await self._post(url, message)
            if channel == "email":
                if not self.email_base:
                    return Delivery(False, "no SMTP server configured ([email] url)")
                return await self._apprise(email_url(self.email_base, url), message)
            return await self._apprise(url, message)
        except Exception as error:  # a delivery problem must never stop the engine
            return Delivery(False, f"{type(error).__name__}: {_scrub(str(error), url)}")

    async def _apprise(self, url: str, message: Message) -> Delivery:
        # Building a sender reads apprise's locale files: off the loop, like the send itself.
        sender = await asyncio.to_thread(_sender, url)
        if sender is None:
            return Delivery(False, f"apprise cannot use {mask(url)}")
        result = await asyncio.wait_for(
            sender.async_notify(
                title=message.title, body=message.body, body_format=apprise.NotifyFormat.TEXT
            ),
            self.timeout,
        )
        if result:
            return Delivery(True)
        reasons = [
            entry.message
            for notified in result
            for entry in notified.logs()
            if entry.level in ("WARNING", "ERROR", "CRITICAL")
        ]
        return Delivery(False, _scrub("; ".join(reasons) or "apprise reported a failure", url))

    async def _post(self, url: str, message: Message) -> Delivery:
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        async with self._http.post(url, json=message.payload) as response:
            if response.status < 300:
                return Delivery(True)
            return Delivery(False, f"HTTP {response.status} {response.reason}")

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None


def _sender(url: str) -> apprise.Apprise | None:
    sender = apprise.Apprise()
    return sender if sender.add(url) else None


def _scrub(text: str, url: str) -> str:
    return text.replace(url, mask(url)) if url else text
