"""Bad input never crashes the loader: mutate the mini pack every which way.

Each mutation must end in a list of problems (or a clean pack), never an
exception: `thaw validate` must not print a traceback for any pack.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from thaw_tui.pack.load import read_pack

MINI = Path(__file__).parents[1] / "fixtures" / "packs" / "mini"
FILES = sorted(path.name for path in MINI.glob("*.yaml"))
VALUE = re.compile(r"^(\s*-?\s*[a-z_]+: )(.+)$", flags=re.MULTILINE)
REPLACEMENTS = ["null", "[]", "{}", "[a, [b]]", "{x: 1}", "12", '""', "-3", "'", "*x"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(MINI, target)
    return target


def check(folder: Path) -> None:
    pack, problems = read_pack(folder)
    assert (pack is None) == bool(problems)
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message


@pytest.mark.parametrize("name", FILES)
def test_deleting_any_line_never_crashes(folder: Path, name: str) -> None:
    original = (MINI / name).read_text(encoding="utf-8").splitlines(keepends=True)
    for index in range(len(original)):
        (folder / name).write_text("".join(original[:index] + original[index + 1 :]))
        check(folder)


@pytest.mark.parametrize("name", FILES)
def test_replacing_any_value_never_crashes(folder: Path, name: str) -> None:
    original = (MINI / name).read_text(encoding="utf-8")
    for found in VALUE.finditer(original):
        for replacement in REPLACEMENTS:
            text = original[: found.start(2)] + replacement + original[found.end(2) :]
            (folder / name).write_text(text, encoding="utf-8")
            check(folder)


def test_random_byte_damage_never_crashes(folder: Path) -> None:
    rng = random.Random(20141)
    for _ in range(300):
        name = rng.choice(FILES)
        data = bytearray((MINI / name).read_bytes())
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        (folder / name).write_bytes(bytes(data))
        check(folder)
        shutil.copy(MINI / name, folder / name)
