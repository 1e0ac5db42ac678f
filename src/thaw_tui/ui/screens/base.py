"""What the app asks of the reader's screens, and what they share."""

from __future__ import annotations

from textual import events

from thaw_tui.ui.messages import ScreenReady


class ShowsProgress:
    """Mixed into screens that draw seen marks; the app calls this after changes."""

    def refresh_seen(self, item_ids: list[str] | None) -> None:
        """Redraw marks for these items (None: all may have changed)."""


class BurstSafe:
    """Mixed into screens: keys typed right after one that replaces the screen wait
    for the next screen.

    Textual routes each key to what is focused when it arrives, so in a burst (a
    paste, a script, a fast typist) the keys after Enter would reach the list under
    the new page, and a digit after Escape would follow a link on the page being
    closed. Keys reach a screen's `on_key` in order and before their bindings run;
    once a key that will replace the screen has passed, the ones after it are caught
    here and handed to the app, which replays them when the next screen is ready.
    """

    _catching = False

    def replaces_screen(self, event: events.Key) -> bool:
        """Will this key push a page or close this screen? (Each screen says.)"""
        return False

    def catch_burst(self, event: events.Key) -> bool:
        """Call first in `on_key`; True if the key was kept for the next screen."""
        if self._catching:
            hold = getattr(getattr(self, "app", None), "hold_keys", None)
            if hold is not None:
                hold([event])
                event.stop()
                event.prevent_default()
                return True
        if self.replaces_screen(event):
            self._catching = True
        return False

    def burst_resumed(self) -> None:
        """Call from `on_screen_resume`: this screen takes keys again."""
        self._catching = False
        post = getattr(self, "post_message", None)
        if post is not None:
            post(ScreenReady())
