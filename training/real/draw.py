"""Draw a new batch of real training sentences from the source snapshots, for annotators to label.

Run from a checkout, with the snapshots fetched (see rebuild.py):

    python training/real/draw.py --snapshots DIR --out DIR --batch NAME \
        --quota wh=1400,kcna=1200,mfa_sg=500,pam=450,unscon=450 [--seed 23] [--annotators 7]

Only documents that no training, test or target file names yet, in the
training years of each source, are read. Sentences of 5 to 90 words that are
no normalised copy or near-copy (word 3-gram Jaccard 0.6; 0.3 against the
seed) of any known sentence are candidates. From each source, a quarter of
its quota is drawn at random (the natural mix) and the rest stratified by
the shipped model's predicted label, half of each stratum its least sure
sentences and half at random, with at most 5 sentences from one statement
(12 from one Security Council speech). Writes ``NAME.full.jsonl`` (every
field, locators included) and, per annotator, ``NAME-kK.jsonl`` with only
what an annotator sees: id, source, speaker, date, title, two sentences
before, the sentence, one after. Whole documents stay in one annotator's
batch.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import sources  # noqa: E402

from classifier import ClaimClassifier  # noqa: E402
from classifier.text.segment import split_sentences  # noqa: E402
from classifier.training.data import read_jsonl  # noqa: E402
from tests.corpus_checks import near_duplicates, normalise  # noqa: E402

#: The training sources and their training years (the test set holds later years of wh and pam, and
#: all of resistinua).
YEARS = {"wh": (2021, 2024), "kcna": (2011, 2012), "mfa_sg": (2021, 2024), "pam": (2014, 2015), "unscon": (2014, 2016)}
#: Documents worth reading: foreign-policy White House statements, KCNA stories that state, warn or denounce.
TOPIC = {
    "wh": re.compile(
        r"\b(foreign|war|sanction|attack|alliance|nato|treaty|military|security|terror|nuclear|missile|invasion|"
        r"ceasefire|hostage|embassy|diplomat|ukraine|russia|china|israel|gaza|iran|korea|afghanistan|taiwan|"
        r"syria|yemen|sudan|venezuela|cuba|summit|bilateral|joint statement|readout|prime minister)",
        re.I,
    ),
    "kcna": re.compile(
        r"(statement|denounc|warn|accus|slam|blast|condemn|military|nuclear|missile|\bwar\b|aggress|provocat|"
        r"sanction|spokesman|memorandum|rebuff|refute|reject|u\.s\.|puppet|hostil)",
        re.I,
    ),
}


def known_rows() -> list[dict]:
    """Every labelled row the project has: training (shipped, pointers, rebuilt), test, dev-test and target sets."""
    paths = [
        *(REPO / "training" / "data").glob("*.jsonl"),
        *(HERE / "pointers").glob("*.jsonl"),
        *(HERE / "rebuilt").glob("*.jsonl"),
        *(REPO / "training" / "realtest").glob("*.jsonl"),
        *(REPO / "training" / "devtest").glob("*.jsonl"),
    ]
    return [row for path in paths for row in read_jsonl(path)]


def year_of(date: str) -> int | None:
    found = re.search(r"\b(19|20)\d\d\b", str(date))
    return int(found.group(0)) if found else None


def wanted(doc: dict, used: set[str]) -> bool:
    if doc["doc"] in used:
        return False
    year = year_of(doc["date"])
    low, high = YEARS[doc["source"]]
    if year is None or not low <= year <= high:
        return False
    topic = TOPIC.get(doc["source"])
    return topic is None or bool(topic.search(doc["title"] + " " + doc["text"][:300]))


def spans_of(doc: dict) -> list[tuple[int, int]]:
    """Sentence offsets in the document text: the source's own split where it has one, else ours."""
    if "presplit" not in doc:
        return [(span.start, span.end) for span in split_sentences(doc["text"])]
    spans, position = [], 0
    for sentence in doc["presplit"]:
        start = doc["text"].index(sentence, position)
        spans.append((start, start + len(sentence)))
        position = start + len(sentence)
    return spans


def candidates(source: str, used: set[str], known: set[str]) -> Iterator[dict]:
    for doc in sources.READERS[source]():
        if not wanted(doc, used):
            continue
        spans = spans_of(doc)
        texts = [doc["text"][a:b] for a, b in spans]
        for i, ((start, end), text) in enumerate(zip(spans, texts, strict=True)):
            if not 5 <= len(text.split()) <= 90 or normalise(text) in known:
                continue
            repo, commit = sources.SOURCES[source]
            yield {
                "text": text,
                "doc": doc["doc"],
                "source": source,
                "party": doc["speaker"],
                "date": str(doc["date"]),
                "title": doc["title"],
                "before": texts[max(0, i - 2) : i],
                "after": texts[i + 1 : i + 2],
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
                "locator": {"repo": repo, "commit": commit, **doc["locator"], "start": start, "end": end},
            }


def draw(pool: list[dict], quota: int, rng: random.Random) -> list[dict]:
    """A quarter at random, the rest stratified by predicted label (half least sure, half random)."""
    cap = 12 if pool and pool[0]["source"] in {"pam", "unscon"} else 5
    per_doc: dict[str, int] = defaultdict(int)
    chosen: list[dict] = []
    taken: set[int] = set()

    def take(order: list[int], n: int) -> None:
        for index in order:
            if n <= 0:
                return
            row = pool[index]
            if index in taken or per_doc[row["doc"]] >= cap:
                continue
            taken.add(index)
            per_doc[row["doc"]] += 1
            chosen.append(row)
            n -= 1

    everything = list(range(len(pool)))
    rng.shuffle(everything)
    take(everything, quota // 4)
    strata: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(pool):
        strata[row["predicted"]].append(index)
    share = (quota - len(chosen)) // max(1, len(strata))
    for members in strata.values():
        least_sure = sorted(members, key=lambda i: pool[i]["confidence"])
        shuffled = members[:]
        rng.shuffle(shuffled)
        take(least_sure, share // 2)
        take(shuffled, share - share // 2)
    take(everything, quota - len(chosen))  # strata too small: fill from the rest
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=Path, nargs="+", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--batch", required=True)
    parser.add_argument("--quota", required=True, help="source=N,source=N,...")
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--annotators", type=int, default=7)
    args = parser.parse_args(argv)
    sources.use_snapshots(args.snapshots)
    rng = random.Random(args.seed)
    quotas = {name: int(n) for name, n in (item.split("=") for item in args.quota.split(","))}
    if unknown := sorted(set(quotas) - set(YEARS)):  # resistinua is the test set's held-out source
        parser.error(f"not a training source: {', '.join(unknown)} (choose among {', '.join(YEARS)})")
    rows = known_rows()
    used = {row["doc"] for row in rows}
    known_texts = [row["text"] for row in rows if "text" in row]
    known = {normalise(text) for text in known_texts}
    seed = (REPO / "fixtures" / "rejoinder.txt").read_text(encoding="utf-8")
    seed_sentences = [seed[s.start : s.end] for s in split_sentences(seed)]
    classifier = ClaimClassifier.load()
    chosen: list[dict] = []
    for source, quota in quotas.items():
        pool = list(candidates(source, used, known))
        for row, result in zip(pool, classifier.label_sentences([r["text"] for r in pool]), strict=True):
            row["predicted"], row["confidence"] = result.label or "none", float(result.confidence)
        picked = draw(pool, quota, rng)
        print(f"{source}: {len(pool):,} candidates, {len(picked):,} drawn", file=sys.stderr)
        chosen.extend(picked)
    # near-copies of known sentences, of the seed, or of each other
    texts = [row["text"] for row in chosen]
    dropped = {b - len(known_texts) for a, b, _ in near_duplicates(known_texts + texts) if b >= len(known_texts)}
    dropped |= {
        b - len(seed_sentences) for a, b, _ in near_duplicates(seed_sentences + texts, 0.3) if b >= len(seed_sentences)
    }
    chosen = [row for i, row in enumerate(chosen) if i not in dropped]
    chosen.sort(key=lambda r: (r["source"], r["doc"], r["locator"]["start"]))
    for number, row in enumerate(chosen):
        row["id"] = f"{args.batch}-{number:05d}"
        row.pop("predicted"), row.pop("confidence")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.batch}.full.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen)
    )
    docs = sorted({row["doc"] for row in chosen})
    rng.shuffle(docs)
    annotator_of = {doc: k % args.annotators for k, doc in enumerate(docs)}
    for k in range(args.annotators):
        visible = [
            {key: row[key] for key in ("id", "source", "party", "date", "title", "before", "text", "after")}
            for row in chosen
            if annotator_of[row["doc"]] == k
        ]
        path = args.out / f"{args.batch}-k{k}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in visible))
    print(
        f"{len(chosen):,} sentences ({len(dropped)} near-copies dropped) in {args.annotators} batches", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
