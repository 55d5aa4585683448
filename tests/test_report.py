"""The HTML report: every sentence once, in order, labelled; markup escaped; renders in a real browser."""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from classifier.cli import app
from tests.browser import CHROMIUM, headless_flags
from tests.conftest import SEED_TEXT


class SentenceCollector(HTMLParser):
    """Collects the text and data-label of every sentence span, and notes any script or external asset."""

    def __init__(self) -> None:
        super().__init__()
        self.sentences: list[tuple[str, str]] = []
        self.depth = 0  # > 0 inside a sentence span
        self.in_tip = 0
        self.current: list[str] = []
        self.label = ""
        self.scripts = 0
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            if attributes.get(key):
                self.external.append(attributes[key])
        if tag == "span" and "s" in (attributes.get("class") or "").split():
            self.depth, self.current, self.label = 1, [], attributes["data-label"]
        elif tag == "span" and self.depth:
            self.depth += 1
            if "tip" in (attributes.get("class") or ""):
                self.in_tip = self.depth

    def handle_endtag(self, tag):
        if tag == "span" and self.depth:
            if self.in_tip == self.depth:
                self.in_tip = 0
            self.depth -= 1
            if self.depth == 0:
                self.sentences.append(("".join(self.current), self.label))

    def handle_data(self, data):
        if self.depth and not self.in_tip:
            self.current.append(data)


def make_report(tmp_path: Path, *paths: Path) -> str:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", *map(str, paths), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_every_sentence_appears_once_in_order_with_its_label(tmp_path, classifier):
    page = make_report(tmp_path, SEED_TEXT)
    parser = SentenceCollector()
    parser.feed(page)
    expected = [(p.text, p.label or "none") for p in classifier.label_text(SEED_TEXT.read_text(encoding="utf-8"))]
    assert parser.sentences == expected
    assert parser.scripts == 0 and parser.external == []  # self-contained, works from disk
    assert page.count("<svg") == 1 and "Labels</h2>" in page


def test_markup_in_a_statement_is_escaped(tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        'We warn <script>alert("x")</script> them. <img src=x onerror=alert(1)> Talks ended.', encoding="utf-8"
    )
    page = make_report(tmp_path, hostile)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    parser = SentenceCollector()
    parser.feed(page)
    assert parser.scripts == 0 and parser.external == []
    assert "".join(text for text, _ in parser.sentences).count('<script>alert("x")</script>') == 1


def test_several_files_get_a_section_each_and_a_combined_chart(tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("We urge both sides to talk. The meeting ended.", encoding="utf-8")
    page = make_report(tmp_path, SEED_TEXT, other)
    assert page.count('<section class="doc"') == 2 and page.count("<svg") == 3
    assert "All statements" in page


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="headless Chromium is not installed")
def test_report_renders_in_headless_chromium(tmp_path):
    """Sentences visible, chart drawn, no console errors; a screenshot is written for people to look at."""
    assert CHROMIUM, "CI installs Debian's chromium; it is missing"
    page = tmp_path / "report.html"
    page.write_text(make_report(tmp_path, SEED_TEXT), encoding="utf-8")
    probe = tmp_path / "probe.html"
    # The report has no script of its own, so a small checker page loads it in an iframe, measures its
    # layout and writes the verdict into the DOM that --dump-dom prints.
    probe.write_text(_CHECKER.replace("REPORT", page.as_uri()), encoding="utf-8")
    flags = [*headless_flags(tmp_path / "profile"), "--allow-file-access-from-files"]
    dom = subprocess.run(
        [CHROMIUM, *flags, "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert 'id="result">ok' in dom.stdout, dom.stdout[-2000:] + dom.stderr[-2000:]
    errors = [line for line in dom.stderr.splitlines() if "CONSOLE" in line and "error" in line.lower()]
    assert errors == []
    shot = tmp_path / "report.png"
    subprocess.run(
        [CHROMIUM, *flags, f"--screenshot={shot}", "--window-size=1100,1400", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.stat().st_size > 10_000
    if os.environ.get("CLAIMS_SCREENSHOT_DIR"):
        shutil.copy(shot, Path(os.environ["CLAIMS_SCREENSHOT_DIR"]) / "report.png")


_CHECKER = """<!DOCTYPE html><html><body><div id="result">pending</div>
<iframe id="f" src="REPORT" style="width:1100px;height:1400px"></iframe>
<script>
window.onerror = function (m) { document.getElementById('result').textContent = 'error: ' + m; };
document.getElementById('f').onload = function () {
  var d = document.getElementById('f').contentDocument;
  var out = document.getElementById('result');
  if (!d) { out.textContent = 'no document'; return; }
  var spans = d.querySelectorAll('span.s');
  var visible = Array.prototype.every.call(spans, function (s) {
    var r = s.getBoundingClientRect(); return r.width > 0 && r.height > 0;
  });
  var bars = d.querySelectorAll('svg.chart rect.bar');
  var drawn = Array.prototype.some.call(bars, function (b) { return b.getBBox().width > 0; });
  var good = spans.length === 19 && visible && drawn;
  out.textContent = good ? 'ok' : ('bad ' + spans.length + ' ' + visible + ' ' + drawn);
};
</script></body></html>"""
