"""The `thaw` command: read the explainer, or validate, export, describe and serve packs.

Subcommands import what they need lazily so that plain `thaw` starts fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from thaw_tui import __version__

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="thaw",
        description=(
            "A keyboard-driven explainer of 'Thawing Relations Under Fire' (2014): "
            "timeline, actors, disputes, consequences and sources, with a reading tracker."
        ),
    )
    parser.add_argument("--version", action="version", version=f"thaw {__version__}")
    parser.add_argument("--content", metavar="PATH", help="content pack folder to read")
    parser.add_argument("--state-dir", metavar="DIR", help="where reading progress is kept")
    parser.add_argument(
        "--reader", metavar="ID", default="local", help="whose progress to use (default: local)"
    )
    parser.add_argument(
        "--reset-progress", action="store_true", help="forget this reader's progress and exit"
    )
    # Set by `thaw serve` for its children; not for people to type.
    parser.add_argument("--ephemeral", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--served", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = sub.add_parser("validate", help="check a content pack and report every problem")
    validate.add_argument("path", nargs="?", metavar="PATH", help="pack folder (default: shipped)")

    export = sub.add_parser("export", help="write the pack as JSON or Markdown")
    export.add_argument("--format", choices=("json", "markdown"), default="json")
    export.add_argument("--content", dest="export_content", metavar="PATH")
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")

    sub.add_parser("schema", help="print the JSON Schema of a content pack")

    from thaw_tui.serve_args import add_serve_arguments

    add_serve_arguments(sub.add_parser("serve", help="host SSH reading sessions"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return dispatch(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "validate":
        from thaw_tui.validate import run_validate

        return run_validate(Path(args.path) if args.path else None)
    if args.command == "export":
        from thaw_tui.export import run_export

        content = args.export_content or args.content
        return run_export(args.format, Path(content) if content else None, args.output)
    if args.command == "schema":
        from thaw_tui.schema import run_schema

        return run_schema()
    if args.command == "serve":
        from thaw_tui.serve import run_serve

        return run_serve(args)
    from thaw_tui.reader import run_reader

    return run_reader(args)


if __name__ == "__main__":
    sys.exit(main())
