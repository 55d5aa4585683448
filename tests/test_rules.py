"""The shipped rules, their examples, guards, user rules and refusal of broken rule files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from classifier.errors import RuleError
from classifier.labels import CLAIM_LABELS
from classifier.rulebook.book import load_rulebook
from classifier.rulebook.check import check_examples
from classifier.rulebook.matcher import WORDS, RuleMatcher
from classifier.text.segment import split_sentences

from .conftest import REPO


@pytest.fixture(scope="module")
def rulebook():
    return load_rulebook()


@pytest.fixture(scope="module")
def matcher(rulebook):
    return RuleMatcher(rulebook)


def test_every_shipped_rule_and_guard_passes_its_own_examples(rulebook):
    assert check_examples(rulebook) == []


def test_shipped_rules_cover_every_label_with_described_rules(rulebook):
    assert {rule.label for rule in rulebook.rules} == set(CLAIM_LABELS)
    assert all(rule.description and rule.must_match and rule.must_not_match for rule in rulebook.rules)
    assert len({rule.id for rule in rulebook.rules}) == len(rulebook.rules)


def test_hits_carry_spans_that_slice_the_sentence(matcher):
    sentence = "The ministry warned that the blockade would have grave consequences."
    hits = matcher.hits(sentence)
    assert {h.rule_id for h in hits} >= {"warning.performative", "warning.consequences"}
    assert all(sentence[h.start : h.end] == h.text for h in hits)


def test_denial_guard_cancels_the_accusation_inside_a_rejected_charge(matcher):
    denial = "The ministry rejected the accusation that it sponsors militants in the hills."
    labels = {h.label for h in matcher.hits(denial)}
    assert "accusation" not in labels
    assert "assurance" in labels  # the denial itself (guide, step 5)
    direct = "The ministry accused its neighbour of sponsoring militants in the hills."
    assert "accusation" in {h.label for h in matcher.hits(direct)}


def test_guard_reach_ends_at_the_clause_break(matcher):
    sentence = "Rejecting the claim that it harbours rebels, the government accused the envoy of bias."
    hits = matcher.hits(sentence)
    assert "accusation.performative" in {h.rule_id for h in hits}


def test_a_negated_act_verb_is_not_the_act_but_a_later_act_in_the_clause_is(matcher):
    """guard.negated_act has scope "frame": it cancels the negated verb's hit and nothing after it."""
    assert "accusation" not in {h.label for h in matcher.hits("We do not accuse anyone at this point.")}
    assert "demand" not in {h.label for h in matcher.hits("We are not demanding anything from our neighbours.")}
    later = matcher.hits("We do not accuse anyone yet but we condemn the shelling of the bridge.")
    assert "accusation.condemn" in {h.rule_id for h in later}
    assert "accusation.performative" not in {h.rule_id for h in later}


def test_should_like_to_is_courtesy_yet_a_verb_of_asking_after_it_still_asks(matcher):
    assert "demand" not in {h.label for h in matcher.hits("I should like to turn to the situation in the north.")}
    urged = {h.rule_id for h in matcher.hits("I should like to urge both parties to resume the talks.")}
    assert "demand.performative" in urged
    assert "demand.modal_obligation" not in urged


def test_call_on_is_a_demand_only_when_an_act_is_asked(matcher):
    visit = "The foreign minister called on the Prime Minister at his office this morning."
    assert "demand" not in {h.label for h in matcher.hits(visit)}
    asked = "The foreign minister called on the Prime Minister to release the detained reporters."
    assert "demand.performative" in {h.rule_id for h in matcher.hits(asked)}


def test_a_guard_scope_outside_the_known_ones_is_refused(tmp_path):
    path = tmp_path / "guards.toml"
    path.write_text(
        '[[guard]]\nid = "user.g"\ndescription = "d"\napplies_to = ["demand"]\nscope = "sentence"\n'
        'patterns = ["not urge~"]\nmatch = ["We do not urge anything."]\nnot_match = ["We urge it."]\n',
        encoding="utf-8",
    )
    with pytest.raises(RuleError, match="scope must be one of"):
        load_rulebook([path])


#: A rule that fires on a seed sentence must be right on at least this many corpus sentences (synthetic
#: or real) of its own label. The seed is a fixture, not a criterion: some rules were written after looking
#: at it (``warning.universal_negative``, right on 4 of the 7 it fires on), but none for it alone.
#: The weakest today is ``warning.no_shield``, right on both of the 2 corpus sentences it fires on.
SEED_RULE_MIN_SUPPORT = 2


def test_every_rule_firing_on_the_seed_is_right_on_corpus_sentences_of_its_label(seed_text, corpus_rows, matcher):
    """No rule exists for a seed sentence alone: each one also labels corpus sentences correctly."""
    seed_rules = {
        hit.rule_id: hit.label
        for span in split_sentences(seed_text)
        for hit in matcher.hits(seed_text[span.start : span.end])
    }
    support = dict.fromkeys(seed_rules, 0)
    for row in corpus_rows:
        for rule_id in {hit.rule_id for hit in matcher.hits(row["text"])} & seed_rules.keys():
            support[rule_id] += row["label"] == seed_rules[rule_id]
    assert len(seed_rules) >= 20, seed_rules
    weak = {rule_id: n for rule_id, n in support.items() if n < SEED_RULE_MIN_SUPPORT}
    assert weak == {}, (
        f"rules firing on the seed with fewer than {SEED_RULE_MIN_SUPPORT} corpus sentences of their label"
    )


def test_the_rule_written_after_the_seed_fires_as_the_accuracy_notes_say(corpus_rows, matcher):
    """docs/accuracy.md quotes how often ``warning.universal_negative`` fires on the corpus; keep it current."""
    text = " ".join((REPO / "docs" / "accuracy.md").read_text(encoding="utf-8").split())
    quoted = re.search(r"`warning\.universal_negative`.*? fires on (\d+) corpus sentences \((\d+) warnings", text)
    assert quoted, "docs/accuracy.md no longer quotes the rule's corpus count"
    labels = [row["label"] for row in corpus_rows if "warning.universal_negative" in rule_ids(matcher, row["text"])]
    assert (len(labels), labels.count("warning")) == (int(quoted[1]), int(quoted[2]))


def rule_ids(matcher: RuleMatcher, sentence: str) -> set[str]:
    return {hit.rule_id for hit in matcher.hits(sentence)}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_RULE = """
[[rule]]
id = "{id}"
label = "{label}"
weight = {weight}
description = "test rule"
patterns = ["{pattern}"]
match = ["{match}"]
not_match = ["Nothing to see here."]
"""


def test_user_rule_adds_overrides_and_disables(tmp_path):
    extra = write(
        tmp_path,
        "domain.toml",
        GOOD_RULE.format(
            id="demand.water_release",
            label="demand",
            weight=2,
            pattern="open~ the sluice~",
            match="Open the sluices now.",
        )
        + GOOD_RULE.format(
            id="warning.performative", label="warning", weight=0.5, pattern="forewarn~", match="We forewarned them."
        )
        + '\n[[rule]]\nid = "accusation.hostile_conduct"\nenabled = false\n',
    )
    book = load_rulebook([extra])
    by_id = {rule.id: rule for rule in book.rules}
    assert "demand.water_release" in by_id
    assert by_id["warning.performative"].weight == 0.5
    assert "accusation.hostile_conduct" not in by_id
    assert book.digest != load_rulebook().digest


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD_RULE.format(id="x.bad", label="demand", weight=1, pattern="(urge", match="urge"), "x.bad"),
        (GOOD_RULE.format(id="x.label", label="threat", weight=1, pattern="urge", match="urge"), "unknown label"),
        (GOOD_RULE.format(id="x.weight", label="demand", weight=9, pattern="urge", match="urge"), "weight"),
        (GOOD_RULE.format(id="x.dup", label="demand", weight=1, pattern="urge", match="urge") * 2, "duplicate id"),
        ('[[rule]]\nid = "x.missing"\nlabel = "demand"\n', "missing key"),
        ("[[rule]\nbroken", "not valid TOML"),
        ('[[rules]]\nid = "x"\n', "unknown top-level"),
    ],
)
def test_broken_rule_files_are_refused_naming_the_problem(tmp_path, text, message):
    path = write(tmp_path, "broken.toml", text)
    with pytest.raises(RuleError, match=message):
        load_rulebook([path])


def test_an_example_that_does_not_match_is_reported_by_rule_id(tmp_path):
    path = write(
        tmp_path,
        "ex.toml",
        GOOD_RULE.format(id="x.example", label="demand", weight=1, pattern="urge~", match="We call on you."),
    )
    failures = check_examples(load_rulebook([path], include_shipped=False))
    assert [(f.rule_id, f.expectation) for f in failures] == [("x.example", "match")]
    assert "ex.toml" in str(failures[0]) and "x.example" in str(failures[0])


def test_missing_rule_location_is_refused(tmp_path):
    with pytest.raises(RuleError, match="no such rule file"):
        load_rulebook([tmp_path / "nope.toml"])


def test_fast_search_and_word_prefilter_agree_with_the_plain_expression(rulebook, corpus_rows, seed_text):
    """The matcher's shortcuts (lowercased search, required-word sets) never change a match."""
    sentences = [row["text"] for row in corpus_rows] + [seed_text[s.start : s.end] for s in split_sentences(seed_text)]
    sentences += [
        "İstanbul WARNED that the Council MUST act under Article 51.",  # lowercasing changes the length
        "Prewarned, the delegation urged restraint; forewarnings were ignored.",  # words inside words
    ]
    patterns = [pattern for item in (*rulebook.rules, *rulebook.guards) for pattern in item.patterns]
    checked = 0
    matched_patterns = set()
    for sentence in sentences:
        lowered = sentence.lower()
        words = set(WORDS.findall(lowered))
        for pattern in patterns:
            plain = pattern.regex.search(sentence)
            fast = pattern.search(sentence, lowered)
            assert (plain and plain.span()) == (fast and fast.span()), (pattern.source, sentence)
            if plain:
                checked += 1
                matched_patterns.add(pattern.source)
                assert all(words & options for options in pattern.required), (pattern.source, sentence)
    # The comparison saw many real matches, of most patterns (the real corpus is mostly sentences
    # without a claim, so matches are counted against the synthetic rows alone).
    synthetic = sum(1 for row in corpus_rows if "source" not in row)
    assert checked > synthetic
    assert len(matched_patterns) >= 0.8 * len({p.source for p in patterns})


def test_disabling_a_rule_that_does_not_exist_is_refused_with_a_suggestion(tmp_path):
    """A misspelt id under 'enabled = false' used to disable nothing, silently."""
    extra = tmp_path / "mine.toml"
    extra.write_text('[[rule]]\nid = "accusation.hostile_conduc"\nenabled = false\n')
    expected = r"names no earlier rule 'accusation\.hostile_conduc'.*mean 'accusation\.hostile_conduct'"
    with pytest.raises(RuleError, match=expected):
        load_rulebook([extra])
