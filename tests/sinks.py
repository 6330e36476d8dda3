"""Local delivery sinks that receive the real notifications apprise sends in tests.

Two sinks, each a real server on 127.0.0.1 running in its own background thread with its
own event loop, so they serve equally well sync tests, tests that drive a subprocess, and
async tests whose code under test makes blocking client calls on the test's loop:

* :class:`HttpSink` -- an aiohttp server that records every request. Point apprise at it
  with ``sink.apprise_url("/path")`` (``json://127.0.0.1:PORT/path``). Paths listed in
  ``sink.fail_paths`` answer HTTP 500, so a test can make a delivery fail.
* :class:`SmtpSink` -- an aiosmtpd server that records every message. Point apprise at
  it with ``sink.apprise_url("oncall@example.com")``
  (``mailto://127.0.0.1:PORT?mode=insecure&from=...&to=...``: plain SMTP, no
  STARTTLS, no AUTH).

Both keep what they received in ``.received`` (a copy, safe to read from any thread) and
offer ``wait_for(predicate, timeout)`` (blocking, on a condition variable) and
``await await_for(predicate, timeout)`` (never blocks the calling loop). Both raise
``TimeoutError`` listing what *was* received when the predicate never holds.

What apprise 2.3's ``json://`` plugin sends, verified against the installed version: a
``POST`` with ``Content-Type: application/json`` and ``User-Agent: Apprise`` whose body is
``{"version": "1.0", "title": <title>, "message": <body>, "attachments": [],
"type": "info"}`` (``type`` is the notify type: info, success, warning or failure).

Fixtures are deliberately not defined here; tests wrap these classes in their own.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import email
import email.policy
import json as jsonlib
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from types import TracebackType
from typing import Any, Generic, Protocol, Self, TypeVar
from urllib.parse import quote, urlencode

from aiohttp import web
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

__all__ = ["HttpSink", "Mail", "Received", "SmtpSink", "free_port"]

HOST = "127.0.0.1"


class _Describable(Protocol):
    def describe(self) -> str: ...


T = TypeVar("T", bound=_Describable)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago.

    The sinks themselves bind a port-0 socket and keep it (no race); this is for callers
    that must name a port before something else binds it, e.g. a subprocess.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _bound_socket(port: int | None) -> socket.socket:
    """A TCP socket bound to 127.0.0.1:``port`` (``None``: kernel's choice), not listening.

    SO_REUSEADDR (what asyncio's ``create_server`` sets too) lets a stopped sink's port be
    bound again at once although its closed connections linger in TIME-WAIT.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port or 0))
    except BaseException:
        sock.close()
        raise
    return sock


async def _drain_accepts(listening: socket.socket) -> None:
    """Stop accepting on ``listening`` and let connections accepted so far attach.

    asyncio accepts a connection in one loop iteration and attaches its transport to the
    server in a task that runs in the next. A server closed in between leaks the accepted
    socket (CPython 3.11: ``AssertionError`` in ``Server._attach``), leaving it in
    CLOSE-WAIT and the port unbindable. So first stop accepting, then yield so those tasks
    run, and only then close the server (which now closes every connection).
    """
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, ValueError, OSError):
        loop.remove_reader(listening)
    for _ in range(3):
        await asyncio.sleep(0)


@dataclass(frozen=True)
class Received:
    """One HTTP request as the :class:`HttpSink` saw it.

    ``headers`` keeps the header names as the client spelled them (a plain dict, so
    lookups are case-sensitive; apprise sends ``Content-Type`` and ``User-Agent``).
    ``json`` is the decoded body when it is valid JSON, else ``None``. ``status`` is what
    the sink answered (500 for ``fail_paths``). ``at`` is ``time.monotonic()``.
    """

    path: str
    method: str
    headers: dict[str, str]
    body: bytes
    json: Any | None
    at: float
    query: str = ""
    status: int = 200

    def describe(self) -> str:
        shown = jsonlib.dumps(self.json) if self.json is not None else repr(self.body[:200])
        return f"{self.method} {self.path} -> {self.status} {shown}"


@dataclass(frozen=True)
class Mail:
    """One message as the :class:`SmtpSink` saw it.

    ``mail_from``/``rcpt_tos`` are the SMTP envelope. ``subject`` is the decoded Subject
    header. ``body`` is the decoded ``text/plain`` part with line breaks normalised to
    ``\\n`` and trailing ones stripped (SMTP adds CRLFs). Note what that part holds:

    * ``notify(body_format=NotifyFormat.TEXT)`` or ``?format=text`` in the URL: apprise
      sends a single text/plain part -- the body exactly as given.
    * otherwise (no input format, apprise's default for email is HTML): a
      multipart/alternative whose text part is apprise's HTML-to-text rendering of the
      body, so newlines collapse to spaces and ``<tags>`` vanish.

    ``message`` is the whole parsed message for anything else (headers, the HTML part).
    ``at`` is ``time.monotonic()``.
    """

    mail_from: str
    rcpt_tos: list[str]
    subject: str
    body: str
    at: float
    message: EmailMessage | None = field(default=None, repr=False, compare=False)

    def describe(self) -> str:
        return f"from={self.mail_from} to={self.rcpt_tos} subject={self.subject!r}"


@dataclass
class _Waiter(Generic[T]):
    predicate: Callable[[list[T]], bool]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[list[T]]


def _settle(
    future: asyncio.Future[list[T]], result: list[T] | None, error: BaseException | None
) -> None:
    """Runs on the waiter's loop: complete the future unless it was cancelled meanwhile."""
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result or [])


class _Recorder(Generic[T]):
    """Thread-safe list of received items with blocking and awaitable waits."""

    _what = "item(s)"

    def __init__(self) -> None:
        self._items: list[T] = []
        self._cond = threading.Condition()
        self._waiters: list[_Waiter[T]] = []

    @property
    def received(self) -> list[T]:
        """A copy of everything received so far, oldest first."""
        with self._cond:
            return list(self._items)

    def clear(self) -> None:
        """Forget everything received so far."""
        with self._cond:
            self._items.clear()

    def _record(self, item: T) -> None:
        """Called from the server thread for every item received."""
        with self._cond:
            self._items.append(item)
            snapshot = list(self._items)
            self._cond.notify_all()
            for waiter in list(self._waiters):
                result: list[T] | None = None
                error: BaseException | None = None
                try:
                    if not waiter.predicate(list(snapshot)):
                        continue
                    result = list(snapshot)
                except Exception as exc:  # surfaced to the awaiting test, not lost here
                    error = exc
                self._waiters.remove(waiter)
                with contextlib.suppress(RuntimeError):  # the waiter's loop is closed
                    waiter.loop.call_soon_threadsafe(_settle, waiter.future, result, error)

    def _timeout_error(self, timeout: float, predicate: Callable[..., bool]) -> TimeoutError:
        items = self.received
        name = getattr(predicate, "__name__", repr(predicate))
        lines = "".join(f"\n  {item.describe()}" for item in items)
        return TimeoutError(
            f"{type(self).__name__}: predicate {name} did not hold within {timeout}s; "
            f"received {len(items)} {self._what}{':' if items else ''}{lines}"
        )

    def wait_for(self, predicate: Callable[[list[T]], bool], timeout: float = 10) -> list[T]:
        """Block until ``predicate(received)`` is true; return what was received then.

        Raises ``TimeoutError`` naming everything received if it does not become true
        within ``timeout`` seconds. Do not call this on an event loop thread; use
        :meth:`await_for` there.
        """
        with self._cond:
            ok = self._cond.wait_for(lambda: predicate(list(self._items)), timeout)
            if ok:
                return list(self._items)
        raise self._timeout_error(timeout, predicate)

    async def await_for(
        self,
        predicate: Callable[[list[T]], bool],
        timeout: float = 10,  # noqa: ASYNC109 -- mirrors wait_for(); applied inside
    ) -> list[T]:
        """Like :meth:`wait_for`, but awaitable: the calling loop keeps running.

        The predicate is evaluated on the sink's thread as items arrive; no thread is
        parked on the caller's behalf, so a cancelled await leaves nothing behind.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[list[T]] = loop.create_future()
        with self._cond:
            items = list(self._items)
            if predicate(items):
                return items
            waiter = _Waiter(predicate, loop, future)
            self._waiters.append(waiter)
        try:
            async with asyncio.timeout(timeout):
                return await future
        except TimeoutError:
            raise self._timeout_error(timeout, predicate) from None
        finally:
            with self._cond:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)


class HttpSink(_Recorder[Received]):
    """An HTTP server on 127.0.0.1 that records every request (any method, any path).

    It answers 200 ``ok``, or 500 for paths in ``fail_paths``. It runs in its own thread
    with its own event loop::

        with HttpSink() as sink:
            ap.add(sink.apprise_url("/hook"))
            ap.notify(title="t", body="b")
            [got] = sink.wait_for(lambda r: len(r) == 1)
            assert got.json["message"] == "b"
    """

    _what = "request(s)"

    def __init__(self, port: int | None = None) -> None:
        super().__init__()
        self.fail_paths: set[str] = set()
        self._port: int | None = port
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> Self:
        """Start serving; returns once the port accepts connections.

        The port is the one given to the constructor, else one the kernel picks on the
        first start; a sink started again after :meth:`stop` serves on the same port (so a
        test can simulate an outage: stop, see deliveries fail, start, see them arrive).
        """
        if self._thread is not None:
            raise RuntimeError("HttpSink is already running")
        sock = _bound_socket(self._port)
        ready = threading.Event()
        failure: list[BaseException] = []
        thread = threading.Thread(
            target=self._run, args=(sock, ready, failure), name="HttpSink", daemon=True
        )
        thread.start()
        ready.wait()
        if failure:
            thread.join()
            sock.close()
            raise RuntimeError("HttpSink failed to start") from failure[0]
        self._thread = thread
        self._port = int(sock.getsockname()[1])
        return self

    def stop(self) -> None:
        """Stop serving and release the port. Safe to call twice."""
        thread, loop, stopping = self._thread, self._loop, self._stopping
        if thread is None:
            return
        if loop is not None and stopping is not None:
            with contextlib.suppress(RuntimeError):  # loop already gone
                loop.call_soon_threadsafe(stopping.set)
        thread.join()
        self._thread = self._loop = self._stopping = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(
        self, sock: socket.socket, ready: threading.Event, failure: list[BaseException]
    ) -> None:
        try:
            asyncio.run(self._serve(sock, ready, failure))
        except BaseException as exc:
            failure.append(exc)
        finally:
            ready.set()

    async def _serve(
        self, sock: socket.socket, ready: threading.Event, failure: list[BaseException]
    ) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        try:
            await runner.setup()
            await web.SockSite(runner, sock).start()
            self._loop = asyncio.get_running_loop()
            self._stopping = asyncio.Event()
        except BaseException as exc:
            failure.append(exc)
            ready.set()
            await runner.cleanup()
            return
        ready.set()
        try:
            await self._stopping.wait()
            await _drain_accepts(sock)
        finally:
            await runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        try:
            parsed: Any | None = jsonlib.loads(body) if body else None
        except ValueError:
            parsed = None
        status = 500 if request.path in self.fail_paths else 200
        self._record(
            Received(
                path=request.path,
                method=request.method,
                headers={str(k): v for k, v in request.headers.items()},
                body=body,
                json=parsed,
                at=time.monotonic(),
                query=request.query_string,
                status=status,
            )
        )
        if status != 200:
            return web.Response(status=status, text="HttpSink: configured to fail\n")
        return web.Response(text="ok\n")

    # -- addresses -------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("HttpSink is not started")
        return self._port

    @staticmethod
    def _path(path: str) -> str:
        return path if path.startswith("/") else f"/{path}"

    def url(self, path: str = "/") -> str:
        """``http://127.0.0.1:PORT/path``."""
        return f"http://{HOST}:{self.port}{self._path(path)}"

    def apprise_url(self, path: str = "/") -> str:
        """``json://127.0.0.1:PORT/path``: apprise POSTs its JSON payload to ``path``."""
        return f"json://{HOST}:{self.port}{self._path(path)}"


class _RecordingHandler:
    """aiosmtpd handler: parse each message and hand it to the sink."""

    def __init__(self, sink: SmtpSink) -> None:
        self._sink = sink

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        part = message.get_body(preferencelist=("plain",))
        text = part.get_content() if isinstance(part, EmailMessage) else ""
        body = text.replace("\r\n", "\n").rstrip("\n")
        self._sink._record(
            Mail(
                mail_from=str(envelope.mail_from or ""),
                rcpt_tos=list(envelope.rcpt_tos),
                subject=str(message.get("Subject", "")),
                body=body,
                at=time.monotonic(),
                message=message,
            )
        )
        return "250 Message accepted for delivery"


class _SocketController(Controller):
    """A Controller that serves on a socket bound in advance.

    ``Controller(port=0)`` fails: its start-up self-check connects to port 0. Binding a
    port-0 socket first and serving on it avoids both that and the race of picking a
    "free" port and binding it later.
    """

    def __init__(self, handler: Any, sock: socket.socket, **kwargs: Any) -> None:
        self._sock = sock
        super().__init__(handler, hostname=HOST, port=int(sock.getsockname()[1]), **kwargs)

    def _create_server(self) -> Awaitable[asyncio.AbstractServer]:
        return self.loop.create_server(self._factory_invoker, sock=self._sock)

    def stop(self, no_assert: bool = False) -> None:
        if self._thread is not None and self.loop.is_running():
            with contextlib.suppress(RuntimeError, concurrent.futures.TimeoutError):
                asyncio.run_coroutine_threadsafe(_drain_accepts(self._sock), self.loop).result(5)
        super().stop(no_assert=no_assert)


class SmtpSink(_Recorder[Mail]):
    """A plain SMTP server (no TLS, no AUTH) on 127.0.0.1 that records every message.

    It runs in aiosmtpd's own thread with its own event loop::

        with SmtpSink() as sink:
            ap.add(sink.apprise_url("oncall@example.com"))
            ap.notify(title="t", body="b")
            [mail] = sink.wait_for(lambda m: len(m) == 1)
            assert mail.subject == "t"
    """

    _what = "message(s)"

    def __init__(self, port: int | None = None) -> None:
        super().__init__()
        self._controller: _SocketController | None = None
        self._port: int | None = port

    def start(self) -> Self:
        """Start serving; returns once the server answers. Port as for HttpSink.start."""
        if self._controller is not None:
            raise RuntimeError("SmtpSink is already running")
        sock = _bound_socket(self._port)
        controller = _SocketController(_RecordingHandler(self), sock, ready_timeout=10)
        try:
            controller.start()
        except BaseException:
            controller.stop(no_assert=True)
            sock.close()
            with contextlib.suppress(RuntimeError):
                controller.loop.close()
            raise
        self._controller = controller
        self._port = controller.port
        return self

    def stop(self) -> None:
        """Stop serving and release the port. Safe to call twice."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("SmtpSink is not started")
        return self._port

    def apprise_url(
        self, to: str, from_: str = "cltui@example.com", *, body_format: str | None = None
    ) -> str:
        """``mailto://127.0.0.1:PORT?mode=insecure&from=FROM&to=TO`` (values %-quoted).

        ``mailto://`` (not ``mailtos://``) already means plain SMTP in apprise 2.3;
        ``mode=insecure`` says so explicitly, so no STARTTLS is attempted, and with no
        user/password in the URL apprise does not try AUTH. (``mode=starttls`` and
        ``mailtos://`` without a mode fail against this sink: it offers no TLS.)
        ``body_format="text"`` appends ``&format=text`` (see :class:`Mail`).
        """
        params = {"mode": "insecure", "from": from_, "to": to}
        if body_format is not None:
            params["format"] = body_format
        return f"mailto://{HOST}:{self.port}?{urlencode(params, quote_via=quote)}"
