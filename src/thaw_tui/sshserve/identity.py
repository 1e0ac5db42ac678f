"""Who is who: the server's host key and the readers' public keys.

A reader is the SHA-256 fingerprint of their key, never the username they typed.
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from thaw_tui.paths import check_private, untrusted
from thaw_tui.sshserve.config import ConfigError
from thaw_tui.sshserve.connlog import LOGGER_NAME

ANONYMOUS = "anonymous"
_KEY_TYPE_PREFIXES = ("ssh-", "ecdsa-", "sk-")

log = logging.getLogger(LOGGER_NAME)


@dataclass(frozen=True)
class Reader:
    """The identity a session runs as. Anonymous readers keep progress only in memory."""

    fingerprint: str
    ephemeral: bool = False

    @classmethod
    def anonymous(cls) -> Reader:
        return cls(ANONYMOUS, ephemeral=True)


def fingerprint(key: asyncssh.SSHKey) -> str:
    """OpenSSH's form, as `ssh-keygen -l` prints it: `SHA256:...`."""
    return str(key.get_fingerprint("sha256"))


def load_or_create_host_key(path: Path) -> asyncssh.SSHKey:
    """Read the ed25519 host key, creating it (mode 0600) on first run.

    A key that is a link, or that another user owns or can write, is refused: whoever
    planted it holds the private half and could pose as this server."""
    problem = check_private(path, "Host key", folder=False)
    if problem is not None:
        raise ConfigError(problem)
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise ConfigError(
                f"Host key {path} can be read by other users (mode {mode:o}): "
                f"run `chmod 600 {path}`."
            )
        try:
            return asyncssh.read_private_key(str(path))
        except (asyncssh.KeyImportError, ValueError) as error:
            raise ConfigError(
                f"Host key {path} is not a private key ({error}): move it away to make a new one."
            ) from None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = asyncssh.generate_private_key("ssh-ed25519")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key.export_private_key())
    return key


def _key_text(line: str) -> str | None:
    """The `type base64` part of an authorized_keys line, skipping any options before it."""
    tokens = line.split()
    for index, token in enumerate(tokens[:-1]):
        if token.startswith(_KEY_TYPE_PREFIXES):
            return f"{token} {tokens[index + 1]}"
    return None


def read_authorized_fingerprints(path: Path) -> frozenset[str]:
    """Fingerprints of the keys in an authorized_keys file; bad lines are reported, not fatal."""
    found: set[str] = set()
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key_text = _key_text(line)
        try:
            if key_text is None:
                raise ValueError("no key type")
            found.add(fingerprint(asyncssh.import_public_key(key_text)))
        except (asyncssh.KeyImportError, ValueError):
            log.warning(
                "%s, line %d: not a public key, skipped "
                "(write it as `ssh-ed25519 AAAA... comment`).",
                path,
                number,
            )
    return frozenset(found)


def check_authorized_keys(path: Path) -> str | None:
    """Why `path` cannot be trusted as the list of readers, or None. Links are followed
    (hosts keep the list in /etc and link it), the file they lead to is checked."""
    return check_private(Path(os.path.realpath(path)), "Authorized keys file", folder=False)


class AuthorizedKeys:
    """The admitted fingerprints, re-read when the file changes so readers can be added live.

    A file that another user owns or can write admits nobody (and says so once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int, int, int] | None = None
        self._fingerprints: frozenset[str] = frozenset()

    def admits(self, key: asyncssh.SSHKey) -> bool:
        return fingerprint(key) in self._current()

    def _current(self) -> frozenset[str]:
        try:
            info = self.path.stat()
        except OSError:
            return frozenset()  # a deleted file admits nobody
        stamp = (info.st_mtime_ns, info.st_size, info.st_uid, info.st_mode)
        if stamp != self._stamp:
            self._stamp = stamp
            reason = untrusted(info)
            if reason is not None:
                log.warning("%s %s, so it admits nobody until that is fixed.", self.path, reason)
                self._fingerprints = frozenset()
            else:
                self._fingerprints = read_authorized_fingerprints(self.path)
        return self._fingerprints
