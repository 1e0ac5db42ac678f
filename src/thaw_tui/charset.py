"""Whether the reader's terminal takes UTF-8, or only ASCII, judged from the locale.

Shared by the pictures (braille or ASCII dots) and the UI (its marks and rules), so a
terminal under LANG=C gets ASCII from both or from neither. No Textual, no Rich.
"""

from __future__ import annotations

from collections.abc import Mapping


def utf8_terminal(environ: Mapping[str, str]) -> bool:
    """True when the locale says UTF-8.

    The locale is LC_ALL, else LC_CTYPE, else LANG (POSIX order). One exception: with
    LANG=C, Python itself sets LC_CTYPE=C.UTF-8 at start-up (PEP 538), which says
    nothing about the terminal, so that value is ignored when LANG names no UTF-8.
    """
    lang = environ.get("LANG", "")
    for name in ("LC_ALL", "LC_CTYPE"):
        value = environ.get(name, "")
        if name == "LC_CTYPE" and value == "C.UTF-8" and not is_utf8(lang):
            continue
        if value:
            return is_utf8(value)
    return is_utf8(lang)


def is_utf8(locale_name: str) -> bool:
    """Does a locale name ("en_GB.UTF-8", "C.utf8") name the UTF-8 codeset?"""
    codeset = locale_name.partition(".")[2].partition("@")[0]
    return codeset.lower().replace("-", "") == "utf8"
