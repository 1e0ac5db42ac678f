"""Regenerate screenshots/*.svg: every pane, an item page, its map, a thread, the help,
the first screen and a search, at 100x30, and the same at the usual 80x24 in
screenshots/80x24/.

Run from the repository root: `python scripts/screenshots.py [--size 100x30]`.
Progress is a real progress store (as a reader has it, so the header shows no "not
saved" warning) in a temporary state folder, with a few items marked seen so the
marks show; the first screen is taken as a new reader sees it, with nothing read.
Your own reading progress is never touched.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from textual.pilot import Pilot

from thaw_tui.pack.load import load_pack
from thaw_tui.pack.model import Pack
from thaw_tui.progress import Progress
from thaw_tui.progress.store import open_progress
from thaw_tui.ui.app import ThawApp
from thaw_tui.ui.pane_specs import PANE_KEYS, PANES
from thaw_tui.ui.screens.welcome import WELCOME_SETTING, WelcomeScreen

OUT = Path(__file__).resolve().parents[1] / "screenshots"
NARROW = (80, 24)  # the usual terminal: its shots go to screenshots/80x24/


def sample_progress(pack: Pack, state_dir: Path, *, new_reader: bool = False) -> Progress:
    """Some of the story and the first thread's early steps seen, as after a short read
    (or, for a new reader, nothing at all)."""
    progress = open_progress(state_dir, "local", pack.manifest.id)
    if not progress.persistent:
        raise SystemExit(f"screenshots: could not open a progress store in {state_dir}")
    if new_reader:
        return progress
    progress.remember_setting(WELCOME_SETTING, "closed")
    story = [item.id for item in pack if item.kind.value == "section"][:3]
    steps = list(pack.threads[0].steps[:3]) if pack.threads else []
    progress.mark(story + steps)
    return progress


async def shoot(pack: Pack, size: tuple[int, int], state_dir: Path, out: Path) -> list[Path]:
    written: list[Path] = []

    async def save(app: ThawApp, pilot: Pilot[int], name: str) -> None:
        await pilot.pause(0.3)
        path = out / f"{name}.svg"
        app.save_screenshot(path.name, str(out))
        written.append(path)

    progress = sample_progress(pack, state_dir / "reading")
    app = ThawApp(pack, progress)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for pane in PANES:
            key = PANE_KEYS[pane.id]
            await pilot.press(key)
            await save(app, pilot, f"pane-{key}-{pane.id}")
        await pilot.press(PANE_KEYS["disputes"], "enter")
        await save(app, pilot, "detail-dispute")
        await pilot.press("w")  # the dispute's page has a place: the map, zoomed in on it
        await save(app, pilot, "map-from-page")
        await pilot.press("escape")
        await pilot.press("escape", PANE_KEYS["threads"], "enter")
        await save(app, pilot, "thread-steps")
        await pilot.press("escape", PANE_KEYS["story"], "slash", *"Kuril")
        await save(app, pilot, "search-story")
        await pilot.press("escape", "question_mark")
        await save(app, pilot, "help")
    progress.close()

    new_reader = sample_progress(pack, state_dir / "new", new_reader=True)
    app = ThawApp(pack, new_reader)
    async with app.run_test(size=size) as pilot:
        for _ in range(100):
            if isinstance(app.screen, WelcomeScreen):
                break
            await pilot.pause(0.02)
        await save(app, pilot, "first-screen")
    new_reader.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="100x30", help="the wider size, e.g. 100x30")
    parser.add_argument("--content", default=None, help="content pack (default: shipped)")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    pack = load_pack(Path(args.content) if args.content else None)
    for size, out in (((width, height), OUT), (NARROW, OUT / "80x24")):
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="thaw-screenshots-") as state_dir:
            for path in asyncio.run(shoot(pack, size, Path(state_dir), out)):
                print(path.relative_to(OUT.parent))


if __name__ == "__main__":
    main()
