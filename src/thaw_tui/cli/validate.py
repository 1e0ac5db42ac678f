"""`thaw validate [PATH]`: report every problem in a pack, one per line.

Each problem reads `file:line:column: item-id: message`, with a "did you mean"
suggestion where a close name exists. What is checked, and where:

- files (`pack/reading/files.py`, `pack/reading/yaml_nodes.py`): files that are
  links, FIFOs, devices or folders (refused unread), size over 1 MiB, a pack over
  1,000 files, 16 MiB or 1,000,000 values, bytes that are not UTF-8, unsafe
  characters (C0/C1 controls but tab and newline, DEL, bidi overrides and isolates,
  invisible and format characters, joiners and variation selectors out of place;
  raw or escaped), YAML syntax, anchors and aliases, tags, nesting deeper than 32,
  duplicate keys, several documents, empty files, `*.yml` files that would be ignored;
- structure (`pack/checking/collect.py`, `fields.py`, `specs.py`): over 30,000 items,
  unknown top-level keys, a missing or second manifest, unknown and missing
  fields, wrong types, ids that are not slugs, duplicate ids, bad or impossible
  dates, actor kinds and source origins outside their lists, disputes with fewer
  than two sides, duplicate era ids, links that are not lists or list an id twice;
- references (`pack/checking/references.py`): dangling links and links to the wrong kind,
  unknown or derived relations, unknown eras, provenance paragraphs without a
  story section and sources that are not sources, the context-note rule both
  ways, items without provenance, duplicate section paragraphs, thread steps
  that are not items (or repeat), duplicate thread ids, items in no thread and
  sources cited by nothing; fact-check notes whose sources are not sources;
  dates: an event dated more precisely or later than its provenance can vouch
  for, an event outside its era's years, an era that ends before it starts, and
  a thread marked `ordered: by-date` whose events go back in time; an event's
  actions whose actors are not actors, or that act on their own doer; a map's
  source that is not a source;
- maps (`pack/checking/maps.py`, `pack/reading/files.py`, `pack/atlas.py`): map files
  outside the pack's `maps/` folder, linked, special, over 2 MiB, not UTF-8 or not
  JSON, listed twice, atlas data out of shape (each fault named by its path in the
  file, coordinates out of range, wide characters in labels), a region id two files
  share; locations (`checking/fields.py` for a point's own values): a point out of
  range or missing a coordinate, places no map has, places on two regions or two
  maps, a point on no map's region, a location in a pack without maps.
"""

from __future__ import annotations

import sys
from pathlib import Path

from thaw_tui.cli import exit_codes
from thaw_tui.cli.pack_folder import pack_folder_problem
from thaw_tui.pack.load import read_pack, summary_line


def run_validate(path: Path | None) -> int:
    if path is None:
        from thaw_tui.paths import default_content_dir

        path = default_content_dir()
    folder_problem = pack_folder_problem(path)  # the same sentence as every command's
    if folder_problem is not None:
        print(f"thaw validate: {folder_problem}", file=sys.stderr)
        return exit_codes.USAGE
    pack, problems = read_pack(path)
    for problem in problems:
        print(problem)
    if pack is None:
        print(summary_line(problems))
        return exit_codes.PROBLEMS
    threads = len(pack.threads)
    print(
        f"{path}: {len(pack)} items, {threads} thread{'' if threads == 1 else 's'}: "
        "no problems found."
    )
    return exit_codes.OK
