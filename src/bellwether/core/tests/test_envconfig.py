from pathlib import Path

import pytest

from bellwether.envconfig import (
    ConfigError,
    development_secret_key,
    env_bool,
    env_int,
    env_list,
    parse_database_url,
)


def test_a_relative_sqlite_url_is_under_the_base_dir():
    config = parse_database_url("sqlite:///var/db.sqlite3", base_dir=Path("/srv/bw"))
    assert config.engine == "sqlite"
    assert config.name == "/srv/bw/var/db.sqlite3"


def test_an_absolute_sqlite_url_keeps_its_path():
    config = parse_database_url("sqlite:////data/bw.sqlite3", base_dir=Path("/srv/bw"))
    assert config.name == "/data/bw.sqlite3"


def test_a_postgres_url_is_split_into_its_parts():
    config = parse_database_url(
        "postgres://bw%40user:s%3Acret@db.internal:6543/bellwether?sslmode=require",
        base_dir=Path("/"),
    )
    assert (config.engine, config.name, config.user, config.password, config.host, config.port) == (
        "postgresql",
        "bellwether",
        "bw@user",
        "s:cret",
        "db.internal",
        "6543",
    )
    assert config.options == {"sslmode": "require"}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x/y", "not supported"),
        ("postgres://host/", "database name"),
        ("sqlite:///", "file path"),
    ],
)
def test_an_unusable_database_url_is_refused_with_a_reason(url, message):
    with pytest.raises(ConfigError, match=message):
        parse_database_url(url, base_dir=Path("/"))


def test_booleans_ints_and_lists_are_read_strictly(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a.example, b.example ,")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 1) == 42
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ConfigError, match="X_BOOL must be true or false"):
        env_bool("X_BOOL")
    monkeypatch.setenv("X_INT", "forty")
    with pytest.raises(ConfigError, match="X_INT must be a whole number"):
        env_int("X_INT", 1)


def test_the_development_secret_is_generated_once_and_kept(tmp_path):
    first = development_secret_key(tmp_path)
    second = development_secret_key(tmp_path)
    assert first == second
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
