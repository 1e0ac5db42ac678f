"""Commands whose stdout cannot hold every character (ux-review B15): under
PYTHONIOENCODING=ascii or latin-1 (or a C locale), a Markdown export is refused with a
sentence, JSON falls back to \\u escapes, reports are escaped, files written with -o are
UTF-8, and nothing ends in a traceback. Run as real processes: the encoding of stdout is
fixed when Python starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.broken_packs import make_broken_pack

from thaw_tui.pack.export import export_json, export_markdown
from thaw_tui.pack.load import load_pack
from thaw_tui.pack.schema import pack_schema

NARROW = ["ascii", "latin-1"]


def thaw(*args: str, encoding: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("THAW")}
    env.update(PYTHONIOENCODING=encoding, THAW_STATE_DIR=str(cwd / "state"))
    return subprocess.run(
        [sys.executable, "-m", "thaw_tui", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def assert_no_traceback(result: subprocess.CompletedProcess[bytes]) -> None:
    assert b"Traceback" not in result.stderr, result.stderr.decode("utf-8", "replace")
    assert b"UnicodeEncodeError" not in result.stderr


@pytest.mark.parametrize("encoding", NARROW)
def test_markdown_to_a_narrow_stdout_is_refused_with_the_fix(tmp_path: Path, encoding: str) -> None:
    result = thaw("export", "--format", "markdown", encoding=encoding, cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 2
    assert result.stdout == b"", "a partial or mangled export was written"
    err = result.stderr.decode("ascii")  # the message itself is plain ASCII
    assert err.startswith("thaw export: standard output is in ")
    assert "cannot hold U+" in err and "-o FILE" in err and "UTF-8" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("encoding", NARROW)
def test_json_to_a_narrow_stdout_is_escaped_and_means_the_same(
    tmp_path: Path, encoding: str
) -> None:
    result = thaw("export", "--format", "json", encoding=encoding, cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 0
    result.stdout.decode("ascii")  # every character escaped
    assert json.loads(result.stdout) == json.loads(json.dumps(export_json(load_pack())))


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_a_file_written_with_o_is_always_utf8(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    result = thaw("export", "--format", fmt, "-o", str(target), encoding="ascii", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 0 and result.stdout == b""
    text = target.read_bytes().decode("utf-8")
    pack = load_pack()
    if fmt == "json":
        assert json.loads(text) == json.loads(json.dumps(export_json(pack)))
        assert any(ord(c) > 127 for c in text), "escaped instead of written as UTF-8"
    else:
        assert text == export_markdown(pack)


def test_utf8_stdout_gets_the_characters_as_they_are(tmp_path: Path) -> None:
    result = thaw("export", "--format", "markdown", encoding="utf-8", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.decode("utf-8") == export_markdown(load_pack())


def test_validate_reports_non_ascii_problems_to_an_ascii_stdout(tmp_path: Path) -> None:
    broken = make_broken_pack("dangling-link", tmp_path)  # "... — did you mean ...?"
    result = thaw("validate", str(broken), encoding="ascii", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 1
    out = result.stdout.decode("ascii")
    assert "unknown actor 'leadr-a' \\u2014 did you mean 'leader-a'?" in out
    assert "1 problem in 1 file." in out


def test_schema_to_an_ascii_stdout_is_the_same_schema(tmp_path: Path) -> None:
    result = thaw("schema", encoding="ascii", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 0
    assert json.loads(result.stdout) == json.loads(json.dumps(pack_schema()))


def test_messages_with_characters_stdout_cannot_hold_are_escaped(tmp_path: Path) -> None:
    # A reader id from the command line is printed back by --reset-progress.
    result = thaw("--reader", "читатель", "--reset-progress", encoding="ascii", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 0
    assert "\\u0447" in result.stdout.decode("ascii")
