"""training/real/draw.py's selection: the quota, the random share, the strata and the cap per statement."""

from __future__ import annotations

import importlib.util
import random
from collections import Counter

import pytest

from .conftest import REPO


@pytest.fixture(scope="module")
def draw_module():
    spec = importlib.util.spec_from_file_location("real_draw", REPO / "training" / "real" / "draw.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pool(source: str, n_docs: int, per_doc: int) -> list[dict]:
    """Candidates whose predicted label and confidence are known: most are 'none' and sure."""
    rng = random.Random(1)
    labels = ["none"] * 6 + ["accusation", "legal_claim", "assurance", "demand", "warning"]
    return [
        {"doc": f"{source}-{d}", "source": source, "predicted": rng.choice(labels), "confidence": rng.random()}
        for d in range(n_docs)
        for _ in range(per_doc)
    ]


def test_the_quota_is_met_with_at_most_five_sentences_a_statement(draw_module):
    pool = _pool("wh", n_docs=400, per_doc=12)
    chosen = draw_module.draw(pool, 600, random.Random(23))
    assert len(chosen) == 600 and len({id(row) for row in chosen}) == 600
    assert max(Counter(row["doc"] for row in chosen).values()) <= 5


def test_a_security_council_speech_may_give_twelve(draw_module):
    pool = _pool("unscon", n_docs=10, per_doc=30)
    chosen = draw_module.draw(pool, 120, random.Random(23))
    assert len(chosen) == 120 and max(Counter(row["doc"] for row in chosen).values()) == 12


def test_rare_predicted_labels_are_drawn_well_above_their_share(draw_module):
    """Three quarters are stratified by predicted label, so a label predicted for 1 in 11 candidates
    fills far more than 1 in 11 of the draw; half of each stratum is its least sure sentences."""
    pool = _pool("wh", n_docs=2000, per_doc=3)
    chosen = draw_module.draw(pool, 800, random.Random(23))
    share = Counter(row["predicted"] for row in chosen)
    assert all(share[label] >= 0.1 * len(chosen) for label in ("accusation", "demand", "warning"))
    warnings = [row["confidence"] for row in chosen if row["predicted"] == "warning"]
    assert sum(c < 0.25 for c in warnings) > 0.4 * len(warnings)  # least sure half, plus the random share


def test_a_small_pool_gives_what_it_has(draw_module):
    pool = _pool("mfa_sg", n_docs=5, per_doc=3)
    assert len(draw_module.draw(pool, 100, random.Random(23))) == 15
