"""Does the model gain from a view of the main clause alone? (Measured: no; not adopted.)

Run: python training/experiments/main_clause_view.py [show]

The guide decides a sentence by its main clause: reporting frames with
neutral verbs ("X stressed that ..."), fronted and trailing participle
phrases and attributions are background (steps 2-4). This experiment strips
those (and relative clauses such as "those who ...") with regular
expressions, and compares by 5-fold grouped cross-validation on the training
split the text model with and without an extra word 1-2-gram block over that
main-clause text, and with the main clause replacing the whole sentence in
the word block. `show` prints the main clause of each seed and some corpus
sentences instead, to check the stripping by eye.
"""

from __future__ import annotations

import re
import sys

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline

from classifier.text.segment import split_sentences
from classifier.training.data import load_corpus
from classifier.training.fit import TrainSettings, grouped_holdout

_NEUTRAL = (
    r"(?:said|says|stated|states|stressed|stresses|noted|notes|emphasi[sz]ed|emphasi[sz]es|maintained|maintains"
    r"|reiterated|reiterates|argued|argues|asserted|asserts|added|adds|underlined|underlines|underscored"
    r"|underscores|observed|recalled|pointed out|affirmed|declared|insisted|explained|concluded by reiterating"
    r"|concluded)"
)
_FRONTED = re.compile(r"^\W*\w+ing\b[^,]{0,200},\s*")
_FRAME = re.compile(r"^[^,;:]{0,80}?\b" + _NEUTRAL + r"\s+(?:that\s+)?", re.IGNORECASE)
_ATTRIBUTION = re.compile(
    r",\s*(?:it|he|she|they|the \w+(?: \w+)?|[A-Z]\w+(?: [A-Z]\w+)?)\s+" + _NEUTRAL + r"\s*,", re.IGNORECASE
)
_TRAILING = re.compile(
    r",?\s*[\"\u201d']?\s*(?:,\s*)?(?:the \w+|it|he|she|they|[A-Z]\w+)?\s*"
    + _NEUTRAL
    + r"?\s*,?\s*(?:underscoring|stressing|noting|adding|emphasi[sz]ing|recalling|pointing out)\b.*$",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(?:those|anyone|any party|all|groups|elements|actors|states|forces|parties|entities)\s+(?:who|which|that)\b"
    r"[^,;.]*",
    re.IGNORECASE,
)


def main_clause(sentence: str) -> str:
    """The sentence without its background parts, lowercased (a TfidfVectorizer preprocessor)."""
    text = _FRONTED.sub("", sentence)
    text = _ATTRIBUTION.sub(",", text)
    text = _TRAILING.sub("", text)
    text = _FRAME.sub("", text)
    text = _RELATIVE.sub(lambda m: m.group(0).split()[0], text)
    return text.lower()


def pipeline(view: str) -> Pipeline:
    """The shipped text model's blocks, plus ("extra") or instead of ("replace") a main-clause block."""
    settings = TrainSettings()
    words = TfidfVectorizer(ngram_range=settings.word_ngrams, sublinear_tf=True, min_df=settings.min_df)
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=settings.char_ngrams, sublinear_tf=True, min_df=settings.min_df
    )
    main = TfidfVectorizer(
        ngram_range=settings.word_ngrams, sublinear_tf=True, min_df=settings.min_df, preprocessor=main_clause
    )
    blocks = {"none": [words, chars], "extra": [words, chars, main], "replace": [main, chars]}[view]
    union = FeatureUnion([(f"block{i}", block) for i, block in enumerate(blocks)])
    return make_pipeline(union, LogisticRegression(C=settings.C, max_iter=2000))


def main() -> None:
    if sys.argv[1:] == ["show"]:
        from pathlib import Path

        seed = (Path(__file__).resolve().parents[2] / "fixtures" / "rejoinder.txt").read_text(encoding="utf-8")
        for span in split_sentences(seed):
            print("-", main_clause(seed[span.start : span.end]))
        for example in load_corpus()[:40]:
            print("*", example.text, "\n  =>", main_clause(example.text))
        return
    settings = TrainSettings()
    examples, _held_out = grouped_holdout(load_corpus(), settings.holdout, settings.seed)
    texts = np.array([e.text for e in examples], dtype=object)
    labels = np.array([e.label for e in examples])
    groups = [e.doc for e in examples]
    folds = GroupKFold(n_splits=5, shuffle=True, random_state=settings.seed)
    for view in ("none", "extra", "replace"):
        predicted = np.empty(len(labels), dtype=object)
        for train, test in folds.split(texts, labels, groups):
            fitted = pipeline(view).fit(list(texts[train]), labels[train])
            predicted[test] = fitted.predict(list(texts[test]))
        print(
            f"main-clause block {view:8} model macro-F1 {f1_score(labels, predicted, average='macro'):.4f}", flush=True
        )


if __name__ == "__main__":
    main()
