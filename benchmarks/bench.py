"""Speed and memory benchmarks (run on demand, never part of the test suite).

Run: python benchmarks/bench.py [--quick]

Measures, in one run so that ratios compare like with like:
  * throughput on one core of label_sentences in hybrid, rules and model
    modes, of the plain model a user would write (word 1-2-gram TF-IDF and
    logistic regression fitted on the same corpus: the reference), of the
    project's own scikit-learn pipeline, and of the place-name masking, on
    corpus sentences and on long sentences of 30-60 words;
  * wall time and peak memory of `claims label --text` on one core, byte-compiled as
    installed, against an empty interpreter and against merely importing
    scikit-learn's text and linear modules;
  * training time on the shipped corpus, model size on disk;
  * peak memory labelling N sentences in-process, and time and peak memory of
    `claims label-dataset` on N and 10 N sentences in one process, and on 10 N
    with its default workers (every available core), memory summed over them.
  * time and peak memory of `claims label` on a 50 MB file.
Sizes: 100,000 and 1,000,000 sentences; --quick uses 10,000 and 100,000 and a 5 MB file.

With --encoder [MODEL] (needs the 'encoder' extra) it measures instead the
encoder mode next to the default mode: throughput of label_sentences (hybrid)
on one core, start-up wall time and peak memory of `claims label --text`,
peak memory labelling the sentences in process, and the disk size of the
extra (the packages it installs beyond the default install) and of the
encoder's files. MODEL is a model folder with an encoder block (default: the
shipped 'encoder' model). Sizes: 2,000 sentences (--quick: 500).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _process_tree(pid: int) -> list[int]:
    """The process and its descendants (the workers of label-dataset), from /proc."""
    tree, index = [pid], 0
    while index < len(tree):
        try:
            children = Path(f"/proc/{tree[index]}/task/{tree[index]}/children").read_text().split()
        except OSError:
            children = []
        tree.extend(int(child) for child in children)
        index += 1
    return tree


def run_measured(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak resident memory and peak anonymous memory (MB) of one command and the
    processes it starts, summed over them.

    Sampled from /proc every 20 ms. Resident memory includes pages of
    memory-mapped files (datasets' Arrow caches), which the system can reclaim
    at any time and several processes may share; anonymous memory is what the
    processes themselves hold.
    """
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_rss = peak_anon = 0.0
    while process.poll() is None:
        rss = anon = 0.0
        for pid in _process_tree(process.pid):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                fields = dict(line.split(":", 1) for line in status.splitlines())
                rss += float(fields["VmRSS"].split()[0]) / 1024
                anon += float(fields["RssAnon"].split()[0]) / 1024
            except (OSError, KeyError, ValueError):
                pass  # ended between the listing and the reading
        peak_rss, peak_anon = max(peak_rss, rss), max(peak_anon, anon)
        time.sleep(0.02)
    elapsed = time.perf_counter() - began
    if process.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(command)}")
    return elapsed, peak_rss, peak_anon


def corpus_sentences(count: int) -> list[str]:
    from classifier.training.data import load_corpus

    base = [e.text for e in load_corpus()]
    return [base[i % len(base)] for i in range(count)]


def long_sentences(count: int) -> list[str]:
    """Sentences of 30 to 60 words: consecutive corpus sentences joined until they reach 30 words."""
    base = corpus_sentences(count * 4)
    joined, current = [], []
    for sentence in base:
        current.append(sentence)
        words = sum(len(s.split()) for s in current)
        if words >= 30:
            if words <= 60:
                joined.append(" ".join(current))
            current = []
        if len(joined) == count:
            break
    return joined


def bare_word_pipeline() -> Any:  # a scikit-learn Pipeline: sklearn is imported only when measuring
    """The plain model a user would write: word 1-2-gram TF-IDF and logistic regression, fitted on
    the shipped corpus."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from classifier.training.data import load_corpus

    examples = load_corpus()
    pipeline = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(max_iter=1000))
    return pipeline.fit([e.text for e in examples], [e.label for e in examples])


def rate(function: Callable[[list[str]], object], items: list[str]) -> float:
    began = time.perf_counter()
    function(items)
    return len(items) / (time.perf_counter() - began)


def throughput(count: int) -> dict[str, dict[str, float]]:
    """Sentences per second on one core, on corpus sentences and on long ones, of each mode and of the
    two scikit-learn references, measured in turn in this one process."""
    from classifier import ClaimClassifier
    from classifier.text.places import mask_places

    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    try:
        classifier = ClaimClassifier.load()
        project_pipeline, bare = classifier.to_sklearn(), bare_word_pipeline()
        sets = {"corpus": corpus_sentences(count), "long (30-60 words)": long_sentences(count // 4)}
        rates: dict[str, dict[str, float]] = {}
        for name, sentences in sets.items():
            row = {
                f"claims {mode}": rate(lambda s, m=mode: classifier.label_sentences(s, mode=m), sentences)
                for mode in ("hybrid", "rules", "model")
            }
            row["bare word pipeline"] = rate(bare.predict_proba, sentences)
            row["project pipeline (sklearn)"] = rate(project_pipeline.predict_proba, sentences)
            row["place-name masking alone"] = rate(lambda s: [mask_places(x) for x in s], sentences)
            rates[name] = row
        return rates
    finally:
        os.sched_setaffinity(0, cores)


def startup(repeats: int) -> dict[str, tuple[float, float, float]]:
    """Median wall time and peak memory of a one-sentence ``claims label`` and of two yardsticks
    (an empty interpreter; importing scikit-learn's text and linear modules), in turn, on one core.

    The package is byte-compiled first, as ``pip install`` leaves it: in a checkout whose
    environment sets PYTHONDONTWRITEBYTECODE, every run would otherwise compile every module anew.
    """
    import compileall

    compileall.compile_dir(str(HERE.parent / "classifier"), quiet=1, force=False)
    pin = ["taskset", "-c", str(min(os.sched_getaffinity(0)))]
    commands = {
        "claims label --text": [
            sys.executable,
            "-m",
            "classifier",
            "label",
            "--text",
            "We demand an apology.",
            "-f",
            "jsonl",
        ],
        "python -c pass": [sys.executable, "-c", "pass"],
        "import sklearn": [sys.executable, "-c", "import sklearn.linear_model, sklearn.feature_extraction.text"],
    }
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    for _ in range(repeats):  # interleaved, so a change in the machine's speed affects all three alike
        for name, command in commands.items():
            runs[name].append(_one_process_run([*pin, *command]))
    return {
        name: (statistics.median(r[0] for r in rs), max(r[1] for r in rs), max(r[2] for r in rs))
        for name, rs in runs.items()
    }


#: Runs a command and prints its wall seconds, peak resident KB and exit code. The kernel's peak of a
#: process starts from that of the process that started it, so a small interpreter (no site module)
#: starts the command instead of this benchmark, which by then holds hundreds of MB.
_MEASURER = (
    "import os, sys, time\n"
    "quiet = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_WRONLY, 0) for fd in (1, 2)]\n"
    "began = time.perf_counter()\n"
    "pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=quiet)\n"
    "_pid, status, usage = os.wait4(pid, 0)\n"
    "print(time.perf_counter() - began, usage.ru_maxrss, os.waitstatus_to_exitcode(status))\n"
)


def _one_process_run(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds and peak resident memory (MB, twice: the kernel's own figure for the finished
    process, exact even for a process too short to sample) of a command that starts no workers."""
    executable = shutil.which(command[0]) or command[0]
    report = subprocess.run(
        [sys.executable, "-S", "-c", _MEASURER, executable, *command[1:]], capture_output=True, text=True, check=True
    )
    seconds, peak_kb, code = report.stdout.split()
    if int(code) != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(command)}")
    peak = int(peak_kb) / 1024
    return float(seconds), peak, peak


def training_time() -> float:
    from classifier.rulebook.book import load_rulebook
    from classifier.rulebook.matcher import RuleMatcher
    from classifier.training.data import load_corpus
    from classifier.training.fit import TrainSettings, fit_model

    examples = load_corpus()
    began = time.perf_counter()
    fit_model(examples, RuleMatcher(load_rulebook()), TrainSettings())
    return time.perf_counter() - began


def model_size_mb() -> float:
    from classifier.textmodel.folder import default_model_dir

    return sum(p.stat().st_size for p in default_model_dir().iterdir()) / 1e6


def labelling_memory(count: int) -> tuple[float, float, float]:
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


def label_dataset_run(count: int, folder: Path, workers: int | None = None) -> tuple[float, float, float]:
    """`claims label-dataset` on ``count`` corpus sentences: with its default workers, or ``workers``."""
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
        *(["--num-proc", str(workers)] if workers else []),
    ]
    return run_measured(command)


def big_file_run(megabytes: int, folder: Path) -> tuple[float, float, float]:
    """`claims label` on a file of about this many megabytes of statements (JSONL to /dev/null)."""
    from classifier.training.data import load_corpus

    statement = "\n\n".join(" ".join(e.text for e in load_corpus()[i : i + 8]) for i in range(0, 400, 8))
    path = folder / "big.txt"
    with path.open("w", encoding="utf-8") as handle:
        while handle.tell() < megabytes * 1_000_000:
            handle.write(statement + "\n\n")
    return run_measured([sys.executable, "-m", "classifier", "label", str(path), "--format", "jsonl"])


def requirement_closure(names: list[str]) -> set[str]:
    """Installed distributions these need, themselves included (extras' own optional needs left out)."""
    import re
    from importlib import metadata

    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = re.split(r"[\s;<>=!~\[(]", todo.pop(), maxsplit=1)[0].lower().replace("_", "-")
        if name in seen:
            continue
        try:
            requires = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue
        seen.add(name)
        todo.extend(r for r in requires if "extra ==" not in r)
    return seen


def extra_size_mb() -> tuple[float, float, list[str]]:
    """Disk size of the distributions the encoder extra adds to the default install, of the
    encoder files, and the names of those distributions."""
    from importlib import metadata

    from classifier.textmodel.encoder import encoders_dir

    added = sorted(requirement_closure(["onnxruntime", "tokenizers"]) - requirement_closure(["claim-classifier"]))
    total = 0
    for name in added:
        for file in metadata.distribution(name).files or []:
            path = Path(str(file.locate()))
            total += path.stat().st_size if path.is_file() else 0
    encoder_files = sum(p.stat().st_size for p in encoders_dir().rglob("*") if p.is_file())
    return total / 1e6, encoder_files / 1e6, added


def encoder_comparison(model: str, count: int, repeats: int) -> None:
    """The encoder mode next to the default mode, one core each (onnxruntime runs one thread)."""
    import os

    from classifier import ClaimClassifier

    sentences = corpus_sentences(count)
    print(f"encoder mode ({model}) next to the default mode; OMP/BLAS threads: {os.environ.get('OMP_NUM_THREADS')}")
    for name, where in (("default", None), ("encoder", model)):
        began = time.perf_counter()
        classifier = ClaimClassifier.load(where)
        loaded = time.perf_counter() - began
        classifier.label_sentences(sentences[:20])  # first call builds caches and the session
        began = time.perf_counter()
        classifier.label_sentences(sentences)
        rate = count / (time.perf_counter() - began)
        command = [sys.executable, "-m", "classifier", "label", "--text", "We urge both sides to return to talks."]
        runs = [
            run_measured([*command, *(["--model", where] if where else []), "--format", "jsonl"])
            for _ in range(repeats)
        ]
        code = (
            "from classifier import ClaimClassifier\n"
            "from classifier.training.data import load_corpus\n"
            "base = [e.text for e in load_corpus()]\n"
            f"ClaimClassifier.load({where!r}).label_sentences([base[i % len(base)] for i in range({count})])\n"
        )
        _seconds, peak, _anon = run_measured([sys.executable, "-c", code])
        print(
            f"  {name:8} {rate:8,.0f} sentences/s (hybrid, {count:,} sentences); load {loaded:.2f} s in process; "
            f"claims label --text {statistics.median(r[0] for r in runs):.2f} s, "
            f"peak {max(r[1] for r in runs):.0f} MB; "
            f"labelling {count:,} in process peak {peak:.0f} MB"
        )
    packages, encoder_files, added = extra_size_mb()
    print(f"  the extra installs {packages:.0f} MB: {', '.join(added)}")
    print(f"  the encoder's files (exported by training/export_encoder.py): {encoder_files:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller inputs")
    parser.add_argument("--encoder", nargs="?", const="encoder", help="measure the encoder mode instead")
    args = parser.parse_args()
    if args.encoder:
        encoder_comparison(args.encoder, 500 if args.quick else 2000, 3 if args.quick else 5)
        return
    small = 10_000 if args.quick else 100_000
    rates = throughput(small)
    starts = startup(3 if args.quick else 7)
    train_seconds = training_time()
    memory_seconds, memory_peak, _anon = labelling_memory(small)
    with tempfile.TemporaryDirectory() as folder:
        bulk_small = label_dataset_run(small, Path(folder), workers=1)
        bulk_large = label_dataset_run(10 * small, Path(folder), workers=1)
        bulk_default = label_dataset_run(10 * small, Path(folder))
        big_megabytes = 5 if args.quick else 50
        big = big_file_run(big_megabytes, Path(folder))
    print("\nthroughput on one core (sentences/s)")
    for name, row in rates.items():
        print(f" {name} sentences")
        for measure, value in row.items():
            print(f"  {measure:28} {value:10,.0f}")
        print(f"  hybrid / bare word pipeline: {row['claims hybrid'] / row['bare word pipeline']:.2f}x")
        print(f"  hybrid / project pipeline: {row['claims hybrid'] / row['project pipeline (sklearn)']:.2f}x")
    print("start-up (median wall time, peak resident memory)")
    for name, (seconds, peak, _anon) in starts.items():
        print(f"  {name:24} {seconds:6.2f} s {peak:7.0f} MB")
    for yardstick in ("python -c pass", "import sklearn"):
        print(f"  claims label / {yardstick}: {starts['claims label --text'][0] / starts[yardstick][0]:.2f}x")
    print(f"training on the shipped corpus (fit_model): {train_seconds:.1f} s")
    print(f"model size on disk: {model_size_mb():.2f} MB")
    print(f"labelling {small:,} sentences in process: peak {memory_peak:.0f} MB ({memory_seconds:.1f} s)")
    for count, run in ((small, bulk_small), (10 * small, bulk_large)):
        print(f"label-dataset {count:,}, one process: {run[0]:.1f} s, peak resident {run[1]:.0f} MB, ", end="")
        print(f"peak anonymous {run[2]:.0f} MB")
    time_ratio, memory_ratio = bulk_large[0] / bulk_small[0], bulk_large[2] / bulk_small[2]
    print(f"  time ratio {time_ratio:.1f} for 10x the sentences; anonymous-memory ratio {memory_ratio:.2f}")
    cores = len(os.sched_getaffinity(0))
    print(f"label-dataset {10 * small:,}, default workers ({cores} cores): {bulk_default[0]:.1f} s, ", end="")
    print(f"peak resident {bulk_default[1]:.0f} MB, peak anonymous {bulk_default[2]:.0f} MB (all processes)")
    print(f"  {bulk_large[0] / bulk_default[0]:.2f}x faster than one process")
    print(f"claims label on a {big_megabytes} MB file: {big[0]:.1f} s, peak resident {big[1]:.0f} MB")


if __name__ == "__main__":
    main()
