"""The command line: the console (default), `serve`, alerts, acknowledgements and the roster.

Exit codes: 0 done, 1 refused (one line on stderr saying why), 2 usage.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from cltui import logs
from cltui.api.client import action_line, add_remote_options, raised_line, run_remote
from cltui.config import ConfigError, Settings, load
from cltui.domain.errors import Invalid, Refused
from cltui.engine.bus import BusEvent
from cltui.store import alerts
from cltui.store.database import Database
from cltui.store.migrations import SchemaTooNew

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A refusal to print as one line on stderr."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cltui", description="An on-call console: roster, escalations and a live board."
    )
    parser.add_argument("--db", metavar="URL", help="database URL (default: a SQLite file)")
    parser.add_argument("--config", metavar="PATH", type=Path, help="settings file (TOML)")
    parser.add_argument(
        "--demo", action="store_true", help="a throwaway database with a demo roster"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = commands.add_parser("serve", help="run headless: the engine and the HTTP API")
    serve.add_argument("--listen", metavar="HOST:PORT", help="default 127.0.0.1:7072")

    raise_ = commands.add_parser("alert", help="raise an alert")
    target = raise_.add_mutually_exclusive_group(required=True)
    target.add_argument("--team", metavar="T")
    target.add_argument("--person", metavar="P")
    raise_.add_argument("summary")
    raise_.add_argument("--severity", default="error", help="critical, error, warning, info")
    raise_.add_argument("--dedup-key", metavar="K")
    raise_.add_argument("--details", metavar="D", default="")
    add_remote_options(raise_)

    for name, text in (
        ("ack", "acknowledge alert N"),
        ("resolve", "resolve alert N"),
        ("escalate", "run alert N's next escalation step now"),
    ):
        action = commands.add_parser(name, help=text)
        action.add_argument("number", type=int, metavar="N")
        action.add_argument("--by", metavar="NAME", help="default: the configured operator")
        add_remote_options(action)

    listing = commands.add_parser("alerts", help="list alerts")
    listing.add_argument("--status", metavar="S", help="open, triggered, acknowledged, resolved")
    listing.add_argument("--json", action="store_true")

    show = commands.add_parser("show", help="one alert with its whole timeline")
    show.add_argument("number", type=int, metavar="N")
    show.add_argument("--json", action="store_true")

    roster = commands.add_parser("roster", help="the roster as a TOML file")
    roster_commands = roster.add_subparsers(dest="roster_command", metavar="ACTION", required=True)
    importing = roster_commands.add_parser("import", help="import a roster file (all or nothing)")
    importing.add_argument("file", type=Path)
    exporting = roster_commands.add_parser("export", help="print the roster as TOML")
    exporting.add_argument("-o", "--output", type=Path, help="write to this file instead")

    token = commands.add_parser("token", help="API tokens for the HTTP API")
    token_commands = token.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    token_commands.add_parser("create", help="create a token; prints it once").add_argument("name")
    token_commands.add_parser("revoke", help="revoke a token").add_argument("name")
    return parser


def _now() -> datetime:
    return datetime.now(UTC)


def _time(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S") if value else "-"


def _alert_line(alert: alerts.AlertView) -> str:
    who = ",".join(alert.paging) or (alert.acked_by or alert.resolved_by or "")
    flag = " EXHAUSTED" if alert.exhausted else ""
    return (
        f"#{alert.number:<5} {alert.status:<12} {alert.severity:<8} {alert.target:<12}"
        f" {who:<16} {alert.summary}{flag}"
    )


def _event_line(at: datetime, number: int | None, kind: str, actor: str, detail: str) -> str:
    where = f"#{number}" if number is not None else "roster"
    by = f" [{actor}]" if actor else ""
    return f"{_time(at)} {where:<7} {kind:<16} {detail}{by}"


def cmd_alert(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    alert, created = alerts.raise_alert(
        db,
        _now(),
        args.summary,
        team=args.team,
        person=args.person,
        severity=args.severity,
        details=args.details,
        dedup_key=args.dedup_key,
        source="cli",
        actor=settings.operator,
    )
    print(raised_line(alert.number, created, alert.duplicates, alert.summary, alert.uuid))
    return EXIT_OK


def _act(
    action: Callable[[Database, datetime, int, str], alerts.AlertView], name: str
) -> Callable[[argparse.Namespace, Settings, Database], int]:
    def run(args: argparse.Namespace, settings: Settings, db: Database) -> int:
        by = args.by or settings.operator
        alert = action(db, _now(), args.number, by)
        print(action_line(alert.number, name, by, alert.summary))
        return EXIT_OK

    return run


def cmd_alerts(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    found = alerts.list_alerts(db, args.status)
    if args.json:
        print(json.dumps([a.as_json() for a in found], indent=2))
    elif not found:
        print("no alerts")
    else:
        for alert in found:
            print(_alert_line(alert))
    return EXIT_OK


def cmd_show(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    alert = alerts.get(db, args.number)
    events = alerts.timeline(db, args.number)
    if args.json:
        print(json.dumps({**alert.as_json(), "events": [e.as_json() for e in events]}, indent=2))
        return EXIT_OK
    print(_alert_line(alert))
    if alert.details:
        print(alert.details)
    for e in events:
        print("  " + _event_line(e.at, None, e.kind, e.actor, e.detail).replace(" roster ", " "))
    return EXIT_OK


def _write_private(path: Path, text: str) -> None:
    """Write `text` to a file only its owner can read (the roster holds contact secrets)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # a file that was there before keeps no wider mode
        with open(fd, "w", encoding="utf-8") as file:
            file.write(text)
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from None


def cmd_roster(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    from cltui.store import roster_file

    if args.roster_command == "export":
        text = roster_file.export(db)
        if args.output:
            _write_private(args.output, text)
        else:
            sys.stdout.write(text)
        return EXIT_OK
    try:
        text = args.file.read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"{args.file}: {error.strerror}") from None
    try:
        summary = roster_file.import_roster(db, text, actor=settings.operator)
    except roster_file.RosterFileError as error:
        raise CommandError(f"{args.file}: {error}; nothing was imported") from None
    print(f"{args.file}: {summary}")
    return EXIT_OK


def cmd_token(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    from cltui.store import tokens

    if args.token_command == "create":
        print(tokens.create(db, args.name))
        print(f"token {args.name} created; it is shown only this once", file=sys.stderr)
    else:
        tokens.revoke(db, args.name)
        print(f"token {args.name} revoked")
    return EXIT_OK


async def _serve(settings: Settings, demo: bool, listen: str | None) -> int:
    from cltui.runtime import running

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with contextlib.AsyncExitStack() as stack:
        try:
            opened = running(settings, demo=demo, listen=listen, require_api=True)
            runtime = await stack.enter_async_context(opened)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        assert runtime.api is not None
        subscription = stack.enter_context(runtime.engine.bus.subscribe())
        print(f"cltui serving {'a demo database' if demo else _shown(runtime.db.url)}", flush=True)
        print(f"cltui API on {runtime.api.url}/api/v1", flush=True)

        async def echo() -> None:
            async for event in subscription:
                if isinstance(event, BusEvent):
                    line = _event_line(event.at, event.alert, event.kind, event.actor, event.detail)
                    print(line, flush=True)

        printer = asyncio.create_task(echo())
        await stop.wait()
        printer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await printer
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings, db: Database | None) -> int:
    return asyncio.run(_serve(settings, args.demo, args.listen))


def _shown(url: str) -> str:
    """The database URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa_exc.ArgumentError:
        return url


def _reason(error: BaseException) -> str:
    """The first line of what the driver (or the file system) said."""
    reason = getattr(error, "orig", None) or error
    if isinstance(reason, OSError) and reason.strerror:
        text = f"{reason.strerror}: {reason.filename}" if reason.filename else reason.strerror
    else:
        text = str(reason)
    return (text.strip().splitlines() or [type(reason).__name__])[0]


def _open(url: str) -> Database:
    try:
        return Database(url)
    except (sa_exc.ArgumentError, sa_exc.DBAPIError, OSError, ImportError) as error:
        raise CommandError(f"cannot open the database {_shown(url)}: {_reason(error)}") from None


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings, Database], int]] = {
    "alert": cmd_alert,
    "ack": _act(alerts.acknowledge, "ack"),
    "resolve": _act(alerts.resolve, "resolve"),
    "escalate": _act(alerts.escalate_now, "escalate"),
    "alerts": cmd_alerts,
    "show": cmd_show,
    "roster": cmd_roster,
    "token": cmd_token,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = Settings()
    try:
        settings = load(args.config).with_database(args.db)
        if args.command is None:
            from cltui.tui.app import run_console

            logs.setup(settings.data_dir, echo=False)
            return run_console(settings, demo=args.demo)
        if args.command == "serve":
            logs.setup(settings.data_dir, echo=True)
            return cmd_serve(args, settings, None)
        if getattr(args, "url", None):
            print(run_remote(args.command, args, settings.operator))
            return EXIT_OK
        db = _open(settings.database)
        try:
            return COMMANDS[args.command](args, settings, db)
        finally:
            db.close()
    except (Invalid, Refused, CommandError, ConfigError, SchemaTooNew) as error:
        print(f"cltui: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except (sa_exc.ArgumentError, sa_exc.OperationalError) as error:
        where = _shown(settings.database)
        print(f"cltui: database {where}: {_reason(error)}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
