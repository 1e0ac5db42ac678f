"""Admission limits: who may open a connection, and which one makes room when full.

Three budgets, each protecting something else (docs/serving.md lists them):

- per address (an IPv6 /64 counts as one address, as a single host is usually given
  a whole /64): a token bucket of attempts, and a cap on connections at once;
- connections still logging in (`max_handshakes`): a small budget of their own,
  so that connections which never authenticate cannot crowd out readers who do.
  When it is full a newcomer is still let in, and the oldest login of the address
  holding the most logins is dropped to make room: a flood from a few addresses
  pushes out its own connections, never a reader from elsewhere;
- authenticated connections (`max_connections`), and running sessions
  (`max_sessions`, claimed when a session starts).

Each connection holds a `Ticket` from `admit` until `release`.
"""

from __future__ import annotations

import ipaddress
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

Clock = Callable[[], float]

# One host on IPv6 usually has a whole /64 to pick addresses from.
IPV6_GROUP_PREFIX = 64


class Refusal(Enum):
    """Why a connection was turned away; the value is what the reader is told."""

    RATE = "too many connection attempts from your address, try again in a minute"
    PER_ADDRESS = "too many connections from your address, close one and try again"
    FULL = "thaw is full, try again later"
    CROWDED = "too many connections are logging in at once, try again"


def address_group(address: str) -> str:
    """What the per-address limits count: the address itself for IPv4 (also when mapped
    into IPv6), its /64 network for IPv6. Anything else (a Unix socket) as it is."""
    try:
        parsed = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        network = ipaddress.IPv6Network((parsed, IPV6_GROUP_PREFIX), strict=False)
        return str(network)
    return str(parsed)


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


@dataclass(eq=False)
class Ticket:
    """One admitted connection, from TCP accept until it is gone."""

    number: int
    group: str
    started: float
    authenticated: bool = False
    evicted: bool = False  # dropped to make room; no longer counted as logging in
    released: bool = False


@dataclass
class Admitted:
    ticket: Ticket
    # An older connection, still logging in, to drop to make room for this one.
    evict: Ticket | None = None


@dataclass
class Admission:
    """Counts connections and sessions; every admitted `Ticket` must be `release`d."""

    max_sessions: int
    max_per_address: int
    rate_per_minute: float
    clock: Clock = time.monotonic
    max_handshakes: int | None = None  # default: see `handshake_budget`
    _buckets: dict[str, TokenBucket] = field(default_factory=dict)
    _per_group: dict[str, int] = field(default_factory=dict)
    _handshakes: dict[int, Ticket] = field(default_factory=dict)  # in arrival order
    _numbers: itertools.count[int] = field(default_factory=itertools.count)
    authenticated: int = 0
    sessions: int = 0

    @property
    def max_connections(self) -> int:
        """Authenticated connections at once: a session each, and some leeway."""
        return 2 * self.max_sessions + 10

    @property
    def handshake_budget(self) -> int:
        if self.max_handshakes is not None:
            return self.max_handshakes
        return max(10, self.max_sessions // 2)

    @property
    def handshakes(self) -> int:
        return len(self._handshakes)

    @property
    def connections(self) -> int:
        return self.handshakes + self.authenticated

    def admit(self, address: str) -> Admitted | Refusal:
        """Count a new connection from `address`, or say why it is refused."""
        now = self.clock()
        group = address_group(address)
        self._forget_full_buckets(now)
        bucket = self._buckets.get(group)
        if bucket is None:
            capacity = max(3.0, min(self.rate_per_minute / 3, 1000.0))
            bucket = TokenBucket(capacity, self.rate_per_minute / 60, capacity, now)
            self._buckets[group] = bucket
        if not bucket.take(now):
            return Refusal.RATE
        if self._per_group.get(group, 0) >= self.max_per_address:
            return Refusal.PER_ADDRESS
        victim = None
        if self.handshakes >= self.handshake_budget:
            victim = self._oldest_of_the_busiest()
            victim.evicted = True
            del self._handshakes[victim.number]
        ticket = Ticket(next(self._numbers), group, now)
        self._handshakes[ticket.number] = ticket
        self._per_group[group] = self._per_group.get(group, 0) + 1
        return Admitted(ticket, victim)

    def _oldest_of_the_busiest(self) -> Ticket:
        counts: dict[str, int] = {}
        for waiting in self._handshakes.values():
            counts[waiting.group] = counts.get(waiting.group, 0) + 1
        busiest = max(counts.values())
        # Dicts keep insertion order, so the first match is the oldest.
        return next(t for t in self._handshakes.values() if counts[t.group] == busiest)

    def authenticate(self, ticket: Ticket) -> Refusal | None:
        """The connection has logged in: move it to the authenticated budget."""
        if ticket.released or ticket.authenticated:
            return None
        if self.authenticated >= self.max_connections:
            return Refusal.FULL
        self._handshakes.pop(ticket.number, None)
        ticket.authenticated = True
        self.authenticated += 1
        return None

    def release(self, ticket: Ticket) -> None:
        if ticket.released:
            return
        ticket.released = True
        if ticket.authenticated:
            self.authenticated = max(0, self.authenticated - 1)
        else:
            self._handshakes.pop(ticket.number, None)
        remaining = self._per_group.get(ticket.group, 0) - 1
        if remaining > 0:
            self._per_group[ticket.group] = remaining
        else:
            self._per_group.pop(ticket.group, None)

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
        for group, bucket in list(self._buckets.items()):
            if bucket.tokens + (now - bucket.stamp) * bucket.rate >= bucket.capacity:
                del self._buckets[group]
