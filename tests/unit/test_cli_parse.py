"""The command line: plain `thaw` is read without building the commands' parsers, and
reads exactly as the whole parser would, errors included."""

from __future__ import annotations

import argparse

import pytest

from thaw_tui.cli import main as cli_main
from thaw_tui.cli.main import build_parser, parse_command_line

READER_LINES = [
    [],
    ["--state-dir", "/tmp/s"],
    ["--content", "pack", "--reader", "alice", "--ephemeral"],
    ["--reset-progress", "-y"],
    ["--served", "--progress-url", "postgresql://u@h/db"],
    ["--sta", "/tmp/s"],  # an abbreviated option
]
# A folder named like a command: the whole parser is built, and still reads the reader.
LOOKS_LIKE_A_COMMAND = [["--content", "serve"]]
COMMAND_LINES = [
    ["validate", "somewhere"],
    ["--content", "pack", "export", "--format", "markdown"],
    ["progress", "migrate"],
    ["serve", "--port", "2222"],
]
BAD_LINES = [["--state-dir"], ["--bogus"], ["nothing"], ["--reader"]]


@pytest.mark.parametrize("argv", READER_LINES + LOOKS_LIKE_A_COMMAND + COMMAND_LINES, ids=" ".join)
def test_it_reads_as_the_whole_parser_does(argv: list[str]) -> None:
    assert parse_command_line(argv) == build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", READER_LINES, ids=" ".join)
def test_reading_builds_no_command_parsers(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_commands(parser: argparse.ArgumentParser) -> None:
        raise AssertionError("the commands' parsers were built")

    monkeypatch.setattr(cli_main, "_add_commands", no_commands)
    assert parse_command_line(argv).command is None


@pytest.mark.parametrize("argv", BAD_LINES, ids=" ".join)
def test_a_bad_line_gets_the_whole_parsers_message(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as expected:
        build_parser().parse_args(argv)
    expected_err = capsys.readouterr().err
    with pytest.raises(SystemExit) as got:
        parse_command_line(argv)
    assert got.value.code == expected.value.code == 2
    assert capsys.readouterr().err == expected_err
    assert "COMMAND" in expected_err  # the usage line names the commands


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_command_line(["--help"])
    out = capsys.readouterr().out
    assert all(command in out for command in cli_main.COMMANDS)
