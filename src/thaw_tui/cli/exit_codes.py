"""The exit statuses every `thaw` command uses, in one place.

Scripts (and `thaw serve`'s children) rely on them, so they never change meaning.
"""

OK = 0
# The input has problems the user can fix: a broken pack, a bad option value.
PROBLEMS = 1
# The command was asked for something it cannot do here: no terminal, a missing folder.
USAGE = 2
# Interrupted by Ctrl+C before the app took over the terminal (128 + SIGINT).
INTERRUPTED = 130


def for_signal(signum: int) -> int:
    """The status of a reader that quit because of signal `signum`: 128 + N, as a shell
    reports a death by that signal (SIGHUP 129, SIGINT 130, SIGTERM 143), although
    the reader quit cleanly and gave the terminal back (cli/quit_signals.py)."""
    return 128 + signum


def from_returncode(returncode: int) -> int:
    """A child's status as a shell reports it: death by signal N becomes 128 + N."""
    return 128 - returncode if returncode < 0 else returncode
