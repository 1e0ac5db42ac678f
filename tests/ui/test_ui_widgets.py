"""The list widgets and the palette provider, each on its own where that is clearer."""

from __future__ import annotations

import pytest
from rich.text import Text
from support.sample_pack import sample_pack
from textual import on
from textual.app import App, ComposeResult
from ui_harness import make_app, press, screen_text, wait_for

from thaw_tui.pack.model import Pack
from thaw_tui.progress import Progress
from thaw_tui.ui import commands
from thaw_tui.ui.pane_specs import PANES_BY_ID
from thaw_tui.ui.rows import Row
from thaw_tui.ui.widgets.item_list import ROW_CACHE_SIZE, ItemList
from thaw_tui.ui.widgets.list_pane import ListPane


def rows(count: int) -> list[Row]:
    return [Row(Text(f"row {n}"), f"item-{n}") for n in range(count)]


class OneWidgetApp(App[None]):
    def __init__(self, widget: ItemList | ListPane) -> None:
        super().__init__()
        self.widget = widget
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        yield self.widget

    @on(ListPane.ItemChosen, "#pane-actors")
    def _actor_chosen(self, event: ListPane.ItemChosen) -> None:
        self.chosen.append(event.item_id)


async def test_drawn_rows_are_kept_up_to_the_cache_size_only() -> None:
    item_list = ItemList(rows(ROW_CACHE_SIZE + 100))
    last = f"item-{ROW_CACHE_SIZE + 99}"
    async with OneWidgetApp(item_list).run_test(size=(40, 60)) as pilot:
        await pilot.pause()
        while item_list.current_id != last:  # page down to the end, drawing every row
            item_list.action_page_down()
            await pilot.pause()
        assert len(item_list._row_strips) == ROW_CACHE_SIZE
        # The last row drawn is still there; the first ones have made room.
        assert item_list.render_line(item_list.size.height - 1).text.startswith("▸ row")


async def test_a_pane_can_be_picked_by_id_when_a_row_is_chosen() -> None:
    pane = ListPane(PANES_BY_ID["actors"], sample_pack(), Progress(), {})
    app = OneWidgetApp(pane)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane.item_list.focus()
        await press(pilot, "j")  # (Enter belongs to the screen: a double click chooses here)
        await pilot.click(pane.item_list, offset=(4, 1), times=2)
        assert app.chosen == ["putin"]


async def test_setting_the_filter_or_only_unseen_narrows_the_list() -> None:
    progress = Progress()
    progress.mark(["abe"])
    pane = ListPane(PANES_BY_ID["actors"], sample_pack(), progress, {})
    async with OneWidgetApp(pane).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        everyone = pane.item_list.item_ids
        assert "abe" in everyone and "putin" in everyone
        pane.query_text = "vla"
        assert pane.item_list.item_ids == ["putin"]
        assert pane.item_list.query_text == "vla"  # the list highlights it
        pane.query_text = ""
        pane.only_unseen = True
        assert pane.item_list.item_ids == [i for i in everyone if i != "abe"]
        pane.only_unseen = False
        assert pane.item_list.item_ids == everyone


async def test_the_palette_lists_the_items_once_for_the_pack_not_per_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[int] = []
    build = commands.item_entries

    def counting_build(pack: Pack) -> list[commands.ItemEntry]:
        entries = build(pack)
        built.append(len(entries))
        return entries

    monkeypatch.setattr(commands, "item_entries", counting_build)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "ctrl+p", *"putin")
        assert await wait_for(pilot, lambda: "Vladimir Putin" in screen_text(app))
        await press(pilot, "escape", "ctrl+p", *"abe")
        assert await wait_for(pilot, lambda: "Shinzo Abe" in screen_text(app))
        assert built == [len(app.pack)]  # once, for both openings and every letter


def test_the_app_wide_stylesheets_name_their_screen_in_every_rule() -> None:
    """screens/*.tcss apply to the whole app once read (ThawApp.CSS_PATH, and a
    screen's own CSS_PATH from its first push), so a bare `#title` would style any
    widget of that id on any screen."""
    import re
    from pathlib import Path

    import thaw_tui.ui.app
    from thaw_tui.ui.app import ThawApp
    from thaw_tui.ui.screens.detail import DetailScreen

    here = Path(thaw_tui.ui.app.__file__).parent
    names = [*ThawApp.CSS_PATH, ThawApp.ASCII_CSS_PATH, f"screens/{DetailScreen.CSS_PATH}"]
    assert len(names) == len(list(here.rglob("*.tcss")))  # every stylesheet there is
    for name in names:
        path = here / name
        screen = path.stem.capitalize() + "Screen"  # main.tcss -> MainScreen
        text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        selectors = [s.strip() for head in re.findall(r"([^{}]+)\{", text) for s in head.split(",")]
        assert selectors, path
        for selector in selectors:
            if path.name == "ascii.tcss":  # the app's ASCII class, then a widget by name
                assert re.match(r"\.-ascii [A-Z]\w+\b", selector), f"{path.name}: {selector!r}"
                continue
            assert re.match(rf"{screen}\b", selector), f"{path.name}: {selector!r}"
