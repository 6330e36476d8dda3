"""The delivery sinks receive what real apprise sends, from sync, async and subprocess code."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import textwrap
import urllib.request
from collections.abc import Callable, Iterator

import aiohttp
import apprise
import pytest
from apprise import NotifyFormat

from tests.sinks import HttpSink, Mail, Received, SmtpSink, free_port


def assert_port_closed(port: int) -> None:
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


@pytest.fixture
def http_sink() -> Iterator[HttpSink]:
    with HttpSink() as sink:
        yield sink
    assert_port_closed(sink.port)


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink
    assert_port_closed(sink.port)


def one_at(path: str) -> Callable[[list[Received]], bool]:
    def predicate(received: list[Received]) -> bool:
        return any(r.path == path for r in received)

    predicate.__name__ = f"request_at({path})"
    return predicate


def test_free_port_is_bindable() -> None:
    port = free_port()
    assert 1024 <= port <= 65535
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_urls(http_sink: HttpSink, smtp_sink: SmtpSink) -> None:
    p = http_sink.port
    assert http_sink.url() == f"http://127.0.0.1:{p}/"
    assert http_sink.url("hook") == f"http://127.0.0.1:{p}/hook"
    assert http_sink.apprise_url("/a/b") == f"json://127.0.0.1:{p}/a/b"
    assert smtp_sink.apprise_url("ops@example.com") == (
        f"mailto://127.0.0.1:{smtp_sink.port}"
        "?mode=insecure&from=cltui%40example.com&to=ops%40example.com"
    )
    assert smtp_sink.apprise_url("a@example.com", "b@example.com", body_format="text").endswith(
        "&from=b%40example.com&to=a%40example.com&format=text"
    )
    for url in (http_sink.apprise_url("/x"), smtp_sink.apprise_url("ops@example.com")):
        assert apprise.Apprise().add(url), url


async def test_json_delivery_async(http_sink: HttpSink) -> None:
    ap = apprise.Apprise()
    assert ap.add(http_sink.apprise_url("/hooks/oncall"))

    result = await ap.async_notify(title="DB down", body="primary unreachable\nsince 10:02")

    assert result
    [got] = await http_sink.await_for(lambda r: len(r) == 1)
    assert got.path == "/hooks/oncall"
    assert got.method == "POST"
    assert got.status == 200
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["User-Agent"] == "Apprise"
    # What apprise 2.3's json:// really sends:
    assert got.json == {
        "version": "1.0",
        "title": "DB down",
        "message": "primary unreachable\nsince 10:02",
        "attachments": [],
        "type": "info",
    }
    assert got.body.startswith(b"{")


async def test_json_notify_type_is_sent(http_sink: HttpSink) -> None:
    ap = apprise.Apprise()
    ap.add(http_sink.apprise_url("/t"))
    assert await ap.async_notify(title="t", body="b", notify_type=apprise.NotifyType.FAILURE)
    [got] = await http_sink.await_for(lambda r: len(r) == 1)
    assert got.json is not None
    assert got.json["type"] == "failure"


async def test_mail_delivery_async(smtp_sink: SmtpSink) -> None:
    ap = apprise.Apprise()
    assert ap.add(smtp_sink.apprise_url("ops@example.com"))

    result = await ap.async_notify(
        title="DB down — alert #7",
        body="primary unreachable\nsince 10:02",
        body_format=NotifyFormat.TEXT,
    )

    assert result
    [mail] = await smtp_sink.await_for(lambda m: len(m) == 1)
    assert isinstance(mail, Mail)
    assert mail.subject == "DB down — alert #7"
    assert mail.rcpt_tos == ["ops@example.com"]
    assert mail.mail_from == "cltui@example.com"
    assert mail.body == "primary unreachable\nsince 10:02"
    assert mail.message is not None
    assert mail.message["To"] == "ops@example.com"


async def test_mail_default_format_is_html_with_text_alternative(smtp_sink: SmtpSink) -> None:
    ap = apprise.Apprise()
    ap.add(smtp_sink.apprise_url("ops@example.com", "noc@example.org"))
    assert await ap.async_notify(title="Subject line", body="one line body")
    [mail] = await smtp_sink.await_for(lambda m: len(m) == 1)
    assert mail.mail_from == "noc@example.org"
    assert mail.body == "one line body"
    assert mail.message is not None
    assert mail.message.get_content_type() == "multipart/alternative"


def test_mail_format_text_in_url_keeps_body_verbatim(smtp_sink: SmtpSink) -> None:
    ap = apprise.Apprise()
    ap.add(smtp_sink.apprise_url("ops@example.com", body_format="text"))
    assert ap.notify(title="t", body="a <b>\nc & d")
    [mail] = smtp_sink.wait_for(lambda m: len(m) == 1)
    assert mail.body == "a <b>\nc & d"


def test_sync_notify_from_sync_test(http_sink: HttpSink, smtp_sink: SmtpSink) -> None:
    ap = apprise.Apprise()
    ap.add(http_sink.apprise_url("/sync"))
    ap.add(smtp_sink.apprise_url("ops@example.com"))

    assert ap.notify(title="sync title", body="sync body")

    [got] = http_sink.wait_for(lambda r: len(r) == 1)
    assert got.path == "/sync"
    assert got.json is not None
    assert (got.json["title"], got.json["message"]) == ("sync title", "sync body")
    [mail] = smtp_sink.wait_for(lambda m: len(m) == 1)
    assert (mail.subject, mail.body, mail.rcpt_tos) == (
        "sync title",
        "sync body",
        ["ops@example.com"],
    )


async def test_blocking_client_on_the_test_loop(http_sink: HttpSink) -> None:
    """Code under test may call apprise's blocking notify() on the loop; the sink still answers."""
    ap = apprise.Apprise()
    ap.add(http_sink.apprise_url("/blocking"))
    assert ap.notify(body="from inside the loop")
    assert [r.path for r in http_sink.received] == ["/blocking"]


async def test_await_for_does_not_block_the_loop(http_sink: HttpSink) -> None:
    waiting = asyncio.create_task(http_sink.await_for(one_at("/late")))
    await asyncio.sleep(0)
    assert not waiting.done()
    # The request is made by a client on this very loop: it would deadlock if await_for
    # blocked the loop.
    async with (
        aiohttp.ClientSession() as session,
        session.put(http_sink.url("/late"), data=b"not json") as resp,
    ):
        assert resp.status == 200
    received = await waiting
    assert received[-1].method == "PUT"
    assert received[-1].json is None
    assert received[-1].body == b"not json"


async def test_await_for_cancelled_leaves_no_waiter(http_sink: HttpSink) -> None:
    waiting = asyncio.create_task(http_sink.await_for(one_at("/never")))
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert http_sink._waiters == []


async def test_failing_path_makes_apprise_result_falsy(http_sink: HttpSink) -> None:
    http_sink.fail_paths.add("/broken")
    ap = apprise.Apprise()
    ap.add(http_sink.apprise_url("/broken"))

    result = await ap.async_notify(title="t", body="b")

    assert not result
    [got] = http_sink.received
    assert (got.path, got.status) == ("/broken", 500)

    ok = apprise.Apprise()
    ok.add(http_sink.apprise_url("/fine"))
    assert await ok.async_notify(title="t", body="b")
    assert [r.status for r in http_sink.received] == [500, 200]


def test_wait_for_timeout_names_what_was_received(http_sink: HttpSink) -> None:
    with urllib.request.urlopen(
        urllib.request.Request(http_sink.url("/seen"), data=b'{"k": 1}', method="POST"), timeout=5
    ) as resp:
        assert resp.status == 200

    with pytest.raises(TimeoutError) as info:
        http_sink.wait_for(one_at("/never"), timeout=0.2)

    message = str(info.value)
    assert "request_at(/never)" in message
    assert "received 1 request(s)" in message
    assert 'POST /seen -> 200 {"k": 1}' in message


def test_smtp_wait_for_timeout_when_nothing_came(smtp_sink: SmtpSink) -> None:
    with pytest.raises(TimeoutError, match=r"SmtpSink: .* received 0 message\(s\)$"):
        smtp_sink.wait_for(lambda m: len(m) > 0, timeout=0.1)


async def test_await_for_timeout_names_what_was_received(smtp_sink: SmtpSink) -> None:
    ap = apprise.Apprise()
    ap.add(smtp_sink.apprise_url("ops@example.com"))
    assert await ap.async_notify(title="first", body="b")
    await smtp_sink.await_for(lambda m: len(m) == 1)

    with pytest.raises(TimeoutError) as info:
        await smtp_sink.await_for(lambda m: len(m) == 2, timeout=0.2)

    assert "received 1 message(s)" in str(info.value)
    assert "to=['ops@example.com'] subject='first'" in str(info.value)


def test_delivery_from_a_subprocess(http_sink: HttpSink, smtp_sink: SmtpSink) -> None:
    script = textwrap.dedent(
        """
        import sys, apprise
        ap = apprise.Apprise()
        for url in sys.argv[1:]:
            assert ap.add(url), url
        sys.exit(0 if ap.notify(title="from child", body="hello") else 1)
        """
    )
    urls = [http_sink.apprise_url("/child"), smtp_sink.apprise_url("ops@example.com")]
    subprocess.run([sys.executable, "-c", script, *urls], check=True, timeout=60)

    [got] = http_sink.wait_for(lambda r: len(r) == 1)
    assert got.json is not None
    assert got.json["message"] == "hello"
    [mail] = smtp_sink.wait_for(lambda m: len(m) == 1)
    assert mail.subject == "from child"


def test_received_is_a_copy(http_sink: HttpSink) -> None:
    urllib.request.urlopen(http_sink.url("/x"), timeout=5).close()
    snapshot = http_sink.received
    snapshot.clear()
    assert len(http_sink.received) == 1
    assert http_sink.received[0].method == "GET"


def test_stop_releases_ports_and_is_idempotent() -> None:
    http, smtp = HttpSink().start(), SmtpSink().start()
    ports = [http.port, smtp.port]
    for port in ports:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()

    http.stop()
    smtp.stop()
    http.stop()
    smtp.stop()

    for port in ports:
        assert_port_closed(port)
        with socket.socket() as sock:  # nothing listens there any more: it can be bound again
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))
            sock.listen()


def test_sinks_restart_on_the_same_port() -> None:
    http, smtp = HttpSink(), SmtpSink()
    ports = []
    for _ in range(2):
        with http, smtp:
            ports.append((http.port, smtp.port))
            ap = apprise.Apprise()
            ap.add(http.apprise_url("/again"))
            ap.add(smtp.apprise_url("ops@example.com"))
            assert ap.notify(body="again")
    assert ports[0] == ports[1]
    assert len(http.received) == len(smtp.received) == 2


async def test_outage_then_recovery(http_sink: HttpSink) -> None:
    ap = apprise.Apprise()
    ap.add(http_sink.apprise_url("/hook"))
    http_sink.stop()
    assert not await ap.async_notify(body="lost")
    http_sink.start()
    assert await ap.async_notify(body="delivered")
    assert [r.json["message"] for r in http_sink.received if r.json] == ["delivered"]


def test_explicit_port() -> None:
    port = free_port()
    with HttpSink(port=port) as http:
        assert http.url("/") == f"http://127.0.0.1:{port}/"
    port = free_port()
    with SmtpSink(port=port) as smtp:
        assert smtp.port == port
        ap = apprise.Apprise()
        ap.add(smtp.apprise_url("ops@example.com"))
        assert ap.notify(title="t", body="b")
        smtp.wait_for(lambda m: len(m) == 1)
