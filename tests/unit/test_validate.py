"""`thaw validate`: output, summary and exit codes; and the shipped pack is clean."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.broken_packs import make_broken_pack

from thaw_tui.cli.main import main
from thaw_tui.cli.validate import run_validate
from thaw_tui.pack.load import read_pack
from thaw_tui.paths import default_content_dir

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINI = FIXTURES / "packs" / "mini"


def test_clean_pack_exits_0_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_validate(MINI) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{MINI}: 12 items, 2 threads: no problems found."]


def test_problems_are_printed_one_per_line_then_summarised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINI, pack)
    events = pack / "events.yaml"
    events.write_text(
        events.read_text(encoding="utf-8").replace("era: recent", "era: recnt"), encoding="utf-8"
    )
    (pack / "terms.yaml").write_bytes(b"terms: [\x1b]\n")
    assert run_validate(pack) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "events.yaml:19:10: talks-2013: unknown era 'recnt' — did you mean 'recent'?",
        "terms.yaml:1:9: -: unsafe character U+001B ESCAPE: remove it (control and "
        "bidirectional-override characters are not allowed)",
        "threads.yaml:5:78: the-islands: thread step 'peace-treaty' is not an item: "
        "fix the id or remove the step",
        "3 problems in 3 files.",
    ]


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_validate(tmp_path / "nope") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        captured.err
        == f"thaw validate: {tmp_path / 'nope'} does not exist: give the path of a pack folder.\n"
    )


def test_a_file_instead_of_a_folder_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_validate(MINI / "pack.yaml") == 2
    assert "is not a folder" in capsys.readouterr().err


def test_the_command_line_dispatches_to_validate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["validate", str(make_broken_pack("dangling-link", tmp_path))]) == 1
    out = capsys.readouterr().out
    assert "events.yaml:24:18: talks-2013: unknown actor 'leadr-a'" in out


def test_validate_pack_returns_problems_sorted_by_place(tmp_path: Path) -> None:
    problems = read_pack(make_broken_pack("unknown-field", tmp_path))[1]
    assert [(p.file, p.line, p.column) for p in problems] == [("actors.yaml", 22, 5)]


def test_the_shipped_pack_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert [str(problem) for problem in read_pack(default_content_dir())[1]] == []
    assert run_validate(None) == 0
    assert capsys.readouterr().out.endswith("no problems found.\n")


# --- the date checks: what they let through ------------------------------------------


def _edited_mini(tmp_path: Path, *edits: tuple[str, str, str]) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(MINI, pack)
    for file, old, new in edits:
        path = pack / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (file, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    return pack


@pytest.mark.parametrize(
    ("treaty_date", "clean"),
    [
        ('"2013-04-10"', True),  # inside "2013-04": either may come first
        ('"2013-04"', True),
        ('"2013"', True),  # the year holds April too
        ('"2013-04-29"', True),
        ('"2013-03-31"', False),  # before any day "2013-04" can mean
        ('"2012"', False),
    ],
)
def test_date_order_only_flags_steps_that_must_be_earlier(
    tmp_path: Path, treaty_date: str, clean: bool
) -> None:
    # The date-ordered thread gets the treaty after the April 2013 talks.
    pack = _edited_mini(
        tmp_path,
        ("events.yaml", '"1956-10-19"\n    era: postwar', f"{treaty_date}\n    era: recent"),
        ("threads.yaml", "news-report]", "news-report, treaty-1956]"),
    )
    messages = [problem.message for problem in read_pack(pack)[1]]
    if clean:
        assert messages == []
    else:
        assert len(messages) == 1
        assert messages[0].startswith("step 'treaty-1956'")
        assert "in a thread ordered by date" in messages[0]


def test_a_thread_without_the_date_order_flag_may_go_back_in_time(tmp_path: Path) -> None:
    pack = _edited_mini(
        tmp_path,
        ("threads.yaml", "news-report]", "news-report, treaty-1956]"),
        ("threads.yaml", "    ordered: by-date\n", ""),
    )
    assert read_pack(pack)[1] == []


def test_an_undated_source_may_vouch_for_any_date(tmp_path: Path) -> None:
    pack = _edited_mini(
        tmp_path,
        ("sources.yaml", 'published: "2013-04-29"', "published: null"),
        ("events.yaml", '"2013-04"', '"2020-05-02"'),
    )
    assert read_pack(pack)[1] == []


def test_a_year_from_the_article_alone_is_enough(tmp_path: Path) -> None:
    pack = _edited_mini(
        tmp_path,
        (
            "events.yaml",
            '"1956-10-19"\n    era: postwar\n    provenance:\n      sources: [news-report]',
            '"1956"\n    era: postwar\n    provenance:\n      paragraphs: [1]',
        ),
    )
    assert read_pack(pack)[1] == []


def test_an_era_may_be_open_at_either_end(tmp_path: Path) -> None:
    # "recent" has no 'to': a 2040 event fits it, given a source that could report it.
    pack = _edited_mini(
        tmp_path,
        ("events.yaml", '"2013-04"', '"2040"'),
        ("sources.yaml", 'published: "2013-04-29"', 'published: "2041"'),
    )
    assert read_pack(pack)[1] == []


def test_the_shipped_pack_carries_its_fact_checks_and_date_rules() -> None:
    pack, problems = read_pack(default_content_dir())
    assert problems == [] and pack is not None
    notes = [(item.id, note) for item in pack for note in item.fact_checks]
    assert len(notes) == 15
    for item_id, note in notes:
        assert note.article_says.strip() and note.sources_say.strip(), item_id
        assert all(pack.items[source].kind.value == "source" for source in note.sources)
    ordered = {thread.id for thread in pack.threads if thread.ordered == "by-date"}
    assert ordered == {"why-the-thaw-stalled", "islands-since-1945"}
    assert all(era.first_year and era.last_year for era in pack.manifest.eras)
