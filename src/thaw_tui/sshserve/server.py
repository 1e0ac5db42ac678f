"""Connections: admission, authentication and every refusal that is not about a session."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncssh

from thaw_tui.sshserve.connlog import ConnectionRecord
from thaw_tui.sshserve.context import ServeContext
from thaw_tui.sshserve.durations import format_duration
from thaw_tui.sshserve.identity import Reader, fingerprint
from thaw_tui.sshserve.limits import Admitted, Refusal, Ticket
from thaw_tui.sshserve.quickack import ack_quickly_until
from thaw_tui.sshserve.session import ThawSession
from thaw_tui.sshserve.throttle import ReadThrottle, throttle_reads

# A refused connection is answered at its first authentication request (see
# connection_made), or after this long if it never sends one.
REFUSAL_GRACE = 5.0
CHANNEL_WINDOW = 128 * 1024


class ThawServer(asyncssh.SSHServer):
    """One per connection. Admits by key; refuses forwarding of every kind."""

    def __init__(self, context: ServeContext) -> None:
        self._context = context
        self._loop = asyncio.get_running_loop()
        self._conn: Any = None
        self._record = ConnectionRecord("-", 0)
        self._ticket: Ticket | None = None
        self._refusal: Refusal | None = None
        self._candidate: asyncssh.SSHKey | None = None
        self._anonymous = False
        self._reader: Reader | None = None
        self._session_opened = False
        self._session: ThawSession | None = None
        self._throttle: ReadThrottle | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._logged = False
        self.closed: asyncio.Future[None] = self._loop.create_future()

    # --- connection ------------------------------------------------------------------
    def connection_made(self, conn: Any) -> None:
        self._conn = conn
        ack_quickly_until(conn, lambda: self._session_opened)
        config = self._context.config
        self._throttle = throttle_reads(conn, config.input_rate, config.input_burst, self._loop)
        peer = conn.get_extra_info("peername") or ("-", 0)
        self._record = ConnectionRecord(str(peer[0]), int(peer[1]))
        admitted = self._context.admission.admit(self._record.address)
        if isinstance(admitted, Admitted):
            self._ticket = admitted.ticket
            self._context.connections[admitted.ticket.number] = self
            if admitted.evict is not None:
                crowded = self._context.connections.get(admitted.evict.number)
                if crowded is not None:
                    crowded.turn_away(Refusal.CROWDED)
            return
        self._refuse(admitted)
        if admitted is Refusal.RATE:
            # Cut a storm off at once; the sentence is best effort.
            self._loop.call_soon(self._turn_away)
        else:
            # Wait for the first auth request: by then the client has sent all it will
            # send before an answer, so closing cannot reset the connection and lose
            # the sentence. The rate limit bounds how many such connections one address
            # has, and a client that never asks is turned away after a few seconds.
            self._timer = self._loop.call_later(REFUSAL_GRACE, self._turn_away)

    def _refuse(self, refusal: Refusal) -> None:
        self._record.outcome = f"refused:{refusal.name.lower()}"
        self._refusal = refusal

    def turn_away(self, refusal: Refusal) -> None:
        """Drop this connection, still logging in, to make room (see limits.Admission)."""
        if self._conn is None or self._reader is not None:
            return
        self._refuse(refusal)
        self._turn_away()

    def _turn_away(self) -> None:
        if self._conn is not None and self._refusal is not None:
            self._conn.disconnect(asyncssh.DISC_TOO_MANY_CONNECTIONS, self._refusal.value)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timer()
        if self._throttle is not None:
            self._throttle.close()
        if self._ticket is not None:
            self._context.admission.release(self._ticket)
            self._context.connections.pop(self._ticket.number, None)
        self.log_line()
        # Nothing of this connection is kept in a reference cycle: it is freed at once.
        self._conn = None
        self._session = None
        self._throttle = None
        if not self.closed.done():
            self.closed.set_result(None)

    def log_line(self) -> None:
        """Write this connection's line to the log, once."""
        if not self._logged:
            self._logged = True
            self._context.logger.info(self._record.line())

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    # --- authentication: the key is the identity, the username is ignored -------------
    def begin_auth(self, username: str) -> bool:
        if self._refusal is not None:
            self._cancel_timer()
            self._turn_away()
        return True

    def password_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return self._ticket is not None

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        authorized = self._context.authorized
        admitted = self._ticket is not None and (authorized is None or authorized.admits(key))
        # The last key validated is the one whose signature completes the login.
        self._candidate = key if admitted else None
        self._anonymous = False
        return admitted

    def validate_ca_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        # Under --open a reader without a key gets in with no questions, as anonymous.
        return self._ticket is not None and self._context.config.open_access

    def get_kbdint_challenge(self, username: str, lang: str, submethods: str) -> bool:
        self._anonymous = True
        self._candidate = None
        return True

    def auth_completed(self) -> None:
        if self._anonymous or self._candidate is None:
            self._reader = Reader.anonymous()
        else:
            self._reader = Reader(fingerprint(self._candidate))
        self._record.fingerprint = self._reader.fingerprint
        assert self._ticket is not None
        refusal = self._context.admission.authenticate(self._ticket)
        if refusal is not None:
            self._refuse(refusal)
            self._turn_away()
            return
        self._expect_a_session()

    # --- a connection must come to read ------------------------------------------------
    def _expect_a_session(self) -> None:
        """Close the connection unless a session opens soon (before the first one, and
        after it has ended): a logged-in connection holds a slot until then."""
        self._cancel_timer()
        timeouts = self._context.config.timeouts
        self._timer = self._loop.call_later(
            min(timeouts.session_open, timeouts.idle), self._no_session
        )

    def _no_session(self) -> None:
        self._timer = None
        if self._conn is None or self._session is not None:
            return
        if not self._session_opened:
            self._record.outcome = "idle:no-session"
        timeouts = self._context.config.timeouts
        wait = format_duration(min(timeouts.session_open, timeouts.idle))
        self._conn.disconnect(
            asyncssh.DISC_BY_APPLICATION,
            f"thaw closes a connection that opens no reading session within {wait}",
        )

    def _session_closed(self) -> None:
        self._session = None
        if self._conn is not None:
            self._expect_a_session()

    # --- channels --------------------------------------------------------------------------
    def session_requested(self) -> ThawSession | bool:
        # One reading session per connection keeps the accounting one-to-one.
        if self._session_opened or self._reader is None:
            return False
        self._session_opened = True
        self._cancel_timer()
        self._session = ThawSession(
            self._context, self._reader, self._record, on_close=self._session_closed
        )
        return self._session

    def connection_requested(self, *args: object) -> bool:
        return False  # ssh -L and -D

    def server_requested(self, *args: object) -> bool:
        return False  # ssh -R

    def unix_connection_requested(self, *args: object) -> bool:
        return False

    def unix_server_requested(self, *args: object) -> bool:
        return False

    def tun_requested(self, *args: object) -> bool:
        return False

    def tap_requested(self, *args: object) -> bool:
        return False

    # --- the server stops ------------------------------------------------------------------
    def shut_down(self) -> None:
        """Tell a reader the server is stopping; close a connection without a session."""
        if self._conn is None:
            return
        self._cancel_timer()
        if self._session is not None:
            self._session.shut_down()
        else:
            self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()


async def start_server(context: ServeContext, host_key: asyncssh.SSHKey) -> Any:
    """Listen with every optional SSH feature off; returns the asyncssh acceptor."""
    config = context.config
    timeouts = config.timeouts
    return await asyncssh.create_server(
        lambda: ThawServer(context),
        config.host,
        config.port,
        server_host_keys=[host_key],
        encoding=None,
        line_editor=False,
        allow_pty=True,
        agent_forwarding=False,
        x11_forwarding=False,
        allow_scp=False,
        password_auth=False,
        host_based_auth=False,
        gss_host=None,
        rdns_lookup=False,
        # What a client may send on a session before the server has taken it in: while
        # a reader's keys wait for the app, this much waits in the server (red-team
        # F14). Keys are a few bytes; asyncssh's default is 2 MiB.
        window=CHANNEL_WINDOW,
        login_timeout=timeouts.login,
        keepalive_interval=timeouts.keepalive_interval,
        keepalive_count_max=timeouts.keepalive_count_max,
        reuse_address=True,
    )
