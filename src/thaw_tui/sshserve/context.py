"""What every connection of one `thaw serve` shares: config, limits, log and children.

Its own module so that the server (which makes connections) and the session
(which runs a reader) can both name it without importing each other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from thaw_tui.sshserve.child import PtyChild
from thaw_tui.sshserve.childenv import ChildLimits
from thaw_tui.sshserve.config import ServeConfig
from thaw_tui.sshserve.forkserver import ForkServer
from thaw_tui.sshserve.identity import AuthorizedKeys
from thaw_tui.sshserve.limits import Admission

if TYPE_CHECKING:
    from thaw_tui.sshserve.server import ThawServer


@dataclass
class ServeContext:
    """What every connection shares."""

    config: ServeConfig
    admission: Admission
    logger: logging.Logger
    authorized: AuthorizedKeys | None
    child_limits: ChildLimits = field(default_factory=ChildLimits)
    children: set[PtyChild] = field(default_factory=set)
    # Every connection admitted and not yet gone, by its admission ticket's number:
    # to drop one still logging in when others need room, and to tell all of them
    # when the server stops.
    connections: dict[int, ThawServer] = field(default_factory=dict)
    # The warm process readers are forked from; None starts each one cold.
    fork_server: ForkServer | None = None
    # A descriptor of the server's stderr for readers started cold, where their crash
    # reports go (a forked reader has the server's own); None: they have none.
    host_errors: int | None = None
