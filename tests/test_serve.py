"""``claims serve`` through HTTP: a real uvicorn server on loopback, every endpoint and every error status.

Skipped as a whole when the 'serve' extra is not installed (CI runs it in a venv of its own).
"""

from __future__ import annotations

import json
import threading
import typing
from html.parser import HTMLParser

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("multipart")

from typer.testing import CliRunner

from classifier.cli import app as cli
from classifier.labels import OUTCOMES
from classifier.serve.app import create_app
from classifier.serve.labelling import Limits
from classifier.training.data import load_user_data
from tests.servers import call, post_form, post_json, post_multipart, running

LIMITS = Limits(max_bytes=60_000, max_sentences=40, time_limit=30)


@pytest.fixture(scope="module")
def server(classifier):
    with running(create_app(classifier, LIMITS)) as where:
        yield where


def cli_records(*args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["label", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- POST /v1/label -------------------------------------------------------------------------------------------


def test_label_returns_the_records_of_claims_label_json(server, seed_text):
    answer = post_json(server, "/v1/label", {"text": seed_text})
    assert answer.status == 200 and answer.headers["content-type"] == "application/json"
    assert answer.json() == cli_records("--text", seed_text)
    assert len(answer.json()) == 19


def test_the_issue_example_returns_its_record(server):
    [row] = post_json(server, "/v1/label", {"text": "We demand an apology."}).json()
    assert row["doc"] == "<text>" and row["text"] == "We demand an apology." and row["label"] == "demand"
    assert (row["start"], row["end"]) == (0, 21) and set(row["scores"]) == set(OUTCOMES)
    assert row["evidence"] and row["evidence"][0]["text"] in row["text"]


def test_several_texts_are_labelled_in_one_batch_each_with_its_own_doc_and_offsets(server, classifier):
    texts = ["We urge restraint. Talks resume on Monday.", "  They shelled the town. We will respond."]
    rows = post_json(server, "/v1/label", {"texts": texts, "docs": ["a", "b"], "mode": "rules"}).json()
    assert [(r["doc"], r["index"]) for r in rows] == [("a", 0), ("a", 1), ("b", 0), ("b", 1)]
    for row in rows:
        assert texts["ab".index(row["doc"])][row["start"] : row["end"]] == row["text"]
        assert row["source"] == "rules"
    separately = [p.label for t in texts for p in classifier.label_text(t, mode="rules")]
    assert [r["label"] for r in rows] == separately
    unnamed = post_json(server, "/v1/label", {"texts": texts}).json()
    assert [r["doc"] for r in unnamed] == ["<text 0>", "<text 0>", "<text 1>", "<text 1>"]


def test_pre_split_sentences_are_labelled_as_given(server, classifier):
    sentences = ["We demand an apology. And more.", "The meeting ended."]
    rows = post_json(server, "/v1/label", {"sentences": sentences}).json()
    assert [r["text"] for r in rows] == sentences  # not split again
    assert [(r["start"], r["end"]) for r in rows] == [(0, len(s)) for s in sentences]
    assert [r["label"] for r in rows] == [p.label for p in classifier.label_sentences(sentences)]


def test_the_options_of_claims_label_apply(server, seed_text):
    unsure = post_json(server, "/v1/label", {"text": seed_text, "min_confidence": 1.0}).json()
    assert {r["label"] for r in unsure} == {None}
    forced = post_json(server, "/v1/label", {"text": "The meeting ended on Monday.", "force_label": True}).json()
    assert forced[0]["label"] in OUTCOMES[:5]
    model = post_json(server, "/v1/label", {"text": seed_text, "mode": "model"}).json()
    assert model == cli_records("--text", seed_text, "--mode", "model")
    assert all(r["evidence"] == [] for r in model)


# --- explain, health, model, docs ------------------------------------------------------------------------------


def test_explain_is_claims_explain_json(server, classifier):
    sentence = "The ministry warned of grave consequences."
    answer = post_json(server, "/v1/explain", {"sentence": sentence})
    assert answer.status == 200
    assert answer.json() == json.loads(json.dumps(classifier.explain(sentence).to_dict()))


def test_the_published_response_schemas_fit_the_answers(server, seed_text):
    """The answers are sent without being validated on the way out, so check here that they fit."""
    from classifier.serve.schemas import ExplanationOut, ModelOut, Record

    for row in post_json(server, "/v1/label", {"text": seed_text}).json():
        Record.model_validate(row, strict=True)
    explained = post_json(server, "/v1/explain", {"sentence": "We will not tolerate attacks, as the law allows."})
    assert ExplanationOut.model_validate(explained.json()).model_dump() == explained.json()
    ModelOut.model_validate(call(server, "GET", "/v1/model").json())


def test_health_and_model(server, classifier):
    from classifier import __version__

    assert call(server, "GET", "/v1/health").json() == {"status": "ok", "version": __version__}
    metadata = call(server, "GET", "/v1/model").json()
    assert metadata == json.loads(json.dumps(classifier.metadata))
    assert metadata["evaluation"]["holdout"]["hybrid"]["macro_f1"] > 0


def test_openapi_documents_every_endpoint_with_schemas_and_examples(server):
    spec = call(server, "GET", "/openapi.json").json()
    assert set(spec["paths"]) == {"/v1/health", "/v1/model", "/v1/label", "/v1/explain"}
    schemas = spec["components"]["schemas"]
    assert {"LabelRequest", "Record", "ExplainRequest", "ExplanationOut", "ModelOut", "ErrorOut"} <= set(schemas)
    assert {"text": "We demand an apology."} in schemas["LabelRequest"]["examples"]
    label = spec["paths"]["/v1/label"]["post"]
    assert label["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"].endswith("/Record")
    assert {"413", "415", "422", "503"} <= set(label["responses"])
    page = call(server, "GET", "/docs")
    assert page.status == 200 and "text/html" in page.headers["content-type"]
    for piece in ("POST /v1/label", "POST /v1/explain", "GET /v1/health", "GET /v1/model", 'id="schema-Record"'):
        assert piece in page.text
    assert "We demand an apology." in page.text  # the examples are shown
    assert not ExternalAssets.find(page.text)


# --- errors -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (b'{"text": ', "body", "JSON"),
        (b'{"text": 5}', "text", "string"),
        (b'{"sentences": ["fine", 3]}', "sentences.1", "string"),
        (b'{"text": "a", "sentences": ["b"]}', "body", "exactly one of"),
        (b"{}", "body", "exactly one of"),
        (b'{"text": "a", "min_confidence": 2}', "min_confidence", "less than or equal to 1"),
        (b'{"text": "a", "mode": "fast"}', "mode", "'hybrid', 'rules' or 'model'"),
        (b'{"text": "a", "colour": "red"}', "colour", "Extra inputs"),
        (b'{"texts": ["a", "b"], "docs": ["only one"]}', "body", "one name per text"),
        (b'["We warn them."]', "body", "valid dictionary"),
    ],
    ids=["malformed", "wrong-type", "item-type", "two-inputs", "no-input", "range", "mode", "unknown", "docs", "list"],
)
def test_a_malformed_request_is_422_naming_the_field(server, body, field, words):
    answer = call(server, "POST", "/v1/label", body, {"content-type": "application/json"})
    assert answer.status == 422, answer.text
    error = answer.json()
    assert [d["field"] for d in error["detail"]][:1] == [field]
    assert words in error["detail"][0]["message"] or words in error["error"]
    assert error["error"].startswith(f"invalid request: {field}: ")
    assert "Traceback" not in answer.text


def test_a_body_not_sent_as_json_is_415_saying_how(server):
    for headers in ({}, {"content-type": "text/plain"}, {"content-type": "application/x-www-form-urlencoded"}):
        answer = call(server, "POST", "/v1/label", b'{"text": "We demand an apology."}', headers)
        assert answer.status == 415, headers
        assert answer.json()["error"] == "send the body as JSON, with the header 'content-type: application/json'"


def test_explain_needs_a_sentence(server):
    answer = post_json(server, "/v1/explain", {"sentence": ["two", "sentences"]})
    assert answer.status == 422 and answer.json()["detail"][0]["field"] == "sentence"


def test_past_the_byte_limit_is_413_whether_declared_or_chunked(server):
    big = json.dumps({"text": "We warn them. " * 5_000}).encode()
    assert len(big) > LIMITS.max_bytes
    for chunked in (False, True):
        answer = call(server, "POST", "/v1/label", big, {"content-type": "application/json"}, chunked=chunked)
        assert answer.status == 413, answer.text
        assert answer.json()["error"].endswith("the limit is 60,000 bytes")
    page = post_multipart(server, "/", {"text": "We warn them. " * 5_000}, {})
    assert page.status == 413 and "the limit is 60,000 bytes" in page.text


def test_past_the_sentence_limit_is_413(server):
    answer = post_json(server, "/v1/label", {"text": "We warn them. " * 41})
    assert answer.status == 413
    assert answer.json()["error"] == "the request holds 41 sentences; the limit is 40"
    assert post_json(server, "/v1/label", {"sentences": ["We warn them."] * 40}).status == 200
    assert post_json(server, "/v1/label", {"texts": ["We warn them. " * 20, "We urge calm. " * 21]}).status == 413


def test_unknown_paths_and_methods(server):
    assert call(server, "GET", "/v1/nothing").json() == {"error": "Not Found", "detail": []}
    answer = call(server, "GET", "/v1/label")
    assert answer.status == 405 and answer.json()["error"] == "Method Not Allowed"
    assert call(server, "GET", "/static/../app.py").status == 404
    assert call(server, "GET", "/static/missing.js").status == 404


class Gate:
    """A classifier whose labelling waits until released, to hold a request in its worker thread."""

    def __init__(self, real):
        self.real, self.entered, self.release = real, threading.Event(), threading.Event()
        self.labelled: list[str] = []

    def label_sentences(self, sentences, **options):
        self.labelled.extend(sentences)
        self.entered.set()
        assert self.release.wait(30)
        return self.real.label_sentences(sentences, **options)


def test_labelling_does_not_block_the_event_loop(classifier):
    """While one request is held inside labelling, the server still answers others."""
    gate = Gate(classifier)
    with running(create_app(gate, LIMITS)) as where:
        held: list = []
        worker = threading.Thread(target=lambda: held.append(post_json(where, "/v1/label", {"text": "We warn."})))
        worker.start()
        try:
            assert gate.entered.wait(30)
            assert call(where, "GET", "/v1/health", timeout=10).status == 200  # would time out if blocked
        finally:
            gate.release.set()
            worker.join(30)
        assert held[0].status == 200 and held[0].json()[0]["text"] == "We warn."


def test_past_the_time_limit_is_503(classifier):
    gate = Gate(classifier)
    with running(create_app(gate, Limits(time_limit=0.2))) as where:
        try:
            answer = post_json(where, "/v1/label", {"text": "We warn them."})
            page = post_multipart(where, "/", {"text": "We warn them."}, {})
        finally:
            gate.release.set()
    assert answer.status == 503
    assert answer.json()["error"].startswith("labelling took longer than the limit of 0.2 s")
    assert page.status == 503 and "labelling took longer than the limit" in page.text


def test_a_request_past_its_time_while_waiting_for_a_thread_is_never_labelled(classifier):
    """One labelling thread, held; a second request times out waiting for it and must not be run later,
    so requests past their time cannot pile up work."""
    gate = Gate(classifier)
    with running(create_app(gate, Limits(time_limit=0.5, threads=1))) as where:
        held: list = []
        first = threading.Thread(target=lambda: held.append(post_json(where, "/v1/label", {"text": "We warn."})))
        first.start()
        try:
            assert gate.entered.wait(30)
            waited = post_json(where, "/v1/label", {"text": "We urge calm."})
        finally:
            gate.release.set()
            first.join(30)
        after = [post_json(where, "/v1/label", {"text": f"We demand {n} apologies."}) for n in (1, 2)]
    assert waited.status == 503 and held[0].status == 503  # the held one also ran past its time
    assert [a.status for a in after] == [200, 200]
    assert gate.labelled == ["We warn.", "We demand 1 apologies.", "We demand 2 apologies."]


class Broken:
    """A classifier with a bug: the answer must be a 500 with one line, not a stack trace."""

    metadata: typing.ClassVar[dict] = {}

    def label_sentences(self, sentences, **options):
        raise RuntimeError("secret internals at line 42")

    def explain(self, sentence):
        raise ZeroDivisionError("division by zero in secret_module.py")


def test_an_internal_error_is_one_line_without_a_stack_trace():
    with running(create_app(Broken(), LIMITS)) as where:
        answers = [
            post_json(where, "/v1/label", {"text": "We warn them."}),
            post_json(where, "/v1/explain", {"sentence": "We warn them."}),
        ]
    assert [a.status for a in answers] == [500, 500]
    assert answers[0].json() == {"error": "internal error (RuntimeError); please report it", "detail": []}
    for answer in answers:
        assert "Traceback" not in answer.text and "secret" not in answer.text and 'File "' not in answer.text


# --- the page ---------------------------------------------------------------------------------------------------


class ExternalAssets(HTMLParser):
    """Every src/href/action that leaves this server (anything but a path starting with '/' or '#')."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("src", "href", "action", "formaction") and value and not value.startswith(("/", "#")):
                self.found.append(value)
            if key == "style":
                self.found.append(f"inline style on <{tag}>")

    @classmethod
    def find(cls, page: str) -> list[str]:
        parser = cls()
        parser.feed(page)
        return parser.found


class Sentences(HTMLParser):
    """data-label of every shaded sentence, and the count of correction selects."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str] = []
        self.selects = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "span" and "s" in (attributes.get("class") or "").split():
            self.labels.append(attributes["data-label"])
        if tag == "select" and attributes.get("name") == "label":
            self.selects += 1


def test_the_page_loads_only_its_own_files(server):
    page = call(server, "GET", "/")
    assert page.status == 200 and '<form id="label-form" method="post" action="/"' in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert ExternalAssets.find(page.text) == []
    for asset in ("/static/report.css", "/static/page.css", "/static/app.js"):
        assert asset in page.text and call(server, "GET", asset).status == 200


def test_a_form_post_labels_the_statement_without_javascript(server, classifier, seed_text):
    page = post_multipart(server, "/", {"text": seed_text, "mode": "hybrid", "min_confidence": "0"}, {})
    assert page.status == 200
    parsed = Sentences()
    parsed.feed(page.text)
    assert parsed.labels == [p.label or "none" for p in classifier.label_text(seed_text)]
    assert len(parsed.labels) == 19 and parsed.selects == 19
    assert "19 sentences labelled." in page.text and "Sentences per label" in page.text


def test_a_textarea_s_crlf_line_breaks_are_read_as_the_pasted_newlines(server, classifier):
    """Browsers send a textarea's line breaks as CRLF; shown as typed, not as a visible control character."""
    page = post_multipart(server, "/", {"text": "We warn them.\r\n\r\nWe urge calm."}, {})
    assert "\u240d" not in page.text and "\r" not in page.text
    assert "We warn them.\n\nWe urge calm." in page.text  # the form keeps the text as pasted


def test_an_uploaded_file_is_labelled_and_its_options_kept(server, classifier):
    data = "\ufeffWe urge restraint. They shelled the town.".encode("utf-16-le")
    page = post_multipart(server, "/", {"mode": "rules", "min_confidence": "0.5"}, {"file": ("note.txt", data)})
    parsed = Sentences()
    parsed.feed(page.text)
    expected = classifier.label_text("We urge restraint. They shelled the town.", mode="rules", min_confidence=0.5)
    assert parsed.labels == [p.label or "none" for p in expected]
    assert '<option value="rules" selected>' in page.text and 'value="0.5"' in page.text
    assert "note.txt" in page.text
    text = "We urge restraint. They shelled the town."
    name_of = page.text.split('name="name_of" value="', 1)[1].split('"', 1)[0]
    again = post_multipart(server, "/", {"text": text, "name": "note.txt", "name_of": name_of}, {})
    assert '<h2 id="doc-1">note.txt</h2>' in again.text  # relabelling the same text keeps the file's name
    edited = post_multipart(server, "/", {"text": text + " More.", "name": "note.txt", "name_of": name_of}, {})
    assert "note.txt" not in edited.text and '<h2 id="doc-1">Pasted statement</h2>' in edited.text


@pytest.mark.parametrize(
    ("fields", "files", "message"),
    [
        ({"text": "  "}, {}, "paste a statement or choose a file"),
        ({"text": "We warn.", "mode": "fast"}, {}, "mode: &#x27;fast&#x27; is not one of"),
        ({"text": "We warn.", "min_confidence": "high"}, {}, "give a number from 0 to 1"),
        ({}, {"file": ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00")}, "binary"),
    ],
    ids=["empty", "mode", "threshold", "binary-upload"],
)
def test_a_bad_form_is_422_with_the_reason_on_the_page(server, fields, files, message):
    page = post_multipart(server, "/", fields, files)
    assert page.status == 422 and 'role="alert"' in page.text and message in page.text


def test_markup_in_a_statement_is_shown_as_text(server):
    page = post_multipart(server, "/", {"text": 'We warn <script>alert("x")</script> them. <img src=x>'}, {})
    assert page.status == 200 and "<script>alert" not in page.text and "<img src=x>" not in page.text
    assert ExternalAssets.find(page.text) == []


def test_corrections_download_as_jsonl_that_training_reads(server, tmp_path):
    texts = ["We urge restraint.", "They shelled the town.", "Talks resume on Monday."]
    fields = [("doc", "statement.txt")]
    for text, predicted, chosen in zip(
        texts, ["demand", "accusation", ""], ["assurance", "accusation", "none"], strict=True
    ):
        fields += [("text", text), ("predicted", predicted), ("label", chosen)]
    answer = post_form(server, "/corrections.jsonl", fields)
    assert answer.status == 200 and 'filename="corrections.jsonl"' in answer.headers["content-disposition"]
    rows = [json.loads(line) for line in answer.text.splitlines()]
    assert [(r["text"], r["label"], r["predicted"]) for r in rows] == [
        ("We urge restraint.", "assurance", "demand"),
        ("Talks resume on Monday.", "none", None),
    ]
    saved = tmp_path / "corrections.jsonl"
    saved.write_bytes(answer.body)
    examples = load_user_data(str(saved))  # the reader of `claims train --data`
    assert [(e.text, e.label, e.doc) for e in examples] == [
        ("We urge restraint.", "assurance", "statement.txt"),
        ("Talks resume on Monday.", "none", "statement.txt"),
    ]
    everything = post_form(server, "/corrections.jsonl", [*fields, ("include_unchanged", "1")])
    assert [json.loads(line)["label"] for line in everything.text.splitlines()] == ["assurance", "accusation", "none"]


def test_a_tampered_corrections_form_is_refused(server):
    answer = post_form(server, "/corrections.jsonl", [("text", "a"), ("predicted", ""), ("label", "anger")])
    assert answer.status == 400 and "unknown label 'anger'" in answer.json()["error"]
    answer = post_form(server, "/corrections.jsonl", [("text", "a"), ("label", "demand")])
    assert answer.status == 400 and "incomplete" in answer.json()["error"]


# --- the command ------------------------------------------------------------------------------------------------


def test_serve_refuses_to_start_on_a_bad_model_with_the_loaders_message(tmp_path):
    missing = CliRunner().invoke(cli, ["serve", "--model", str(tmp_path / "absent")])
    assert (
        missing.exit_code == 6
        and missing.stderr.strip() == f"claims: error: {tmp_path / 'absent'}: no such model directory"
    )
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "metadata.json").write_text("{not json")
    result = CliRunner().invoke(cli, ["serve", "--model", str(broken)])
    assert result.exit_code == 6 and "metadata.json" in result.stderr and "Traceback" not in result.output


def test_a_port_in_use_is_one_line_and_exit_8():
    import socket
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "classifier", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 8
    assert result.stderr.strip() == f"claims: error: cannot listen on 127.0.0.1:{port}: Address already in use"


def test_serve_is_listed_and_documented():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--model", "--max-bytes", "--max-sentences", "--time-limit"):
        assert option in result.stdout
