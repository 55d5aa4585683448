"""Rebuild the text of the pointer-only real sentences from snapshots of their source repositories.

Two real sources (see ``training/SOURCES.md``) carry no licence that lets this
project redistribute their text, so ``training/real/pointers/`` stores for each
sentence where it is (repository, commit, path, key, character offsets) and
its SHA-256, not the sentence. With a snapshot of each repository on this
machine, this script writes the sentences, checked against their SHA-256, to
``training/real/rebuilt/`` (ignored by git), where ``build_default_model.py``
picks them up.

    git clone https://github.com/xmarquez/KCNA snapshots/KCNA
    git clone https://github.com/pclk/MFA-PressData snapshots/MFA-PressData
    pip install pyreadr   # reads the KCNA R data files
    python training/real/rebuild.py --snapshots snapshots

Exit status 0 when every sentence was rebuilt and matched; 1 when a snapshot
is missing or a sentence does not match (each named); 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import sources  # noqa: E402  (the readers live beside this script)

POINTERS = HERE / "pointers"
REBUILT = HERE / "rebuilt"


def rebuild_source(path: Path) -> tuple[list[dict], list[str]]:
    """The pointer file's rows with their text, and a message per row that could not be rebuilt."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    source = rows[0]["source"]
    wanted = {row["doc"] for row in rows}
    texts = {doc["doc"]: doc["text"] for doc in sources.READERS[source]() if doc["doc"] in wanted}
    problems, out = [], []
    for row in rows:
        where = row["locator"]
        text = texts.get(row["doc"], "")[where["start"] : where["end"]]
        if hashlib.sha256(text.encode()).hexdigest() != row["sha256"]:
            problems.append(f"{path.name}: {row['doc']} [{where['start']}:{where['end']}] does not match its SHA-256")
            continue
        out.append({"text": text, **row})
    return out, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--snapshots", type=Path, nargs="+", required=True, help="folders holding the snapshots")
    args = parser.parse_args(argv)
    sources.use_snapshots(args.snapshots)
    REBUILT.mkdir(exist_ok=True)
    failed = False
    for path in sorted(POINTERS.glob("*.jsonl")):
        try:
            rows, problems = rebuild_source(path)
        except sources.MissingSnapshot as exc:
            print(f"{path.name}: {exc}", file=sys.stderr)
            failed = True
            continue
        for problem in problems:
            print(problem, file=sys.stderr)
        failed |= bool(problems)
        target = REBUILT / path.name
        tmp = target.with_suffix(".tmp")
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        tmp.replace(target)
        print(f"{target}: {len(rows)} sentences")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
