"""The `thaw` command line: `main.py` parses and dispatches, one module per command.

Kept empty so that importing `thaw_tui.cli.exit_codes` (the SSH server does) costs
nothing more.
"""
