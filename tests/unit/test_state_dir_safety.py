"""A state folder, or a file in it, that another user owns or can write is refused
(red-team F12), by plain `thaw` (progress) and by `thaw serve` (host key, authorized
keys, readers' home, connection log), as OpenSSH's StrictModes would."""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest

from thaw_tui.cli import exit_codes
from thaw_tui.cli.main import build_parser
from thaw_tui.cli.serve import serve
from thaw_tui.paths import check_private
from thaw_tui.progress.store import DB_FILENAME, open_progress
from thaw_tui.sshserve.config import config_from_args
from thaw_tui.sshserve.connlog import CONNECTIONS_LOGGER_NAME, LOGGER_NAME, connection_logger
from thaw_tui.sshserve.identity import AuthorizedKeys, fingerprint

NOBODY = 65534
as_root = pytest.mark.skipif(os.getuid() != 0, reason="needs root to give files to another user")


@pytest.fixture
def serve_logging() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in (LOGGER_NAME, CONNECTIONS_LOGGER_NAME)]
    saved = [(lg.handlers[:], lg.propagate, lg.level) for lg in loggers]
    yield
    for lg, (handlers, propagate, level) in zip(loggers, saved, strict=True):
        for handler in lg.handlers:
            if handler not in handlers:
                handler.close()
        lg.handlers[:] = handlers
        lg.propagate, lg.level = propagate, level


def serve_args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["serve", *argv])


# --- plain thaw: the progress store -----------------------------------------------
def test_progress_in_a_folder_anyone_can_write_is_not_kept(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    state.chmod(0o777)
    progress = open_progress(state, "local", "pack")
    assert not progress.persistent
    assert progress.notices == [
        f"The progress folder {state} can be written by other users (mode 777) "
        f"(run `chmod 700 {state}`); your progress will not be saved this session."
    ]
    assert not (state / DB_FILENAME).exists()


@as_root
def test_a_progress_file_planted_by_another_user_is_not_adopted(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    planted = state / DB_FILENAME
    sqlite3.connect(planted).close()
    os.chown(planted, NOBODY, NOBODY)
    planted.chmod(0o666)
    before = planted.read_bytes()
    progress = open_progress(state, "local", "pack")
    progress.mark(["secret-item"])
    progress.close()
    assert not progress.persistent
    assert progress.notices[0].startswith(
        f"The progress file {planted} belongs to another user (uid {NOBODY}) (move it away)"
    )
    assert planted.read_bytes() == before and planted.stat().st_uid == NOBODY


@pytest.mark.parametrize("name", [DB_FILENAME, DB_FILENAME + "-wal"])
def test_a_progress_file_others_can_write_is_not_used(tmp_path: Path, name: str) -> None:
    state = tmp_path / "state"
    progress = open_progress(state, "local", "pack")  # makes the folder and the file
    progress.mark(["a"])
    progress.close()
    (state / name).touch()
    (state / name).chmod(0o666)
    progress = open_progress(state, "local", "pack")
    assert not progress.persistent
    assert "can be written by other users (mode 666)" in progress.notices[0]


def test_a_progress_file_of_ours_is_made_private(tmp_path: Path) -> None:
    state = tmp_path / "state"
    open_progress(state, "local", "pack").close()
    (state / DB_FILENAME).chmod(0o644)
    progress = open_progress(state, "local", "pack")
    assert progress.persistent
    progress.close()
    assert (state / DB_FILENAME).stat().st_mode & 0o777 == 0o600


# --- thaw serve ------------------------------------------------------------------------
def refused_start(argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> str:
    assert serve(config_from_args(serve_args(*argv, "--cold", "--port", "0"))) == (
        exit_codes.PROBLEMS
    )
    return capsys.readouterr().err


def test_serve_refuses_a_state_folder_anyone_can_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], serve_logging: None
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    state.chmod(0o777)
    err = refused_start(("--state-dir", str(state), "--open"), capsys)
    assert err == (
        f"thaw serve: State folder {state} can be written by other users (mode 777): "
        f"run `chmod go-w {state}`.\n"
    )
    assert not (state / "ssh_host_ed25519_key").exists()


def test_serve_refuses_a_readers_home_that_is_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], serve_logging: None
) -> None:
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    (state / "serve-home").symlink_to("/tmp")
    err = refused_start(("--state-dir", str(state), "--open"), capsys)
    assert err == (
        f"thaw serve: Readers' home folder {state / 'serve-home'} is a symbolic link, "
        "which thaw does not follow: replace it.\n"
    )


@as_root
def test_serve_refuses_a_host_key_another_user_planted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], serve_logging: None
) -> None:
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    key = state / "ssh_host_ed25519_key"
    key.write_bytes(asyncssh.generate_private_key("ssh-ed25519").export_private_key())
    key.chmod(0o600)
    os.chown(key, NOBODY, NOBODY)
    err = refused_start(("--state-dir", str(state), "--open"), capsys)
    assert err == (
        f"thaw serve: Host key {key} belongs to another user (uid {NOBODY}): move it away.\n"
    )


def test_serve_refuses_authorized_keys_others_can_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], serve_logging: None
) -> None:
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    keys = state / "authorized_keys"
    keys.write_text(asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode())
    keys.chmod(0o666)
    err = refused_start(("--state-dir", str(state)), capsys)
    assert err == (
        f"thaw serve: Authorized keys file {keys} can be written by other users (mode 666): "
        f"run `chmod go-w {keys}`.\n"
    )


def test_authorized_keys_made_writable_while_serving_admit_nobody(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519")
    path = tmp_path / "authorized_keys"
    path.write_text(key.export_public_key().decode())
    authorized = AuthorizedKeys(path)
    assert authorized.admits(key)
    path.chmod(0o666)
    assert not authorized.admits(key)
    assert any("admits nobody" in r.getMessage() for r in caplog.records)
    path.chmod(0o600)
    assert authorized.admits(key)
    assert fingerprint(key).startswith("SHA256:")


def test_connection_log_is_private_even_with_a_loose_umask(
    tmp_path: Path, serve_logging: None
) -> None:
    log_file = tmp_path / "logs" / "connections.log"
    old = os.umask(0)
    try:
        logger = connection_logger(log_file)
    finally:
        os.umask(old)
    logger.info("a line")
    assert log_file.stat().st_mode & 0o777 == 0o600
    assert log_file.read_text() == "a line\n"
    log_file.chmod(0o644)  # an older run's file: made private again
    connection_logger(log_file).info("another")
    assert log_file.stat().st_mode & 0o777 == 0o600
    assert log_file.read_text() == "a line\nanother\n"


@as_root
def test_a_connection_log_another_user_owns_is_refused(tmp_path: Path, serve_logging: None) -> None:
    log_file = tmp_path / "connections.log"
    log_file.write_text("")
    os.chown(log_file, NOBODY, NOBODY)
    with pytest.raises(OSError, match=f"belongs to another user \\(uid {NOBODY}\\)"):
        connection_logger(log_file)


def test_a_connection_log_that_is_a_link_is_refused(tmp_path: Path, serve_logging: None) -> None:
    (tmp_path / "connections.log").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OSError):
        connection_logger(tmp_path / "connections.log")
    assert not (tmp_path / "elsewhere").exists()


def test_check_private_says_what_and_how_to_fix(tmp_path: Path) -> None:
    assert check_private(tmp_path / "missing", "State folder", folder=True) is None
    folder = tmp_path / "open"
    folder.mkdir()
    folder.chmod(0o775)
    assert check_private(folder, "State folder", folder=True) == (
        f"State folder {folder} can be written by other users (mode 775): "
        f"run `chmod go-w {folder}`."
    )
