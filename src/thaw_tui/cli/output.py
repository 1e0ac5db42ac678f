"""Standard output in whatever encoding it has.

Python encodes stdout in the locale's encoding, or in $PYTHONIOENCODING's, and
strictly: a single character it cannot hold (a `§` under ASCII, Japanese under
Latin-1) ends a command with a UnicodeEncodeError traceback (ux-review B15). So:

- messages and reports never fail: `tolerate_any_encoding` makes stdout write an
  escape (`\\xa7`) for what it cannot hold, as Python's stderr already does;
- JSON falls back to `\\uXXXX` escapes, which any encoding holds and every JSON
  reader turns back into the same text (`json_for_stdout`);
- text that must arrive exactly, such as a Markdown export, is checked first and
  refused with a sentence before a byte is written (`unwritable`).

Files written with `-o` are always UTF-8 and never come through here.
"""

from __future__ import annotations

import codecs
import sys
from typing import Any


def stdout_encoding() -> str:
    """The codec's canonical name ("ascii", "utf-8", "iso8859-1", ...)."""
    name = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def tolerate_any_encoding() -> None:
    """From now on, write an escape for any character stdout's encoding cannot hold."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="backslashreplace")
        except (ValueError, OSError):
            pass  # a closed or detached stream: nothing will be written to it anyway


def unwritable(text: str) -> str | None:
    """None when stdout can hold all of `text`; else a sentence naming the first
    character it cannot hold and how to get the text anyway."""
    encoding = stdout_encoding()
    try:
        text.encode(encoding)
    except UnicodeEncodeError as error:
        character = error.object[error.start]
        others = sum(1 for c in set(error.object[error.start :]) if not _encodable(c, encoding))
        more = f" and {others - 1} other characters" if others > 1 else ""
        return (
            f"standard output is in {encoding}, which cannot hold U+{ord(character):04X} "
            f"({unicode_name(character)}){more} in this text: write it to a file with "
            "-o FILE (always UTF-8), or use a UTF-8 locale or PYTHONIOENCODING=utf-8."
        )
    except LookupError:
        return None  # an encoding Python does not know: let the write itself decide
    return None


def json_for_stdout(data: Any) -> str:
    """`data` as indented JSON with its characters as they are, or as `\\u` escapes
    when stdout's encoding cannot hold them all (the same JSON to any reader)."""
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if unwritable(text) is None:
        return text
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


def unicode_name(character: str) -> str:
    import unicodedata

    return unicodedata.name(character, "unnamed").lower()


def _encodable(character: str, encoding: str) -> bool:
    try:
        character.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True
