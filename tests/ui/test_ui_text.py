"""Display helpers: cell-width padding, match spans, pane bar and breadcrumb fitting."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from thaw_tui.ui.rows import plain_markdown, thread_progress
from thaw_tui.ui.text import find_matches, fit, highlight


def test_fit_pads_and_truncates_by_cells_not_characters() -> None:
    assert fit("安倍晋三", 10) == "安倍晋三  "
    assert cell_len(fit("安倍晋三", 10)) == 10
    assert fit("安倍晋三 Shinzo Abe", 7) == "安倍晋…"
    assert cell_len(fit("安倍晋三 Shinzo Abe", 6)) == 6  # a wide char that does not fit: pad
    assert fit("Путин", 3) == "Пу…"
    assert fit("x", 0) == ""


def test_find_matches_is_case_insensitive_and_finds_all() -> None:
    assert find_matches("Reuters on reuters", "REUT") == [(0, 4), (11, 15)]
    assert find_matches("Путин", "пут") == [(0, 3)]
    assert find_matches("anything", "") == []


def test_highlight_styles_matches_without_parsing_markup() -> None:
    text = highlight(Text("[bold]Reuters[/bold]"), "reuters")
    assert text.plain == "[bold]Reuters[/bold]"
    assert [(s.start, s.end) for s in text.spans] == [(6, 13)]


def test_thread_progress_always_carries_the_count() -> None:
    assert thread_progress(0, 4) == "[░░░░░░░░░░] 0/4"
    assert thread_progress(2, 4) == "[█████░░░░░] 2/4"
    assert thread_progress(0, 0) == "[░░░░░░░░░░] 0/0"


def test_preview_markdown_shows_link_addresses_as_text() -> None:
    assert plain_markdown("**Bold** and [map](https://x.org/m)") == "Bold and map (https://x.org/m)"


def test_preview_markdown_joins_wrapped_lines_but_keeps_lists() -> None:
    body = "One line\nwrapped here.\n\n- first\n- second"
    assert plain_markdown(body) == "One line wrapped here.\n\n- first\n- second"
