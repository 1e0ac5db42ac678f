"""`thaw` itself before the app starts: not a terminal, a broken pack, --reset-progress."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest
from support.broken_packs import make_broken_pack

from thaw_tui.cli.read import NOT_A_TERMINAL, run_reader
from thaw_tui.progress.store import open_progress


def args(**overrides: object) -> argparse.Namespace:
    values: dict[str, object] = {
        "content": None,
        "state_dir": None,
        "reader": "local",
        "reset_progress": False,
        "ephemeral": False,
        "served": False,
    }
    values.update(overrides)
    return argparse.Namespace(**values)


def test_not_a_terminal_prints_one_line_and_returns_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert run_reader(args()) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == NOT_A_TERMINAL + "\n"
    assert "\x1b" not in err


def test_broken_pack_prints_problems_and_returns_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    broken = make_broken_pack("dangling-link", tmp_path)
    assert run_reader(args(content=str(broken))) == 1
    err = capsys.readouterr().err
    assert "problems" in err and ".yaml:" in err
    assert "Traceback" not in err


def test_reset_progress_asks_nothing_and_says_what_it_removed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)  # works in scripts too
    from thaw_tui.pack.load import load_pack

    pack = load_pack(None)
    state = tmp_path / "reset-state"
    progress = open_progress(state, "local", pack.manifest.id)
    progress.mark(list(pack.items)[:3])
    progress.close()
    assert run_reader(args(state_dir=str(state), reset_progress=True)) == 0
    out = capsys.readouterr().out
    assert "what you had marked on 3 items is forgotten" in out
    again = open_progress(state, "local", pack.manifest.id)
    assert again.seen == set()
    again.close()
