from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import thaw_tui.pack.load
from thaw_tui.pack.cache import CACHE_FOLDER, load_pack_cached
from thaw_tui.pack.load import PackError

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "mini"


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(MINI, tmp_path / "pack"))


def _forbid_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path | None = None) -> None:
        raise AssertionError("the pack was parsed again instead of read from the cache")

    monkeypatch.setattr(thaw_tui.pack.load, "load_pack", refuse)


def test_second_start_reads_the_cache_not_the_yaml(
    pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_pack_cached(pack_dir, tmp_path / "state")
    _forbid_loading(monkeypatch)
    second = load_pack_cached(pack_dir, tmp_path / "state")
    assert second.pack.items.keys() == first.pack.items.keys()
    assert second.fingerprints == first.fingerprints
    entries = list((tmp_path / "state" / CACHE_FOLDER).iterdir())
    assert len(entries) == 1 and entries[0].stat().st_mode & 0o777 == 0o600


def test_an_edited_pack_is_loaded_afresh(pack_dir: Path, tmp_path: Path) -> None:
    before = load_pack_cached(pack_dir, tmp_path / "state")
    manifest = next(p for p in pack_dir.glob("*.yaml") if "pack:" in p.read_text())
    text = manifest.read_text()
    title = before.pack.manifest.title
    manifest.write_text(text.replace(title, title + " (revised)", 1))
    after = load_pack_cached(pack_dir, tmp_path / "state")
    assert after.pack.manifest.title == title + " (revised)"


def test_a_broken_pack_is_never_cached(pack_dir: Path, tmp_path: Path) -> None:
    (pack_dir / "zz-broken.yaml").write_text("events: [\n")
    for _ in range(2):
        with pytest.raises(PackError):
            load_pack_cached(pack_dir, tmp_path / "state")
    assert not list((tmp_path / "state" / CACHE_FOLDER).glob("*.pickle"))


def test_a_cache_others_can_write_is_not_trusted(
    pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_pack_cached(pack_dir, tmp_path / "state")
    os.chmod(tmp_path / "state" / CACHE_FOLDER, 0o777)
    calls: list[Path | None] = []
    real = thaw_tui.pack.load.load_pack

    def counting(path: Path | None = None):  # type: ignore[no-untyped-def]
        calls.append(path)
        return real(path)

    monkeypatch.setattr(thaw_tui.pack.load, "load_pack", counting)
    load_pack_cached(pack_dir, tmp_path / "state")
    assert calls == [pack_dir]


def test_a_damaged_cache_entry_falls_back_to_loading(pack_dir: Path, tmp_path: Path) -> None:
    first = load_pack_cached(pack_dir, tmp_path / "state")
    (entry,) = (tmp_path / "state" / CACHE_FOLDER).glob("*.pickle")
    entry.write_bytes(b"not a pickle at all")
    again = load_pack_cached(pack_dir, tmp_path / "state")
    assert again.pack.items.keys() == first.pack.items.keys()


def test_without_a_state_dir_nothing_is_written(pack_dir: Path, tmp_path: Path) -> None:
    loaded = load_pack_cached(pack_dir, None)
    assert len(loaded.pack) > 0
    assert not (tmp_path / "state").exists()


def test_a_change_to_the_code_that_builds_packs_misses_the_cache(
    pack_dir: Path, tmp_path: Path
) -> None:
    """Same version, same pack files, new builder code: the old entry must not be served."""
    import subprocess
    import sys

    import thaw_tui

    code = tmp_path / "code"
    shutil.copytree(
        Path(thaw_tui.__file__).parent,
        code / "thaw_tui",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    state = tmp_path / "state"
    probe = (
        "import sys; from pathlib import Path\n"
        "from thaw_tui.pack.cache import load_pack_cached\n"
        "print(load_pack_cached(Path(sys.argv[1]), Path(sys.argv[2])).pack.manifest.title)\n"
    )

    def title() -> str:
        env = {**os.environ, "PYTHONPATH": str(code), "PYTHONDONTWRITEBYTECODE": "1"}
        result = subprocess.run(
            [sys.executable, "-c", probe, str(pack_dir), str(state)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    original = title()
    assert title() == original  # the second start is a cache hit
    # A builder that now shouts the title: the kind of edit a loader change makes.
    with (code / "thaw_tui" / "pack" / "build.py").open("a") as build:
        build.write(
            "\n\n_build_pack_before = build_pack\n\n\n"
            "def build_pack(drafts):  # type: ignore[no-redef]\n"
            "    from msgspec.structs import replace\n"
            "    pack = _build_pack_before(drafts)\n"
            "    shouted = replace(pack.manifest, title=pack.manifest.title.upper())\n"
            "    return replace(pack, manifest=shouted)\n"
        )
    assert title() == original.upper() != original
    assert len(list((state / CACHE_FOLDER).glob("*.pickle"))) == 2


# --- the cache is no way to run code or to feed a reader another pack (red-team F3) ---
def _counting_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path | None]:
    calls: list[Path | None] = []
    real = thaw_tui.pack.load.load_pack

    def counting(path: Path | None = None):  # type: ignore[no-untyped-def]
        calls.append(path)
        return real(path)

    monkeypatch.setattr(thaw_tui.pack.load, "load_pack", counting)
    return calls


class _RunsCode:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_a_pickle_that_names_anything_but_the_pack_never_runs(
    pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even a file in the reader's own private cache folder cannot call os.system."""
    load_pack_cached(pack_dir, tmp_path / "state")
    (entry,) = (tmp_path / "state" / CACHE_FOLDER).glob("*.pickle")
    marker = tmp_path / "PWNED"
    entry.write_bytes(pickle.dumps(_RunsCode(marker)))
    calls = _counting_loads(monkeypatch)
    loaded = load_pack_cached(pack_dir, tmp_path / "state")
    assert not marker.exists()
    assert calls == [pack_dir] and len(loaded.pack) > 0


def test_a_linked_entry_is_not_followed(
    pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_pack_cached(pack_dir, tmp_path / "state")
    (entry,) = (tmp_path / "state" / CACHE_FOLDER).glob("*.pickle")
    elsewhere = tmp_path / "elsewhere.pickle"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    calls = _counting_loads(monkeypatch)
    load_pack_cached(pack_dir, tmp_path / "state")
    assert calls == [pack_dir]


def test_a_state_dir_below_a_folder_others_can_write_is_never_used(
    pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # no sticky bit: anyone may rename what is inside
    state = shared / "state"
    calls = _counting_loads(monkeypatch)
    load_pack_cached(pack_dir, state)
    load_pack_cached(pack_dir, state)
    assert calls == [pack_dir, pack_dir]
    assert not (state / CACHE_FOLDER).exists()
    shared.chmod(0o1777)  # sticky, like /tmp: only owners may rename
    load_pack_cached(pack_dir, state)
    load_pack_cached(pack_dir, state)
    assert len(calls) == 3


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to give a file to another user")
def test_an_entry_another_user_owns_is_not_read(
    pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_pack_cached(pack_dir, tmp_path / "state")
    (entry,) = (tmp_path / "state" / CACHE_FOLDER).glob("*.pickle")
    os.chown(entry, 65534, 65534)
    calls = _counting_loads(monkeypatch)
    load_pack_cached(pack_dir, tmp_path / "state")
    assert calls == [pack_dir]


def test_temporary_files_never_stay_behind(
    pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    folder = state / CACHE_FOLDER
    folder.mkdir(parents=True, mode=0o700)
    state.chmod(0o700)
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = folder / f".old.pickle.{finished.stdout.strip()}.tmp"
    alive = folder / f".busy.pickle.{os.getppid()}.tmp"
    for stray in (dead, alive):
        stray.write_bytes(b"half a pickle")

    # A write that fails half-way removes its own temporary file...
    def broken_dump(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(pickle, "dump", broken_dump)
        load_pack_cached(pack_dir, state)
    assert sorted(p.name for p in folder.iterdir()) == sorted([dead.name, alive.name])
    # ...and the next good write removes those whose writer died, not a live one's.
    load_pack_cached(pack_dir, state)
    names = sorted(p.name for p in folder.iterdir())
    assert alive.name in names and dead.name not in names
    assert [n for n in names if n.endswith(".pickle")] != []
