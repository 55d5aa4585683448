"""The page of ``claims serve`` in headless Chromium: paste the seed rejoinder, see its 19 sentences shaded,
correct one, download the corrections, and no request leaves the server.

Follows the report's browser test (tests/test_report.py): Chromium prints the DOM of a checker page after
its script has run. The checker is served beside the application, on the same origin, so that it can drive
the page in an iframe as a person would: type, press Label, choose a label, press Download.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("multipart")

from classifier.serve.app import create_app
from classifier.training.data import load_user_data
from tests.browser import CHROMIUM, headless_flags
from tests.servers import running

CORRECTED = 3  # the sentence the checker corrects


def with_checker(app, checker: str):
    """The application unchanged, plus the checker page at /__checker (same origin, so it may drive it)."""

    async def wrapped(scope, receive, send):
        if scope["type"] == "http" and scope["path"] == "/__checker":
            body = checker.encode()
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
            await send({"type": "http.response.body", "body": body})
            return
        await app(scope, receive, send)

    return wrapped


def chromium(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess:
    flags = [*headless_flags(tmp_path / "profile"), "--virtual-time-budget=10000"]
    return subprocess.run([CHROMIUM, *flags, *arguments], capture_output=True, text=True, timeout=120)


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="headless Chromium is not installed")
def test_the_page_labels_the_seed_rejoinder_and_downloads_a_correction(tmp_path, classifier, seed_text):
    assert CHROMIUM, "CI installs Debian's chromium; it is missing"
    predictions = classifier.label_text(seed_text)
    wrong = next(label for label in ("accusation", "warning") if label != predictions[CORRECTED].label)
    checker = _CHECKER.replace("SEED", json.dumps(seed_text)).replace("CHOSEN", wrong)
    with running(with_checker(create_app(classifier), checker)) as where:
        dom = chromium(tmp_path, "--dump-dom", f"http://{where}/__checker")
        shot = tmp_path / "serve.png"
        chromium(tmp_path, f"--screenshot={shot}", "--window-size=1100,1300", f"http://{where}/__checker?shot")
    assert 'id="result">ok' in dom.stdout, dom.stdout[-3000:] + dom.stderr[-2000:]
    errors = [line for line in dom.stderr.splitlines() if "CONSOLE" in line and "error" in line.lower()]
    assert errors == []
    # The labels the browser saw, in order, are the classifier's.
    seen = dom.stdout.split('id="labels">', 1)[1].split("<", 1)[0].split(",")
    assert seen == [p.label or "none" for p in predictions]
    # The file the Download button posts for is one row: the corrected sentence, readable by training.
    jsonl = dom.stdout.split('id="jsonl">', 1)[1].split("</pre>", 1)[0]
    saved = tmp_path / "corrections.jsonl"
    saved.write_text(jsonl.replace("&quot;", '"').replace("&amp;", "&"), encoding="utf-8")
    [example] = load_user_data(str(saved))
    assert (example.text, example.label) == (" ".join(predictions[CORRECTED].text.split()), wrong)
    assert shot.stat().st_size > 10_000
    if os.environ.get("CLAIMS_SCREENSHOT_DIR"):
        shutil.copy(shot, Path(os.environ["CLAIMS_SCREENSHOT_DIR"]) / "serve.png")


_CHECKER = """<!DOCTYPE html><html><head><style>
body{margin:0} #report{position:absolute;left:-9999px} iframe{border:0;width:100vw;height:100vh;display:block}
</style></head><body>
<div id="report"><div id="result">pending</div><div id="labels"></div><pre id="jsonl"></pre></div>
<iframe id="f" src="/"></iframe>
<script>
var step = 0;
var out = document.getElementById('result');
function fail(message) { out.textContent = 'bad: ' + message; }
window.onerror = function (m) { fail('error ' + m); };
document.getElementById('f').onload = function () {
  var w = document.getElementById('f').contentWindow, d = w.document;
  step += 1;
  if (step === 1) {  // the empty page: paste the statement and press Label, as a person would
    d.getElementById('text').value = SEED;
    d.getElementById('label-button').click();
    return;
  }
  var spans = d.querySelectorAll('span.s');
  if (spans.length !== 19) { return fail(spans.length + ' sentences'); }
  document.getElementById('labels').textContent =
    Array.prototype.map.call(spans, function (s) { return s.getAttribute('data-label'); }).join(',');
  var shown = Array.prototype.every.call(spans, function (s) {
    var r = s.getBoundingClientRect(); return r.width > 0 && r.height > 0 && s.tabIndex === 0;
  });
  if (!shown) { return fail('a sentence is hidden or not focusable'); }
  var tip = spans[2].querySelector('.tip');
  spans[2].focus({preventScroll: true});
  if (w.getComputedStyle(tip).display !== 'block') { return fail('no details on keyboard focus'); }
  var select = d.getElementById('label-CORRECTED_INDEX');
  if (!d.querySelector('label[for="label-CORRECTED_INDEX"]')) { return fail('the select has no label'); }
  select.value = 'CHOSEN';
  select.dispatchEvent(new Event('change'));
  if (spans[CORRECTED_INDEX].getAttribute('data-label') !== 'CHOSEN') { return fail('not reshaded (app.js)'); }
  if (d.getElementById('correction-count').textContent !== '1 correction') { return fail('not counted'); }
  var outside = w.performance.getEntriesByType('resource').filter(function (e) {
    return e.name.indexOf(w.location.origin + '/') !== 0;
  });
  if (outside.length) { return fail('outside request ' + outside[0].name); }
  if (location.search === '?shot') {
    d.getElementById('mode').closest('fieldset').scrollIntoView();
    spans[2].focus({preventScroll: true});
  }
  var form = d.getElementById('corrections-form');
  fetch(form.action, {method: 'POST', body: new URLSearchParams(new FormData(form))})
    .then(function (r) {
      if (r.headers.get('content-disposition').indexOf('corrections.jsonl') < 0) { throw 'not a download'; }
      return r.text();
    })
    .then(function (text) { document.getElementById('jsonl').textContent = text; out.textContent = 'ok'; })
    .catch(function (e) { fail('download ' + e); });
};
</script></body></html>""".replace("CORRECTED_INDEX", str(CORRECTED))
