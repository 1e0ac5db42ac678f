"""The layering ARCHITECTURE.md promises: each package imports only what its row allows.

The rules are read from the tables in ARCHITECTURE.md, so the map and this check
cannot drift apart. Imports are found by reading the source (including imports
inside functions and under TYPE_CHECKING), then the promise that matters most at run
time — no textual or rich below the UI — is checked again in a fresh interpreter.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import thaw_tui

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = Path(thaw_tui.__file__).resolve().parent


def _rules(marker: str) -> list[tuple[str, list[str]]]:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    block = re.search(rf"<!-- {marker} -->(.*?)<!-- /{marker} -->", text, re.S)
    assert block, f"ARCHITECTURE.md lost its <!-- {marker} --> table"
    rows = []
    for line in block.group(1).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 2 or not cells[0].startswith("`"):
            continue
        rows.append((cells[0].strip("`"), re.findall(r"`([^`]+)`", cells[1])))
    assert rows, f"the {marker} table is empty"
    return rows


def _matches(pattern: str, module: str) -> bool:
    if pattern.endswith(".*"):
        base = pattern[:-2]
        return module == base or module.startswith(base + ".")
    return module == pattern


def _specificity(pattern: str) -> tuple[int, int]:
    # An exact module beats a package pattern of the same depth.
    return (pattern.count("."), 0 if pattern.endswith(".*") else 1)


def _rule_for(module: str, rules: list[tuple[str, list[str]]]) -> list[str]:
    applicable = [(pattern, allowed) for pattern, allowed in rules if _matches(pattern, module)]
    assert applicable, f"no row of ARCHITECTURE.md covers {module}"
    return max(applicable, key=lambda row: _specificity(row[0]))[1]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    base = PACKAGE_DIR.parent / relative
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _imports(path: Path) -> set[str]:
    """Every module `path` imports; `from pkg import sub` counts as `pkg.sub`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: use absolute imports"
            assert node.module is not None
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(
                    sub if node.module.startswith("thaw_tui") and _is_module(sub) else node.module
                )
    return found


SOURCES = sorted(PACKAGE_DIR.rglob("*.py"))
MODULES = {_module_name(path): path for path in SOURCES}


def test_every_package_of_thaw_is_covered_by_a_rule() -> None:
    rules = _rules("import-rules")
    for module in MODULES:
        _rule_for(module, rules)  # raises for an uncovered module
    assert {"thaw_tui.pack.model", "thaw_tui.ui.app", "thaw_tui.sshserve.warm"} <= MODULES.keys()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_imports_only_what_its_layer_allows(module: str) -> None:
    allowed = _rule_for(module, _rules("import-rules"))
    ours = sorted(name for name in _imports(MODULES[module]) if name.split(".")[0] == "thaw_tui")
    bad = [name for name in ours if not any(_matches(pattern, name) for pattern in allowed)]
    assert not bad, f"{module} imports {bad}; ARCHITECTURE.md allows only {allowed}"


@pytest.mark.parametrize(("library", "homes"), _rules("library-rules"))
def test_library_is_imported_only_where_architecture_says(library: str, homes: list[str]) -> None:
    users = sorted(
        module
        for module, path in MODULES.items()
        if any(name.split(".")[0] == library for name in _imports(path))
    )
    strays = [user for user in users if not any(_matches(home, user) for home in homes)]
    assert users, f"nothing imports {library}: drop its row from ARCHITECTURE.md"
    assert not strays, f"{library} is imported by {strays}, outside {homes}"


def test_the_rules_catch_a_forbidden_import(tmp_path: Path) -> None:
    """The checker itself: the UI importing the loader would be reported."""
    allowed = _rule_for("thaw_tui.ui.app", _rules("import-rules"))
    assert not any(_matches(pattern, "thaw_tui.pack.load") for pattern in allowed)
    assert not any(_matches(pattern, "thaw_tui.progress.sqlite") for pattern in allowed)
    assert any(_matches(pattern, "thaw_tui.progress") for pattern in allowed)
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from thaw_tui.pack import load\n")
    assert _imports(probe) == {"thaw_tui.pack.load"}


SCREEN_FREE_MODULES = sorted(
    module
    for module in MODULES
    if not module.startswith("thaw_tui.ui")
    and module not in {"thaw_tui.cli.read", "thaw_tui.sshserve.warm", "thaw_tui.__main__"}
)


def test_below_the_ui_nothing_loads_textual_or_rich_at_run_time() -> None:
    # One fresh interpreter for all of them: other tests' imports cannot hide a leak.
    probe = (
        f"import sys\nfor name in {SCREEN_FREE_MODULES!r}:\n    __import__(name)\n"
        "ui = {'textual', 'rich'}\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ui)))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
