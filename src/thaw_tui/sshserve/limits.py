"""Admission limits: a token bucket per address, a cap per address, a global cap."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

Clock = Callable[[], float]


class Refusal(Enum):
    """Why a connection was turned away; the value is what the reader is told."""

    RATE = "too many connection attempts from your address, try again in a minute"
    PER_ADDRESS = "too many connections from your address, close one and try again"
    FULL = "thaw is full, try again later"


@dataclass
class TokenBucket:
    """`capacity` attempts at once, refilled at `rate` per second."""

    capacity: float
    rate: float
    tokens: float
    stamp: float

    def take(self, now: float) -> bool:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


@dataclass
class Admission:
    """Counts connections and sessions; every `admit` must be paired with a `release`.

    Connections are capped above `max_sessions` as well, so half-open handshakes cannot
    pile up, but only running sessions count against `max_sessions` itself.
    """

    max_sessions: int
    max_per_address: int
    rate_per_minute: float
    clock: Clock = time.monotonic
    _buckets: dict[str, TokenBucket] = field(default_factory=dict)
    _per_address: dict[str, int] = field(default_factory=dict)
    connections: int = 0
    sessions: int = 0

    @property
    def max_connections(self) -> int:
        return 2 * self.max_sessions + 10

    def admit(self, address: str) -> Refusal | None:
        """Count a new connection from `address`, or say why it is refused."""
        now = self.clock()
        self._forget_full_buckets(now)
        bucket = self._buckets.get(address)
        if bucket is None:
            capacity = max(3.0, min(self.rate_per_minute / 3, 1000.0))
            bucket = TokenBucket(capacity, self.rate_per_minute / 60, capacity, now)
            self._buckets[address] = bucket
        if not bucket.take(now):
            return Refusal.RATE
        if self._per_address.get(address, 0) >= self.max_per_address:
            return Refusal.PER_ADDRESS
        if self.connections >= self.max_connections:
            return Refusal.FULL
        self._per_address[address] = self._per_address.get(address, 0) + 1
        self.connections += 1
        return None

    def release(self, address: str) -> None:
        remaining = self._per_address.get(address, 0) - 1
        if remaining > 0:
            self._per_address[address] = remaining
        else:
            self._per_address.pop(address, None)
        self.connections = max(0, self.connections - 1)

    def start_session(self) -> bool:
        """Claim a session slot; False when `max_sessions` are already running."""
        if self.sessions >= self.max_sessions:
            return False
        self.sessions += 1
        return True

    def end_session(self) -> None:
        self.sessions = max(0, self.sessions - 1)

    def _forget_full_buckets(self, now: float) -> None:
        # Buckets that have refilled carry no information; dropping them keeps memory
        # bounded however many addresses knock.
        if len(self._buckets) < 1024:
            return
        for address, bucket in list(self._buckets.items()):
            if bucket.tokens + (now - bucket.stamp) * bucket.rate >= bucket.capacity:
                del self._buckets[address]
