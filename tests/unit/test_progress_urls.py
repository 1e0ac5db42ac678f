"""Progress URLs: which store they ask for, and the password kept out of every text."""

from __future__ import annotations

from pathlib import Path

import pytest

from thaw_tui.progress.urls import (
    URL_ENV,
    ProgressUrlError,
    check,
    describe,
    has_password,
    reader_environment,
    scrub,
)

URL = "postgresql://thaw_reader:p%40ss-w0rd@db.example:5433/thaw?sslmode=require"


def test_describe_names_user_host_and_database_but_never_the_password() -> None:
    assert describe(URL) == "PostgreSQL at thaw_reader@db.example:5433/thaw"
    assert describe("postgresql:///thaw?host=/run/postgresql") == (
        "PostgreSQL at the local socket/thaw"
    )
    assert "secret" not in describe("postgres://u@h/db?password=secret")


def test_passwords_are_found_in_the_user_part_and_the_query() -> None:
    assert has_password(URL)
    assert has_password("postgresql://u@h/db?password=x")
    assert not has_password("postgresql://u@h/db?sslmode=require")


def test_scrub_hides_the_url_and_its_password_in_any_form() -> None:
    text = f"could not connect to {URL}: password p@ss-w0rd rejected (p%40ss-w0rd)"
    cleaned = scrub(text, URL)
    assert "p@ss-w0rd" not in cleaned and "p%40ss-w0rd" not in cleaned
    assert cleaned == "could not connect to ***: password *** rejected (***)"
    assert scrub("nothing to hide", None) == "nothing to hide"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "sqlite:///x", "/tmp/progress.sqlite3"])
def test_only_postgresql_urls_are_accepted(url: str) -> None:
    with pytest.raises(ProgressUrlError, match="must start with postgresql://"):
        check(url)


def test_readers_get_the_url_and_the_hosts_password_files_by_environment(
    tmp_path: Path,
) -> None:
    (tmp_path / ".pgpass").write_text("*:*:*:thaw_reader:secret\n")
    host_env = {"PGSSLROOTCERT": "/etc/ssl/db.pem", "HOME": "/root", "SECRET_TOKEN": "x"}
    env = reader_environment(URL, host_env, tmp_path)
    assert env == {
        URL_ENV: URL,
        "PGSSLROOTCERT": "/etc/ssl/db.pem",
        "PGPASSFILE": str(tmp_path / ".pgpass"),
    }
    assert reader_environment(None, host_env, tmp_path) == {}
    chosen = reader_environment(URL, {"PGPASSFILE": "/srv/pgpass"}, tmp_path)
    assert chosen["PGPASSFILE"] == "/srv/pgpass"
