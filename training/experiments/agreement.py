"""Agreement between the two annotators of the doubly labelled real sentences.

Reads every real training file and pointer file (labels need no text), the
real-text test set and the real failure-class target set, and prints Cohen's
kappa overall, per label (one label against the rest) and per source, for
each of the three separately.

    python training/experiments/agreement.py
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTCOMES = ("accusation", "legal_claim", "assurance", "demand", "warning", "none")


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float:
    """Agreement beyond chance: (observed - expected) / (1 - expected)."""
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    a_counts, b_counts = Counter(first), Counter(second)
    expected = sum(a_counts[k] * b_counts[k] for k in a_counts) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def doubly_labelled(paths: Sequence[Path]) -> list[dict]:
    rows = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if "second_label" in row:
                rows.append(row)
    return rows


def table(rows: list[dict]) -> list[str]:
    first = [r["label"] for r in rows]
    second = [r["second_label"] for r in rows]
    agree = sum(a == b for a, b in zip(first, second, strict=True)) / len(rows)
    lines = [f"| all | {len(rows)} | {agree:.3f} | {cohen_kappa(first, second):.3f} |"]
    for label in OUTCOMES:
        one = [str(a == label) for a in first]
        two = [str(b == label) for b in second]
        either = sum(a == label or b == label for a, b in zip(first, second, strict=True))
        share = sum(x == y for x, y in zip(one, two, strict=True)) / len(rows)
        lines.append(f"| {label} (either annotator) | {either} | {share:.3f} | {cohen_kappa(one, two):.3f} |")
    for source in sorted({r["source"] for r in rows}):
        part = [r for r in rows if r["source"] == source]
        a, b = [r["label"] for r in part], [r["second_label"] for r in part]
        share = sum(x == y for x, y in zip(a, b, strict=True)) / len(part)
        lines.append(f"| source {source} | {len(part)} | {share:.3f} | {cohen_kappa(a, b):.3f} |")
    return lines


def main() -> None:
    training = sorted((ROOT / "data").glob("real-*.jsonl")) + sorted((ROOT / "real" / "pointers").glob("*.jsonl"))
    test = sorted((ROOT / "realtest").glob("*.jsonl"))
    target = [ROOT / "devtest" / "real_failure_classes.jsonl"]
    for name, paths in (
        ("real training corpus", training),
        ("real-text test set", test),
        ("real failure-class target set", target),
    ):
        rows = doubly_labelled(paths)
        print(f"\n{name}: {len(rows)} sentences labelled by two annotators\n")
        print("| rows | sentences | observed agreement | Cohen's kappa |\n|---|---|---|---|")
        print("\n".join(table(rows)))


if __name__ == "__main__":
    main()
