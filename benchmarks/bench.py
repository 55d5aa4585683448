"""Speed and memory benchmarks (run on demand, never part of the test suite).

Run: python benchmarks/bench.py [--quick]

Measures, in one run so that ratios compare like with like:
  * throughput of label_sentences in hybrid, rules and model modes, and of the
    equivalent scikit-learn pipeline's predict_proba, on the same sentences;
  * wall time and peak memory of `claims label --text` against merely importing
    scikit-learn's text and linear modules;
  * training time on the shipped corpus, model size on disk;
  * peak memory labelling N sentences in-process, and time and peak memory of
    `claims label-dataset` on N and 10 N sentences.
Sizes: 100,000 and 1,000,000 sentences; --quick uses 10,000 and 100,000.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_measured(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one command.

    GNU time reports the peak: a child forked from this (large) benchmark
    process would inherit its high-water mark, so ru_maxrss is not usable here.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        began = time.perf_counter()
        completed = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", report.name, *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        elapsed = time.perf_counter() - began
        if completed.returncode != 0:
            raise SystemExit(f"benchmark command failed: {' '.join(command)}")
        peak_kb = float(report.read().split()[-1])
    return elapsed, peak_kb / 1024


def corpus_sentences(count: int) -> list[str]:
    from classifier.training.data import load_corpus

    base = [e.text for e in load_corpus()]
    return [base[i % len(base)] for i in range(count)]


def throughput(count: int) -> dict[str, float]:
    from classifier import ClaimClassifier

    classifier = ClaimClassifier.load()
    sentences = corpus_sentences(count)
    rates = {}
    for mode in ("hybrid", "rules", "model"):
        began = time.perf_counter()
        classifier.label_sentences(sentences, mode=mode)
        rates[mode] = count / (time.perf_counter() - began)
    pipeline = classifier.to_sklearn()
    began = time.perf_counter()
    pipeline.predict_proba(sentences)
    rates["sklearn predict_proba"] = count / (time.perf_counter() - began)
    return rates


def startup(repeats: int) -> dict[str, tuple[float, float]]:
    claims = [
        sys.executable,
        "-m",
        "classifier",
        "label",
        "--text",
        "We urge both sides to return to talks.",
        "--format",
        "jsonl",
    ]
    sklearn = [sys.executable, "-c", "import sklearn.linear_model, sklearn.feature_extraction.text"]
    results = {}
    for name, command in (("claims label --text", claims), ("import sklearn", sklearn)):
        runs = [run_measured(command) for _ in range(repeats)]
        results[name] = (statistics.median(r[0] for r in runs), max(r[1] for r in runs))
    return results


def training_time() -> float:
    from classifier.matcher import RuleMatcher
    from classifier.rulebook import load_rulebook
    from classifier.training.data import load_corpus
    from classifier.training.fit import TrainSettings, fit_model

    examples = load_corpus()
    began = time.perf_counter()
    fit_model(examples, RuleMatcher(load_rulebook()), TrainSettings())
    return time.perf_counter() - began


def model_size_mb() -> float:
    from classifier.modelstore import default_model_dir

    return sum(p.stat().st_size for p in default_model_dir().iterdir()) / 1e6


def labelling_memory(count: int) -> tuple[float, float]:
    code = (
        "from classifier import ClaimClassifier\n"
        "from classifier.training.data import load_corpus\n"
        "base = [e.text for e in load_corpus()]\n"
        f"sentences = [base[i % len(base)] for i in range({count})]\n"
        "classifier = ClaimClassifier.load()\n"
        "for i in range(0, len(sentences), 10_000):\n"
        "    classifier.label_sentences(sentences[i:i + 10_000])\n"
    )
    return run_measured([sys.executable, "-c", code])


def label_dataset_run(count: int, folder: Path) -> tuple[float, float]:
    source = folder / f"in-{count}.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for sentence in corpus_sentences(count):
            handle.write(json.dumps({"text": sentence}) + "\n")
    out = folder / f"out-{count}.parquet"
    command = [
        sys.executable,
        "-m",
        "classifier",
        "label-dataset",
        str(source),
        "-o",
        str(out),
        "--sentences",
        "--force",
    ]
    return run_measured(command)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller inputs")
    args = parser.parse_args()
    small = 10_000 if args.quick else 100_000
    rates = throughput(small)
    starts = startup(3 if args.quick else 7)
    train_seconds = training_time()
    memory_seconds, memory_peak = labelling_memory(small)
    with tempfile.TemporaryDirectory() as folder:
        bulk_small = label_dataset_run(small, Path(folder))
        bulk_large = label_dataset_run(10 * small, Path(folder))
    print(f"\nthroughput on {small:,} sentences (one process)")
    for name, rate in rates.items():
        print(f"  {name:24} {rate:10,.0f} sentences/s")
    print(f"  hybrid / sklearn pipeline: {rates['hybrid'] / rates['sklearn predict_proba']:.2f}x")
    print("start-up (median wall time, peak memory)")
    for name, (seconds, peak) in starts.items():
        print(f"  {name:24} {seconds:6.2f} s {peak:7.0f} MB")
    ratio = starts["claims label --text"][0] / starts["import sklearn"][0]
    print(f"  claims label / import sklearn: {ratio:.2f}x")
    print(f"training on the shipped corpus (fit_model): {train_seconds:.1f} s")
    print(f"model size on disk: {model_size_mb():.2f} MB")
    print(f"labelling {small:,} sentences in process: peak {memory_peak:.0f} MB ({memory_seconds:.1f} s)")
    print(f"label-dataset {small:,}: {bulk_small[0]:.1f} s, peak {bulk_small[1]:.0f} MB")
    print(f"label-dataset {10 * small:,}: {bulk_large[0]:.1f} s, peak {bulk_large[1]:.0f} MB")
    time_ratio, memory_ratio = bulk_large[0] / bulk_small[0], bulk_large[1] / bulk_small[1]
    print(f"  time ratio {time_ratio:.1f} for 10x the sentences; memory ratio {memory_ratio:.2f}")


if __name__ == "__main__":
    main()
