"""Settings: a strict TOML file overlaid by CLTUI_ variables, with platformdirs defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from cltui.config import (
    DEFAULT_LISTEN,
    ConfigError,
    Settings,
    default_config_path,
    default_database_url,
    load,
    login_name,
)

FULL = """\
operator = "merlin"
database = "sqlite:////var/lib/cltui/cltui.db"

[api]
listen = "0.0.0.0:9000"
base_url = "https://oncall.example.com/"

[email]
url = "mailto://user:pass@smtp.example.com:587?from=cltui@example.com"
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = load(environ={})
    data = tmp_path / "data" / "cltui"
    assert settings.data_dir == data
    assert settings.database == f"sqlite:///{data / 'cltui.db'}" == default_database_url()
    assert settings.operator == login_name()
    assert settings.listen == DEFAULT_LISTEN == "127.0.0.1:7072"
    assert settings.base_url is None and settings.email_url is None
    assert settings.ack_base_url == "http://127.0.0.1:7072"
    assert default_config_path() == tmp_path / "config" / "cltui" / "config.toml"


def test_full_file(tmp_path: Path) -> None:
    settings = load(write(tmp_path / "c.toml", FULL), environ={})
    assert settings == Settings(
        database="sqlite:////var/lib/cltui/cltui.db",
        operator="merlin",
        listen="0.0.0.0:9000",
        base_url="https://oncall.example.com/",
        email_url="mailto://user:pass@smtp.example.com:587?from=cltui@example.com",
        data_dir=tmp_path / "data" / "cltui",
    )
    assert settings.ack_base_url == "https://oncall.example.com"


def test_file_in_the_user_config_dir_is_read(tmp_path: Path) -> None:
    write(default_config_path(), 'operator = "kay"\n')
    assert load(environ={}).operator == "kay"


def test_cltui_config_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "elsewhere.toml", 'operator = "gawain"\n')
    assert load(environ={"CLTUI_CONFIG": str(path)}).operator == "gawain"
    with pytest.raises(ConfigError, match="no such configuration file"):
        load(environ={"CLTUI_CONFIG": str(tmp_path / "missing.toml")})


def test_empty_cltui_config_means_the_default_file(tmp_path: Path) -> None:
    write(default_config_path(), 'operator = "kay"\n')
    assert load(environ={"CLTUI_CONFIG": ""}).operator == "kay"


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", FULL)
    settings = load(
        path,
        environ={
            "CLTUI_DB": "postgresql://db.example.com/cltui",
            "CLTUI_OPERATOR": "nimue",
            "CLTUI_LISTEN": "127.0.0.1:8000",
            "CLTUI_BASE_URL": "https://other.example.com",
            "CLTUI_EMAIL_URL": "mailto://127.0.0.1:2525?mode=insecure",
            "CLTUI_UNRELATED": "ignored",
        },
    )
    assert settings.database == "postgresql://db.example.com/cltui"
    assert settings.operator == "nimue"
    assert settings.listen == "127.0.0.1:8000"
    assert settings.base_url == "https://other.example.com"
    assert settings.email_url == "mailto://127.0.0.1:2525?mode=insecure"


def test_empty_environment_variables_are_ignored(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", FULL)
    settings = load(path, environ={"CLTUI_OPERATOR": "", "CLTUI_DB": ""})
    assert settings.operator == "merlin"
    assert settings.database == "sqlite:////var/lib/cltui/cltui.db"


def test_data_dir_moves_the_default_database(tmp_path: Path) -> None:
    settings = load(environ={"CLTUI_DATA_DIR": str(tmp_path / "state")})
    assert settings.data_dir == tmp_path / "state"
    assert settings.database == f"sqlite:///{tmp_path / 'state' / 'cltui.db'}"
    path = write(tmp_path / "c.toml", 'data_dir = "~/cltui-data"\n')
    assert load(path, environ={}).data_dir == Path("~/cltui-data").expanduser()
    both = write(tmp_path / "d.toml", 'data_dir = "/srv/x"\ndatabase = "sqlite:////db/y.db"\n')
    assert load(both, environ={}).database == "sqlite:////db/y.db"


def test_process_environment_is_read_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLTUI_OPERATOR", "morgan")
    monkeypatch.setenv("CLTUI_DB", "sqlite:////tmp/elsewhere.db")
    settings = load()
    assert (settings.operator, settings.database) == ("morgan", "sqlite:////tmp/elsewhere.db")


def test_with_database() -> None:
    settings = Settings(database="sqlite:////a.db")
    assert settings.with_database(None) is settings
    assert settings.with_database("sqlite:////b.db").database == "sqlite:////b.db"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('operater = "merlin"\n', "operater: unknown setting (known here: api, data_dir,"),
        ("[api]\nport = 7072\n", "api.port: unknown setting (known here: base_url, listen)"),
        ('[email]\nurl = "mailto://x"\nfrom = "a@b.c"\n', "email.from: unknown setting"),
        ("[smtp]\nhost = 'x'\n", "smtp: unknown setting"),
        ("operator = 42\n", "operator: must be a string"),
        ("database = ['a']\n", "database: must be a string"),
        ('api = "127.0.0.1:7072"\n', "api: must be a table ([api])"),
        ("[api]\nlisten = 7072\n", "api.listen: must be a string"),
        ("[email]\nurl = true\n", "email.url: must be a string"),
    ],
)
def test_strict_file_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load(write(tmp_path / "c.toml", text), environ={})
    assert str(raised.value).startswith(message)


def test_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", 'operator = "merlin\n')
    with pytest.raises(ConfigError, match=rf"^{path}: .*line 1"):
        load(path, environ={})


def test_missing_explicit_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such configuration file"):
        load(tmp_path / "nope.toml", environ={})


def test_unreadable_files_are_refused_cleanly(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=rf"^{tmp_path}: Is a directory"):
        load(tmp_path, environ={})
    binary = tmp_path / "c.toml"
    binary.write_bytes(b"operator = '\xff\xfe'\n")
    with pytest.raises(ConfigError, match="not a UTF-8 text file"):
        load(binary, environ={})
