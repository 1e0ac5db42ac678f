"""What every connection of one `thaw serve` shares: config, limits, log and children.

Its own module so that the server (which makes connections) and the session
(which runs a reader) can both name it without importing each other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from thaw_tui.sshserve.child import PtyChild
from thaw_tui.sshserve.childenv import ChildLimits
from thaw_tui.sshserve.config import ServeConfig
from thaw_tui.sshserve.forkserver import ForkServer
from thaw_tui.sshserve.identity import AuthorizedKeys
from thaw_tui.sshserve.limits import Admission


@dataclass
class ServeContext:
    """What every connection shares."""

    config: ServeConfig
    admission: Admission
    logger: logging.Logger
    authorized: AuthorizedKeys | None
    child_limits: ChildLimits = field(default_factory=ChildLimits)
    children: set[PtyChild] = field(default_factory=set)
    # The warm process readers are forked from; None starts each one cold.
    fork_server: ForkServer | None = None
