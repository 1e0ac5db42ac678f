"""Fixtures for end-to-end tests: the installed `thaw` in a real pseudo-terminal, and
`thaw serve` servers (`serve`, `key_dir`) for the real OpenSSH client.

Every test in this folder is marked `slow` by `tests/conftest.py`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.pty_harness import PtySession, find_command, terminal_env
from support.reader_state import first_screen_closed
from support.ssh_helpers import ServeProcess, start_serve

REPO = Path(__file__).resolve().parents[2]
SHIPPED_PACK = REPO / "content"


def read_pack(pack_dir: Path) -> dict[str, Any]:
    """All top-level keys of a pack folder's YAML files merged (a plain view, no checks)."""
    merged: dict[str, Any] = {}
    for path in sorted(pack_dir.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in data.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            else:
                merged[key] = value
    return merged


@pytest.fixture(scope="session")
def shipped_pack() -> dict[str, Any]:
    return read_pack(SHIPPED_PACK)


@pytest.fixture(scope="session")
def pack_title(shipped_pack: dict[str, Any]) -> str:
    return str(shipped_pack["pack"]["title"])


@pytest.fixture(scope="session")
def story_titles(shipped_pack: dict[str, Any]) -> list[str]:
    """Story section titles in reading order: the rows of the first pane."""
    sections = sorted(shipped_pack["sections"], key=lambda section: section["paragraph"])
    return [str(section["title"]) for section in sections]


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"


@pytest.fixture
def copied_pack(tmp_path: Path) -> Path:
    """A writable copy of the shipped pack, for tests that edit a file or two."""
    target = tmp_path / "pack"
    shutil.copytree(SHIPPED_PACK, target)
    return target


@pytest.fixture
def start_in_pty(state_dir: Path) -> Iterator[Callable[..., PtySession]]:
    """Start any command in a pty with the test's state dir; all are closed at teardown.

    The reader has closed the first screen before (it starts on the main screen),
    unless `first_start=True`: a reader who has never used thaw."""
    sessions: list[PtySession] = []

    def start(
        argv: list[str], *, cols: int = 80, rows: int = 24, first_start: bool = False
    ) -> PtySession:
        if not first_start:
            first_screen_closed(state_dir)
        session = PtySession(
            argv,
            cols=cols,
            rows=rows,
            env=terminal_env({"THAW_STATE_DIR": str(state_dir)}),
            cwd=state_dir.parent,
        )
        sessions.append(session)
        return session

    yield start
    for session in sessions:
        session.close()


@pytest.fixture
def start_thaw(start_in_pty: Callable[..., PtySession]) -> Callable[..., PtySession]:
    """Start the installed `thaw` with these arguments in a pty (80x24 unless told)."""

    def start(*args: str, cols: int = 80, rows: int = 24, first_start: bool = False) -> PtySession:
        return start_in_pty(
            [find_command("thaw"), *args], cols=cols, rows=rows, first_start=first_start
        )

    return start


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., ServeProcess]]:
    """Start servers with `serve(*args, child=..., access=...)`; all stopped at teardown."""
    started: list[ServeProcess] = []

    def start(*args: str, **kwargs: Any) -> ServeProcess:
        server = start_serve(tmp_path / f"serve{len(started)}", *args, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def key_dir(tmp_path: Path) -> Path:
    return tmp_path / "keys"
