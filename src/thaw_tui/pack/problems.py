"""Problems found in a pack, and the one error type the loader raises."""

from __future__ import annotations

from msgspec import Struct


class Problem(Struct, frozen=True, order=True):
    """One thing wrong with a pack, located to a file, line and column (1-based)."""

    file: str
    line: int
    column: int
    item_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.item_id}: {self.message}"


def format_report(problems: list[Problem]) -> str:
    """Every problem on its own line, then a one-line summary."""
    lines = [str(problem) for problem in problems]
    lines.append(summary_line(problems))
    return "\n".join(lines)


def summary_line(problems: list[Problem]) -> str:
    count = len(problems)
    if count == 0:
        return "No problems found."
    files = len({problem.file for problem in problems})
    noun = "problem" if count == 1 else "problems"
    where = "1 file" if files == 1 else f"{files} files"
    return f"{count} {noun} in {where}."


class PackError(Exception):
    """A pack that cannot be used. `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(format_report(self.problems))
