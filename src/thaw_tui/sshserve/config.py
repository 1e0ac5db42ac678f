"""What the host asked for, checked once before anything listens."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from thaw_tui.paths import default_content_dir, state_dir
from thaw_tui.sshserve.durations import DurationError, parse_duration

HOST_KEY_NAME = "ssh_host_ed25519_key"
AUTHORIZED_KEYS_NAME = "authorized_keys"
# The child's home and working directory: empty, inside the state directory.
CHILD_HOME_NAME = "serve-home"


class ConfigError(ValueError):
    """A setting `thaw serve` cannot start with; the message names the fix."""


@dataclass(frozen=True)
class Timeouts:
    """Seconds. The idle warning comes `idle_warning` before the idle disconnect.

    `login` is how long a connection may take to authenticate; `session_open` how
    long an authenticated connection may go without a reading session (before its
    first, and after it ends), at most the idle timeout."""

    login: float = 20.0
    session_open: float = 30.0
    keepalive_interval: float = 30.0
    keepalive_count_max: int = 3
    idle: float = 1800.0
    idle_warning: float = 60.0
    hangup_grace: float = 2.0


@dataclass(frozen=True)
class ServeConfig:
    host: str
    port: int
    state_dir: Path
    content_dir: Path
    host_key_path: Path
    # None means --open: any key is admitted and keyless readers are anonymous.
    authorized_keys_path: Path | None
    max_sessions: int = 50
    max_per_ip: int = 5
    rate_per_minute: float = 30.0
    timeouts: Timeouts = field(default_factory=Timeouts)
    # Connections still logging in at once (None: half of max_sessions, at least 10).
    max_handshakes: int | None = None
    # What one connection may send: bytes per second, and at once (sshserve/throttle.py).
    input_rate: float = 16 * 1024
    input_burst: float = 256 * 1024
    # Window size changes reach the reader's process at most this often (seconds).
    resize_interval: float = 0.2
    log_file: Path | None = None
    # Fork readers from a warm process that has the app imported and the pack loaded.
    warm: bool = True
    # Tests replace `python -m thaw_tui` with a stub; never set from the command line.
    child_command: tuple[str, ...] | None = None
    # Where readers' progress lives when not in SQLite under state_dir (a
    # postgresql:// URL), and what readers' processes get in their environment to
    # open it: the URL goes there, never on a command line (`ps` shows those).
    progress_url: str | None = None
    reader_env: tuple[tuple[str, str], ...] = ()

    @property
    def open_access(self) -> bool:
        return self.authorized_keys_path is None

    @property
    def child_home(self) -> Path:
        return self.state_dir / CHILD_HOME_NAME


def idle_warning_for(idle: float) -> float:
    """Warn a minute ahead, or a quarter of the timeout when that is shorter."""
    return min(60.0, idle / 4)


def config_from_args(args: argparse.Namespace) -> ServeConfig:
    """Build the config from `thaw serve` arguments; raise ConfigError with the fix."""
    state = state_dir(args.state_dir).resolve()
    content_arg = args.content
    content = Path(content_arg).expanduser().resolve() if content_arg else default_content_dir()
    if not content.is_dir():
        raise ConfigError(
            f"Content pack {content} is not a folder: pass --content with a pack folder."
        )
    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port {args.port} is not a port: use a number from 0 to 65535.")
    for option, value in (("--max-sessions", args.max_sessions), ("--max-per-ip", args.max_per_ip)):
        if value < 1:
            raise ConfigError(f"{option} {value} must be at least 1.")
    if args.rate_limit <= 0:
        raise ConfigError(f"--rate-limit {args.rate_limit} must be above zero.")
    if args.max_handshakes is not None and args.max_handshakes < 1:
        raise ConfigError(f"--max-handshakes {args.max_handshakes} must be at least 1.")
    if args.input_rate <= 0:
        raise ConfigError(f"--input-rate {args.input_rate} must be above zero (KiB per second).")
    try:
        idle = parse_duration(args.idle_timeout, option="--idle-timeout")
        login = parse_duration(args.login_timeout, option="--login-timeout")
    except DurationError as error:
        raise ConfigError(str(error)) from None

    if args.open:
        authorized: Path | None = None
    else:
        authorized = (
            Path(args.authorized_keys).expanduser()
            if args.authorized_keys
            else state / AUTHORIZED_KEYS_NAME
        )
        if not authorized.is_file():
            raise ConfigError(
                f"No authorized keys file at {authorized}: put readers' public keys in it "
                "(one per line, as in ~/.ssh/authorized_keys), or run `thaw serve --open` "
                "to admit any reader."
            )

    host_key = Path(args.host_key).expanduser() if args.host_key else state / HOST_KEY_NAME
    return ServeConfig(
        host=args.host,
        port=args.port,
        state_dir=state,
        content_dir=content,
        host_key_path=host_key,
        authorized_keys_path=authorized,
        max_sessions=args.max_sessions,
        max_per_ip=args.max_per_ip,
        rate_per_minute=float(args.rate_limit),
        timeouts=Timeouts(login=login, idle=idle, idle_warning=idle_warning_for(idle)),
        max_handshakes=args.max_handshakes,
        input_rate=args.input_rate * 1024,
        log_file=Path(args.log_file).expanduser() if args.log_file else None,
        warm=not args.cold,
    )
