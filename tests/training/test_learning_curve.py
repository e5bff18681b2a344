"""Learning curve: subsets are nested, and the command trains, scores and plots end to end."""
import subprocess
import sys

import pytest
import srsly

from spacy_callner.training.data import read_annotated_jsonl, records_to_docbin, validate_record
from spacy_callner.training.synthetic import generate_examples
from spacy_callner.training import learning_curve as lc
from ..conftest import REAL_DEV_PATH, REPO_ROOT

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_parse_sizes():
    assert lc.parse_sizes("500, 100,100,1000") == [100, 500, 1000]
    for bad in ("", "10,x", "0,10", "-5"):
        with pytest.raises(ValueError):
            lc.parse_sizes(bad)


def test_subsets_are_nested_seeded_prefixes(korean_nlp):
    records = [validate_record(ex, korean_nlp)[0] for ex in generate_examples(300, seed=5)]
    subsets = lc.nested_subsets(records, [10, 50, 100000], seed=3)
    assert [len(s) for s in subsets.values()] == [10, 50, len(records)]
    assert subsets[50][:10] == subsets[10]
    assert lc.nested_subsets(records, [10], seed=3)[10] == subsets[10]
    assert lc.nested_subsets(records, [10], seed=4)[10] != subsets[10]


def test_base_model_name_reads_the_provenance(tmp_path):
    assert lc.base_model_name(None) is None
    assert lc.base_model_name("klue/bert-base") == "klue/bert-base"
    srsly.write_json(tmp_path / "callner_base_model.json", {"model": "intfloat/multilingual-e5-small"})
    assert lc.base_model_name(tmp_path) == "intfloat/multilingual-e5-small"


def test_learning_curve_cli_trains_scores_and_plots(korean_nlp, tmp_path):
    synthetic = [validate_record(ex, korean_nlp)[0] for ex in generate_examples(80, seed=5)]
    train_jsonl = tmp_path / "train.jsonl"
    srsly.write_jsonl(train_jsonl, [r.to_json() for r in synthetic[:60]])
    dev_path = tmp_path / "dev.spacy"
    records_to_docbin(korean_nlp, synthetic[60:]).to_disk(dev_path)
    records, _ = read_annotated_jsonl(REAL_DEV_PATH, korean_nlp)
    real_dev = tmp_path / "real_dev.jsonl"
    srsly.write_jsonl(real_dev, [r.to_json() for r in records[420:]])
    output_dir = tmp_path / "curve"
    completed = subprocess.run(
        [sys.executable, "scripts/learning_curve.py", "configs/cnn.cfg", str(train_jsonl), str(output_dir),
         "--sizes", "20,40", "--max-steps", "5", "--dev", str(dev_path), "--real-dev", str(real_dev),
         "--gpu-id", "-1"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr + completed.stdout
    curve = srsly.read_json(output_dir / "learning_curve.json")
    assert curve["max_steps"] == 5
    assert list(curve["sets"]) == ["dev", "real_dev"]
    assert [p["n_train"] for p in curve["points"]] == [20, 40]
    for point in curve["points"]:
        for name in ("dev", "real_dev"):
            assert 0.0 <= point[name]["f1"] <= 1.0
            assert point[name]["agree"] is True
        assert point["real_dev"]["n_docs"] == len(records) - 420
    assert not (output_dir / "size_20" / "model").exists(), "models are removed unless --keep-models"
    png = (output_dir / "learning_curve.png").read_bytes()
    assert png.startswith(PNG_MAGIC) and len(png) > 1000

    other = dict(curve, base_model_name="another/model")
    compare_png = lc.plot_learning_curves([curve, other], tmp_path / "compare.png")
    assert compare_png.read_bytes().startswith(PNG_MAGIC)


def test_evaluation_texts_are_not_trained_on(korean_nlp, tmp_path):
    synthetic = [validate_record(ex, korean_nlp)[0] for ex in generate_examples(30, seed=9)]
    dev_path = tmp_path / "dev.spacy"
    records_to_docbin(korean_nlp, synthetic[:10]).to_disk(dev_path)
    kept, n_left_out = lc.drop_evaluation_texts(synthetic, korean_nlp, [dev_path])
    assert n_left_out == 10 and kept == synthetic[10:]
