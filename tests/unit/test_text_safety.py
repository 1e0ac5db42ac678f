"""Invisible and format characters in pack text (red-team F15): refused by the validator
at their exact position, shown visibly by the UI, and allowed only where they belong."""

from __future__ import annotations

import shutil
import sys
import unicodedata
from pathlib import Path

import pytest

from thaw_tui.pack.load import read_pack
from thaw_tui.pack.reading.files import read_pack_file
from thaw_tui.pack.text_safety import (
    JOINERS,
    UNSAFE_CHARACTERS,
    misplaced_joiners,
)
from thaw_tui.ui.text import REPLACEMENT, clean

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "packs" / "mini"


def test_every_format_and_separator_character_is_caught() -> None:
    """Python's own Unicode tables: no format character (Cf), line or paragraph
    separator slips past both lists."""
    missed = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in {"Cf", "Zl", "Zp"}
        and not UNSAFE_CHARACTERS.match(chr(code))
        and not JOINERS.match(chr(code))
    ]
    assert missed == []


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "terms.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# The review's characters, each at a known line and column.
@pytest.mark.parametrize(
    ("character", "name"),
    [
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\u200f", "U+200F RIGHT-TO-LEFT MARK"),
        ("\u061c", "U+061C ARABIC LETTER MARK"),
        ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("\u00ad", "U+00AD SOFT HYPHEN"),
        ("\ufff9", "U+FFF9 INTERLINEAR ANNOTATION ANCHOR"),
        ("\U000e0041", "U+E0041 TAG LATIN CAPITAL LETTER A"),
        ("\u2028", "U+2028 LINE SEPARATOR"),
        ("\u2029", "U+2029 PARAGRAPH SEPARATOR"),
        ("\u2060", "U+2060 WORD JOINER"),
        ("\u3164", "U+3164 HANGUL FILLER"),
    ],
)
def test_invisible_characters_are_refused_where_they_stand(
    tmp_path: Path, character: str, name: str
) -> None:
    path = write(tmp_path, f"terms:\n  - id: peace\n    title: Pea{character}ce treaty\n")
    result = read_pack_file(path)
    assert [(i.line, i.column, i.message) for i in result.issues] == [
        (
            3,
            15,
            f"unsafe character {name}: remove it (invisible and formatting characters "
            "are not allowed: they hide text or change how it reads)",
        )
    ]


@pytest.mark.parametrize(
    ("escape", "name"),
    [
        ("\\L", "U+2028 LINE SEPARATOR"),
        ("\\P", "U+2029 PARAGRAPH SEPARATOR"),
        ("\\u200B", "U+200B ZERO WIDTH SPACE"),
        ("\\U000E0042", "U+E0042 TAG LATIN CAPITAL LETTER B"),
    ],
)
def test_invisible_characters_written_as_escapes_are_refused(
    tmp_path: Path, escape: str, name: str
) -> None:
    path = write(tmp_path, f'terms:\n  - id: peace\n    title: "Peace{escape} treaty"\n')
    messages = [(i.line, i.column, i.message) for i in read_pack_file(path).issues]
    assert messages == [
        (
            3,
            12,
            f"unsafe character {name} (written as an escape) at character 6 of this text: "
            "remove it",
        )
    ]


def test_a_raw_line_separator_in_a_block_is_named_not_a_syntax_error(tmp_path: Path) -> None:
    path = write(tmp_path, "terms:\n  - id: peace\n    body: |\n      one\u2028two\n")
    result = read_pack_file(path)
    assert [(i.line, i.column) for i in result.issues] == [(4, 10)]
    assert "U+2028 LINE SEPARATOR" in result.issues[0].message
    assert result.complete


@pytest.mark.parametrize(
    "text",
    [
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian "I want": ZWNJ
        "\u0915\u094d\u200d\u0937",  # Devanagari conjunct with ZWJ
        "\U0001f469\u200d\U0001f4bb",  # emoji: woman + ZWJ + laptop
        "\u2764\ufe0f\u200d\U0001f525",  # emoji: heart, presentation selector, ZWJ, fire
        "\u845b\U000e0100",  # a Japanese family name's kanji with its registered variant
        "1\ufe0f\u20e3",  # keycap one
    ],
)
def test_joiners_and_selectors_in_their_place_are_allowed(tmp_path: Path, text: str) -> None:
    assert list(misplaced_joiners(text)) == []
    path = write(tmp_path, f"terms:\n  - id: peace\n    title: {text}\n")
    assert read_pack_file(path).issues == []


@pytest.mark.parametrize(
    ("text", "misplaced"),
    [
        ("\u200dAdmin", [0]),  # a leading joiner: two names that look the same
        ("Ad\u200cmin", [2]),  # between ASCII letters
        ("\u0645\u06cc\u200c\u200c\u062e", [2, 3]),  # doubled: neither is between letters
        ("a\U000e0100\U000e0101\U000e0102", [2, 3]),  # a run of selectors can carry bytes
        (" \ufe0f", [1]),  # after a space it modifies nothing
        ("ok\ufe0f", []),  # after a letter it asks for an emoji form: allowed
    ],
)
def test_joiners_and_selectors_out_of_place_are_refused(
    tmp_path: Path, text: str, misplaced: list[int]
) -> None:
    assert list(misplaced_joiners(text)) == misplaced
    path = write(tmp_path, f'terms:\n  - id: peace\n    title: "{text}"\n')
    issues = read_pack_file(path).issues
    assert [(i.line, i.column) for i in issues] == [(3, 13 + index) for index in misplaced]
    assert all("out of place" in i.message for i in issues)


def test_the_screen_shows_them_as_a_visible_mark() -> None:
    text = "Pea\u200bce \u202eevil \U000e0041tag\u2028line"
    shown = clean(text)
    assert shown.count(REPLACEMENT) == 4
    assert "\u200b" not in shown and "\U000e0041" not in shown and "\u2028" not in shown


def test_the_shipped_pack_uses_none_of_them() -> None:
    problems = read_pack(REPO / "content")[1]
    assert [str(p) for p in problems if "character" in p.message] == []


def test_the_validator_reports_one_in_a_whole_pack_with_its_item(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINI, pack)
    terms = pack / "terms.yaml"
    text = terms.read_text(encoding="utf-8")
    assert text.count("title: Peace treaty") == 1
    terms.write_text(text.replace("title: Peace treaty", "title: Peace\u200b treaty"))
    problems = [str(p) for p in read_pack(pack)[1] if "U+200B" in p.message]
    assert problems == [
        "terms.yaml:3:17: peace-treaty: unsafe character U+200B ZERO WIDTH SPACE: remove it "
        "(invisible and formatting characters are not allowed: they hide text or change "
        "how it reads)"
    ]
