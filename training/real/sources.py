"""Readers that turn each real source's repository snapshot into plain documents.

Each reader yields dicts with source, doc, speaker, date, title, text and the
locator (path and key inside the snapshot) that finds the document again. The
same code built the real corpus and rebuilds its pointer-only sentences, so a
sentence's character offsets mean the same thing in both.

A snapshot is a git directory of the source repository at the recorded commit
(``git clone https://github.com/OWNER/NAME`` gives one); ``snapshot_roots``
says where to look for it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

SOURCES = {
    "wh": ("brian14708/wh-briefings", "737ca03a271adc205c67766074ec8d0070f7ad95"),
    "pam": ("mpoiaganova/political-argument-mining", "f65e5a482aabc2804fa34e8f71c72a34dac3f1a6"),
    "unscon": ("linatal/UNSCon", "ecfa26dfe1af1eec2843004dfc6db16693a6b1c1"),
    "mfa_sg": ("pclk/MFA-PressData", "bb485497bd15944df54c794dcbae2bc66bbc5066"),
    "kcna": ("xmarquez/KCNA", "ba82fadc306ff79bcf974c490907f4c029bb3b81"),
    "resistinua": ("Amice13/resistinua", "2391318cf8c1d24d492995fbf99934ba696ef334"),
}


#: Where snapshots are looked for: set by ``use_snapshots`` (the scripts' --snapshots option).
_ROOTS: list[Path] = []


class MissingSnapshot(RuntimeError):
    """The source's repository snapshot is not on this machine."""


def use_snapshots(roots: list[Path]) -> None:
    _ROOTS[:] = roots


def git_dir(source: str) -> Path:
    """The git directory of the source's snapshot under one of the roots."""
    owner, name = SOURCES[source][0].split("/")
    for root in _ROOTS:
        for candidate in (
            root / f"{owner}+{name}" / "repo",
            root / f"{owner}+{name}",
            root / name / ".git",
            root / name,
        ):
            if (candidate / "HEAD").is_file() or (candidate / "objects").is_dir():
                return candidate
    raise MissingSnapshot(
        f"no snapshot of {owner}/{name} under {', '.join(map(str, _ROOTS)) or '(no --snapshots given)'}"
    )


def show(source: str, path: str) -> bytes:
    _, commit = SOURCES[source]
    return subprocess.run(
        ["git", "--git-dir", str(git_dir(source)), "show", f"{commit}:{path}"], check=True, capture_output=True
    ).stdout


def ls(source: str, under: str) -> list[str]:
    _, commit = SOURCES[source]
    out = subprocess.run(
        ["git", "--git-dir", str(git_dir(source)), "ls-tree", "-r", "--name-only", commit, under],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.split()


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _paragraphs(lines: list[str]) -> str:
    """Hard-wrapped Markdown lines -> paragraphs separated by blank lines, links and emphasis dropped."""
    paras, cur = [], []
    for line in lines:
        if line.strip():
            cur.append(line.strip())
        elif cur:
            paras.append(" ".join(cur))
            cur = []
    if cur:
        paras.append(" ".join(cur))
    text = "\n\n".join(paras)
    text = _LINK.sub(r"\1", text)
    text = text.replace("**", "").replace("\\_", " ").replace("\u00a0", " ")
    text = re.sub(r"^#+\s*", "", text, flags=re.M)
    return text


def white_house() -> Iterator[dict]:
    """One document per statement file; its YAML front matter gives the title and date."""
    import yaml

    for path in ls("wh", "statements-releases"):
        raw = show("wh", path).decode("utf-8")
        _, front, body = raw.split("---", 2)
        meta = yaml.safe_load(front)
        title = " ".join(str(meta.get("title", "")).split())
        yield {
            "source": "wh",
            "doc": "wh-" + Path(path).stem[:60] + "-" + hashlib.sha1(path.encode()).hexdigest()[:6],
            "speaker": "The White House",
            "date": str(meta.get("date", ""))[:10],
            "title": title,
            "text": _paragraphs(body.splitlines()),
            "locator": {"path": path},
        }


def _speaker_from_speech(speech: str) -> str:
    """UNSC_2014_SPV.7154_spch002_UNBriefer_neg -> UN briefer (other speakers keep their country code)."""
    parts = speech.split("_")
    return " ".join(p for p in parts[4:] if p not in {"neg", "pos", "neu"}).replace("UNBriefer", "UN briefer")


def argument_mining() -> Iterator[dict]:
    """One document per speech, its sentences as the source split them, in their order."""
    rows = list(csv.DictReader(io.StringIO(show("pam", "data/base.csv").decode("utf-8"))))
    by_speech: dict[str, dict[int, str]] = {}
    for row in rows:
        by_speech.setdefault(row["Speech"], {})[int(row["Sentence_ID"])] = row["Full_Sentence"]
    for speech, sents in by_speech.items():
        ordered = [" ".join(sents[k].split()) for k in sorted(sents)]
        yield {
            "source": "pam",
            "doc": "pam-" + speech,
            "speaker": _speaker_from_speech(speech),
            "date": speech.split("_")[1],
            "title": "Security Council debate on Ukraine, " + speech.split("_")[2],
            "text": "\n\n".join(ordered),
            "locator": {"path": "data/base.csv", "key": speech},
            "presplit": ordered,
        }


_DETOK = [
    (re.compile(r"\s+([.,;:!?%)\]])"), r"\1"),
    (re.compile(r"([(\[$])\s+"), r"\1"),
    (re.compile(r"\s+(n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1"),
    (re.compile(r"(\w) - (\w)"), r"\1-\2"),
    (re.compile(r"\s{2,}"), " "),
    (re.compile(r"\s+(['\"])\s*$"), r"\1"),
]


def detokenize(text: str) -> str:
    """Rejoin a tokenised sentence: no space before punctuation or clitics, hyphenated words whole."""
    text = " ".join(text.split())
    for pattern, repl in _DETOK:
        text = pattern.sub(repl, text)
    # straight quotes: glue the opening one to its word, the closing one to the previous word
    text = re.sub(r'"\s+([^"]*?)\s+"', r'"\1"', text)
    return text.strip()


def unscon_speaker(file_id: str) -> str:
    """UNSC_2014_SPV.7154_spch021_Russian_Federation2_05_GD.txt -> Russian Federation."""
    name = file_id.split("_spch", 1)[1].split("_", 1)[1].removesuffix(".txt")
    name = re.sub(r"(_(neg|pos|neu))?(_\d+)?(_GD)?$", "", name)
    return re.sub(r"\d+$", "", name).replace("_", " ").strip().title()


def unscon() -> Iterator[dict]:
    """One document per speech: its annotated sentences, rejoined, in file and offset order."""
    rows = list(csv.DictReader(io.StringIO(show("unscon", "data/conflict_annotations_sentences.csv").decode("utf-8"))))
    docs: dict[str, list[tuple[str, int, str]]] = {}
    meta: dict[str, tuple[str, str]] = {}
    for row in rows:
        key = row["filename"]
        start = int(row["sentence_char_offsets"].split("-")[0])
        docs.setdefault(key, []).append((row["file_id"], start, detokenize(row["sentence_text"])))
        meta[key] = (unscon_speaker(row["file_id"]), row["basename"])
    for key, items in docs.items():
        seen, ordered = set(), []
        for _, _, sent in sorted(items):
            if sent not in seen:
                seen.add(sent)
                ordered.append(sent)
        country, base = meta[key]
        yield {
            "source": "unscon",
            "doc": "unscon-" + key,
            "speaker": country,
            "date": base.split("_")[1],
            "title": "Security Council meeting " + base.split("_")[2],
            "text": "\n\n".join(ordered),
            "locator": {"path": "data/conflict_annotations_sentences.csv", "key": key},
            "presplit": ordered,
        }


def mfa_singapore() -> Iterator[dict]:
    """One document per press statement or transcript, keyed by its position in the JSON list."""
    items = json.loads(show("mfa_sg", "scrape/mfa_statements.json"))
    for i, item in enumerate(items):
        content = item.get("content") or ""
        text = "\n\n".join(p.strip() for p in content.split("\n") if p.strip())
        yield {
            "source": "mfa_sg",
            "doc": f"mfa_sg-{i:04d}",
            "speaker": "Ministry of Foreign Affairs, Singapore",
            "date": item.get("date", ""),
            "title": " ".join((item.get("title") or "").split()),
            "text": text,
            "locator": {"path": "scrape/mfa_statements.json", "key": i},
        }


def kcna() -> Iterator[dict]:
    """One document per English story, keyed by its row in the year's R data frame; the stories' ", ,"
    paragraph marks become blank lines."""
    import tempfile

    import pyreadr

    for year in (2011, 2012):
        name = f"KCNA_{year}"
        with tempfile.NamedTemporaryFile(suffix=".rda") as fh:
            fh.write(show("kcna", f"data/{name}.rda"))
            fh.flush()
            frame = pyreadr.read_r(fh.name)[name]
        for row_no, (story, title, lang) in enumerate(
            zip(frame["story"], frame["title"], frame["language"], strict=True)
        ):
            if lang != "en" or not isinstance(story, str) or not isinstance(title, str):
                continue
            story = re.sub(r"\s*,(\s*,)+\s*", "\n\n", story)
            story = re.sub(r"(?<=[.!?\"\u201d])\s*,\s+", "\n\n", story)
            paras = [p.strip(" ,") for p in story.split("\n\n") if p.strip(" ,")]
            yield {
                "source": "kcna",
                "doc": f"kcna-{year}-{row_no:05d}",
                "speaker": "Korean Central News Agency",
                "date": str(year),
                "title": " ".join(title.split()),
                "text": "\n\n".join(paras),
                "locator": {"path": f"data/{name}.rda", "key": row_no},
            }


_RESIST_ITEM = re.compile(r"name: '((?:[^'\\]|\\.)*)',.*?date: '([^']*)',.*?text: `(.*?)`", re.S)


def resistinua() -> Iterator[dict]:
    """One document per address in the English message files (the test set's held-out source)."""
    for path in ("docs/content/messages-en.js", "docs/content/messages-2-en.js", "docs/content/messages-3-en.js"):
        raw = show("resistinua", path).decode("utf-8")
        for i, m in enumerate(_RESIST_ITEM.finditer(raw)):
            title, date, body = m.group(1).replace("\\'", "'"), m.group(2), m.group(3)
            yield {
                "source": "resistinua",
                "doc": f"resistinua-{Path(path).stem}-{i:04d}",
                "speaker": "President of Ukraine",
                "date": date[:10],
                "title": title,
                "text": _paragraphs(body.splitlines()),
                "locator": {"path": path, "key": i},
            }


READERS = {
    "wh": white_house,
    "pam": argument_mining,
    "unscon": unscon,
    "mfa_sg": mfa_singapore,
    "kcna": kcna,
    "resistinua": resistinua,
}
