"""`thaw validate`: output, summary and exit codes; and the shipped pack is clean."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.broken_packs import make_broken_pack

from thaw_tui.cli.main import main
from thaw_tui.cli.validate import run_validate
from thaw_tui.pack.load import read_pack
from thaw_tui.paths import default_content_dir

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINI = FIXTURES / "packs" / "mini"


def test_clean_pack_exits_0_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_validate(MINI) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{MINI}: 12 items, 2 threads: no problems found."]


def test_problems_are_printed_one_per_line_then_summarised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINI, pack)
    events = pack / "events.yaml"
    events.write_text(
        events.read_text(encoding="utf-8").replace("era: recent", "era: recnt"), encoding="utf-8"
    )
    (pack / "terms.yaml").write_bytes(b"terms: [\x1b]\n")
    assert run_validate(pack) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "events.yaml:19:10: talks-2013: unknown era 'recnt' — did you mean 'recent'?",
        "terms.yaml:1:9: -: unsafe character U+001B ESCAPE: remove it (control and "
        "bidirectional-override characters are not allowed)",
        "threads.yaml:5:78: the-islands: thread step 'peace-treaty' is not an item: "
        "fix the id or remove the step",
        "3 problems in 3 files.",
    ]


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_validate(tmp_path / "nope") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        captured.err
        == f"thaw validate: {tmp_path / 'nope'} does not exist: give the path of a pack folder.\n"
    )


def test_a_file_instead_of_a_folder_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_validate(MINI / "pack.yaml") == 2
    assert "is not a folder" in capsys.readouterr().err


def test_the_command_line_dispatches_to_validate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["validate", str(make_broken_pack("dangling-link", tmp_path))]) == 1
    out = capsys.readouterr().out
    assert "events.yaml:24:18: talks-2013: unknown actor 'leadr-a'" in out


def test_validate_pack_returns_problems_sorted_by_place(tmp_path: Path) -> None:
    problems = read_pack(make_broken_pack("unknown-field", tmp_path))[1]
    assert [(p.file, p.line, p.column) for p in problems] == [("actors.yaml", 22, 5)]


def test_the_shipped_pack_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert [str(problem) for problem in read_pack(default_content_dir())[1]] == []
    assert run_validate(None) == 0
    assert capsys.readouterr().out.endswith("no problems found.\n")
