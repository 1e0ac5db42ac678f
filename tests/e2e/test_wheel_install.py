"""The shipped pack must travel inside the wheel: build it, install it into a fresh
virtual environment, and export the pack from there (outside the source tree). Its
map data goes with it, with the licence notice that comes with that data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_wheel_carries_the_shipped_pack(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(wheels)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("thaw_tui-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for shipped in ("coastlines.json", "LICENSE-world-atlas.txt", "README.md"):
            path = f"thaw_tui/content/maps/{shipped}"
            assert path in names, f"{path} is not in the wheel"
            assert archive.read(path) == (ROOT / "content" / "maps" / shipped).read_bytes()

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True)

    # Run from an empty directory so nothing can be found through the checkout.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    clean_env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    result = subprocess.run(
        [str(env_dir / "bin" / "thaw"), "export", "--format", "json"],
        cwd=elsewhere,
        env=clean_env,
        capture_output=True,
        text=True,
        check=True,
    )
    exported = json.loads(result.stdout)
    assert exported["format"] == "thaw-pack-export"
    assert exported["manifest"]["id"] == "thawing-relations"
    kinds = {item["kind"] for item in exported["items"]}
    assert {"section", "event", "actor", "dispute", "consequence", "source"} <= kinds
    assert len(exported["threads"]) >= 4
    # The map was read from the installed copy: its regions, with the items placed.
    (coastlines,) = exported["pictures"]["maps"]
    assert {region["id"] for region in coastlines["regions"]} == {"kurils", "senkaku"}
    assert all(region["markers"] for region in coastlines["regions"])
    located = subprocess.run(
        [str(python), "-c", "import thaw_tui.paths as p; print(p.default_content_dir())"],
        cwd=elsewhere,
        env=clean_env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(env_dir) in located.stdout, "content must come from the installed wheel"
