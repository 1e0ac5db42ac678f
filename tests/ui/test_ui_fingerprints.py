"""The reader flags new/changed items from fingerprints the pack cache already holds,
instead of hashing every item again."""

from __future__ import annotations

import threading
from collections.abc import Mapping

import pytest
from support.sample_pack import sample_pack
from textual.worker import WorkerState
from ui_harness import wait_for

from thaw_tui.pack import fingerprint
from thaw_tui.pack.model import Item
from thaw_tui.progress import PackDelta, Progress
from thaw_tui.ui.app import ThawApp, fingerprints_of


class RecordingProgress(Progress):
    def __init__(self) -> None:
        super().__init__()
        self.noted: list[dict[str, str]] = []

    def note_pack(self, version: str, fingerprints: Mapping[str, str]) -> PackDelta:
        self.noted.append(dict(fingerprints))
        return PackDelta()


async def test_given_fingerprints_are_passed_to_the_store_as_they_are() -> None:
    pack = sample_pack()
    given = {item_id: f"cached-{n}" for n, item_id in enumerate(pack.items)}
    progress = RecordingProgress()
    app = ThawApp(pack, progress, fingerprints=given)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: bool(progress.noted))
    assert progress.noted == [given]


async def test_without_fingerprints_the_app_hashes_the_items_itself() -> None:
    from thaw_tui.pack.fingerprint import item_fingerprint

    pack = sample_pack()
    progress = RecordingProgress()
    app = ThawApp(pack, progress)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: bool(progress.noted))
    assert progress.noted == [{item.id: item_fingerprint(item) for item in pack}]


def test_hashing_stops_as_soon_as_it_is_cancelled() -> None:
    pack = sample_pack()
    answers = iter([False, False, True])
    assert fingerprints_of(pack, lambda: next(answers)) is None
    assert fingerprints_of(pack, lambda: False) == {
        item.id: fingerprint.item_fingerprint(item) for item in pack
    }


async def test_hashing_is_a_worker_that_quitting_cancels(monkeypatch: pytest.MonkeyPatch) -> None:
    started, go_on = threading.Event(), threading.Event()

    def slow_fingerprint(item: Item) -> str:
        started.set()
        go_on.wait(5)
        return "slow"

    monkeypatch.setattr(fingerprint, "item_fingerprint", slow_fingerprint)
    progress = RecordingProgress()
    app = ThawApp(sample_pack(), progress)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            assert await wait_for(pilot, started.is_set)
            (worker,) = [worker for worker in app.workers if worker.name == "prepare"]
            assert worker.state is WorkerState.RUNNING
        # The app has quit while the first item was being hashed.
        assert worker.is_cancelled
        assert progress.noted == []
    finally:
        go_on.set()  # the worker's thread sees it is cancelled and stops
