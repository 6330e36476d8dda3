"""Settings: a TOML file (strict: unknown keys are refused) overlaid by CLTUI_ variables.

```toml
operator = "merlin"                      # who acknowledges from this console
database = "sqlite:////var/lib/cltui/cltui.db"

[api]
listen = "127.0.0.1:7072"
base_url = "https://oncall.example.com"  # where ack links in messages point

[email]
url = "mailto://user:pass@smtp.example.com:587?from=cltui@example.com"
```
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import platformdirs

APP = "cltui"
DEFAULT_LISTEN = "127.0.0.1:7072"


class ConfigError(ValueError):
    """The configuration file or environment is wrong; the message names the key."""


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP))


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'cltui.db'}"


def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "operator"


@dataclass(frozen=True)
class Settings:
    database: str = field(default_factory=default_database_url)
    operator: str = field(default_factory=login_name)
    listen: str = DEFAULT_LISTEN
    base_url: str | None = None
    email_url: str | None = None
    data_dir: Path = field(default_factory=data_dir)

    @property
    def ack_base_url(self) -> str:
        return (self.base_url or f"http://{self.listen}").rstrip("/")

    def with_database(self, url: str | None) -> Settings:
        return self if url is None else replace(self, database=url)


_SCHEMA: dict[str, Any] = {
    "operator": str,
    "database": str,
    "data_dir": str,
    "api": {"listen": str, "base_url": str},
    "email": {"url": str},
}

_ENVIRONMENT = {
    "CLTUI_DB": "database",
    "CLTUI_OPERATOR": "operator",
    "CLTUI_DATA_DIR": "data_dir",
    "CLTUI_LISTEN": "listen",
    "CLTUI_BASE_URL": "base_url",
    "CLTUI_EMAIL_URL": "email_url",
}


_KINDS = {str: "string"}


def _check(table: dict[str, Any], schema: dict[str, Any], where: str) -> None:
    for key, value in table.items():
        name = f"{where}{key}"
        if key not in schema:
            known = ", ".join(sorted(schema))
            raise ConfigError(f"{name}: unknown setting (known here: {known})")
        expected = schema[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{name}: must be a table ([{name}])")
            _check(value, expected, f"{name}.")
        elif not isinstance(value, expected):
            raise ConfigError(f"{name}: must be a {_KINDS.get(expected, expected.__name__)}")


def load(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Settings from the file at `path` (default: the user config dir, if it exists) and
    the environment."""
    environ = dict(os.environ) if environ is None else environ
    explicit = path is not None or bool(environ.get("CLTUI_CONFIG"))
    path = path or Path(environ.get("CLTUI_CONFIG") or default_config_path())
    values: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: {error}") from None
        except OSError as error:
            raise ConfigError(f"{path}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not a UTF-8 text file") from None
        _check(raw, _SCHEMA, "")
        values.update({k: v for k, v in raw.items() if not isinstance(v, dict)})
        values.update(raw.get("api", {}))
        if "url" in raw.get("email", {}):
            values["email_url"] = raw["email"]["url"]
    elif explicit:
        raise ConfigError(f"{path}: no such configuration file")
    for variable, key in _ENVIRONMENT.items():
        if environ.get(variable):
            values[key] = environ[variable]
    if "data_dir" in values:
        values["data_dir"] = Path(values["data_dir"]).expanduser()
        values.setdefault("database", f"sqlite:///{values['data_dir'] / 'cltui.db'}")
    return Settings(**values)
