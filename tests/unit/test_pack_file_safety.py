"""What the loader opens and how much it takes in (red-team F9, F10, F11): only regular
files inside the pack folder, never a link out of it or a FIFO, and a bounded pack."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from thaw_tui.pack.checking import collect
from thaw_tui.pack.load import Problem, read_pack
from thaw_tui.pack.reading import files

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "mini"
SECRET_LINES = [
    "root:$6$saltsalt$VerySecretHashValue:20228:0:99999:7:::",
    "token: hunter2-secret-value",
]


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(MINI, target)
    return target


def problems_in(pack: Path, timeout: float = 10) -> list[Problem]:
    """read_pack in a thread, so a loader that blocks fails the test instead of hanging it."""
    found: list[list[Problem]] = []
    worker = threading.Thread(target=lambda: found.append(read_pack(pack)[1]), daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), f"loading {pack} did not finish within {timeout}s"
    return found[0]


def about(problems: list[Problem], name: str) -> list[str]:
    return [f"{p.line}:{p.column}: {p.message}" for p in problems if p.file == name]


@pytest.mark.parametrize(
    "target",
    ["secret", "/etc/passwd", "/dev/zero", "/dev/urandom", "/proc/self/environ", "/"],
)
def test_a_link_out_of_the_pack_is_refused_without_reading_it(
    pack: Path, tmp_path: Path, target: str
) -> None:
    if target == "secret":
        secret = tmp_path / "shadow"
        secret.write_text("\n".join(SECRET_LINES) + "\n")
        secret.chmod(0o600)
        target = str(secret)
    (pack / "zz.yaml").symlink_to(target)
    problems = problems_in(pack)
    assert about(problems, "zz.yaml") == [
        "1:1: file is a symbolic link, which thaw does not read: a pack file must be a "
        "regular file in the pack folder (copy it in rather than linking to it)"
    ]
    report = "\n".join(str(p) for p in problems)
    for line in SECRET_LINES:
        for part in line.split(":"):
            if len(part) > 4:
                assert part not in report


def test_a_link_to_a_sibling_file_is_refused_too(pack: Path) -> None:
    (pack / "zz.yaml").symlink_to("terms.yaml")
    assert about(problems_in(pack), "zz.yaml")[0].startswith("1:1: file is a symbolic link")


@pytest.mark.parametrize("via_link", [False, True])
def test_a_fifo_is_refused_at_once_not_waited_on(
    pack: Path, tmp_path: Path, via_link: bool
) -> None:
    if via_link:
        os.mkfifo(tmp_path / "pipe")
        (pack / "zz.yaml").symlink_to(tmp_path / "pipe")
        kind = "a symbolic link"
    else:
        os.mkfifo(pack / "zz.yaml")
        kind = "a named pipe (FIFO)"
    started = time.monotonic()
    problems = problems_in(pack, timeout=5)
    assert time.monotonic() - started < 5
    assert about(problems, "zz.yaml")[0].startswith(f"1:1: file is {kind}, which thaw")


def test_validate_on_a_pack_with_a_fifo_ends_with_the_problem(pack: Path) -> None:
    os.mkfifo(pack / "zz.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "thaw_tui", "validate", str(pack)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "zz.yaml:1:1: -: file is a named pipe (FIFO), which thaw does not read" in result.stdout


def test_a_folder_named_like_a_pack_file_is_refused(pack: Path) -> None:
    (pack / "zz.yaml").mkdir()
    assert about(problems_in(pack), "zz.yaml")[0].startswith("1:1: file is a folder")


def test_a_pack_over_the_total_size_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    pack = tmp_path / "big"
    pack.mkdir()
    count = files.MAX_PACK_BYTES // files.MAX_FILE_BYTES + 1
    for number in range(count):
        with (pack / f"part-{number:03d}.yaml").open("wb") as handle:
            handle.truncate(files.MAX_FILE_BYTES)  # sparse: as big as allowed, costs nothing
    started = time.monotonic()
    problems = problems_in(pack)
    assert time.monotonic() - started < 2
    assert [p.message for p in problems] == [
        f"the pack holds {count * files.MAX_FILE_BYTES:,} bytes, over the "
        f"{files.MAX_PACK_BYTES:,}-byte (16 MiB) limit for a whole pack: make it smaller"
    ]


def test_a_pack_of_too_many_files_is_refused(tmp_path: Path) -> None:
    pack = tmp_path / "many"
    pack.mkdir()
    for number in range(files.MAX_PACK_FILES + 1):
        (pack / f"part-{number:04d}.yaml").write_text("terms: []\n")
    problems = problems_in(pack)
    assert [p.message for p in problems] == [
        f"the pack has {files.MAX_PACK_FILES + 1:,} files, over the limit of "
        f"{files.MAX_PACK_FILES:,}: put more items in each file"
    ]


def test_a_pack_with_too_many_values_stops_where_the_limit_is_reached(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_PACK_NODES", 60)
    problems = problems_in(pack)
    limit = [p for p in problems if "too many values" in p.message]
    assert len(limit) == 1
    # Nothing after the file where it stopped was read: no complaint about later files.
    later = sorted(path.name for path in pack.glob("*.yaml"))
    stopped_in = later.index(limit[0].file)
    assert not [p for p in problems if p.file in later[stopped_in + 1 :]]


def test_a_pack_with_too_many_items_says_where_it_stops(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collect, "MAX_PACK_ITEMS", 3)
    problems = problems_in(pack)
    limit = [p for p in problems if "items, the most thaw loads" in p.message]
    assert len(limit) == 1
    assert limit[0].message == (
        "the pack has more than 3 items, the most thaw loads: make the pack smaller"
    )
    assert limit[0].item_id != "-" and limit[0].line > 1
