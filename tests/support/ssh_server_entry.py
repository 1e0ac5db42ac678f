"""Run `thaw serve` for the tests, optionally with a stub in place of the reader app.

    python ssh_server_entry.py '<json list: child command, or null>' <thaw serve args...>

The child command is the private `ServeConfig.child_command` hook, which the real
command line does not offer. `$SERVE_TEST_OVERRIDES`, a JSON object, replaces other
`ServeConfig` fields the command line does not offer either (its "timeouts" key the
`Timeouts` fields), so a test can use the smallest load that proves a limit.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
from dataclasses import replace

from thaw_tui.cli.main import build_parser
from thaw_tui.cli.progress import UrlProblem
from thaw_tui.cli.serve import serve, with_progress_store
from thaw_tui.sshserve.config import ConfigError, config_from_args

PR_SET_PDEATHSIG = 1


def stop_with_parent() -> None:
    """Get SIGTERM when the test process dies, so a killed test run leaves no server."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def main() -> int:
    stop_with_parent()
    child = json.loads(sys.argv[1])
    args = build_parser().parse_args(["serve", *sys.argv[2:]])
    try:
        config = config_from_args(args)
        config = with_progress_store(config, args)  # --progress-url, $THAW_PROGRESS_URL
    except (ConfigError, UrlProblem) as error:
        print(f"thaw serve: {error}", file=sys.stderr)
        return 1
    if child:
        config = replace(config, child_command=tuple(child))
    overrides = json.loads(os.environ.get("SERVE_TEST_OVERRIDES") or "{}")
    if "timeouts" in overrides:
        overrides["timeouts"] = replace(config.timeouts, **overrides["timeouts"])
    return serve(replace(config, **overrides))


if __name__ == "__main__":
    sys.exit(main())
