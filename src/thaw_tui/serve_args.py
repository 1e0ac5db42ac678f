"""Arguments of `thaw serve`, kept apart so `thaw --help` need not import asyncssh."""

from __future__ import annotations

import argparse


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=2222, help="port to listen on")
    parser.add_argument("--host-key", metavar="PATH", help="ed25519 host key (made if missing)")
    access = parser.add_mutually_exclusive_group()
    access.add_argument(
        "--authorized-keys", metavar="PATH", help="admit only these public keys"
    )
    access.add_argument("--open", action="store_true", help="admit any reader")
    parser.add_argument("--max-sessions", type=int, default=50, metavar="N")
    parser.add_argument("--max-per-ip", type=int, default=5, metavar="N")
    parser.add_argument(
        "--idle-timeout", default="30m", metavar="DURATION", help="e.g. 90s, 30m, 2h"
    )
    parser.add_argument("--content", dest="serve_content", metavar="PATH")
    parser.add_argument("--state-dir", dest="serve_state_dir", metavar="DIR")
