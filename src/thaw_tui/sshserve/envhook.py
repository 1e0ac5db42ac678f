"""Environment requests, answered without keeping what the client sent.

asyncssh keeps every `env` request of a session in a dict on the channel, however
many there are and however large: 150,000 variables of 1 KB grew the server by
300 MiB per connection (red-team F2). thaw uses one variable, COLORTERM, and only
two of its values. So the channel's handler for `env` requests (`ENV_METHOD`) is
replaced by one that gives each name and value to the session, which keeps at most
that one short value, and stores nothing on the channel.

This reaches into asyncssh as `quickack` does; `tests/unit/test_serve_units.py`
checks the handler is still called by that name. If it is not, `hook_env_requests`
changes nothing and returns False (the read throttle still bounds the flood).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ENV_METHOD = "_process_env_request"


def hook_env_requests(chan: Any, accept: Callable[[bytes, bytes], bool]) -> bool:
    """Send `chan`'s env requests to `accept(name, value)` (its answer is the reply)."""
    if not callable(getattr(chan, ENV_METHOD, None)):
        return False

    def handle(packet: Any) -> bool:
        name = packet.get_string()
        value = packet.get_string()
        packet.check_end()
        return accept(bytes(name), bytes(value))

    # The channel looks its handlers up on the instance, so this shadows the class's.
    setattr(chan, ENV_METHOD, handle)
    return True
