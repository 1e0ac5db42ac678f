"""Test helpers shared across test folders and the benchmarks.

`tests` is on pytest's `pythonpath` (pyproject.toml), so tests import these as
`support.<module>`; the scripts in `bench/` add `tests` to `sys.path` once and
import them the same way.

- `pty_harness`: run a real command in a pseudo-terminal, read its screen via pyte.
- `ssh_helpers`: start `thaw serve` (`ssh_server_entry.py`) and drive the OpenSSH client;
  `ssh_stub_child.py` is the stand-in reader child that records what it was given.
- `sample_pack`: a small fixed pack built in Python, and a hostile one.
"""
