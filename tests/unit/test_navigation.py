"""The reader's back/forward history, without any Textual."""

from __future__ import annotations

from thaw_tui.navigation import History, Location

A, B, C, D = (Location(x) for x in "abcd")


def test_starts_at_the_pane() -> None:
    history = History("Disputes")
    assert history.current is None
    assert not history.can_back and not history.can_forward
    assert history.trail() == []


def test_visit_back_forward() -> None:
    history = History("Disputes")
    for location in (A, B, C):
        history.visit(location)
    assert history.current == C
    assert history.trail() == [A, B, C]
    assert history.back() == B
    assert history.back() == A
    assert history.back() is None  # back at the pane
    assert history.back() is None  # and stays there
    assert history.can_forward
    assert history.forward() == A
    assert history.forward() == B
    assert history.trail() == [A, B]


def test_visiting_drops_the_forward_part() -> None:
    history = History()
    for location in (A, B, C):
        history.visit(location)
    history.back()
    history.back()
    history.visit(D)
    assert history.trail() == [A, D]
    assert not history.can_forward
    assert history.forward() is None
    assert len(history) == 2


def test_restart_forgets_everything() -> None:
    history = History("Story")
    history.visit(A)
    history.restart("Threads")
    assert history.root == "Threads"
    assert history.current is None and len(history) == 0


def test_locations_carry_thread_steps() -> None:
    history = History()
    history.visit(Location("x", thread_id="t", step=2))
    assert history.current == Location("x", "t", 2)
    assert history.current != Location("x")
