"""Place names replaced by one placeholder before the text model sees a sentence.

Why: the corpus names real countries, and a small model learns which of them
its statements tend to accuse; a sentence's label then moves when one
country's name is swapped for another's. The claim is in the act, not in
who is named, so models trained with ``mask_places`` see every country,
capital and demonym of ``places.txt`` as the same word. Rules still read the
original sentence, and offsets are untouched: only the model's input changes.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib import resources

#: What every listed place name becomes; a word that never occurs in statements.
PLACEHOLDER = "someplace"
_PLACES_FILE = "places.txt"


def places_text() -> str:
    return (resources.files(__package__) / _PLACES_FILE).read_text(encoding="utf-8")


def place_names(text: str) -> list[str]:
    """The entries of a places file: one per line, ``#`` comments and blank lines skipped."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def places_digest() -> str:
    """SHA-256 of the shipped list, stored with a model so a changed list is noticed at load time."""
    return hashlib.sha256(places_text().encode("utf-8")).hexdigest()


#: Where a place name can start: a capitalised word. Its leading letters and digits are the index key.
_CAPITALISED_WORD = re.compile(r"\b[A-Z\u00c0-\u00d6\u00d8-\u00de]\w*")


@lru_cache(maxsize=1)
def _names_by_first_word() -> dict[str, tuple[str, ...]]:
    """Each name under the first word it starts with, longest first ("South Sudan" before "South ...")."""
    grouped: dict[str, list[str]] = {}
    for name in set(place_names(places_text())):
        first = _CAPITALISED_WORD.match(name)
        if first is not None:
            grouped.setdefault(first.group(), []).append(name)
    return {word: tuple(sorted(names, key=len, reverse=True)) for word, names in grouped.items()}


def mask_places(text: str) -> str:
    """The text with every listed place name replaced by ``PLACEHOLDER``.

    Case-sensitive, so "chad" or "turkey" in lower case stay words; a name ends
    where a word ends ("Guinea-Bissau" is one name, "China-based" masks "China").
    A scan of the capitalised words with one dict lookup each: labelling speed
    depends on it.
    """
    names_by_first_word = _names_by_first_word()
    pieces: list[str] = []
    done = 0
    for word in _CAPITALISED_WORD.finditer(text):
        start = word.start()
        if start < done:
            continue
        for name in names_by_first_word.get(word.group(), ()):
            end = start + len(name)
            if text.startswith(name, start) and not (end < len(text) and _is_word_character(text[end])):
                pieces += (text[done:start], PLACEHOLDER)
                done = end
                break
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def masked_lowercase(text: str) -> str:
    """scikit-learn ``preprocessor`` of a model trained with ``mask_places``: mask, then lowercase."""
    return mask_places(text).lower()
