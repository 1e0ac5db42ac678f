"""`thaw schema`: print the JSON Schema of a pack file, for editors' completion."""

from __future__ import annotations

import sys

from thaw_tui.cli import exit_codes
from thaw_tui.cli.output import json_for_stdout
from thaw_tui.pack.schema import pack_schema


def run_schema() -> int:
    sys.stdout.write(json_for_stdout(pack_schema()))
    return exit_codes.OK
