"""`thaw schema`: print the JSON Schema of a pack file, for editors' completion."""

from __future__ import annotations

import json

from thaw_tui.cli import exit_codes
from thaw_tui.pack.schema import pack_schema


def run_schema() -> int:
    print(json.dumps(pack_schema(), indent=2, ensure_ascii=False))
    return exit_codes.OK
