"""`thaw` itself before the app starts: not a terminal, a broken pack, --reset-progress."""

from __future__ import annotations

import argparse
import gc
import io
import re
import sys
from pathlib import Path

import pytest
from support.broken_packs import make_broken_pack

from thaw_tui.cli import read
from thaw_tui.cli.read import NOT_A_TERMINAL, run_reader
from thaw_tui.pack.model import Pack
from thaw_tui.progress.store import DB_FILENAME, open_progress
from thaw_tui.ui.app import settle_garbage_collector


def args(**overrides: object) -> argparse.Namespace:
    values: dict[str, object] = {
        "content": None,
        "state_dir": None,
        "reader": "local",
        "reset_progress": False,
        "ephemeral": False,
        "served": False,
        "yes": False,
    }
    values.update(overrides)
    return argparse.Namespace(**values)


def test_not_a_terminal_prints_one_line_and_returns_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert run_reader(args()) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == NOT_A_TERMINAL + "\n"
    assert "\x1b" not in err


def test_broken_pack_prints_problems_and_returns_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    broken = make_broken_pack("dangling-link", tmp_path)
    assert run_reader(args(content=str(broken))) == 1
    err = capsys.readouterr().err
    assert "problems" in err and ".yaml:" in err
    assert "Traceback" not in err


# --- plain `thaw` needs a terminal both ways (B12), and says plainly what is wrong with
# --content first (B13) -----------------------------------------------------------------


@pytest.fixture
def app_never_runs(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Replace the app with a stub that records that it would have run."""
    runs: list[object] = []

    def fake_run_app(*given: object, **options: object) -> int:
        runs.append(given)
        return 0

    monkeypatch.setattr(read, "run_app", fake_run_app)
    return runs


def terminal(monkeypatch: pytest.MonkeyPatch, *, stdin: bool, stdout: bool) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: stdin)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: stdout)


def test_stdin_that_is_not_a_terminal_is_refused_like_stdout(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    app_never_runs: list[object],
) -> None:
    terminal(monkeypatch, stdin=False, stdout=True)  # `echo hi | thaw`
    assert run_reader(args()) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", NOT_A_TERMINAL + "\n")
    assert app_never_runs == []


def test_with_a_terminal_both_ways_the_app_runs(
    monkeypatch: pytest.MonkeyPatch, app_never_runs: list[object], tmp_path: Path
) -> None:
    terminal(monkeypatch, stdin=True, stdout=True)
    assert run_reader(args(state_dir=str(tmp_path / "state"))) == 0
    assert len(app_never_runs) == 1


def test_the_garbage_collector_waits_for_the_first_screen_and_comes_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    terminal(monkeypatch, stdin=True, stdout=True)
    collecting_when_run: list[bool] = []

    def fake_run_app(*given: object, **options: object) -> int:
        collecting_when_run.append(gc.isenabled())
        settle_garbage_collector()  # what the app does once it has painted
        collecting_when_run.append(gc.isenabled())
        gc.unfreeze()  # (the test process's objects are not start-up's)
        gc.disable()  # (so that returning is seen to turn it on as well)
        return 0

    monkeypatch.setattr(read, "run_app", fake_run_app)
    assert gc.isenabled()
    assert run_reader(args(state_dir=str(tmp_path / "state"))) == 0
    assert collecting_when_run == [False, True]
    assert gc.isenabled()


@pytest.mark.parametrize("stdout_is_a_terminal", [True, False], ids=["terminal", "piped"])
@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        ("nowhere", "{path} does not exist: give the path of a pack folder."),
        ("empty", "{path} holds no pack files (*.yaml): give the folder of a content pack."),
        ("a-file", "{path} is not a folder: give the folder that holds the pack's *.yaml files."),
    ],
)
def test_a_wrong_content_folder_is_one_sentence_naming_it(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    app_never_runs: list[object],
    tmp_path: Path,
    folder: str,
    expected: str,
    stdout_is_a_terminal: bool,
) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "a-file").write_text("pack: {}\n", encoding="utf-8")
    terminal(monkeypatch, stdin=True, stdout=stdout_is_a_terminal)
    path = tmp_path / folder
    assert run_reader(args(content=str(path), state_dir=str(tmp_path / "state"))) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "thaw: " + expected.format(path=path) + "\n"
    assert ":1:1" not in err and "not a terminal" not in err
    assert app_never_runs == []


# --- --reset-progress asks first, and counts what the header counts (B3) ------------------


@pytest.fixture(scope="module")
def shipped() -> Pack:
    from thaw_tui.pack.load import load_pack

    return load_pack(None)


def read_some(state: Path, pack: Pack, seen: int, unseen_again: int = 0) -> list[str]:
    """Mark `seen` items seen, and `unseen_again` more seen then unseen; return the seen."""
    ids = list(pack.items)
    progress = open_progress(state, "local", pack.manifest.id)
    progress.mark(ids[: seen + unseen_again])
    progress.mark(ids[seen : seen + unseen_again], seen=False)
    header = progress.count_seen(ids)  # what the reader's header shows
    progress.close()
    assert header == seen
    return ids[:seen]


def saved_seen(state: Path, pack: Pack) -> set[str]:
    progress = open_progress(state, "local", pack.manifest.id)
    try:
        return set(progress.seen)
    finally:
        progress.close()


def answer(monkeypatch: pytest.MonkeyPatch, typed: str) -> None:
    """The reader types `typed` at the terminal."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)


def test_reset_without_a_terminal_needs_yes_and_keeps_progress_without_it(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    shipped: Pack,
) -> None:
    terminal(monkeypatch, stdin=False, stdout=False)
    state = tmp_path / "state"
    seen = read_some(state, shipped, 3)
    assert run_reader(args(state_dir=str(state), reset_progress=True)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "--yes" in err and "3 items seen" in err and "cannot be undone" in err
    assert saved_seen(state, shipped) == set(seen)


def test_reset_with_yes_counts_what_the_header_counts(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    shipped: Pack,
) -> None:
    terminal(monkeypatch, stdin=False, stdout=False)  # a script
    state = tmp_path / "state"
    read_some(state, shipped, 15, unseen_again=2)  # the review's 15/90 seen, 17 rows
    assert run_reader(args(state_dir=str(state), reset_progress=True, yes=True)) == 0
    out = capsys.readouterr().out
    assert "forgot 15 items seen and 2 items marked unseen again." in out
    # (Not "17" anywhere: the state folder's path, which the line names, may hold it.)
    assert not re.search(r"\b17 items?\b", out)
    assert saved_seen(state, shipped) == set()


@pytest.mark.parametrize("typed", ["\n", "n\n", "no\n", "", "yolo\n"])
def test_reset_on_a_terminal_asks_and_anything_but_yes_keeps_progress(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    shipped: Pack,
    typed: str,
) -> None:
    terminal(monkeypatch, stdin=True, stdout=True)
    answer(monkeypatch, typed)
    state = tmp_path / "state"
    seen = read_some(state, shipped, 3)
    assert run_reader(args(state_dir=str(state), reset_progress=True)) == 0
    err = capsys.readouterr().err
    assert "(3 items seen" in err and "[y/N]" in err
    assert "Nothing was reset." in err
    assert saved_seen(state, shipped) == set(seen)


@pytest.mark.parametrize("typed", ["y\n", "Y\n", "yes\n"])
def test_reset_on_a_terminal_goes_ahead_on_yes(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    shipped: Pack,
    typed: str,
) -> None:
    terminal(monkeypatch, stdin=True, stdout=True)
    answer(monkeypatch, typed)
    state = tmp_path / "state"
    read_some(state, shipped, 1)
    assert run_reader(args(state_dir=str(state), reset_progress=True)) == 0
    out, err = capsys.readouterr()
    assert "(1 item seen" in err
    assert "forgot 1 item seen." in out
    assert saved_seen(state, shipped) == set()


def test_reset_with_no_progress_says_so_and_creates_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    terminal(monkeypatch, stdin=False, stdout=False)
    state = tmp_path / "state"
    assert run_reader(args(state_dir=str(state), reset_progress=True)) == 0
    assert "nothing to reset" in capsys.readouterr().out
    assert not (state / DB_FILENAME).exists()
