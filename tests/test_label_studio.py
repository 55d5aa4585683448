"""The annotation loop with Label Studio, on files a real Label Studio 1.23 wrote.

``fixtures/label-studio/`` was made by ``make_fixtures.sh``: tasks from ``claims suggest --format
label-studio`` imported into a real server, ten annotated through its API (``annotator.json`` says
how, one of them cancelled), and the project exported as JSON, JSON-MIN and CSV. The tests that need
a broken export change a copy of a real one, in the test, and say so.
"""

from __future__ import annotations

import copy
import csv
import json
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from classifier.errors import DataError
from classifier.integrations.label_studio import labelling_config
from classifier.integrations.label_studio_export import SkippedTasksWarning, read_export
from classifier.labels import DEFINITIONS, OUTCOMES
from classifier.training.data import load_user_data
from tests.conftest import FIXTURES
from tests.test_cli import invoke

LS = FIXTURES / "label-studio"
EXPORTS = ["export.json", "export-min.json", "export.csv"]
SERVER = json.loads((LS / "server.json").read_text(encoding="utf-8"))
CHOICES = json.loads((LS / "annotator.json").read_text(encoding="utf-8"))["choices"]
LABELLED = {text: label for text, label in CHOICES.items() if label != "cancel"}


def read(path: Path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        examples = load_user_data(str(path))
    return examples, [w for w in caught if issubclass(w.category, SkippedTasksWarning)]


def test_the_interface_offers_the_six_outcomes_with_the_guides_definitions_as_hints():
    root = ET.fromstring(labelling_config())
    choices = root.find("Choices")
    assert choices is not None and choices.get("name") == "label" and choices.get("choice") == "single"
    assert [(c.get("value"), c.get("hint")) for c in choices] == [(o, DEFINITIONS[o]) for o in OUTCOMES]
    assert root.find("Text").get("value") == "$text"


def test_the_committed_fixtures_were_made_with_todays_interface():
    """The config the real server accepted is the one the command prints now."""
    result = invoke("label-studio", "config")
    assert result.exit_code == 0
    assert result.stdout == (LS / "config.xml").read_text(encoding="utf-8")


def test_the_real_server_imported_every_task_with_its_prediction():
    tasks = json.loads((LS / "tasks.json").read_text(encoding="utf-8"))
    response = SERVER["import_response"]
    assert response["task_count"] == response["prediction_count"] == len(tasks) == SERVER["tasks_in_project"] == 18
    assert SERVER["label_studio"].startswith("1.")


def shape(value):
    """The keys of nested objects, without the values: what the server was shown."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted({json.dumps(shape(item), sort_keys=True) for item in value})
    return type(value).__name__


def test_suggest_writes_tasks_shaped_like_those_the_server_accepted(tmp_path, classifier):
    out = tmp_path / "tasks.json"
    statement = LS / "statement.txt"
    result = invoke("suggest", str(statement), "--limit", "50", "--format", "label-studio", "-o", str(out))
    assert result.exit_code == 0, result.output
    tasks = json.loads(out.read_text(encoding="utf-8"))
    accepted = json.loads((LS / "tasks.json").read_text(encoding="utf-8"))
    assert shape(tasks) == shape(accepted)
    texts = [task["data"]["text"] for task in tasks]
    for task, prediction in zip(tasks, classifier.label_sentences(texts), strict=True):
        [pre] = task["predictions"]
        choice, *regions = pre["result"]
        assert choice["value"]["choices"] == [task["data"]["suggested_label"]]
        assert choice["value"]["choices"][0] == (prediction.label or "none")
        assert pre["score"] == pytest.approx(prediction.confidence, abs=5e-5)
        assert [(r["value"]["start"], r["value"]["end"], r["value"]["labels"]) for r in regions] == [
            (hit.start, hit.end, [hit.label]) for hit in prediction.evidence
        ]
        assert all(task["data"]["text"][r["value"]["start"] : r["value"]["end"]] == r["value"]["text"] for r in regions)
    assert sum(len(task["predictions"][0]["result"]) > 1 for task in tasks) >= 10  # rule hits shown as regions


@pytest.mark.parametrize("name", EXPORTS)
def test_each_export_gives_the_annotators_labels_and_skips_the_rest(name):
    examples, skipped = read(LS / name)
    assert {e.text: e.label for e in examples} == LABELLED
    assert all(e.origin.startswith(f"{name}: task ") for e in examples)
    assert all(e.doc == "fixtures/label-studio/statement.txt" for e in examples)
    tasks_total = SERVER["tasks_in_project"]
    # JSON lists every task (the cancelled one too); JSON-MIN and CSV leave the cancelled task out
    expected_skipped = tasks_total - len(LABELLED) if name == "export.json" else tasks_total - len(CHOICES)
    assert len(skipped) == 1 and f"{expected_skipped} task(s) without a human annotation" in str(skipped[0].message)


def test_the_annotators_choice_wins_over_the_prediction():
    tasks = json.loads((LS / "export.json").read_text(encoding="utf-8"))
    corrected = {}
    for task in tasks:
        for annotation in task["annotations"]:
            predicted = annotation["prediction"]["result"][0]["value"]["choices"][0]
            chosen = next((r["value"]["choices"][0] for r in annotation["result"] if r["type"] == "choices"), None)
            if chosen and chosen != predicted:
                corrected[task["data"]["text"]] = chosen
    assert len(corrected) == 5
    examples, _ = read(LS / "export.json")
    assert {e.text: e.label for e in examples if e.text in corrected} == corrected


def write_json(path: Path, tasks) -> Path:
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return path


def first_annotated(tasks):
    return next(task for task in tasks if task["annotations"] and not task["annotations"][0]["was_cancelled"])


def test_disagreeing_annotators_are_named_and_ground_truth_settles_them(tmp_path):
    tasks = json.loads((LS / "export.json").read_text(encoding="utf-8"))
    task = first_annotated(tasks)  # modified copy: a second annotator disagrees
    second = copy.deepcopy(task["annotations"][0])
    second["id"] = 999
    second["result"][0]["value"]["choices"] = ["none"]
    task["annotations"].append(second)
    with pytest.raises(DataError, match=rf"export.json: task {task['id']}: annotators disagree: .*annotation 999"):
        read(write_json(tmp_path / "export.json", tasks))
    second["ground_truth"] = True
    examples, _ = read(write_json(tmp_path / "export.json", tasks))
    assert {e.text: e.label for e in examples}[task["data"]["text"]] == "none"


def test_a_bad_task_is_named_by_its_id(tmp_path):
    tasks = json.loads((LS / "export.json").read_text(encoding="utf-8"))
    task = first_annotated(tasks)  # modified copy: the sentence is gone from the task's data
    task["data"]["text"] = ""
    with pytest.raises(DataError, match=rf"export.json: task {task['id']}: empty or missing text"):
        read(write_json(tmp_path / "export.json", tasks))

    rows = list(csv.DictReader((LS / "export.csv").open(encoding="utf-8", newline="")))
    labelled = next(row for row in rows if row["label"])  # modified copy: a label the guide does not have
    labelled["label"] = "threat"
    out = tmp_path / "export.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(DataError, match=rf"export.csv: task {labelled['id']}: unknown label 'threat'"):
        read(out)


def test_claims_train_names_the_task_in_one_line_with_exit_code_4(tmp_path):
    items = json.loads((LS / "export-min.json").read_text(encoding="utf-8"))
    labelled = next(item for item in items if item.get("label"))  # modified copy: an unknown label
    labelled["label"] = "threat"
    export = write_json(tmp_path / "export-min.json", items)
    result = invoke("train", "--data", str(export), "--out", str(tmp_path / "model"))
    assert result.exit_code == 4, result.output
    assert f"export-min.json: task {labelled['id']}: unknown label 'threat'" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "model").exists()


def test_an_export_without_any_annotation_is_refused(tmp_path):
    tasks = [task for task in json.loads((LS / "export.json").read_text(encoding="utf-8")) if not task["annotations"]]
    with pytest.raises(DataError, match="no annotated task"):
        read(write_json(tmp_path / "export.json", tasks))


def test_other_json_and_csv_files_are_not_taken_for_exports(tmp_path):
    plain_json = write_json(tmp_path / "rows.json", [{"text": "We urge calm.", "label": "demand"}])
    plain_csv = tmp_path / "rows.csv"
    plain_csv.write_text("text,label\nWe urge calm.,demand\n", encoding="utf-8")
    assert read_export(plain_json) is None and read_export(plain_csv) is None


@pytest.mark.slow
def test_a_model_trained_on_the_export_gives_the_corrected_sentences_the_annotators_labels():
    """What ``claims train --data export.json`` fits (without its hold-out, comparison and real-text steps)."""
    from classifier import ClaimClassifier
    from classifier.rulebook.book import load_rulebook
    from classifier.rulebook.matcher import RuleMatcher
    from classifier.training.fit import fit_model
    from classifier.training.run import gather_examples
    from classifier.training.settings import TrainSettings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedTasksWarning)
        examples = gather_examples([str(LS / "export.json")], include_base=True)
    rulebook = load_rulebook([])
    trained = ClaimClassifier(fit_model(examples, RuleMatcher(rulebook), TrainSettings(seed=13)), rulebook)
    shipped = ClaimClassifier.load()
    texts = list(LABELLED)
    before = [p.label or "none" for p in shipped.label_sentences(texts)]
    after = [p.label or "none" for p in trained.label_sentences(texts)]
    corrected = [i for i, text in enumerate(texts) if before[i] != LABELLED[text]]
    assert len(corrected) == 5
    assert [after[i] for i in corrected] == [LABELLED[texts[i]] for i in corrected]
    assert after == [LABELLED[text] for text in texts]
