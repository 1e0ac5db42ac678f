"""Markdown bodies as one literal `rich.text.Text`.

Textual's Markdown widget mounts a widget per block and brings in a syntax
highlighter; a page body is a few paragraphs, so this walks markdown-it's tokens
and appends their text to a single Text instead. Every string goes in as data
(never markup), links are not clickable and show their address after the text,
and raw HTML stays visible as written. Styles are attributes (bold, italic, dim),
so they read the same in every theme and without colour.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from rich.text import Text

from thaw_tui.ui.glyphs import g
from thaw_tui.ui.text import clean

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

INLINE_STYLES = {
    "strong_open": "bold",
    "em_open": "italic",
    "s_open": "strike",
}
HEADING_STYLES = {"h1": "bold underline", "h2": "bold underline", "h3": "bold"}


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # "commonmark" with HTML off: tags are not interpreted, they are shown as text.
    return MarkdownIt("commonmark", {"html": False})


def markdown_to_text(source: str) -> Text:
    text = Text(end="")
    lists: list[list[int]] = []  # for each open list: [next number] or [] for bullets
    quote_depth = 0
    style_stack: list[str] = []
    fresh_list = False  # a top-level list was just opened: its first item needs no break
    item_has_text = False  # the open list item has a paragraph already
    for token in parser().parse(clean(source)):
        kind = token.type
        if kind == "paragraph_open" and lists and item_has_text:
            # A list item's next paragraph: its own line, under the item's text.
            text.rstrip()
            text.append("\n" + "  " * len(lists))
        elif kind in ("paragraph_open", "heading_open", "fence", "code_block", "hr"):
            _start_block(text, in_list_item=bool(lists) and kind == "paragraph_open")
        if kind in ("paragraph_open", "heading_open", "fence", "code_block", "hr"):
            if quote_depth:
                text.append(f"{g().quote} " * quote_depth, style="dim")
        if kind == "paragraph_open" and lists:
            item_has_text = True
        if kind == "heading_open":
            style_stack.append(HEADING_STYLES.get(token.tag, "bold"))
        elif kind == "heading_close":
            style_stack.pop()
        elif kind in ("bullet_list_open", "ordered_list_open"):
            if not lists:  # a list starts a block of its own
                _start_block(text, in_list_item=False)
                fresh_list = True
            start = int(token.attrs.get("start", 1) or 1)
            lists.append([start] if kind == "ordered_list_open" else [])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item_has_text = False
            if not fresh_list:
                _start_block(text, in_list_item=False, tight=True)
            fresh_list = False
            counter = lists[-1] if lists else []
            marker = f"{counter[0]}." if counter else g().bullet
            if counter:
                counter[0] += 1
            text.append("  " * (len(lists) - 1) + marker + " ")
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind in ("fence", "code_block"):
            text.append(token.content.rstrip("\n"), style="dim")
        elif kind == "hr":
            text.append(g().rule * 20, style="dim")
        elif kind == "inline":
            _inline(text, token.children or [], " ".join(style_stack))
    text.rstrip()
    return text


def _start_block(text: Text, in_list_item: bool, tight: bool = False) -> None:
    """Separate blocks by a blank line (list items by a line break only)."""
    if not text.plain or in_list_item:
        return
    text.rstrip()
    text.append("\n" if tight else "\n\n")


def _inline(text: Text, children: list[Token], base: str) -> None:
    styles: list[str] = [base] if base else []
    links: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("text", "html_inline"):
            text.append(child.content, style=" ".join(styles))
        elif kind == "code_inline":
            text.append(child.content, style=" ".join([*styles, "reverse"]))
        elif kind == "softbreak":
            text.append(" ")
        elif kind == "hardbreak":
            text.append("\n")
        elif kind in INLINE_STYLES:
            styles.append(INLINE_STYLES[kind])
        elif kind in ("strong_close", "em_close", "s_close") and len(styles) > (1 if base else 0):
            styles.pop()
        elif kind == "link_open":
            links.append(str(child.attrs.get("href", "")))
            styles.append("underline")
        elif kind == "link_close":
            styles.pop()
            href = links.pop() if links else ""
            if href:
                text.append(f" ({href})", style="dim")
        elif kind == "image":
            alt = child.content or "image"
            text.append(f"[image: {alt}] ({child.attrs.get('src', '')})", style="dim")
