"""`thaw export`: write the resolved pack as JSON or Markdown (see pack/export.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from thaw_tui.cli import exit_codes
from thaw_tui.cli.output import json_for_stdout, unwritable
from thaw_tui.cli.pack_folder import pack_folder_problem
from thaw_tui.pack.export import export_json, export_markdown
from thaw_tui.pack.load import read_pack, summary_line
from thaw_tui.pack.model import Pack


def run_export(fmt: str, content: Path | None, output: str | None) -> int:
    if fmt not in ("json", "markdown"):
        print(f"thaw export: unknown format '{fmt}': use json or markdown.", file=sys.stderr)
        return exit_codes.USAGE
    folder_problem = pack_folder_problem(content) if content is not None else None
    if folder_problem is not None:
        print(f"thaw export: {folder_problem}", file=sys.stderr)
        return exit_codes.USAGE
    pack, problems = read_pack(content)
    if pack is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{summary_line(problems)} Nothing exported: fix them first.", file=sys.stderr)
        return exit_codes.PROBLEMS
    if output is None or output == "-":
        return write_to_stdout(fmt, pack)
    if fmt == "json":
        text = json.dumps(export_json(pack), indent=2, ensure_ascii=False) + "\n"
    else:
        text = export_markdown(pack)
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"thaw export: cannot write {output}: {error.strerror or error}.", file=sys.stderr)
        return exit_codes.USAGE
    return exit_codes.OK


def write_to_stdout(fmt: str, pack: Pack) -> int:
    """In stdout's encoding: JSON escapes what it cannot hold; Markdown is checked
    whole first, and refused with a sentence rather than written in part or mangled."""
    text = json_for_stdout(export_json(pack)) if fmt == "json" else export_markdown(pack)
    cannot = unwritable(text)
    if cannot is not None:
        print(f"thaw export: {cannot}", file=sys.stderr)
        return exit_codes.USAGE
    sys.stdout.write(text)
    return exit_codes.OK
