"""Load test of ``claims serve`` on loopback: concurrent clients, realistic statements, zero errors.

Run: python benchmarks/serve_load.py [--clients 8] [--requests 2000]
(needs the 'serve' extra: pip install ".[serve]")

Starts ``claims serve`` in a process of its own on a free loopback port, then sends POST /v1/label
requests from N client threads, each on one kept-alive connection. Each request is one statement of
the training corpus (its sentences joined in order, as the statement read; never the real-text test
set nor the seed rejoinder). A request counts as failed unless it answers 200 with one record per
sentence whose offsets point at its text. Prints throughput and latency percentiles, and exits 1 if
any request failed.

--breakdown measures instead, in one process and one thread, where a request's time goes: validating
the same requests, labelling them one request at a time, encoding their records as JSON, and labelling
all their sentences as one batch.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def statements() -> list[str]:
    """The corpus's statements: rows grouped by ``doc``, sentences joined in file order."""
    by_doc: dict[str, list[str]] = defaultdict(list)
    for path in sorted((REPO / "training" / "data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                by_doc[f"{path.name}:{row.get('doc')}"].append(row["text"])
    return [" ".join(sentences) for sentences in by_doc.values() if len(sentences) >= 2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"claims serve exited with {server.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/v1/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("claims serve did not start")


def check(answer: bytes, statement: str) -> bool:
    """One record per sentence, in order, each record's offsets pointing at its text."""
    records = json.loads(answer)
    return (
        isinstance(records, list)
        and len(records) > 0
        and [r["index"] for r in records] == list(range(len(records)))
        and all(statement[r["start"] : r["end"]] == r["text"] for r in records)
    )


def client(port: int, work: list[str], latencies: list[float], failures: list[str], sentences: list[int]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for statement in work:
        body = json.dumps({"text": statement}).encode()
        began = time.perf_counter()
        try:
            connection.request("POST", "/v1/label", body=body, headers={"content-type": "application/json"})
            response = connection.getresponse()
            answer = response.read()
            latencies.append(time.perf_counter() - began)
            if response.status != 200 or not check(answer, statement):
                failures.append(f"{response.status}: {answer[:200]!r}")
            else:
                sentences.append(len(json.loads(answer)))
        except (OSError, http.client.HTTPException, ValueError) as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def breakdown(chosen: list[str]) -> dict[str, float]:
    """Seconds for each step of the requests, in this process, one after another."""
    from classifier import ClaimClassifier
    from classifier.serve import labelling
    from classifier.serve.schemas import LabelRequest

    classifier, limits = ClaimClassifier.load(), labelling.Limits()
    options = {"mode": "hybrid", "min_confidence": 0.0, "force_label": False}
    bodies = [json.dumps({"text": statement}) for statement in chosen]
    began = time.perf_counter()
    requests = [LabelRequest.model_validate_json(body) for body in bodies]
    validated = time.perf_counter()
    labelled = [labelling.label_texts(classifier, [("<text>", r.text or "")], options, limits) for r in requests]
    one_by_one = time.perf_counter()
    for item in labelled:
        json.dumps(labelling.records(item), ensure_ascii=False)
    encoded = time.perf_counter()
    sentences = [p.text for item in labelled for p in item[0].predictions]
    classifier.label_sentences(sentences)
    batch = time.perf_counter()
    return {
        "validate_requests": round(validated - began, 2),
        "label_one_request_at_a_time": round(one_by_one - validated, 2),
        "encode_records_as_json": round(encoded - one_by_one, 2),
        "label_all_sentences_as_one_batch": round(batch - encoded, 2),
        "sentences": len(sentences),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--breakdown", action="store_true", help="time the steps in-process instead")
    options = parser.parse_args()

    pool = statements()
    rng = random.Random(options.seed)
    chosen = [rng.choice(pool) for _ in range(options.requests)]
    if options.breakdown:
        print(json.dumps(breakdown(chosen), indent=2))
        return
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "classifier", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(port, server)
        latencies: list[float] = []
        failures: list[str] = []
        sentences: list[int] = []
        shares = [chosen[i :: options.clients] for i in range(options.clients)]
        threads = [
            threading.Thread(target=client, args=(port, share, latencies, failures, sentences)) for share in shares
        ]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)

    figures = {
        "clients": options.clients,
        "requests": len(chosen),
        "failed": len(failures),
        "statements_in_pool": len(pool),
        "mean_bytes_per_request": round(statistics.mean(len(s.encode()) for s in chosen)),
        "sentences_labelled": sum(sentences),
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(chosen) / elapsed, 1),
        "sentences_per_second": round(sum(sentences) / elapsed),
        "latency_ms": {
            name: round(1000 * percentile(latencies, share), 1)
            for name, share in (("p50", 0.50), ("p90", 0.90), ("p99", 0.99), ("max", 1.0))
        },
    }
    print(json.dumps(figures, indent=2))
    for failure in failures[:5]:
        print(f"failed: {failure}", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
