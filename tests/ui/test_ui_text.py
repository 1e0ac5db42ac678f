"""Display helpers: cell-width padding, match spans, pane bar and breadcrumb fitting."""

from __future__ import annotations

import msgspec
from rich.cells import cell_len
from rich.text import Text
from support.sample_pack import sample_pack

from thaw_tui.ui.markdown_text import markdown_to_text
from thaw_tui.ui.page_text import preview_text
from thaw_tui.ui.rows import thread_progress
from thaw_tui.ui.text import find_matches, fit, highlight, steady_width


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


def test_the_preview_renders_the_body_as_the_page_does() -> None:
    item = msgspec.structs.replace(
        sample_pack().items["islands-dispute"],
        body="Known as *Hoppō Ryōdo* in **Japan**;\nsee [map](https://x.org/m).\n\n- one\n- two",
    )
    preview = preview_text(sample_pack(), item, seen=False)
    page = markdown_to_text(item.body)
    assert page.plain in preview.plain
    assert "*" not in preview.plain and "[map]" not in preview.plain
    assert "Known as Hoppō Ryōdo in Japan; see map (https://x.org/m)." in preview.plain
    assert "\n• one\n• two" in preview.plain
    start = preview.plain.index("Hoppō Ryōdo")
    italic = [span for span in preview.spans if span.start == start and "italic" in str(span.style)]
    assert italic, preview.spans


def test_typed_text_loses_what_terminals_draw_at_varying_widths() -> None:
    assert steady_width("🇯🇵ab") == "ab"  # a flag: two regional indicators
    assert steady_width("👍🏽 ❤️ e\u0301") == "👍 ❤ e"  # skin tone, emoji selector, accent
    assert steady_width("北方領土 😀") == "北方領土 😀"  # wide, but every terminal agrees
    assert steady_width("a\x1b[2Jb") == "a[2Jb"
