"""The `benchmark` workflow's steps end to end on tiny data: scripts/benchmark.py's subcommands in order,
as project.yml runs them, with a tiny base encoder and a few training steps."""
import importlib.util

import pytest
import srsly
from typer.testing import CliRunner

from spacy_callner.training.benchmark.comparison import COLUMNS
from spacy_callner.training.benchmark.names import HF_EQUAL_TIME, HF_RECIPE, KO_CALLNER, SPACY_SAME_DATA
from spacy_callner.training.data import read_annotated_jsonl, records_to_docbin, validate_record
from spacy_callner.training.synthetic import generate_examples
from ..conftest import REAL_DEV_PATH, REPO_ROOT
from ..tiny_models import make_tiny_bert

SYSTEM_NAMES = [HF_RECIPE, HF_EQUAL_TIME, SPACY_SAME_DATA, KO_CALLNER, "int8"]


def load_cli():
    spec = importlib.util.spec_from_file_location("benchmark_cli", REPO_ROOT / "scripts" / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.app


def invoke(app, *args):
    result = CliRunner().invoke(app, [str(arg) for arg in args])
    assert result.exit_code == 0, f"{args[0]}: {result.output[-3000:]}\n{result.exception!r}"
    return result


@pytest.fixture(scope="module")
def workflow(tmp_path_factory, korean_nlp):
    """Run every step of the workflow once; return the paths it wrote."""
    root = tmp_path_factory.mktemp("bench")
    records = [validate_record(example, korean_nlp)[0] for example in generate_examples(60, seed=11)]
    corpus = {name: root / f"{name}.spacy" for name in ("train", "dev", "test", "real_dev")}
    records_to_docbin(korean_nlp, records[:40]).to_disk(corpus["train"])
    records_to_docbin(korean_nlp, records[40:50]).to_disk(corpus["dev"])
    records_to_docbin(korean_nlp, records[50:]).to_disk(corpus["test"])
    records_to_docbin(korean_nlp, read_annotated_jsonl(REAL_DEV_PATH, korean_nlp)[0][:12]).to_disk(corpus["real_dev"])
    base = make_tiny_bert([record.text for record in records], root / "tiny_bert")
    work, metrics = root / "training", root / "metrics"
    pairs = work / "train_20.spacy"
    systems = (f"{HF_RECIPE}={work / HF_RECIPE / 'model'} {HF_EQUAL_TIME}={work / HF_EQUAL_TIME / 'model'} "
               f"{SPACY_SAME_DATA}={work / SPACY_SAME_DATA / 'model'} {KO_CALLNER}={work / SPACY_SAME_DATA / 'model'}"
               f" int8={work / SPACY_SAME_DATA / 'model'}")
    sets = ["--test", corpus["test"], "--real-dev", corpus["real_dev"]]
    app = load_cli()
    invoke(app, "data", corpus["train"], pairs, "--n", 20, "--seed", 0)
    invoke(app, "train-spacy", REPO_ROOT / "configs" / "cnn.cfg", pairs, corpus["dev"], work / SPACY_SAME_DATA,
           "--max-steps", 4, "--threads", 1)
    invoke(app, "train-hf", pairs, work / HF_RECIPE, "--base-model", base, "--epochs", 1, "--threads", 1)
    invoke(app, "train-hf", corpus["train"], work / HF_EQUAL_TIME, "--base-model", base, "--epochs", 1,
           "--equal-time", "--budget-from", root / "not_recorded.json",
           "--budget-fallback", work / SPACY_SAME_DATA / "training.json", "--threads", 1)
    invoke(app, "score", "--systems", systems, *sets, "--output", metrics / "scores.json", "--threads", 1)
    invoke(app, "speed", "--systems", systems, *sets, "--output", metrics / "speed.json", "--work-dir",
           work / "speed", "--threads", 1, "--n-latency", 5, "--warmup", 1, "--max-texts", 10)
    report = invoke(app, "report", "--systems", systems, "--scores", metrics / "scores.json",
                    "--speed", metrics / "speed.json", "--data", pairs.with_suffix(".json"),
                    "--equal-time", work / HF_EQUAL_TIME / "training.json", "--output", metrics)
    return {"work": work, "metrics": metrics, "console": report.output}


def test_both_trainings_use_the_same_pairs(workflow):
    work = workflow["work"]
    data = srsly.read_json(work / "train_20.json")
    assert data["used"] == 20 and data["available"] == 40
    spacy_record = srsly.read_json(work / SPACY_SAME_DATA / "training.json")
    recipe = srsly.read_json(work / HF_RECIPE / "training.json")
    assert spacy_record["n_examples"] == recipe["n_examples"] == 20
    assert recipe["steps"] == 2, "20 pairs in batches of 16, 1 epoch"
    assert recipe["recipe"]["learning_rate"] == pytest.approx(3e-5)
    assert (work / SPACY_SAME_DATA / "model" / "meta.json").is_file()


def test_the_equal_time_recipe_gets_ko_callners_training_time(workflow):
    work = workflow["work"]
    equal_time = srsly.read_json(work / HF_EQUAL_TIME / "training.json")
    spacy_record = srsly.read_json(work / SPACY_SAME_DATA / "training.json")
    assert equal_time["n_examples"] == 40, "the full training set"
    assert equal_time["budget_seconds"] == spacy_record["seconds"] == equal_time["max_seconds"]
    assert equal_time["budget_source"].endswith("training.json")


def test_the_report_has_every_system_and_every_column(workflow):
    metrics = workflow["metrics"]
    report = srsly.read_json(metrics / "benchmark.json")
    assert [row["system"] for row in report["table"]] == SYSTEM_NAMES
    for row in report["table"]:
        assert set(row) == {"system"} | set(COLUMNS)
        assert 0.0 <= row["f1_test"] <= 1.0 and 0.0 <= row["f1_real_dev"] <= 1.0
        assert row["words_per_sec"] > 0 and row["latency_p50_ms"] <= row["latency_p95_ms"]
        assert row["load_seconds"] > 0 and row["size_mb"] > 0 and row["peak_memory_mb"] > 50
    rows = {row["system"]: row for row in report["table"]}
    assert rows[KO_CALLNER]["training_seconds"] == report["budget"]["seconds"]
    assert rows[SPACY_SAME_DATA]["training_seconds"] == report["systems"][SPACY_SAME_DATA]["training"]["seconds"]
    assert rows["int8"]["training_seconds"] is None or rows["int8"]["training_seconds"] > 0
    assert report["machine"]["threads"] == 1 and report["speed_settings"]["texts"] == 10
    assert report["gold_sets"]["test"]["docs"] == 10 and report["gold_sets"]["real_dev"]["docs"] == 12
    speeds = {name: system["speed"] for name, system in report["systems"].items()}
    assert speeds[HF_RECIPE]["imports_spacy"] is False and speeds[KO_CALLNER]["imports_spacy"] is True
    assert all(speed["torch_threads"] == 1 for speed in speeds.values())

    markdown = (metrics / "benchmark.md").read_text(encoding="utf8")
    assert "| system | " + " | ".join(COLUMNS.values()) + " |" in markdown
    for name in SYSTEM_NAMES:
        assert f"| {name} |" in markdown and f"- `{name}`:" in markdown
    assert "words/s" in workflow["console"]
