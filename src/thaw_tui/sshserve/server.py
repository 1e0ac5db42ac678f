"""Connections: admission, authentication and every refusal that is not about a session."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncssh

from thaw_tui.sshserve.connlog import ConnectionRecord
from thaw_tui.sshserve.context import ServeContext
from thaw_tui.sshserve.identity import Reader, fingerprint
from thaw_tui.sshserve.limits import Refusal
from thaw_tui.sshserve.quickack import ack_quickly_until
from thaw_tui.sshserve.session import ThawSession


class ThawServer(asyncssh.SSHServer):
    """One per connection. Admits by key; refuses forwarding of every kind."""

    def __init__(self, context: ServeContext) -> None:
        self._context = context
        self._conn: Any = None
        self._record = ConnectionRecord("-", 0)
        self._admitted = False
        self._refusal: Refusal | None = None
        self._candidate: asyncssh.SSHKey | None = None
        self._anonymous = False
        self._reader: Reader | None = None
        self._session_opened = False

    # --- connection ------------------------------------------------------------------
    def connection_made(self, conn: Any) -> None:
        self._conn = conn
        ack_quickly_until(conn, lambda: self._session_opened)
        peer = conn.get_extra_info("peername") or ("-", 0)
        self._record = ConnectionRecord(str(peer[0]), int(peer[1]))
        refusal = self._context.admission.admit(self._record.address)
        if refusal is None:
            self._admitted = True
            return
        self._record.outcome = f"refused:{refusal.name.lower()}"
        self._refusal = refusal
        if refusal is Refusal.RATE:
            # Cut a storm off at once; the sentence is best effort.
            asyncio.get_running_loop().call_soon(self._turn_away)
        # Otherwise wait for the first auth request: by then the client has sent all it
        # will send before an answer, so closing cannot reset the connection and lose
        # the sentence. The rate limit bounds how many such connections one address has.

    def _turn_away(self) -> None:
        assert self._refusal is not None
        self._conn.disconnect(asyncssh.DISC_TOO_MANY_CONNECTIONS, self._refusal.value)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._admitted:
            self._context.admission.release(self._record.address)
        self._context.logger.info(self._record.line())

    # --- authentication: the key is the identity, the username is ignored -------------
    def begin_auth(self, username: str) -> bool:
        if self._refusal is not None:
            self._turn_away()
        return True

    def password_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return self._admitted

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        authorized = self._context.authorized
        admitted = self._admitted and (authorized is None or authorized.admits(key))
        # The last key validated is the one whose signature completes the login.
        self._candidate = key if admitted else None
        self._anonymous = False
        return admitted

    def validate_ca_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        # Under --open a reader without a key gets in with no questions, as anonymous.
        return self._admitted and self._context.config.open_access

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

    # --- channels --------------------------------------------------------------------------
    def session_requested(self) -> ThawSession | bool:
        # One reading session per connection keeps the accounting one-to-one.
        if self._session_opened or self._reader is None:
            return False
        self._session_opened = True
        return ThawSession(self._context, self._reader, self._record)

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
        login_timeout=timeouts.login,
        keepalive_interval=timeouts.keepalive_interval,
        keepalive_count_max=timeouts.keepalive_count_max,
        reuse_address=True,
    )
