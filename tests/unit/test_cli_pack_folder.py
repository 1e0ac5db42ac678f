"""A wrong pack folder is one plain sentence naming it, in every command (ux-review B13):
no made-up `path:1:1:` position, no "1 problem in 1 file", and not hidden behind "not a
terminal" when stdout is piped (as it is here, under pytest's capture)."""

from __future__ import annotations

from pathlib import Path

import pytest

from thaw_tui.cli.main import main
from thaw_tui.cli.pack_folder import pack_folder_problem

MINI = Path(__file__).parents[1] / "fixtures" / "packs" / "mini"

COMMANDS = {
    "thaw": ["--content", "{path}"],
    "thaw export": ["export", "--content", "{path}"],
    "thaw export (option first)": ["--content", "{path}", "export", "--format", "markdown"],
    "thaw serve": ["serve", "--open", "--content", "{path}"],
    "thaw validate": ["validate", "{path}"],
}
PREFIX = {"thaw": "thaw: ", "thaw serve": "thaw serve: ", "thaw validate": "thaw validate: "}


@pytest.fixture
def folders(tmp_path: Path) -> Path:
    (tmp_path / "empty").mkdir()
    (tmp_path / "only-yml").mkdir()
    (tmp_path / "only-yml" / "pack.yml").write_text("pack: {}\n", encoding="utf-8")
    (tmp_path / "a-file.yaml").write_text("pack: {}\n", encoding="utf-8")
    return tmp_path


SENTENCES = {
    "nowhere": "{path} does not exist: give the path of a pack folder.",
    "empty": "{path} holds no pack files (*.yaml): give the folder of a content pack.",
    "only-yml": "{path} holds no *.yaml files: rename its *.yml files to end in .yaml.",
    "a-file.yaml": "{path} is not a folder: give the folder that holds the pack's *.yaml files.",
}


@pytest.mark.parametrize("folder", list(SENTENCES))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_says_what_is_wrong_with_the_folder_in_one_sentence(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    folders: Path,
    folder: str,
    command: str,
) -> None:
    monkeypatch.setenv("THAW_STATE_DIR", str(folders / "state"))
    path = folders / folder
    argv = [arg.format(path=path) for arg in COMMANDS[command]]

    assert main(argv) == 2

    out, err = capsys.readouterr()
    assert out == ""
    prefix = PREFIX.get(command.split(" (")[0], "thaw export: ")
    assert err == prefix + SENTENCES[folder].format(path=path) + "\n"
    assert not (folders / "state").exists(), "something ran before the folder was checked"


def test_a_pack_folder_is_left_to_the_loader() -> None:
    assert pack_folder_problem(MINI) is None


def test_a_folder_that_cannot_be_listed_says_so(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o000)
    try:
        if list(locked.iterdir()) is not None:  # root reads anything: nothing to test
            pytest.skip("running as root")
    except PermissionError:
        pass
    try:
        problem = pack_folder_problem(locked)
    finally:
        locked.chmod(0o700)
    assert problem is not None
    assert problem.startswith(f"{locked} cannot be read (Permission denied)")


@pytest.mark.parametrize("command", [["export"], ["serve"], ["progress", "migrate"]])
@pytest.mark.parametrize(
    ("option", "dest"),
    [("--content", "content"), ("--state-dir", "state_dir"), ("--progress-url", "progress_url")],
)
def test_shared_options_mean_the_same_before_or_after_the_command(
    command: list[str], option: str, dest: str
) -> None:
    from thaw_tui.cli.main import build_parser

    value = "postgresql://reader@db/thaw" if dest == "progress_url" else "/some/where"
    before = build_parser().parse_args([option, value, *command])
    after = build_parser().parse_args([*command, option, value])
    assert getattr(before, dest) == getattr(after, dest) == value
