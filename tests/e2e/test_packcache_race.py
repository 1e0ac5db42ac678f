"""The pack cache under the red-team's directory-swap race (F3), run for real.

Another local user (`nobody`) who can write a folder above the state directory keeps
swapping the state directory with a look-alike of their own (`renameat2` with
RENAME_EXCHANGE) while this process, as root, reads the cache in a loop. Before the
fix the attacker's pickle was loaded within a few hundred reads and ran its code as
root. Now neither the attacker's code nor their data is ever read.

Needs root (to be the victim and to become `nobody`). The race runs for
THAW_RACE_SECONDS per case (default 2; the review ran it for 30).
"""

from __future__ import annotations

import os
import pickle
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from msgspec.structs import replace

from thaw_tui.pack import cache
from thaw_tui.pack.cache import CachedPack, read_entry, write_entry
from thaw_tui.pack.load import load_pack

REPO = Path(__file__).resolve().parents[2]
RACE_SECONDS = float(os.environ.get("THAW_RACE_SECONDS", "2"))
ENTRY = "race.pickle"
# The attacker needs only the standard library, and a Python `nobody` may run (this
# virtualenv may live in root's home folder, which `nobody` cannot enter).
ATTACKER_PYTHON = "/usr/bin/python3"

ATTACKER = r"""
import ctypes, os, sys
shared, payload = sys.argv[1], sys.stdin.buffer.read()
fake = os.path.join(shared, "fake")
os.makedirs(os.path.join(fake, "pack-cache"), mode=0o700)
with open(os.path.join(fake, "pack-cache", "race.pickle"), "wb") as handle:
    handle.write(payload)
libc = ctypes.CDLL(None, use_errno=True)
exchange = libc.renameat2
AT_FDCWD, RENAME_EXCHANGE = -100, 2
real = os.path.join(shared, "st").encode()
mine = fake.encode()
print("ready", flush=True)
swaps = 0
while True:
    if exchange(AT_FDCWD, real, AT_FDCWD, mine, RENAME_EXCHANGE) == 0:
        swaps += 1
"""


class RunsCode:
    """Unpickling this runs a shell command: the attacker's payload."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"id > {self.marker}",))


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder every user can write, without the sticky bit, that `nobody` can reach."""
    if os.getuid() != 0:
        pytest.skip("the race needs root: a victim, and `nobody` as the attacker")
    if not os.access(ATTACKER_PYTHON, os.X_OK):
        pytest.skip(f"no {ATTACKER_PYTHON} for the attacker to run")
    base = Path(tempfile.mkdtemp(prefix="thaw-race-", dir="/tmp"))
    base.chmod(0o755)
    folder = base / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(base, ignore_errors=True)


def become_nobody() -> None:
    nobody = pwd.getpwnam("nobody")
    os.setgroups([])
    os.setgid(nobody.pw_gid)
    os.setuid(nobody.pw_uid)


@pytest.mark.parametrize("payload", ["code", "spoof"])
@pytest.mark.parametrize("ancestors", ["checked", "unchecked"])
def test_swapping_the_state_dir_never_gets_anything_read(
    shared: Path, payload: str, ancestors: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`checked` is thaw as shipped: a state dir below a folder others can write is
    never trusted, so nothing is read at all. `unchecked` switches that check off to
    show the second line holds alone: folders opened once and read by descriptor."""
    genuine = load_pack(REPO / "tests" / "fixtures" / "packs" / "mini")
    state = shared / "st"
    with monkeypatch.context() as trusting:
        trusting.setattr(cache, "_safe_ancestor", lambda info: True)
        write_entry(state, ENTRY, CachedPack(genuine, {}))
        assert read_entry(state, ENTRY) is not None
    if ancestors == "unchecked":
        monkeypatch.setattr(cache, "_safe_ancestor", lambda info: True)
    else:
        assert read_entry(state, ENTRY) is None
    marker = shared / "PWNED"
    if payload == "code":
        planted = pickle.dumps(RunsCode(marker))
    else:  # a well-formed cache of a different pack: content the victim never chose
        spoof = replace(genuine, manifest=replace(genuine.manifest, title="SPOOFED"))
        planted = pickle.dumps(CachedPack(spoof, {}), protocol=pickle.HIGHEST_PROTOCOL)

    attacker = subprocess.Popen(
        [ATTACKER_PYTHON, "-c", ATTACKER, str(shared)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        preexec_fn=become_nobody,
        cwd="/",
    )
    try:
        assert attacker.stdin is not None and attacker.stdout is not None
        attacker.stdin.write(planted)
        attacker.stdin.close()
        assert attacker.stdout.readline().strip() == b"ready"
        reads = genuine_reads = refused = 0
        deadline = time.monotonic() + RACE_SECONDS
        while time.monotonic() < deadline:
            got = read_entry(state, ENTRY)
            reads += 1
            if got is None:
                refused += 1
            else:
                assert got.pack.manifest.title == genuine.manifest.title
                genuine_reads += 1
            assert not marker.exists(), f"the payload ran after {reads} reads"
        assert attacker.poll() is None, "the attacker stopped swapping"
    finally:
        attacker.kill()
        attacker.wait()
    assert not marker.exists()
    if ancestors == "checked":
        assert genuine_reads == 0 and refused == reads > 100
    else:
        # The race really ran: some reads met the attacker's folder and were refused,
        # others got the genuine pack.
        assert refused > 0 and genuine_reads > 0, (reads, refused, genuine_reads)
