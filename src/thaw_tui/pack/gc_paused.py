"""Pause the cyclic garbage collector around bulk allocation.

Building a pack (from YAML or from the cache) allocates hundreds of thousands of
small objects that all stay alive; the collector would rescan them again and
again (it doubles the load time of a 10,000-item pack), so it waits until the
pack is built.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
