"""The `thaw` command line: one parser, and one module per command.

Each command module is imported only when its command runs, so plain `thaw`
(reading) imports neither the YAML loader on a cache hit nor asyncssh.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NoReturn

from thaw_tui import __version__
from thaw_tui.cli import exit_codes
from thaw_tui.cli.output import tolerate_any_encoding


def _shared_options() -> argparse.ArgumentParser:
    """`--content`, `--state-dir` and `--progress-url`, before or after the command name.

    SUPPRESS keeps a subcommand from overwriting a value given before it
    (`thaw --content X export` and `thaw export --content X` mean the same). Each
    parser needs its own copy: `parents=` shares the option objects themselves, and
    the top parser's `set_defaults` would then give the subcommand's copy a default
    of None that overwrites the value given before the command name.
    """
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument(
        "--content", metavar="PATH", default=argparse.SUPPRESS, help="content pack folder"
    )
    shared.add_argument(
        "--state-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where reading progress (and the pack cache) is kept",
    )
    shared.add_argument(
        "--progress-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="keep reading progress in PostgreSQL (postgresql://user@host/db, no password: "
        "use $THAW_PROGRESS_URL or ~/.pgpass for that); default: SQLite in the state folder",
    )
    return shared


# The words that name a command, and those that ask for help.
COMMANDS = frozenset({"validate", "export", "schema", "progress", "serve"})
HELP_OPTIONS = frozenset({"-h", "--help"})


class _NotJustReading(Exception):
    """The reader's own parser cannot read this command line; the whole parser will."""


class _ReaderParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotJustReading(message)


def parse_command_line(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the command line.

    Plain `thaw` (reading) needs none of the commands, and building their parsers
    (serve's above all) costs about 6 ms of every start. So they are built only when a
    word could name a command or asks for help, or when the reader's options alone do
    not fit: then the whole parser reads it, and says what is wrong as it always has.
    """
    words = sys.argv[1:] if argv is None else list(argv)
    if not any(word in COMMANDS or word in HELP_OPTIONS for word in words):
        try:
            args = _reader_parser(_ReaderParser).parse_args(words)
        except _NotJustReading:
            pass
        else:
            args.command = None
            return args
    return build_parser().parse_args(words)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: the reader's options, and every command."""
    parser = _reader_parser(argparse.ArgumentParser)
    _add_commands(parser)
    return parser


def _reader_parser(parser_class: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = parser_class(
        prog="thaw",
        parents=[_shared_options()],
        description=(
            "A keyboard-driven explainer of 'Thawing Relations Under Fire' (2014): "
            "timeline, actors, disputes, consequences and sources, with a reading tracker."
        ),
    )
    parser.set_defaults(content=None, state_dir=None, progress_url=None)
    parser.add_argument("--version", action="version", version=f"thaw {__version__}")
    parser.add_argument(
        "--reader", metavar="ID", default="local", help="whose progress to use (default: local)"
    )
    parser.add_argument(
        "--reset-progress",
        action="store_true",
        help="forget this reader's progress and exit (asks first; cannot be undone)",
    )
    parser.add_argument(
        "--yes", "-y", action="store_true", help="with --reset-progress: reset without asking"
    )
    # Set by `thaw serve` for its children; not for people to type.
    parser.add_argument("--ephemeral", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--served", action="store_true", help=argparse.SUPPRESS)
    return parser


def _add_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = sub.add_parser("validate", help="check a content pack and report every problem")
    validate.add_argument("path", nargs="?", metavar="PATH", help="pack folder (default: shipped)")

    export = sub.add_parser(
        "export", parents=[_shared_options()], help="write the pack as JSON or Markdown"
    )
    export.add_argument("--format", choices=("json", "markdown"), default="json")
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")

    sub.add_parser("schema", help="print the JSON Schema of a content pack")

    progress = sub.add_parser("progress", help="manage the reading-progress store")
    progress_sub = progress.add_subparsers(dest="progress_command", metavar="ACTION")
    progress_sub.required = True
    progress_sub.add_parser(
        "migrate",
        parents=[_shared_options()],
        help="create or upgrade the store's tables now (PostgreSQL: as the database owner)",
    )

    from thaw_tui.sshserve.options import add_serve_arguments

    add_serve_arguments(
        sub.add_parser("serve", parents=[_shared_options()], help="host SSH reading sessions")
    )


def main(argv: Sequence[str] | None = None) -> int:
    # No message may fail for want of a character in stdout's encoding (cli/output.py).
    tolerate_any_encoding()
    args = parse_command_line(argv)
    if args.served:
        report_crashes_to_host(os.environ)
    try:
        return dispatch(args)
    except KeyboardInterrupt:
        return exit_codes.INTERRUPTED
    except BrokenPipeError:
        return exit_codes.OK
    except Exception:
        if not args.served:
            raise
        # A served reader's terminal is a stranger's: one sentence, never a traceback
        # with the host's paths and source (the app itself does the same: ui/served.py).
        # The traceback goes to the host, if it gave the reader a way there.
        import traceback

        from thaw_tui.sshserve.warm import APOLOGY
        from thaw_tui.ui.served import tell_host

        tell_host(traceback.format_exc())
        print(APOLOGY, file=sys.stderr)
        return exit_codes.PROBLEMS


def report_crashes_to_host(environ: Mapping[str, str]) -> None:
    """A reader of `thaw serve` started cold: send its crash reports to the server's
    stderr, through the descriptor the server named (anything else is ignored: the
    reader then has nowhere to report to, and still shows its one sentence)."""
    from thaw_tui.sshserve.childenv import HOST_ERRORS_ENV

    value = environ.get(HOST_ERRORS_ENV, "")
    if not value.isdigit():
        return
    descriptor = int(value)
    try:
        os.fstat(descriptor)
    except OSError:
        return
    from thaw_tui.ui.served import report_crashes_to

    report_crashes_to(descriptor)


def dispatch(args: argparse.Namespace) -> int:
    content = Path(args.content) if args.content else None
    if args.command == "validate":
        from thaw_tui.cli.validate import run_validate

        return run_validate(Path(args.path) if args.path else None)
    if args.command == "export":
        from thaw_tui.cli.export import run_export

        return run_export(args.format, content, args.output)
    if args.command == "schema":
        from thaw_tui.cli.schema import run_schema

        return run_schema()
    if args.command == "progress":
        from thaw_tui.cli.progress import run_progress

        return run_progress(args)
    if args.command == "serve":
        from thaw_tui.cli.serve import run_serve

        return run_serve(args)
    from thaw_tui.cli.read import run_reader

    return run_reader(args)
