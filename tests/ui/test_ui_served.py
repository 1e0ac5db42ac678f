"""The served reader's crash handling (red-team F6): one sentence for the reader, the
traceback for the host, and a failing exit status."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.traceback import Traceback

from thaw_tui.pack.load import load_pack
from thaw_tui.progress import Progress
from thaw_tui.ui import served
from thaw_tui.ui.served import APOLOGY, ServedThawApp

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "mini"


@pytest.fixture
def host_pipe(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Crash reports go into a pipe; yields its reading end."""
    read_end, write_end = os.pipe()
    monkeypatch.setattr(served, "_host_errors", write_end)
    yield read_end
    os.close(read_end)
    os.close(write_end)


def crashed_app() -> ServedThawApp:
    app = ServedThawApp(load_pack(MINI), Progress(), served=True)
    try:
        raise ZeroDivisionError("the reader's secret /opt/thaw/site-packages path")
    except ZeroDivisionError:
        app._exit_renderables.append(Traceback())
    return app


def test_a_crash_tells_the_reader_one_sentence_and_the_host_the_traceback(
    host_pipe: int, capfd: pytest.CaptureFixture[str]
) -> None:
    app = crashed_app()
    app._print_error_renderables()
    err = capfd.readouterr().err
    assert err == APOLOGY + "\n"
    assert app.return_code == 1
    report = os.read(host_pipe, 65536).decode()
    assert report.startswith(f"thaw serve: a reader's process (pid {os.getpid()}) crashed:\n")
    assert "ZeroDivisionError" in report and "Traceback" in report


def test_without_a_way_to_the_host_the_reader_still_sees_no_traceback(
    capfd: pytest.CaptureFixture[str],
) -> None:
    app = crashed_app()
    app._print_error_renderables()
    out, err = capfd.readouterr()
    assert err == APOLOGY + "\n" and "ZeroDivisionError" not in out + err
    assert app.return_code == 1


def test_a_clean_exit_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    app = ServedThawApp(load_pack(MINI), Progress(), served=True)
    app._print_error_renderables()
    assert capfd.readouterr() == ("", "")
    assert app.return_code in (None, 0)
    assert sys.stderr is not None
