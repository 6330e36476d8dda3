"""Run the HTTP API on the engine's event loop: bind host:port, serve, stop.

`start_api(engine, settings)` is what `cltui serve` and the console call. It binds first,
so that with port 0 (tests) the ack links in messages name the port actually bound.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web

from cltui.api.app import MAX_BODY, make_app
from cltui.api.links import DEFAULT_TTL, AckLinks, load_secret
from cltui.config import Settings
from cltui.engine.clock import Clock
from cltui.engine.runner import Engine

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"


def parse_listen(listen: str) -> tuple[str, int]:
    """`HOST:PORT`, `[IPv6]:PORT`, `:PORT` (127.0.0.1) or `PORT` into a host and a port."""
    text = listen.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":")
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    elif text.isdigit():
        host, port_text = "", text
    else:
        raise ValueError(f'listen: "{listen}" is not HOST:PORT')
    if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise ValueError(f'listen: "{listen}" has no valid port (0-65535)')
    return host or DEFAULT_HOST, int(port_text)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@dataclass
class ApiServer:
    """A running API server; `stop()` closes it."""

    runner: web.AppRunner
    host: str
    port: int
    links: AckLinks

    @property
    def url(self) -> str:
        return f"http://{_url_host(self.host)}:{self.port}"

    async def stop(self) -> None:
        await self.runner.cleanup()


@dataclass
class PreparedApi:
    """The listening socket is bound and the ack links are ready, before the engine starts,
    so that even the first page the engine sends carries a link (`links.url`)."""

    sock: socket.socket
    host: str
    port: int
    links: AckLinks
    max_body: int = MAX_BODY

    async def start(self, engine: Engine) -> ApiServer:
        app = make_app(engine, self.links, max_body=self.max_body)
        # A refused oversized body is drained for at most a second before the connection closes.
        # No access log: ack links carry tokens in their paths.
        runner = web.AppRunner(app, handle_signals=False, lingering_time=1.0, access_log=None)
        await runner.setup()
        try:
            await web.SockSite(runner, self.sock).start()
        except BaseException:
            await runner.cleanup()
            self.close()
            raise
        server = ApiServer(runner, self.host, self.port, self.links)
        log.info("HTTP API on %s (ack links: %s/ack/...)", server.url, self.links.base_url)
        return server

    def close(self) -> None:
        """Release the socket of an API that will not be started."""
        self.sock.close()


def prepare_api(
    settings: Settings,
    *,
    listen: str | None = None,
    clock: Clock | None = None,
    link_ttl: timedelta = DEFAULT_TTL,
    max_body: int = MAX_BODY,
) -> PreparedApi:
    """Bind `listen` (default: the settings' `api.listen`) and load the link secret.

    Raises ValueError for a listen address that does not parse, OSError naming the address
    when it cannot be bound.
    """
    host, port = parse_listen(listen or settings.listen)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise OSError(error.errno, f"cannot listen on {host}:{port}: {error.strerror}") from None
    try:
        port = sock.getsockname()[1]
        if not settings.base_url and host in ("0.0.0.0", "::"):
            log.warning("listening on %s without api.base_url: ack links will not work", host)
        base_url = settings.base_url or f"http://{_url_host(host)}:{port}"
        links = AckLinks(load_secret(settings.data_dir), base_url, clock=clock, ttl=link_ttl)
    except BaseException:
        sock.close()
        raise
    return PreparedApi(sock, host, port, links, max_body)


async def start_api(
    engine: Engine,
    settings: Settings,
    *,
    listen: str | None = None,
    link_ttl: timedelta = DEFAULT_TTL,
    max_body: int = MAX_BODY,
) -> ApiServer:
    """Serve the API for `engine` on `listen`; its pages get links if they had none."""
    prepared = prepare_api(
        settings, listen=listen, clock=engine.clock, link_ttl=link_ttl, max_body=max_body
    )
    return await prepared.start(engine)
