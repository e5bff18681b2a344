"""The NER-only vs multitask comparison on two tiny assembled pipelines and a dev set with intents."""
import subprocess
import sys

import pytest
import srsly

from spacy_callner.scheme.intents import INTENT_LABELS
from spacy_callner.training.intent_comparison import (
    MAX_NER_F1_DROP, IntentComparison, compare_intent_pipelines, verdict,
)
from spacy_callner.training.packaging import assemble_pipeline

from ..conftest import REPO_ROOT
from ..intent_models import intent_dev_set, tiny_intent_pipeline


@pytest.fixture(scope="module")
def pipelines(tiny_trf_pipeline, tmp_path_factory):
    intent_model = tiny_intent_pipeline(tmp_path_factory)
    root = tmp_path_factory.mktemp("intent_comparison")
    for name, model in (("ner_only", tiny_trf_pipeline), ("multitask", intent_model)):
        assemble_pipeline(model, root / name, name=f"callner_{name}", version="0.0.1", base_model=str(model))
    return root / "ner_only", root / "multitask", intent_dev_set(intent_model)


def test_verdict_rule():
    assert verdict(-MAX_NER_F1_DROP).startswith("multitask may be the default")
    assert verdict(0.01).startswith("multitask may be the default")
    assert verdict(-MAX_NER_F1_DROP - 0.001).startswith("NER-only stays the default")


def test_comparison_writes_both_pipelines_figures(pipelines, tmp_path):
    ner_only, multitask, dev = pipelines
    comparison = compare_intent_pipelines(ner_only, multitask, dev, tmp_path, n_threads=1)
    data = srsly.read_json(tmp_path / "comparison.json")
    assert IntentComparison.from_json(data).verdict == comparison.verdict
    assert data["torch_threads"] == 1
    assert "textcat" not in data["ner_only"]["components"] and "textcat" in data["multitask"]["components"]
    for name in ("ner_only", "multitask"):
        figures = data[name]
        assert 0.0 <= figures["ner_f1"] <= 1.0 and figures["scorers_agree"]
        assert figures["throughput"]["words_per_sec"] > 0 and figures["throughput"]["docs"] == data["n_docs"]
    assert "intents" not in data["ner_only"]
    intents = data["multitask"]["intents"]
    assert intents["n"] == data["n_docs"] and intents["labels"] == list(INTENT_LABELS)
    assert data["ner_f1_delta"] == pytest.approx(data["multitask"]["ner_f1"] - data["ner_only"]["ner_f1"])
    assert data["ner_f1_holds"] == (data["ner_f1_delta"] >= -MAX_NER_F1_DROP)
    assert (tmp_path / "intent_confusion_real_dev.png").read_bytes().startswith(b"\x89PNG")
    markdown = (tmp_path / "comparison.md").read_text(encoding="utf8")
    assert "**Verdict:**" in markdown and "intent_confusion_real_dev.png" in markdown


def test_a_pipeline_without_intents_is_refused(pipelines, tmp_path):
    ner_only, _, dev = pipelines
    with pytest.raises(ValueError, match="no textcat"):
        compare_intent_pipelines(ner_only, ner_only, dev, tmp_path)


def test_cli_runs(pipelines, tmp_path):
    ner_only, multitask, dev = pipelines
    result = subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "compare_intent.py"), str(ner_only),
                             str(multitask), str(dev), str(tmp_path / "out"), "--threads", "1"],
                            capture_output=True, text=True, env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "out" / "comparison.json").is_file()
