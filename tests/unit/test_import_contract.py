"""The model, loader, validator, store and SSH server must not pull in textual or rich
(STYLE.md): checked in a fresh interpreter so other tests' imports cannot hide it."""

from __future__ import annotations

import subprocess
import sys

import pytest

SCREEN_FREE_MODULES = [
    "thaw_tui.pack.model",
    "thaw_tui.progress",
    "thaw_tui.paths",
    "thaw_tui.pack.load",
    "thaw_tui.cli.validate",
    "thaw_tui.pack.export",
    "thaw_tui.pack.schema",
    "thaw_tui.progress.store",
    "thaw_tui.navigation",
    "thaw_tui.cli.serve",
]


@pytest.mark.parametrize("module", SCREEN_FREE_MODULES)
def test_module_imports_no_textual_or_rich(module: str) -> None:
    probe = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"
