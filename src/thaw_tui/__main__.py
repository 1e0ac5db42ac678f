"""`python -m thaw_tui` and the `thaw` script: the command line lives in `thaw_tui.cli.main`."""

from __future__ import annotations

import sys

from thaw_tui.cli.main import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
