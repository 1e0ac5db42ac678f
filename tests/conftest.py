"""Shared test setup: state never goes near the real home directory, and every
end-to-end test (real processes under `tests/e2e`) is marked `slow`.

(The reader turns the filter cursor's blink off itself when running headless.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.postgres_server import PostgresServer, start_server
from support.progress_stores import BACKENDS, StoreUnderTest

E2E = Path(__file__).resolve().parent / "e2e"


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(E2E):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    state = tmp_path / "state"
    monkeypatch.setenv("THAW_STATE_DIR", str(state))
    # A developer's own progress database is never touched: tests choose their store.
    monkeypatch.delenv("THAW_PROGRESS_URL", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    yield state


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL on a loopback port for the whole session (or xdist worker)."""
    server = start_server()
    if server is None:
        pytest.skip("PostgreSQL's server binaries (initdb) are not installed")
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a fresh, empty progress store (its own schema) for one test."""
    return postgres_server.new_store()[1]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> StoreUnderTest:
    """The progress store under test: each test using it runs once per backend."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    return StoreUnderTest(request.param, tmp_path / "store-state", url)
