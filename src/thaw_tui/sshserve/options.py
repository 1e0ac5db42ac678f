"""Options of `thaw serve`, kept apart from the server so `thaw --help` imports no asyncssh.

`--content` and `--state-dir` are shared with every command (see `thaw_tui.cli.main`).
"""

from __future__ import annotations

import argparse


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--port", type=int, default=2222, help="port to listen on (0: any free port)"
    )
    parser.add_argument("--host-key", metavar="PATH", help="ed25519 host key (made if missing)")
    access = parser.add_mutually_exclusive_group()
    access.add_argument(
        "--authorized-keys",
        metavar="PATH",
        help="admit only these public keys (default: authorized_keys in the state directory)",
    )
    access.add_argument(
        "--open", action="store_true", help="admit any key; readers without a key are anonymous"
    )
    parser.add_argument(
        "--max-sessions", type=int, default=50, metavar="N", help="readers at once (default 50)"
    )
    parser.add_argument(
        "--max-per-ip", type=int, default=5, metavar="N", help="connections per address (default 5)"
    )
    parser.add_argument(
        "--rate-limit",
        type=float,
        default=30,
        metavar="N",
        help="connection attempts per address per minute (default 30)",
    )
    parser.add_argument(
        "--idle-timeout", default="30m", metavar="DURATION", help="e.g. 90s, 30m, 2h"
    )
    parser.add_argument(
        "--max-handshakes",
        type=int,
        metavar="N",
        help="connections still logging in at once (default: half of --max-sessions, at least 10)",
    )
    parser.add_argument(
        "--login-timeout",
        default="20s",
        metavar="DURATION",
        help="how long a connection has to log in (default 20s)",
    )
    parser.add_argument(
        "--input-rate",
        type=float,
        default=16,
        metavar="KIB",
        help="what one reader may send, in KiB per second, beyond a 256 KiB burst "
        "(default 16; typing is well under 1)",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="start each reader as a fresh process instead of forking a warm one",
    )
    parser.add_argument("--log-file", metavar="PATH", help="append connection lines here")
