"""Signed acknowledgement links: `GET /ack/{token}` acknowledges one alert as one person.

A token carries the alert's number and UUID, the person's handle and an expiry time, signed
with HMAC-SHA256 under a secret that is generated on first run and kept in the data dir
(file mode 0600). Changing any part of the token breaks the signature; the UUID ties it to
one alert even if alert numbers were ever reused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cltui.engine.clock import Clock, SystemClock
from cltui.store.alerts import AlertView

SECRET_FILE = "ack-link.secret"
DEFAULT_TTL = timedelta(days=1)
_CONTEXT = b"cltui-ack-link-v1\x00"


class BadLink(Exception):
    """The token is not one this server signed (or it was altered)."""


class ExpiredLink(Exception):
    """The token was signed here but is past its expiry time."""

    def __init__(self, claim: LinkClaim) -> None:
        super().__init__(f"the link expired at {claim.expires:%Y-%m-%d %H:%M} UTC")
        self.claim = claim


@dataclass(frozen=True)
class LinkClaim:
    """What a valid token says: acknowledge alert `number` (`uuid`) as `person`."""

    number: int
    uuid: str
    person: str
    expires: datetime


def load_secret(data_dir: Path) -> bytes:
    """The signing secret, created (0600, in a 0700 folder) the first time it is needed."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = data_dir / SECRET_FILE
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(32) + "\n")
    os.chmod(path, 0o600)
    text = path.read_text(encoding="ascii").strip()
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        raise ValueError(f"{path}: not a hex secret; delete it to make a new one") from None
    if len(secret) < 32:
        raise ValueError(f"{path}: the secret is too short; delete it to make a new one")
    return secret


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class AckLinks:
    """Signs and checks acknowledgement tokens and builds the links that carry them."""

    def __init__(
        self,
        secret: bytes,
        base_url: str,
        *,
        clock: Clock | None = None,
        ttl: timedelta = DEFAULT_TTL,
    ) -> None:
        self._secret = secret
        self.base_url = base_url.rstrip("/")
        self.clock: Clock = clock or SystemClock()
        self.ttl = ttl

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._secret, _CONTEXT + body, hashlib.sha256).digest()

    def sign(self, number: int, uuid: str, person: str, expires: datetime | None = None) -> str:
        expires = expires or self.clock.now() + self.ttl
        claim = {"a": number, "u": uuid, "p": person, "e": int(expires.timestamp())}
        body = json.dumps(claim, separators=(",", ":"), sort_keys=True).encode()
        return f"{_b64(body)}.{_b64(self._mac(body))}"

    def url(self, alert: AlertView, person: str) -> str:
        """The link that acknowledges `alert` as `person` (an engine `AckLink`)."""
        return f"{self.base_url}/ack/{self.sign(alert.number, alert.uuid, person)}"

    def verify(self, token: str) -> LinkClaim:
        """The claim in a token this server signed; raises BadLink or ExpiredLink."""
        try:
            body_text, mac_text = token.split(".")
            body, mac = _unb64(body_text), _unb64(mac_text)
        except (ValueError, binascii.Error):
            raise BadLink("the link is malformed") from None
        if not hmac.compare_digest(mac, self._mac(body)):
            raise BadLink("the link's signature is not valid")
        try:
            raw = json.loads(body)
            claim = LinkClaim(
                number=int(raw["a"]),
                uuid=str(raw["u"]),
                person=str(raw["p"]),
                expires=datetime.fromtimestamp(int(raw["e"]), tz=UTC),
            )
        except (ValueError, KeyError, TypeError, OverflowError):
            raise BadLink("the link's content is not valid") from None
        if self.clock.now() >= claim.expires:
            raise ExpiredLink(claim)
        return claim
