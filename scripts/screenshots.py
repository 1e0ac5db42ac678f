"""Regenerate screenshots/*.svg: every pane, an item page, its map, a thread and the help.

Run from the repository root: `python scripts/screenshots.py [--size 100x30]`.
Progress is a real progress store (as a reader has it, so the header shows no "not
saved" warning) in a temporary state folder, with a few items marked seen so the
marks show; your own reading progress is never touched.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from thaw_tui.pack.load import load_pack
from thaw_tui.pack.model import Pack
from thaw_tui.progress import Progress
from thaw_tui.progress.store import open_progress
from thaw_tui.ui.app import ThawApp
from thaw_tui.ui.pane_specs import PANES

OUT = Path(__file__).resolve().parents[1] / "screenshots"


def sample_progress(pack: Pack, state_dir: Path) -> Progress:
    """Some of the story and the first thread's early steps seen, as after a short read."""
    progress = open_progress(state_dir, "local", pack.manifest.id)
    if not progress.persistent:
        raise SystemExit(f"screenshots: could not open a progress store in {state_dir}")
    story = [item.id for item in pack if item.kind.value == "section"][:3]
    steps = list(pack.threads[0].steps[:3]) if pack.threads else []
    progress.mark(story + steps)
    return progress


async def shoot(pack: Pack, size: tuple[int, int], state_dir: Path) -> list[Path]:
    written: list[Path] = []
    progress = sample_progress(pack, state_dir)
    app = ThawApp(pack, progress)
    async with app.run_test(size=size) as pilot:

        async def save(name: str) -> None:
            await pilot.pause(0.3)
            path = OUT / f"{name}.svg"
            app.save_screenshot(path.name, str(OUT))
            written.append(path)

        await pilot.pause()
        for number, pane in enumerate(PANES, 1):
            await pilot.press(str(number))
            await save(f"pane-{number}-{pane.id}")
        await pilot.press("4", "enter")
        await save("detail-dispute")
        await pilot.press("w")  # the dispute's page has a place: the map, zoomed in on it
        await save("map-from-page")
        await pilot.press("escape")
        await pilot.press("escape", "7", "enter")
        await save("thread-steps")
        await pilot.press("escape", "question_mark")
        await save("help")
    progress.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="100x30", help="terminal size, e.g. 100x30")
    parser.add_argument("--content", default=None, help="content pack (default: shipped)")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    OUT.mkdir(exist_ok=True)
    pack = load_pack(Path(args.content) if args.content else None)
    with tempfile.TemporaryDirectory(prefix="thaw-screenshots-") as state_dir:
        for path in asyncio.run(shoot(pack, (width, height), Path(state_dir))):
            print(path.relative_to(OUT.parent))


if __name__ == "__main__":
    main()
