"""The who-did-what matrix as a picture (pictures/relations.py), without Textual."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from thaw_tui.pack.atlas import AtlasError, parse_atlas
from thaw_tui.pack.load import load_pack
from thaw_tui.pack.model import PartialDate
from thaw_tui.pack.relations import Deed, Relations, relations_of
from thaw_tui.paths import default_content_dir
from thaw_tui.pictures.glyphs import ASCII, UNICODE
from thaw_tui.pictures.relations import cell_lines, draw_relations
from thaw_tui.pictures.runs import one_cell_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped() -> tuple[Relations, dict[str, str]]:
    pack = load_pack(default_content_dir())
    relations = relations_of(pack)
    actors = set(relations.doers) | set(relations.targets)
    return relations, {actor: pack.items[actor].title for actor in actors}


def test_each_cell_says_what_was_done_how_often_and_whether_in_reply() -> None:
    date = PartialDate(2014, 8, 5)
    deeds = [
        Deed("a", date, "sanctions", "japan", "russia"),
        Deed("b", date, "ban", "japan", "russia"),
        Deed("c", date, "sanctions", "japan", "russia", replies_to=("x",)),
    ]
    assert cell_lines(deeds, UNICODE) == ["sanctions ×2 ↩", "ban"]
    assert cell_lines(deeds, ASCII) == ["sanctions x2 <", "ban"]


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_the_matrix_fits_its_width_and_puts_every_cell_under_its_column(
    shipped: tuple[Relations, dict[str, str]], width: int
) -> None:
    relations, names = shipped
    picture = draw_relations(relations, names, width, selected=("russia", "japan"))
    lines = picture.lines()
    assert all(len(line) == width for line in lines)
    assert set(picture.cells) == set(relations.cells())
    header = lines[1]
    for (by, to), (x, y, column_width, height) in picture.cells.items():
        assert header[x + 2 :].startswith(names[to][: column_width - 3])  # its column
        assert lines[y].startswith(names[by][:10])  # its row
        first = cell_lines(relations.cell(by, to))[0]
        assert lines[y][x + 2 :].startswith(first[: column_width - 3])
        assert height == max(len(cell_lines(relations.cell(by, to))) for to in relations.targets)
    # The chosen cell stands out by its mark and its style, not by colour alone.
    x, y, _, _ = picture.cells[("russia", "japan")]
    assert lines[y][x] == "▸"
    assert picture.style_at(x + 2, y) == "relations.selected"
    other_x, other_y, _, _ = picture.cells[("japan", "russia")]
    assert lines[other_y][other_x] == " " and picture.style_at(other_x + 2, other_y) == (
        "relations.cell"
    )


def test_the_matrix_in_ascii_and_without_row_lines(
    shipped: tuple[Relations, dict[str, str]],
) -> None:
    relations, names = shipped
    spaced = draw_relations(relations, names, 80, glyphs=ASCII)
    compact = draw_relations(relations, names, 80, glyphs=ASCII, separators=False)
    assert spaced.text().isascii() and compact.text().isascii()
    assert compact.height == spaced.height - (len(relations.doers) - 1)
    assert "<" in compact.text()  # the replies, in ASCII


def test_no_actions_is_one_line_that_says_so() -> None:
    picture = draw_relations(Relations(None, (), (), ()), {}, 40)
    assert picture.lines() == ["No actions between actors.".ljust(40)]
    assert picture.cells == {}


def test_pictures_hold_one_cell_a_character() -> None:
    assert one_cell_text("日本 Japan") == "Japan"
    assert one_cell_text("中国") == ""
    assert one_cell_text("Россия  Russia") == "Россия Russia"
    raw = json.loads((ROOT / "content" / "maps" / "coastlines.json").read_text("utf-8"))
    wide = copy.deepcopy(raw)
    wide["regions"][0]["places"][2]["names"] = ["国後島", "Kunashir"]
    with pytest.raises(AtlasError, match=r"regions\[0\]\.places\[2\]\.names\[0\]: '国'"):
        parse_atlas(wide)
