"""The first screen: what thaw is, and three ways into the article.

Shown on a reader's first start (nothing read, nowhere to continue from, and the
screen never closed before: `WELCOME_SETTING` in their progress settings), and again
whenever asked for (`w` on the `?` screen, "Ways in" in the palette). The ways in:
read the article in order (the pack's `read-the-article` thread when it has one, else
the Story pane from its first paragraph), follow one of the guided threads, or browse
the panes. A key that is none of its own closes it and does what it does on the main
screen (`2` shows the Timeline), as the welcome-back offer does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from thaw_tui.pack.model import Kind, Pack, Thread
from thaw_tui.progress import Progress
from thaw_tui.ui.glyphs import g
from thaw_tui.ui.keys import OPEN_KEYS, binding_keys
from thaw_tui.ui.pane_specs import PANE_KEYS, PANES
from thaw_tui.ui.rows import Row, heading_row, thread_progress
from thaw_tui.ui.screens.base import Dialog
from thaw_tui.ui.text import fit, one_line
from thaw_tui.ui.widgets.item_list import ItemList

WELCOME_SETTING = "first-screen"  # in the reader's progress settings, once it is closed
ARTICLE_THREAD = "read-the-article"  # a pack's thread through the article, in order
ARTICLE = "article"
BROWSE = "browse"
THREAD_PREFIX = "thread:"


@dataclass(frozen=True)
class WayIn:
    """What the reader chose: read the article, follow a thread, or browse."""

    kind: str  # ARTICLE, "thread" or BROWSE
    thread: Thread | None = None


def pane_keys() -> str:
    """ "1-9 and 0": the keys that switch panes, in words."""
    keys = [PANE_KEYS[pane.id] for pane in PANES]
    if keys[-1] == "0" and len(keys) > 2:
        return f"{keys[0]}-{keys[-2]} and 0"
    return f"{keys[0]}-{keys[-1]}"


def article_thread(pack: Pack) -> Thread | None:
    return pack.thread(ARTICLE_THREAD)


def is_first_start(progress: Progress) -> bool:
    """Nothing read, nowhere to continue from, and the first screen never closed."""
    return (
        WELCOME_SETTING not in progress.settings and progress.position is None and not progress.seen
    )


class WelcomeScreen(Dialog[WayIn | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(OPEN_KEYS, "choose", "Go this way", id="open"),
        Binding("escape", "browse", "Browse the panes"),
    ]
    DEFAULT_CSS = """
    WelcomeScreen { align: center middle; }
    WelcomeScreen > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $panel; padding: 0 1;
    }
    WelcomeScreen #welcome-title { text-style: bold; }
    WelcomeScreen #welcome-about { margin: 1 0; }
    WelcomeScreen #ways { height: auto; background: $panel; }
    WelcomeScreen #welcome-keys { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, pack: Pack, progress: Progress) -> None:
        super().__init__()
        self.pack = pack
        self.progress = progress

    # Every key its bindings or its list's take: any other key closes it and goes on.
    @property
    def answer_keys(self) -> frozenset[str]:
        return binding_keys(self.BINDINGS) | binding_keys(ItemList.BINDINGS)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text(), id="welcome-title")
            yield Static(self.about_text(), id="welcome-about")
            yield ItemList(self.way_rows(), id="ways")
            yield Static(self.keys_text(), id="welcome-keys")

    def on_mount(self) -> None:
        found = self.query("#ways")
        if found:  # (not when closed again before it was mounted)
            found.first(ItemList).focus()
            self.call_after_refresh(self.fit_list)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_list)

    def fit_list(self) -> None:
        """The list of ways in gets what the screen has left (it scrolls past that), so
        the line of keys under it is always on screen."""
        found = self.query("#ways")
        if not found:
            return  # (closed before it was laid out)
        ways = found.first(ItemList)
        box = self.query_one(Vertical)
        others = sum(
            widget.outer_size.height + widget.styles.margin.height
            for widget in box.children
            if widget is not ways
        )
        room = self.size.height - others - box.styles.gutter.height
        height = max(3, min(len(ways.rows), room))
        if ways.styles.height is None or ways.styles.height.value != height:
            ways.styles.height = height

    # --- what it says ------------------------------------------------------------------
    def title_text(self) -> Text:
        manifest = self.pack.manifest
        text = Text()
        text.append(f"Welcome to thaw{g().dot.rstrip()} ", style="bold")
        text.append(one_line(manifest.title), style="bold")
        if manifest.subtitle:
            text.append(f": {one_line(manifest.subtitle)}")
        byline = one_line(manifest.author)
        year = manifest.published.year
        text.append(f"\nby {byline}, {year}" if byline else f"\n{year}", style="italic")
        return text

    def about_text(self) -> Text:
        text = Text()
        text.append(
            "thaw explains this article piece by piece: its paragraphs, and the events, "
            "people, disputes and sources behind them, each saying where it comes from. "
        )
        text.append(f"{g().unseen} marks what you have not read yet, {g().seen} what you have.")
        return text

    def keys_text(self) -> Text:
        return Text(
            f"{g().arrows_up_down} choose{g().dot}Enter go{g().dot}Esc browse"
            f"{g().dot}? every key (w there brings this back)"
        )

    def way_rows(self) -> list[Row]:
        rows = []
        article = article_thread(self.pack)
        if article is not None:
            detail = f"{len(article.steps)} steps, paragraph by paragraph"
        else:
            count = len(self.pack.of_kind(Kind.SECTION))
            detail = f"its {count} paragraphs, one after another"
        rows.append(self._row(ARTICLE, "Read the article in order", detail))
        threads = [t for t in self.pack.threads if t.id != ARTICLE_THREAD]
        if threads:
            rows.append(heading_row("Or follow a guided thread"))
            width = min(max(len(one_line(t.title)) for t in threads), 44)
            for thread in threads:
                done = self.progress.count_seen(thread.steps)
                title = fit(one_line(thread.title), width)
                rows.append(
                    self._row(
                        f"{THREAD_PREFIX}{thread.id}",
                        title,
                        thread_progress(done, len(thread.steps), width=6),
                    )
                )
        rows.append(heading_row("Or look around"))
        rows.append(self._row(BROWSE, "Browse the panes", f"{pane_keys()} switch them"))
        return rows

    @staticmethod
    def _row(row_id: str, title: str, detail: str) -> Row:
        text = Text(no_wrap=True, overflow=g().overflow, end="")
        text.append(title, style="bold")
        text.append(f"  {detail}", style="dim")
        return Row(text, row_id, title)

    # --- choosing ------------------------------------------------------------------------
    _way_chosen = False

    def close_with(self, result: WayIn | None) -> None:
        """Dismiss once: a burst of keys can ask again before the screen is popped (and
        a second dismiss of the same screen fails)."""
        if self._way_chosen:
            return
        self._way_chosen = True
        self.dismiss(result)

    def action_choose(self) -> None:
        choice = self.query_one("#ways", ItemList).current_id
        if choice is not None:
            self.close_with(self.way_in(choice))

    @on(ItemList.Chosen, "#ways")
    def _chosen(self, event: ItemList.Chosen) -> None:
        """A way was double-clicked."""
        event.stop()
        self.close_with(self.way_in(event.item_id))

    def way_in(self, choice: str) -> WayIn:
        if choice.startswith(THREAD_PREFIX):
            thread = self.pack.thread(choice.removeprefix(THREAD_PREFIX))
            if thread is not None:
                return WayIn("thread", thread)
        if choice == ARTICLE:
            return WayIn(ARTICLE, article_thread(self.pack))
        return WayIn(BROWSE)

    def action_browse(self) -> None:
        self.close_with(WayIn(BROWSE))

    def on_key(self, event: events.Key) -> None:
        """Not a key of this screen: close it at once, so that when the key reaches the
        app (it bubbles on from here) its bindings are the main screen's."""
        if event.key not in self.answer_keys and self.is_current:
            self.close_with(None)
