"""What changed in a content pack since the reader's previous session.

Per reader and pack the store keeps each item's fingerprint (a hash of its content)
from the last session; comparing with the current pack gives the new and changed items.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping

from thaw_tui.progress import PackDelta


def pack_delta(
    previous: Mapping[str, str] | None, current: Mapping[str, str], seen: set[str]
) -> PackDelta:
    """What is new or changed in `current` since `previous` (None: no previous session).

    An item already seen but missing from the previous session's list (it left the pack
    and came back) counts as changed, not new: the reader has met it before.
    """
    if previous is None:
        return PackDelta()
    new: set[str] = set()
    changed: set[str] = set()
    for item_id, fingerprint in current.items():
        if item_id in previous:
            if previous[item_id] != fingerprint:
                changed.add(item_id)
        elif item_id in seen:
            changed.add(item_id)
        else:
            new.add(item_id)
    return PackDelta(new=frozenset(new), changed=frozenset(changed))


def read_fingerprints(conn: sqlite3.Connection, scope: int) -> dict[str, str] | None:
    noted = conn.execute("SELECT 1 FROM pack_session WHERE scope = ?", (scope,)).fetchone()
    if noted is None:
        return None
    rows = conn.execute("SELECT item, fingerprint FROM pack_item WHERE scope = ?", (scope,))
    return {str(item): str(fingerprint) for item, fingerprint in rows}


def store_fingerprints(
    conn: sqlite3.Connection,
    scope: int,
    previous: Mapping[str, str],
    current: Mapping[str, str],
    version: str,
) -> None:
    """Write only the differences: an unchanged pack costs one row at start-up."""
    gone = [(scope, item) for item in previous if item not in current]
    updated = [(scope, item, fp) for item, fp in current.items() if previous.get(item) != fp]
    conn.executemany("DELETE FROM pack_item WHERE scope = ? AND item = ?", gone)
    conn.executemany(
        "INSERT INTO pack_item (scope, item, fingerprint) VALUES (?, ?, ?) "
        "ON CONFLICT (scope, item) DO UPDATE SET fingerprint = excluded.fingerprint",
        updated,
    )
    conn.execute(
        "INSERT INTO pack_session (scope, version, noted) VALUES (?, ?, ?) "
        "ON CONFLICT (scope) DO UPDATE SET version = excluded.version, noted = excluded.noted",
        (scope, version, time.time()),
    )
