"""What `thaw` imports on its way to the first screen, each run in a fresh interpreter.

Start-up time rests on a few promises that no other test would notice breaking:

- on a pack-cache hit the reader never imports YAML, the loader or the validator;
- plain `thaw` (reading) never imports asyncssh, which only `thaw serve` needs;
- `thaw --help` and `thaw --version` never import textual;
- the pictures (`thaw_tui.pictures`) and the map data's parser load when a picture is
  first shown, never for the first paint;
- nor do the palette's item search, the picture panes, the first screen or the other
  commands' parsers load before the app runs.

Each probe runs `python -m thaw_tui ARGS` in a new process (so this test process's
own imports cannot hide anything) and records `sys.modules`. For the reader, the
app is built but its `run` is replaced, so no terminal is needed; the modules are
recorded at that moment, when everything start-up needs has been imported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

MINI_PACK = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "mini"

# Run as `python -c PROBE RESULT_FILE READ_APP ARGS...`: writes {"exit", "modules", "built"}.
PROBE = r"""
import json, runpy, sys

result_file, read_app, args = sys.argv[1], sys.argv[2] == "read", sys.argv[3:]
result = {"built": False}

def record():
    result["modules"] = sorted(sys.modules)

if read_app:
    from thaw_tui.ui.app import ThawApp

    def run_without_a_terminal(self, *args, **kwargs):
        result["built"] = True
        record()
        return None

    ThawApp.run = run_without_a_terminal
    sys.stdout.isatty = lambda: True  # `thaw` refuses to draw into a pipe
    sys.stdin.isatty = lambda: True  # or to take its keys from one

sys.argv = ["thaw", *args]
try:
    runpy.run_module("thaw_tui", run_name="__main__", alter_sys=True)
    result["exit"] = 0
except SystemExit as stop:
    result["exit"] = stop.code or 0
if "modules" not in result:
    record()
with open(result_file, "w") as out:
    json.dump(result, out)
"""

# What a cache hit must not import: the YAML parser, the loader and the validator.
LOADER_MODULES = ("yaml", "thaw_tui.pack.load", "thaw_tui.pack.checking")


def imported(modules: list[str], *names: str) -> list[str]:
    """The modules in `modules` that are one of `names` or inside one of them."""
    return [m for m in modules if any(m == n or m.startswith(f"{n}.") for n in names)]


def probe(tmp_path: Path, *args: str, read_app: bool = False) -> dict[str, object]:
    result_file = tmp_path / f"probe-{len(list(tmp_path.glob('probe-*')))}.json"
    env = {key: value for key, value in os.environ.items() if not key.startswith("THAW")}
    env["THAW_STATE_DIR"] = str(tmp_path / "unused-state")  # never the real home
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(result_file), "read" if read_app else "-", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result_file.exists(), f"the probe failed:\n{done.stdout}\n{done.stderr}"
    result: dict[str, object] = json.loads(result_file.read_text())
    result["stdout"], result["stderr"] = done.stdout, done.stderr
    return result


def modules_of(result: dict[str, object]) -> list[str]:
    modules = result["modules"]
    assert isinstance(modules, list)
    return [str(m) for m in modules]


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A private copy of a small valid pack, so the cache key is this test's own."""
    target = tmp_path / "pack"
    shutil.copytree(MINI_PACK, target)
    return target


def read(tmp_path: Path, pack: Path) -> dict[str, object]:
    """Start the reader on `pack` with a state dir in `tmp_path`, up to building the app."""
    state = tmp_path / "state"
    result = probe(tmp_path, "--content", str(pack), "--state-dir", str(state), read_app=True)
    assert result["exit"] == 0 and result["built"], result
    return result


def test_a_pack_cache_hit_imports_no_yaml_loader_or_validator(tmp_path: Path, pack: Path) -> None:
    first = read(tmp_path, pack)
    # The first start has no cache: it reads YAML and checks the pack. This also
    # shows the probe sees those imports when they happen.
    assert imported(modules_of(first), *LOADER_MODULES), "the first start should load YAML"
    assert list((tmp_path / "state" / "pack-cache").iterdir()), "nothing was cached"

    second = read(tmp_path, pack)
    assert imported(modules_of(second), *LOADER_MODULES) == []
    assert "thaw_tui.ui.app" in modules_of(second)  # the app really was built


def test_reading_never_imports_asyncssh(tmp_path: Path, pack: Path) -> None:
    for start in ("no cache yet", "cache hit"):
        modules = modules_of(read(tmp_path, pack))
        assert "thaw_tui.cli.read" in modules, start
        assert imported(modules, "asyncssh") == [], start


# Built when first needed, never before the reader's first paint: the palette's item
# search (and the page text under it), the picture panes, the first screen, and the
# parsers of the other commands (`thaw serve`'s options among them).
FIRST_USE_MODULES = (
    "thaw_tui.ui.commands",
    "thaw_tui.ui.page_text",
    "thaw_tui.ui.widgets.picture_panes",
    "thaw_tui.pack.relations",
    "thaw_tui.ui.screens.welcome",
    "thaw_tui.sshserve",
)


def test_what_the_first_screen_does_not_need_waits_for_first_use(
    tmp_path: Path, pack: Path
) -> None:
    read(tmp_path, pack)  # the first start writes the cache
    modules = modules_of(read(tmp_path, pack))
    assert "thaw_tui.ui.screens.main" in modules  # the app really was built
    assert imported(modules, *FIRST_USE_MODULES) == []


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_no_textual(tmp_path: Path, flag: str) -> None:
    result = probe(tmp_path, flag)
    assert result["exit"] == 0, result
    assert "thaw" in str(result["stdout"])  # it really printed the help or the version
    modules = modules_of(result)
    assert "thaw_tui.cli.main" in modules or "thaw_tui.cli" in modules
    assert imported(modules, "textual") == []


# Runs the app headless on a pack (its cache already written), up to its first paint,
# then shows the Timeline and then the Map: {"first": [...], "timeline": [...], "map": [...]}.
PAINT_PROBE = r"""
import asyncio, json, sys
from pathlib import Path

result_file, pack, state = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])

def thaw_dataclasses():
    return sorted(
        f"{name}.{value.__qualname__}"
        for name, module in list(sys.modules.items())
        if name.startswith("thaw_tui")
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == name
        and "__dataclass_fields__" in vars(value)
    )

async def main():
    from thaw_tui.pack.cache import load_pack_cached
    from thaw_tui.progress import Progress
    from thaw_tui.ui.app import ThawApp
    from thaw_tui.ui.pane_specs import PANE_KEYS

    # A returning reader's progress: the keys go to the panes, not the first screen.
    app = ThawApp(load_pack_cached(pack, state).pack, Progress(settings={"first-screen": "closed"}))
    seen = {}
    after_first_paint = ThawApp._after_first_paint

    def at_first_paint(self):
        seen["first_dataclasses"] = thaw_dataclasses()
        after_first_paint(self)

    ThawApp._after_first_paint = at_first_paint
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen["first"] = sorted(sys.modules)
        await pilot.press(PANE_KEYS["timeline"])
        await pilot.pause()
        seen["timeline"] = sorted(sys.modules)
        seen["timeline_dataclasses"] = thaw_dataclasses()
        await pilot.press(PANE_KEYS["map"])
        for _ in range(100):
            await pilot.pause(0.02)
            if app.screen.query("MapPanel"):
                break
        seen["map"] = sorted(sys.modules)
    with open(result_file, "w") as out:
        json.dump(seen, out)

asyncio.run(main())
"""


def test_pictures_and_the_map_data_load_when_first_shown_not_at_start_up(
    tmp_path: Path,
) -> None:
    from thaw_tui.pack.cache import load_pack_cached
    from thaw_tui.paths import default_content_dir

    pack = tmp_path / "pack"
    shutil.copytree(default_content_dir(), pack)  # the shipped pack: it has maps
    state = tmp_path / "state"
    assert load_pack_cached(pack, state).pack.maps  # writes the cache the probe will hit
    result_file = tmp_path / "paint.json"
    env = {key: value for key, value in os.environ.items() if not key.startswith("THAW")}
    done = subprocess.run(
        [sys.executable, "-c", PAINT_PROBE, str(result_file), str(pack), str(state)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result_file.exists(), f"the probe failed:\n{done.stdout}\n{done.stderr}"
    seen = json.loads(result_file.read_text())
    # First paint: no picture code and no atlas parser (nor YAML: a cache hit).
    assert (
        imported(seen["first"], "thaw_tui.pictures", "thaw_tui.pack.atlas", *LOADER_MODULES) == []
    )
    assert "thaw_tui.ui.screens.main" in seen["first"]
    # Nor a dataclass of thaw's own: on Python 3.11 each costs half a millisecond to
    # define (its methods are compiled at import), so records on the way to the first
    # screen are msgspec Structs (ARCHITECTURE.md, "Start-up"). The probe does see
    # dataclasses: the Timeline's ruler has some.
    assert seen["first_dataclasses"] == []
    assert imported(seen["timeline_dataclasses"], "thaw_tui.pictures.ruler")
    # The Timeline's ruler needs the ruler, not the map.
    assert "thaw_tui.pictures.ruler" in seen["timeline"]
    assert imported(seen["timeline"], "thaw_tui.pictures.mapdraw", "thaw_tui.pack.atlas") == []
    # The map: now the drawing code and the atlas are loaded, still without YAML.
    assert {"thaw_tui.pictures.mapdraw", "thaw_tui.pack.atlas"} <= set(seen["map"])
    assert imported(seen["map"], *LOADER_MODULES) == []
