"""`thaw progress migrate`, and where every command finds the progress URL.

The URL comes from `--progress-url` or `$THAW_PROGRESS_URL`; without either, progress
lives in SQLite in the state folder. A URL given on the command line may not carry a
password: anyone on the machine can read a command line in `ps`. The environment,
`~/.pgpass` or a service file keep it out of sight.
"""

from __future__ import annotations

import argparse
import os
import sys

from thaw_tui.cli import exit_codes
from thaw_tui.progress.urls import URL_ENV, ProgressUrlError, has_password


class UrlProblem(Exception):
    """The progress URL cannot be used; the message is the sentence to print."""


def progress_url(args: argparse.Namespace) -> str | None:
    """The progress URL to use, checked (raises UrlProblem with the fix); None: SQLite."""
    from thaw_tui.progress.store import check_url

    given = getattr(args, "progress_url", None)
    if given and has_password(given):
        raise UrlProblem(
            "--progress-url carries a password, which anyone on this machine can read in "
            f"`ps`: put the URL in ${URL_ENV} or the password in ~/.pgpass instead."
        )
    url = given or os.environ.get(URL_ENV) or None
    if url is None:
        return None
    try:
        check_url(url)
    except ProgressUrlError as error:
        raise UrlProblem(str(error)) from None
    return url


def run_progress(args: argparse.Namespace) -> int:
    """`thaw progress migrate`: create or upgrade the store's tables, and say so."""
    from thaw_tui.paths import state_dir
    from thaw_tui.progress.store import ProgressStoreError, migrate_store

    try:
        url = progress_url(args)
    except UrlProblem as problem:
        print(f"thaw: {problem}", file=sys.stderr)
        return exit_codes.USAGE
    try:
        print(migrate_store(state_dir(getattr(args, "state_dir", None)), url))
    except ProgressStoreError as error:
        print(f"thaw progress migrate: {error}", file=sys.stderr)
        return exit_codes.PROBLEMS
    return exit_codes.OK
