"""Explanations, rule tooling (list, check, stats), user rules and labelling suggestions."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from typer.testing import CliRunner

from classifier import ClaimClassifier
from classifier.rulebook.book import load_rulebook
from classifier.rulebook.matcher import RuleMatcher
from classifier.rulebook.stats import rule_stats
from tests.conftest import REPO, SEED_TEXT

runner = CliRunner()


def cli(*args: str):
    from classifier.cli import app

    return runner.invoke(app, list(args))


def test_explain_each_seed_sentence(classifier, seed_gold):
    vocabulary = set(classifier.model.features.terms)
    for gold in seed_gold:
        explanation = classifier.explain(gold["text"])
        sentence = explanation.sentence
        assert all(sentence[h.start : h.end] == h.text for h in explanation.rule_hits)
        for features in explanation.model_features.values():
            assert features and all(f.name in vocabulary for f in features)
        assert explanation.label == classifier.label_sentences([sentence])[0].label
        assert explanation.runner_up != (explanation.label or "none")


def test_explanation_adds_up_to_the_hybrid_score(classifier):
    import math

    explanation = classifier.explain("The ministry warned that any incursion would be met with force.")
    label = explanation.label or "none"
    logit = explanation.combiner_intercepts[label] + sum(c.contribution for c in explanation.combiner[label])
    runner_up = explanation.runner_up
    other = explanation.combiner_intercepts[runner_up] + sum(c.contribution for c in explanation.combiner[runner_up])
    ratio = explanation.scores[label] / explanation.scores[runner_up]
    assert math.log(ratio) == pytest.approx(logit - other, abs=1e-9)


def test_explain_cli_json():
    result = cli("explain", "--text", "We call upon the parties to cease fire.", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["label"] == "demand"
    assert any(hit["rule"] == "demand.performative" for hit in data["rule_hits"])


def test_explain_table_shows_bracketed_names_and_text_literally():
    """Combiner inputs are named like log_p_model[demand]; rich must not read that as markup."""
    result = cli("explain", "--text", "We call upon the parties [/b] to cease fire.", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "log_p_model[demand]" in result.stdout
    assert "rule_weight_sum[demand]" in result.stdout


def test_rules_list_filters_by_label():
    result = cli("rules", "list", "--label", "legal claim")
    assert result.exit_code == 0
    assert "legal_claim.article_51" in result.stdout and "warning.performative" not in result.stdout


def test_rules_check_passes_on_the_shipped_rules():
    result = cli("rules", "check")
    assert result.exit_code == 0 and "0 failed" in result.stdout


BASE = """
[[rule]]
id = "{id}"
label = "{label}"
weight = 1.0
description = "test"
patterns = ["{pattern}"]
match = ["{match}"]
not_match = ["Nothing here."]
"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (BASE.format(id="t.pattern", label="demand", pattern="(urge", match="urge"), "t.pattern"),
        (BASE.format(id="t.label", label="threat", pattern="urge", match="urge"), "t.label"),
        (BASE.format(id="t.dup", label="demand", pattern="urge", match="urge") * 2, "t.dup"),
        (BASE.format(id="t.example", label="demand", pattern="urge", match="We call on you."), "t.example"),
    ],
)
def test_rules_check_fails_naming_file_and_rule(tmp_path, content, expected):
    path = tmp_path / "mine.toml"
    path.write_text(content)
    result = cli("rules", "check", "--rules", str(path))
    assert result.exit_code == 5
    assert expected in result.output and "mine.toml" in result.output


def test_rule_stats_against_a_hand_computed_case(tmp_path):
    path = tmp_path / "two.toml"
    path.write_text(
        BASE.format(id="d.urge", label="demand", pattern="urge~", match="We urge you.")
        + BASE.format(id="w.warn", label="warning", pattern="warn~", match="We warn you.")
    )
    matcher = RuleMatcher(load_rulebook([path], include_shipped=False))
    texts = ["We urge calm.", "We urge and warn.", "They warned us.", "We urge restraint.", "Nothing at all."]
    gold = ["demand", "warning", "warning", "assurance", "none"]
    stats = {s.rule_id: s for s in rule_stats(matcher, texts, gold)}
    urge, warn = stats["d.urge"], stats["w.warn"]
    # d.urge fires on sentences 1, 2, 4; correct only on 1 -> precision 1/3, coverage 3/5
    assert (urge.fired, urge.correct, urge.coverage) == (3, 1, pytest.approx(0.6))
    assert urge.precision == pytest.approx(1 / 3)
    assert urge.conflicts == {"w.warn": 1} and not urge.overlaps
    assert [gold for gold, _ in urge.errors] == ["warning", "assurance"]
    # w.warn fires on sentences 2 and 3, both gold warning -> precision 1
    assert (warn.fired, warn.precision) == (2, 1.0)


def test_rules_stats_cli_flags_low_precision(tmp_path):
    data = tmp_path / "data.jsonl"
    rows = [{"text": "We must warn everyone.", "label": "demand"}, {"text": "They must leave.", "label": "demand"}]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = cli("rules", "stats", "--data", str(data), "--show-errors", "--min-precision", "0.9")
    assert result.exit_code == 0, result.output
    assert "LOW PRECISION" in result.stdout and "fired on a demand sentence" in result.stdout


def test_user_rules_through_the_api(tmp_path):
    path = tmp_path / "domain.toml"
    path.write_text(
        BASE.format(id="demand.sluice", label="demand", pattern="open~ the sluice~", match="Open the sluices.")
    )
    sentence = "Upstream operators should open the sluices before the dry season."
    with_rule = ClaimClassifier.load(rules=[path]).label_sentences([sentence])[0]
    assert "demand.sluice" in {hit.rule_id for hit in with_rule.evidence}


def test_suggest_writes_ranked_jsonl_ready_to_label(tmp_path):
    out = tmp_path / "to_label.jsonl"
    result = cli("suggest", str(SEED_TEXT), "--out", str(out), "--limit", "5")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 5
    assert [r["priority"] for r in rows] == sorted((r["priority"] for r in rows), reverse=True)
    assert all(r["label"] == "" and r["suggested_label"] and r["text"] for r in rows)


def test_corpus_counts_match_the_files_and_the_training_readme(corpus_rows):
    """The counts are the corpus files' own (counted here from the raw rows), and training/README.md
    quotes the command's output as it is today."""
    result = cli("corpus", "--by", "label")
    assert result.exit_code == 0
    first, *rest = result.stdout.splitlines()
    header = re.fullmatch(r"(\d+) sentences, (\d+) statements, (\d+) parties, (\d+) topics", first)
    assert header, first
    assert int(header[1]) == len(corpus_rows)
    assert int(header[2]) == len({row["doc"] for row in corpus_rows})
    assert int(header[3]) == len({row["party"] for row in corpus_rows})
    printed = {label: int(n) for n, label in (line.split() for line in rest if line.strip())}
    assert printed == Counter(row["label"] for row in corpus_rows)
    readme = (REPO / "training" / "README.md").read_text(encoding="utf-8")
    assert f"$ claims corpus --by label\n{result.stdout}```" in readme
    quoted = re.findall(r"shipped corpus \(([\d,]+) sentences\)", (REPO / "README.md").read_text(encoding="utf-8"))
    assert quoted and {int(q.replace(",", "")) for q in quoted} == {len(corpus_rows)}


def test_suggest_names_a_malformed_or_missing_jsonl(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "We urge calm."}\nnot json\n')
    result = cli("suggest", str(bad), "--out", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 4 and "bad.jsonl:2" in result.output and "Traceback" not in result.output
    result = cli("suggest", str(tmp_path / "absent.jsonl"), "--out", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 3 and "no such file" in result.output
