"""Loading and validating rule files (TOML) into rules and guards.

A rule file holds ``[[rule]]`` tables, optionally ``[[guard]]`` tables and an
``[irregular]`` table of irregular word forms used by ``~``. See
``docs/rule-language.md`` for the format. Every problem is reported with its file
and rule id; nothing is half-loaded.
"""

from __future__ import annotations

import difflib
import hashlib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import RuleError
from ..labels import CLAIM_LABELS
from ..shipped import shipped_path
from .patterns import CompiledPattern, compile_pattern

MIN_WEIGHT, MAX_WEIGHT = 0.0, 5.0
_RULE_KEYS = {"id", "label", "weight", "description", "patterns", "match", "not_match", "enabled"}
_GUARD_KEYS = {"id", "description", "patterns", "applies_to", "match", "not_match", "scope"}
GUARD_SCOPES = ("to_clause_end", "closed_clause", "frame")


@dataclass(frozen=True)
class Rule:
    """A labelling rule: if any pattern matches, it votes ``weight`` for ``label``."""

    id: str
    label: str
    weight: float
    description: str
    patterns: tuple[CompiledPattern, ...]
    must_match: tuple[str, ...]
    must_not_match: tuple[str, ...]
    origin: str


@dataclass(frozen=True)
class Guard:
    """A frame (denial, attribution) that cancels later hits of some labels in its clause."""

    id: str
    description: str
    patterns: tuple[CompiledPattern, ...]
    applies_to: frozenset[str]
    # "to_clause_end": up to the next break or the end; "closed_clause": only if a break closes it;
    # "frame": only the guard's own match ("not accuse" cancels the accuse hit and nothing after it)
    scope: str
    must_match: tuple[str, ...]
    must_not_match: tuple[str, ...]
    origin: str


@dataclass(frozen=True)
class RuleBook:
    """All rules and guards in force, with a digest of the files they came from."""

    rules: tuple[Rule, ...]
    guards: tuple[Guard, ...]
    digest: str


def shipped_rules_dir() -> Path:
    """Where the shipped rule files are: inside the installed package, or ``rules/`` in a checkout."""
    folder = shipped_path("_rules", "rules")
    if folder.is_dir():
        return folder
    raise RuleError("the shipped rule files are missing: reinstall claim-classifier")


def load_rulebook(extra: Iterable[str | Path] = (), *, include_shipped: bool = True) -> RuleBook:
    """Load the shipped rules, then user rule files or folders on top.

    A user rule with the id of an earlier rule replaces it; ``enabled = false``
    disables it.
    """
    layers: list[list[Path]] = []
    if include_shipped:
        layers.append(_rule_files(shipped_rules_dir()))
    layers.extend(_rule_files(Path(item)) for item in extra)
    sources = [path for layer in layers for path in layer]
    documents = [(path, _read_toml(path)) for path in sources]
    irregular = _irregular_forms(documents)
    rules: dict[str, Rule] = {}
    guards: dict[str, Guard] = {}
    layer_of = {path: index for index, layer in enumerate(layers) for path in layer}
    seen_in_layer: dict[int, set[str]] = {}
    for path, document in documents:
        _check_top_level(path, document)
        seen_here = seen_in_layer.setdefault(layer_of[path], set())
        for table in document.get("rule", []):
            rule_id = _rule_id(path, table, seen_here)
            if table.get("enabled", True) is False:
                if rule_id not in rules:  # a misspelt id would otherwise disable nothing, silently
                    near = difflib.get_close_matches(rule_id, list(rules), n=1)
                    hint = f"; did you mean {near[0]!r}?" if near else ""
                    raise RuleError(f"{path}: 'enabled = false' names no earlier rule {rule_id!r}{hint}")
                del rules[rule_id]
                continue
            rules[rule_id] = _build_rule(path, table, irregular)
        for table in document.get("guard", []):
            guard_id = _rule_id(path, table, seen_here)
            guards[guard_id] = _build_guard(path, table, irregular)
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return RuleBook(tuple(rules.values()), tuple(guards.values()), digest.hexdigest())


def _rule_files(location: Path) -> list[Path]:
    if location.is_dir():
        files = sorted(p for p in location.glob("*.toml") if p.is_file())
        if not files:
            raise RuleError(f"{location}: no .toml rule files in this folder")
        return files
    if location.is_file():
        return [location]
    raise RuleError(f"{location}: no such rule file or folder")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise RuleError(f"{path}: cannot read: {exc.strerror}") from exc


def _irregular_forms(documents: list[tuple[Path, dict[str, Any]]]) -> dict[str, list[str]]:
    forms: dict[str, list[str]] = {}
    for path, document in documents:
        table = document.get("irregular", {})
        if not isinstance(table, dict):
            raise RuleError(f"{path}: [irregular] must be a table of word = [forms]")
        for word, extra in table.items():
            if not (isinstance(extra, list) and all(isinstance(f, str) for f in extra)):
                raise RuleError(f"{path}: irregular forms of {word!r} must be a list of words")
            forms.setdefault(word.lower(), []).extend(f.lower() for f in extra)
    return forms


def _check_top_level(path: Path, document: Mapping[str, Any]) -> None:
    unknown = set(document) - {"rule", "guard", "irregular"}
    if unknown:
        raise RuleError(f"{path}: unknown top-level key(s) {sorted(unknown)}: use [[rule]], [[guard]], [irregular]")
    for key in ("rule", "guard"):
        if not isinstance(document.get(key, []), list):
            raise RuleError(f"{path}: '{key}' must be an array of tables ([[{key}]])")


def _rule_id(path: Path, table: Mapping[str, Any], seen: set[str]) -> str:
    rule_id = table.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        raise RuleError(f"{path}: a rule or guard has no 'id'")
    if rule_id in seen:
        raise RuleError(f"{path}: rule {rule_id}: duplicate id (ids are unique within a rule set)")
    seen.add(rule_id)
    return rule_id


def _build_rule(path: Path, table: Mapping[str, Any], irregular: Mapping[str, list[str]]) -> Rule:
    rule_id = table["id"]
    where = f"{path.name}: rule {rule_id}"
    _check_keys(
        where, table, _RULE_KEYS, required={"id", "label", "weight", "description", "patterns", "match", "not_match"}
    )
    label = table["label"]
    if label not in CLAIM_LABELS:
        raise RuleError(f"{where}: unknown label {label!r} (one of {', '.join(CLAIM_LABELS)})")
    weight = table["weight"]
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not MIN_WEIGHT < weight <= MAX_WEIGHT:
        raise RuleError(f"{where}: weight must be a number in ({MIN_WEIGHT:g}, {MAX_WEIGHT:g}], got {weight!r}")
    return Rule(
        id=rule_id,
        label=label,
        weight=float(weight),
        description=_text(where, table, "description"),
        patterns=_patterns(where, table, irregular),
        must_match=_examples(where, table, "match"),
        must_not_match=_examples(where, table, "not_match"),
        origin=str(path),
    )


def _build_guard(path: Path, table: Mapping[str, Any], irregular: Mapping[str, list[str]]) -> Guard:
    guard_id = table["id"]
    where = f"{path.name}: guard {guard_id}"
    _check_keys(where, table, _GUARD_KEYS, required=_GUARD_KEYS - {"scope"})
    scope = table.get("scope", "to_clause_end")
    if scope not in GUARD_SCOPES:
        raise RuleError(f"{where}: scope must be one of {', '.join(GUARD_SCOPES)}")
    applies_to = table["applies_to"]
    if not isinstance(applies_to, list) or not applies_to or any(a not in CLAIM_LABELS for a in applies_to):
        raise RuleError(f"{where}: applies_to must list labels among {', '.join(CLAIM_LABELS)}")
    return Guard(
        id=guard_id,
        description=_text(where, table, "description"),
        patterns=_patterns(where, table, irregular),
        applies_to=frozenset(applies_to),
        scope=scope,
        must_match=_examples(where, table, "match"),
        must_not_match=_examples(where, table, "not_match"),
        origin=str(path),
    )


def _check_keys(where: str, table: Mapping[str, Any], allowed: set[str], required: set[str]) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise RuleError(f"{where}: unknown key(s) {sorted(unknown)}")
    missing = required - set(table)
    if missing:
        raise RuleError(f"{where}: missing key(s) {sorted(missing)}")


def _text(where: str, table: Mapping[str, Any], key: str) -> str:
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise RuleError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _patterns(where: str, table: Mapping[str, Any], irregular: Mapping[str, list[str]]) -> tuple[CompiledPattern, ...]:
    sources = table["patterns"]
    if not isinstance(sources, list) or not sources or not all(isinstance(p, str) for p in sources):
        raise RuleError(f"{where}: 'patterns' must be a non-empty list of strings")
    compiled = []
    for source in sources:
        try:
            compiled.append(compile_pattern(source, irregular))
        except RuleError as exc:
            raise RuleError(f"{where}: {exc}") from exc
    return tuple(compiled)


def _examples(where: str, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
    examples = table[key]
    if not isinstance(examples, list) or not examples or not all(isinstance(e, str) and e.strip() for e in examples):
        raise RuleError(f"{where}: '{key}' must list at least one example sentence")
    return tuple(examples)
