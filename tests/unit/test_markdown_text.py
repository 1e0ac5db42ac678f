"""`markdown_to_text`: item bodies as one literal rich Text.

Each block kind gets its shape here (headings, lists, quotes, code, rules), and the
safety promises are checked on the Text itself and on what a console would write:
data never becomes markup, links are never clickable, escape bytes never survive.
"""

from __future__ import annotations

import re

import pytest
from rich.console import Console
from rich.style import Style
from rich.text import Text

from thaw_tui.ui.markdown_text import markdown_to_text

CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # all but newline
CONSOLE = Console(width=200, color_system="truecolor", force_terminal=True)


def style_at(text: Text, fragment: str) -> Style:
    """The style every character of `fragment` (its first occurrence) is drawn with."""
    start = text.plain.index(fragment)
    styles = {
        text.get_style_at_offset(CONSOLE, offset) for offset in range(start, start + len(fragment))
    }
    assert len(styles) == 1, f"{fragment!r} is drawn in {len(styles)} styles"
    return styles.pop()


def plain(source: str) -> str:
    return markdown_to_text(source).plain


# --- headings ------------------------------------------------------------------------


def test_headings_lose_their_hashes_and_stand_apart_from_the_text() -> None:
    text = markdown_to_text("# The dispute\n\nFour islands.\n\n## Since 1945\n\nNo treaty.")
    assert text.plain == "The dispute\n\nFour islands.\n\nSince 1945\n\nNo treaty."


@pytest.mark.parametrize("level", [1, 2])
def test_top_headings_are_bold_and_underlined(level: int) -> None:
    text = markdown_to_text("#" * level + " Title\n\nBody")
    title = style_at(text, "Title")
    assert title.bold and title.underline
    body = style_at(text, "Body")
    assert not body.bold and not body.underline


@pytest.mark.parametrize("level", [3, 4, 6])
def test_lower_headings_are_bold_only(level: int) -> None:
    title = style_at(markdown_to_text("#" * level + " Title"), "Title")
    assert title.bold and not title.underline


def test_inline_styles_inside_a_heading_add_to_the_heading_style() -> None:
    text = markdown_to_text("## Talks with `Putin`")
    code = style_at(text, "Putin")
    assert code.bold and code.underline and code.reverse


# --- lists ---------------------------------------------------------------------------


def test_bullet_list_items_get_a_bullet_each_and_nested_ones_an_indent() -> None:
    assert plain("- Abe\n- Putin\n  - Medvedev\n- Obama") == (
        "• Abe\n• Putin\n  • Medvedev\n• Obama"
    )


def test_a_list_is_its_own_block_between_paragraphs() -> None:
    assert plain("Who met:\n\n- Abe\n- Putin\n\nFive times.") == (
        "Who met:\n\n• Abe\n• Putin\n\nFive times."
    )


def test_numbered_lists_count_from_their_own_start() -> None:
    assert plain("1. Invasion\n2. Declaration\n3. Talks") == (
        "1. Invasion\n2. Declaration\n3. Talks"
    )
    assert plain("7. Seventh\n8. Eighth") == "7. Seventh\n8. Eighth"


def test_nested_numbered_list_restarts_and_the_outer_one_resumes() -> None:
    source = "1. Outer\n   1. inner\n   2. inner again\n2. Outer again"
    assert plain(source) == "1. Outer\n  1. inner\n  2. inner again\n2. Outer again"


def test_bullets_inside_a_numbered_list() -> None:
    assert plain("1. Steps\n   - first\n   - second\n2. Done") == (
        "1. Steps\n  • first\n  • second\n2. Done"
    )


def test_a_list_item_with_two_paragraphs_keeps_them_apart() -> None:
    text = plain("- first para\n\n  second para\n- next")
    assert text == "• first para\n  second para\n• next"  # under the item's text


# --- quotes --------------------------------------------------------------------------


def test_a_quote_is_marked_by_a_dim_bar_on_each_paragraph() -> None:
    text = markdown_to_text("Before.\n\n> He said\n> it twice.\n>\n> Then left.\n\nAfter.")
    assert text.plain == "Before.\n\n▌ He said it twice.\n\n▌ Then left.\n\nAfter."
    assert style_at(text, "▌ ").dim
    assert not style_at(text, "He said it twice.").dim


def test_a_nested_quote_gets_one_bar_per_level() -> None:
    assert plain("> outer\n>\n> > inner") == "▌ outer\n\n▌ ▌ inner"


# --- code ----------------------------------------------------------------------------


def test_code_spans_keep_their_content_verbatim_in_reverse() -> None:
    text = markdown_to_text("Run `thaw --help` or `[bold]x[/bold]`.")
    assert text.plain == "Run thaw --help or [bold]x[/bold]."
    assert style_at(text, "thaw --help").reverse
    assert style_at(text, "[bold]x[/bold]").reverse
    assert not style_at(text, "Run ").reverse


def test_fenced_code_keeps_lines_and_indentation_dim_and_unhighlighted() -> None:
    source = "Before.\n\n```python\ndef f():\n    return [1]  # *not* emphasis\n```\n\nAfter."
    text = markdown_to_text(source)
    code = "def f():\n    return [1]  # *not* emphasis"
    assert text.plain == f"Before.\n\n{code}\n\nAfter."
    style = style_at(text, code)
    assert style.dim and not style.italic and style.color is None  # no syntax colours


def test_indented_code_block_is_shown_like_a_fenced_one() -> None:
    text = markdown_to_text("Text.\n\n    indented **code**\n\nMore.")
    assert text.plain == "Text.\n\nindented **code**\n\nMore."
    assert style_at(text, "indented **code**").dim


# --- rules, breaks, emphasis, images -------------------------------------------------


@pytest.mark.parametrize("rule", ["---", "***", "___"])
def test_a_thematic_break_is_a_dim_line_between_blocks(rule: str) -> None:
    text = markdown_to_text(f"Above.\n\n{rule}\n\nBelow.")
    assert text.plain == "Above.\n\n" + "─" * 20 + "\n\nBelow."
    assert style_at(text, "─" * 20).dim


def test_soft_breaks_join_lines_and_hard_breaks_keep_them() -> None:
    assert plain("one\ntwo") == "one two"
    assert plain("one  \ntwo") == "one\ntwo"
    assert plain("one\\\ntwo") == "one\ntwo"


def test_emphasis_becomes_attributes_and_nests() -> None:
    text = markdown_to_text("**bold *both* bold** and *it* and ~~gone~~")
    assert text.plain == "bold both bold and it and ~~gone~~"  # no strikethrough in commonmark
    assert style_at(text, "bold ").bold and not style_at(text, "bold ").italic
    both = style_at(text, "both")
    assert both.bold and both.italic
    assert style_at(text, "it").italic
    assert not style_at(text, " and ").bold


def test_an_image_shows_its_alt_text_and_address_only() -> None:
    text = markdown_to_text("![Map of the islands](maps/kurils.png)")
    assert text.plain == "[image: Map of the islands] (maps/kurils.png)"
    assert style_at(text, text.plain).dim


def test_empty_and_blank_bodies_give_empty_text() -> None:
    assert plain("") == ""
    assert plain("\n\n   \n") == ""


def test_trailing_space_and_blank_lines_are_trimmed() -> None:
    assert plain("Body.   \n\n\n") == "Body."


# --- links: shown as text, never clickable -------------------------------------------


def test_a_link_shows_its_text_then_its_address() -> None:
    text = markdown_to_text("See [the map](https://example.org/map) now.")
    assert text.plain == "See the map (https://example.org/map) now."
    assert style_at(text, "the map").underline
    assert style_at(text, " (https://example.org/map)").dim


def test_an_autolink_shows_its_address() -> None:
    text = plain("<https://www.mofa.go.jp/>")
    assert text == "https://www.mofa.go.jp/ (https://www.mofa.go.jp/)"


@pytest.mark.parametrize(
    "source",
    ["[a](javascript:alert(1))", "[a](file:///etc/passwd)", "[a](vbscript:x)"],
)
def test_links_to_unsafe_schemes_stay_as_written(source: str) -> None:
    assert plain(source) == source


def test_no_link_is_clickable_in_the_text_or_in_what_the_console_writes() -> None:
    text = markdown_to_text(
        "[map](https://example.org/map), <https://example.org/auto>, "
        "![pic](https://example.org/p.png) and [ref][r]\n\n[r]: https://example.org/ref"
    )
    assert "ref (https://example.org/ref)" in text.plain  # reference links resolve
    for span in text.spans:
        style = Style.parse(span.style) if isinstance(span.style, str) else span.style
        assert style.link is None and not style.meta, span
    segments = list(CONSOLE.render(text))
    assert segments
    for segment in segments:
        if segment.style is not None:
            assert segment.style.link is None and "@click" not in segment.style.meta
    with CONSOLE.capture() as capture:
        CONSOLE.print(text)
    assert "\x1b]8;" not in capture.get()  # no OSC 8 hyperlink in the terminal output


# --- data is never markup, escapes never pass -----------------------------------------


def test_rich_markup_in_data_comes_out_literally_and_unstyled() -> None:
    source = "[bold]loud[/bold] [@click=app.quit]Quit[/] [link=https://e.org]x[/link] [red]r"
    text = markdown_to_text(source)
    assert text.plain == source
    assert text.spans == []  # no style at all: nothing was read as markup


def test_markup_inside_emphasis_is_still_literal() -> None:
    text = markdown_to_text("**[@click=app.quit]Quit[/]**")
    assert text.plain == "[@click=app.quit]Quit[/]"
    style = style_at(text, "[@click=app.quit]Quit[/]")
    assert style.bold and not style.meta and style.link is None


def test_raw_html_is_shown_as_written() -> None:
    source = "<b>bold?</b> <script>alert(1)</script> <a href='x'>a</a>"
    assert plain(source) == source


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("red \x1b[31mtext", "red \ufffd[31mtext"),
        ("bell\x07", "bell\ufffd"),
        ("csi \x9b2J", "csi \ufffd2J"),
        ("osc \x1b]8;;file:///etc/passwd\x07link", "osc \ufffd]8;;file:///etc/passwd\ufffdlink"),
        ("nul \x00 del \x7f", "nul \ufffd del \ufffd"),
        ("bidi \u202eevil", "bidi \ufffdevil"),
    ],
)
def test_escape_and_control_bytes_become_visible_replacements(source: str, shown: str) -> None:
    assert plain(source) == shown


@pytest.mark.parametrize(
    "wrapper",
    [
        "{}",
        "# {}",
        "- {}",
        "1. {}",
        "> {}",
        "`{}`",
        "```\n{}\n```",
        "    {}",
        "[{}](https://e.org)",
    ],
)
def test_no_escape_byte_survives_in_any_block(wrapper: str) -> None:
    hostile = "a\x1bcb\x07c\x9b2Jd"  # ESC c resets a terminal, CSI 2J clears it
    text = markdown_to_text(wrapper.format(hostile))
    assert not CONTROL.search(text.plain), repr(text.plain)
    assert "a\ufffdcb\ufffdc\ufffd2Jd" in text.plain
    with CONSOLE.capture() as capture:
        CONSOLE.print(text)
    written = capture.get()
    # The console writes its own SGR colour codes; none of the data's bytes get through.
    assert "\x1bc" not in written and "\x07" not in written and "\x9b" not in written
