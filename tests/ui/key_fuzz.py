"""Random key sequences against the reader: after any of them, the next key still acts.

A case is a starting place (a pane, a thread's steps, an item page, a step page, a page
reached by a link from a step, the help screen, a confirmation, the welcome-back
offer, the first screen), a state of progress (none, some, everything seen), a filter
on the pane (none, one that matches nothing, one that matches some, one still being
typed), and a short random sequence of keys: every key some binding of the reader
binds, plus `y`, `n`, Enter, Esc and the digits. The keys are pressed one at a time,
sent in one burst (as a paste or a fast typist), or a mix of both. Then a probe key
that always has a visible effect is pressed (`?` opens or closes the key list, or types
into the filter box; Esc answers a confirmation), and it must act within
`PROBE_SECONDS`.

Nothing here knows which sequences used to lock the reader up: `run_cases` draws them
from a seed, and `shrink` cuts a failing one down to the keys that matter, so a failure
reads as a recipe. The suite runs a short seeded run (`tests/ui/test_ui_keys_fuzz.py`);
`bench/fuzz_keys.py` runs as many as asked.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from support.sample_pack import sample_pack
from textual import events
from textual.binding import Binding
from textual.keys import key_to_character
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input
from ui_harness import make_app, screen_text, wait_for

from thaw_tui.progress import Position, Progress
from thaw_tui.ui.app import ThawApp
from thaw_tui.ui.pane_specs import PANE_KEYS, THREADS_PANE
from thaw_tui.ui.screens.detail import DetailScreen
from thaw_tui.ui.screens.dialogs import ConfirmScreen, ContinueScreen
from thaw_tui.ui.screens.help import HelpScreen
from thaw_tui.ui.screens.main import MainScreen
from thaw_tui.ui.screens.thread import ThreadScreen
from thaw_tui.ui.screens.welcome import WelcomeScreen
from thaw_tui.ui.widgets.item_list import ItemList
from thaw_tui.ui.widgets.list_pane import ListPane

PROBE_SECONDS = 0.3  # about 18 frames at 60 Hz; a held key is held for up to 0.5 s
SIZE = (80, 24)
QUIT_KEYS = {"q", "Q", "ctrl+q", "ctrl+c"}  # they end the run: nothing left to probe
# The palette runs any command (quit, screenshot) on a random Enter: left out.
LEFT_OUT = QUIT_KEYS | {"ctrl+p"}
EXTRA_GROUPS = (("y",), ("n",), ("enter",), ("escape",), tuple("0123456789"))

PLACES = (
    "pane",  # the main screen, on a random pane
    "page",  # an item page opened from a pane
    "thread",  # a thread's steps
    "step",  # a step's page
    "link-from-step",  # a page reached by following a link from a step
    "help",  # the `?` screen
    "confirm",  # "mark all seen?" asked on a pane
    "offer",  # the welcome-back offer at start
    "first",  # the first screen, on a reader's first start
)
PROGRESS = ("none", "some", "all")
FILTERS = ("none", "nothing", "some", "typing")
MODES = ("paced", "burst", "mixed")
THREADS_KEY = PANE_KEYS[THREADS_PANE.id]


KeyGroup = tuple[str, ...]  # the keys of one action: any of them may be drawn


def _groups(*owners: type) -> tuple[KeyGroup, ...]:
    """The keys of every action these classes bind, one group per action (`follow(3)`
    and `follow(4)` are one action), plus y, n, Enter, Esc and the digits."""
    by_action: dict[str, set[str]] = {}
    for owner in owners:
        for binding in Binding.make_bindings(getattr(owner, "BINDINGS", [])):
            if binding.key not in LEFT_OUT:
                by_action.setdefault(binding.action.partition("(")[0], set()).add(binding.key)
    groups = {tuple(sorted(keys)) for keys in by_action.values()}
    groups |= set(EXTRA_GROUPS)
    return tuple(sorted(groups))


LIST_OWNERS = (ItemList, ListPane)
# What each place's screen and lists bind: the keys most worth trying there.
PLACE_KEYS = {
    "pane": _groups(ThawApp, MainScreen, *LIST_OWNERS),
    "page": _groups(ThawApp, DetailScreen, ItemList),
    "thread": _groups(ThawApp, ThreadScreen, ItemList),
    "step": _groups(ThawApp, DetailScreen, ItemList),
    "link-from-step": _groups(ThawApp, DetailScreen, ItemList),
    "help": _groups(ThawApp, HelpScreen),
    "confirm": _groups(ConfirmScreen),
    "offer": _groups(ContinueScreen, MainScreen),
    "first": _groups(WelcomeScreen, ItemList, MainScreen),
}
ALL_KEYS = tuple(sorted({group for groups in PLACE_KEYS.values() for group in groups}))


@dataclass(frozen=True)
class Case:
    place: str
    progress: str
    filter: str
    pane: str  # the key of the pane the place starts from (Threads for the thread places)
    keys: tuple[str, ...]
    mode: str
    number: int = 0  # its number in the run (with the seed, enough to draw it again)

    def recipe(self) -> str:
        start = f"{self.place} (pane {self.pane}, progress {self.progress}, filter {self.filter})"
        return f"#{self.number} {start}: {' '.join(self.keys)} [{self.mode}]"


@dataclass(frozen=True)
class Outcome:
    case: Case
    failure: str | None  # None: the probe acted


def draw_case(seed: int, number: int) -> Case:
    """Case `number` of the run with this seed: the same every time."""
    rng = random.Random(seed * 1_000_003 + number)
    place = rng.choice(PLACES)
    in_thread = place in ("thread", "step", "link-from-step")
    pane = THREADS_KEY if in_thread else rng.choice(sorted(PANE_KEYS.values()))
    keys = tuple(
        rng.choice(rng.choice(PLACE_KEYS[place] if rng.random() < 0.7 else ALL_KEYS))
        for _ in range(rng.randint(1, 4))
    )
    return Case(
        place=place,
        progress=rng.choice(PROGRESS),
        filter=rng.choice(FILTERS) if place in ("pane", "page", "confirm") else "none",
        pane=pane,
        keys=keys,
        mode=rng.choice(MODES),
        number=number,
    )


def _progress(case: Case) -> Progress:
    pack = sample_pack()
    progress = Progress()
    if case.place == "first":
        return progress  # a first start: nothing read yet
    ids = sorted(pack.items)
    if case.progress == "all":
        progress.mark(ids)
    elif case.progress == "some":
        progress.mark(random.Random(case.number).sample(ids, len(ids) // 2))
    if case.place == "offer":
        thread = pack.threads[case.number % len(pack.threads)]
        progress.remember_position(Position("threads", thread.steps[0], thread.id))
    return progress


def _key_event(key: str) -> events.Key:
    return events.Key(key, key_to_character(key))


async def _settle(pilot: Pilot[int]) -> None:
    await pilot.pause()
    await pilot.pause()


async def _set_up(pilot: Pilot[int], app: ThawApp, case: Case) -> None:
    """Walk, one settled key at a time, to the case's starting place."""

    async def press(*keys: str) -> None:
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)

    if case.place == "offer":
        await wait_for(pilot, lambda: isinstance(app.screen, ContinueScreen))
        return
    if case.place == "first":
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        return
    await press(case.pane)
    if case.filter != "none":
        await press("slash")
        if isinstance(app.focused, Input):  # (a pane with no filter says so instead)
            await press(*("zqx" if case.filter == "nothing" else "a"))
            if case.filter != "typing":
                await press("enter")
    if case.place == "page":
        await press("enter")
    elif case.place in ("thread", "step", "link-from-step"):
        await press(*(["j"] * (case.number % 2)), "enter")
        if case.place != "thread":
            await press("enter")
        if case.place == "link-from-step":
            await press("1")
    elif case.place == "help":
        await press("question_mark")
    elif case.place == "confirm":
        await press("M")


async def _send(pilot: Pilot[int], app: ThawApp, case: Case) -> None:
    rng = random.Random(case.number)
    for key in case.keys:
        paced = case.mode == "paced" or (case.mode == "mixed" and rng.random() < 0.5)
        if paced:
            await pilot.press(key)
        else:
            app.post_message(_key_event(key))
    await _settle(pilot)


Check = Callable[[], bool]


def _probe(app: ThawApp) -> tuple[str, Check, str]:
    """The key to press now, a test that it acted, and what it should have done."""
    screen: Screen[object] = app.screen
    if isinstance(screen, ConfirmScreen):
        return "escape", lambda: app.screen is not screen, "Esc closes the question"
    if isinstance(screen, HelpScreen):
        return "question_mark", lambda: app.screen is not screen, "? closes the key list"
    focused = app.focused
    if isinstance(focused, Input):
        before = focused.value

        def typed() -> bool:  # (wherever the box's cursor is)
            return focused.value.count("?") == before.count("?") + 1

        return "question_mark", typed, "? is typed into the filter box"

    def help_shown() -> bool:
        return isinstance(app.screen, HelpScreen) and "Keys" in screen_text(app)

    return "question_mark", help_shown, "? opens the key list"


def where(app: ThawApp) -> str:
    """A short description of the app's state, for failure reports."""
    screen = app.screen
    name = type(screen).__name__
    if isinstance(screen, MainScreen):
        name += f" pane={screen.current_pane}"
    elif isinstance(screen, DetailScreen) and screen.history.current is not None:
        name += f" item={screen.location.item_id}"
    elif isinstance(screen, ThreadScreen):
        name += f" thread={screen.thread.id}"
    focused = app.focused
    return f"{name}, focus={type(focused).__name__ if focused else None}"


async def run_case(case: Case) -> Outcome:
    try:
        return await _run_case(case)
    except Exception as error:  # the app raised: that is a failure to report too
        return Outcome(case, f"the app raised {type(error).__name__}: {error}")


async def _run_case(case: Case) -> Outcome:
    app = make_app(progress=_progress(case), first_start=case.place == "first")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await _set_up(pilot, app, case)
        await _send(pilot, app, case)
        if not app.is_running:
            return Outcome(case, "the app ended")
        key, acted, promise = _probe(app)
        state = where(app)
        app.post_message(_key_event(key))
        if not await wait_for(pilot, acted, timeout=PROBE_SECONDS):
            return Outcome(case, f"{key} did nothing in {state} ({promise})")
    return Outcome(case, None)


async def shrink(case: Case, fails: Callable[[Case], Awaitable[bool]]) -> Case:
    """The case with as few keys as still fail (one key at a time), paced if that fails."""
    if case.mode != "paced" and await fails(replace(case, mode="paced")):
        case = replace(case, mode="paced")
    changed = True
    while changed and len(case.keys) > 1:
        changed = False
        for index in range(len(case.keys)):
            shorter = replace(case, keys=case.keys[:index] + case.keys[index + 1 :])
            if shorter.keys and await fails(shorter):
                case, changed = shorter, True
                break
    return case


async def run_cases(
    seed: int,
    count: int,
    report: Callable[[Outcome], None] = lambda outcome: None,
    minimise: bool = True,
) -> list[Outcome]:
    """Draw and run `count` cases; return the failures (each shrunk, when asked)."""

    async def fails(case: Case) -> bool:
        return (await run_case(case)).failure is not None

    failures = []
    for number in range(count):
        outcome = await run_case(draw_case(seed, number))
        report(outcome)
        if outcome.failure is not None:
            if minimise:
                small = await shrink(outcome.case, fails)
                outcome = await run_case(small)
                if outcome.failure is None:  # (timing: keep the case as drawn)
                    outcome = await run_case(draw_case(seed, number))
            failures.append(outcome)
    return failures
