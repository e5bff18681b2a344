"""End to end on tiny data: train from configs/trf.cfg → assemble → wheels → spacy.load by name."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import spacy
import srsly

from spacy_callner.training.corpus import convert_corpus
from spacy_callner.training.packaging import assemble_pipeline, build_packages
from spacy_callner.training.synthetic import generate_examples, write_jsonl

from ..conftest import REPO_ROOT
from ..tiny_models import make_tiny_bert

SENTENCE = "계약번호 KR-2026-001번 확인하고 010-1234-5678로 문자 주세요"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Train, assemble and package once for the module's tests."""
    from spacy.cli.train import train

    import spacy_callner.training.loggers  # noqa: F401  (registers the config's logger)

    root = tmp_path_factory.mktemp("e2e")
    examples = generate_examples(160, seed=21)
    write_jsonl(examples, root / "synthetic.jsonl")
    convert_corpus(root / "synthetic.jsonl", root / "corpus", dev_fraction=0.15, test_fraction=0.0)
    base_model = make_tiny_bert([ex["text"] for ex in examples], root / "tiny_bert")
    train(
        REPO_ROOT / "configs" / "trf.cfg", root / "training",
        overrides={
            "paths.train": str(root / "corpus" / "train.spacy"),
            "paths.dev": str(root / "corpus" / "dev.spacy"),
            "paths.base_model": str(base_model),
            "components.transformer.model.transformer_config.num_hidden_layers": 2,
            "training.max_steps": 6,
            "training.eval_frequency": 3,
            "training.optimizer.learn_rate.initial_rate": 1e-3,
            "training.optimizer.learn_rate.warmup_steps": 2,
        },
    )
    model_dir = root / "models" / "ko_callner"
    assemble_pipeline(root / "training" / "model-last", model_dir, name="callner", version="0.0.1",
                      base_model=str(base_model))
    wheels = build_packages(model_dir, root / "packages", name="callner", version="0.0.1")
    return {"root": root, "model_dir": model_dir, "wheels": wheels, "base_model": base_model}


def test_assembled_pipeline_has_the_post_processors_and_meta(built):
    nlp = spacy.load(built["model_dir"])
    assert nlp.pipe_names == ["transformer", "ner", "callner_regex_ner", "callner_scores", "callner_values",
                              "callner_release_tensors"]
    assert nlp.meta["name"] == "callner" and nlp.meta["lang"] == "ko"
    assert nlp.meta["callner"]["base_model"] == str(built["base_model"])
    assert nlp.meta["callner"]["provenance"] == "callner_provenance.json"
    assert nlp.meta["callner"]["encoder"]["num_layers"] == 2, "the shipped encoder, not the base model"
    assert len(srsly.json_dumps(nlp.meta["callner"])) < 500, "spacy info stays readable"
    provenance = srsly.read_json(built["model_dir"] / "callner_provenance.json")
    assert provenance["base_model"] == {"model": str(built["base_model"])}
    doc = nlp(SENTENCE)
    assert {(e.text, e.label_) for e in doc.ents} >= {("KR-2026-001", "CONTRACT"), ("010-1234-5678", "PHONE")}
    assert [t.text for t in nlp("14만 원을")] == ["14", "만", "원", "을"], "tokenizer rules are saved"


def test_wheels_are_named_and_depend_on_the_runtime(built):
    pipeline_wheel, runtime_wheel = built["wheels"]
    assert pipeline_wheel.name == "ko_callner-0.0.1-py3-none-any.whl"
    assert runtime_wheel.name.startswith("spacy_callner-") and runtime_wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(pipeline_wheel) as wheel:
        metadata = wheel.read("ko_callner-0.0.1.dist-info/METADATA").decode("utf8")
        names = wheel.namelist()
    assert "Requires-Dist: spacy-callner" in metadata
    assert "Requires-Dist: spacy-transformers" in metadata
    assert "## Known limits" in metadata, "the model card is the package README"
    assert not any("tiny_bert" in name for name in names), "no base-model directory in the wheel"
    with zipfile.ZipFile(runtime_wheel) as wheel:
        names = wheel.namelist()
        entry_points = wheel.read(next(n for n in names if n.endswith("entry_points.txt"))).decode("utf8")
    assert not any(name.startswith("spacy_callner/training") for name in names), "training code stays out"
    assert "spacy_callner/scheme/product_attributes.json" in names
    assert "callner_regex_ner = spacy_callner.regex_ner:make_regex_ner" in entry_points


def test_installed_wheel_loads_by_name_in_a_fresh_process(built, tmp_path):
    """pip-install the two wheels into a target and load the pipeline from elsewhere."""
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target", str(target),
         *map(str, built["wheels"])],
        check=True,
    )
    probe = (
        "import json, spacy, ko_callner, spacy_callner;"
        "nlp = spacy.load('ko_callner');"
        f"doc = nlp({SENTENCE!r});"
        "print(json.dumps({'ents': [[e.text, e.label_] for e in doc.ents],"
        " 'files': [ko_callner.__file__, spacy_callner.__file__]}))"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "HF_HUB_OFFLINE": "1"}
    completed = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                               capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-2000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert ["KR-2026-001", "CONTRACT"] in result["ents"] and ["010-1234-5678", "PHONE"] in result["ents"]
    assert all(str(target) in path for path in result["files"]), result["files"]
