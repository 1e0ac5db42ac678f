"""Write a valid synthetic content pack of any size, for benchmarks and stress tests.

    python scripts/genpack.py --items 10000 OUT_DIR

The pack has every item kind, typed links of every authored relation, dispute
sides, article and context sources with provenance, eras and threads that cover
every item. Items are split over several files to stay under the 1 MiB cap.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ITEMS_PER_FILE = 1000
# Share of items per kind; the rest are events.
SHARES = {"sections": 0.05, "actors": 0.15, "disputes": 0.05, "consequences": 0.15,
          "sources": 0.1, "terms": 0.05}  # fmt: skip
ERAS = ("early", "middle", "late")
THREAD_LENGTH = 40


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def flow(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


class Generator:
    def __init__(self, total: int, seed: int) -> None:
        self.rng = random.Random(seed)
        counts = {kind: max(2, int(total * share)) for kind, share in SHARES.items()}
        counts["events"] = max(2, total - sum(counts.values()))
        self.ids = {kind: [f"{kind[:-1]}-{n:05d}" for n in range(count)]
                    for kind, count in counts.items()}  # fmt: skip
        self.sources_article = self.ids["sources"][: len(self.ids["sources"]) // 2]
        self.sources_context = self.ids["sources"][len(self.ids["sources"]) // 2 :]
        # Every source must be cited by something: hand them out in turn.
        self._next_source = 0

    def paragraphs(self) -> list[str]:
        count = len(self.ids["sections"])
        return sorted({str(self.rng.randint(1, count)) for _ in range(2)})

    def some(self, kind: str, count: int) -> list[str]:
        return self.rng.sample(self.ids[kind], min(count, len(self.ids[kind])))

    def common(self, item_id: str, kind: str, number: int) -> list[str]:
        lines = [
            f"  - id: {item_id}",
            f"    title: {q(f'{kind.title()} number {number}')}",
            f"    summary: {q(f'A short summary of {kind} {number}, one sentence long.')}",
            "    body: |",
            f"      A longer body for {kind} {number}. It has two sentences of text.",
            "      It mentions [bold]markup-like text[/bold] that must stay literal.",
        ]
        return lines

    def provenance(self, context_ok: bool = True) -> list[str]:
        sources = self.ids["sources"]
        source = sources[self._next_source % len(sources)]
        self._next_source += 1
        lines = ["    provenance:", f"      paragraphs: {flow(self.paragraphs())}",
                 f"      sources: [{source}]"]  # fmt: skip
        if source in self.sources_context:
            if not context_ok:
                lines[-1] = f"      sources: [{self.sources_article[0]}]"
            else:
                lines.append(f"      context: {q('Adds a fact from outside the article.')}")
        return lines

    def items(self, kind: str) -> list[list[str]]:
        out = []
        for number, item_id in enumerate(self.ids[kind]):
            lines = self.common(item_id, kind[:-1], number)
            lines += getattr(self, f"extra_{kind}")(number)
            out.append(lines)
        return out

    def extra_sections(self, number: int) -> list[str]:
        return [f"    paragraph: {number + 1}", "    provenance:",
                f"      paragraphs: [{number + 1}]"]  # fmt: skip

    def extra_events(self, number: int) -> list[str]:
        year = 1900 + number % 120
        month = 1 + number % 12
        day = 1 + number % 28
        date = [f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"][number % 3]
        lines = [f'    date: "{date}"', f"    era: {ERAS[number % len(ERAS)]}"]
        lines += self.provenance()
        lines += ["    links:", f"      involves: {flow(self.some('actors', 2))}"]
        events = self.ids["events"]
        if number + 1 < len(events):
            lines.append(f"      followed_by: [{events[number + 1]}]")
        return lines

    def extra_actors(self, number: int) -> list[str]:
        kind = ("person", "state", "organisation", "group")[number % 4]
        lines = [f"    kind: {kind}", "    role: a role in the story",
                 "    names:", f"      ja: {q(f'名前{number}')}"]  # fmt: skip
        return lines + self.provenance()

    def extra_disputes(self, number: int) -> list[str]:
        first, second = self.some("actors", 2)
        lines = ["    sides:"]
        for actor in (first, second):
            lines += [f"      - actor: {actor}", f"        name: {q(f'Name used by {actor}')}",
                      f"        position: {q('This side holds a position.')}"]  # fmt: skip
        return lines + self.provenance()

    def extra_consequences(self, number: int) -> list[str]:
        lines = self.provenance()
        lines += ["    links:", f"      caused_by: {flow(self.some('events', 2))}",
                  f"      affects: {flow(self.some('disputes', 1))}"]  # fmt: skip
        return lines

    def extra_sources(self, number: int) -> list[str]:
        # Published after every event (the last is in 2019): a source cannot report
        # an event later than itself, and the validator says so.
        item_id = self.ids["sources"][number]
        origin = "context" if item_id in self.sources_context else "article"
        lines = [f"    origin: {origin}", "    authors: [A. Writer]",
                 f"    outlet: {q('The Example Times')}",
                 f'    published: "{2020 + number % 5}-0{1 + number % 9}"']  # fmt: skip
        if origin == "article":
            lines.append(f"    footnote: {number + 1}")
        return lines

    def extra_terms(self, number: int) -> list[str]:
        return self.provenance() + ["    links:", f"      related: {flow(self.some('events', 1))}"]

    def threads(self) -> list[list[str]]:
        every = [item_id for ids in self.ids.values() for item_id in ids]
        self.rng.shuffle(every)
        out = []
        for number, start in enumerate(range(0, len(every), THREAD_LENGTH)):
            steps = every[start : start + THREAD_LENGTH]
            out.append([f"  - id: thread-{number:05d}", f"    title: {q(f'Thread {number}')}",
                        f"    summary: {q('A path through some items.')}",
                        f"    steps: {flow(steps)}"])  # fmt: skip
        return out


def write(out: Path, total: int, seed: int) -> int:
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(total, seed)
    eras = ", ".join(f"{{id: {era}, title: {q(era.title())}}}" for era in ERAS)
    (out / "pack.yaml").write_text(
        "pack:\n  id: synthetic\n  title: A Synthetic Pack\n  author: genpack\n"
        '  published: "2014-09"\n  language: en\n  version: "1.0.0"\n'
        f"  eras: [{eras}]\n",
        encoding="utf-8",
    )
    files = 1
    blocks = {kind: gen.items(kind) for kind in gen.ids}
    blocks["threads"] = gen.threads()
    for kind, items in blocks.items():
        for part, start in enumerate(range(0, len(items), ITEMS_PER_FILE)):
            chunk = items[start : start + ITEMS_PER_FILE]
            text = f"{kind}:\n" + "\n".join("\n".join(lines) for lines in chunk) + "\n"
            (out / f"{kind}-{part:03d}.yaml").write_text(text, encoding="utf-8")
            files += 1
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=10_000, help="how many items (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same pack)")
    parser.add_argument("out", type=Path, help="folder to write the pack into")
    args = parser.parse_args(argv)
    if args.items < 20:
        print("genpack: --items must be at least 20", file=sys.stderr)
        return 2
    files = write(args.out, args.items, args.seed)
    print(f"wrote {args.items} items in {files} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
