"""The reader flags new/changed items from fingerprints the pack cache already holds,
instead of hashing every item again."""

from __future__ import annotations

from collections.abc import Mapping

from support.sample_pack import sample_pack
from ui_harness import wait_for

from thaw_tui.progress import PackDelta, Progress
from thaw_tui.ui.app import ThawApp


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
