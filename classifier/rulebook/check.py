"""Checking a rule book: every rule's own examples must behave as declared."""

from __future__ import annotations

from dataclasses import dataclass

from .book import Guard, Rule, RuleBook


@dataclass(frozen=True)
class ExampleFailure:
    """One example sentence that a rule or guard does not treat as declared."""

    origin: str
    rule_id: str
    expectation: str  # "match" or "not_match"
    sentence: str

    def __str__(self) -> str:
        verb = "should match but does not" if self.expectation == "match" else "should not match but does"
        return f"{self.origin}: rule {self.rule_id}: {verb}: {self.sentence!r}"


def check_examples(rulebook: RuleBook) -> list[ExampleFailure]:
    """Run each rule's and guard's examples against its own patterns."""
    failures: list[ExampleFailure] = []
    items: tuple[Rule | Guard, ...] = (*rulebook.rules, *rulebook.guards)
    for item in items:
        for sentence in item.must_match:
            if not _matches(item, sentence):
                failures.append(ExampleFailure(item.origin, item.id, "match", sentence))
        for sentence in item.must_not_match:
            if _matches(item, sentence):
                failures.append(ExampleFailure(item.origin, item.id, "not_match", sentence))
    return failures


def _matches(item: Rule | Guard, sentence: str) -> bool:
    return any(pattern.regex.search(sentence) for pattern in item.patterns)
