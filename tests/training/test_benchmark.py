"""The side-by-side benchmark: char-offset scoring, the speed worker, and the command end to end."""
import json
import subprocess
import sys

import pytest
import srsly

from spacy_callner.training.data import AnnotatedText, make_doc, read_annotated_jsonl, records_to_docbin, validate_record
from spacy_callner.training import benchmark as bm
from spacy_callner.training.synthetic import generate_examples
from ..conftest import REAL_DEV_PATH, REPO_ROOT
from .test_hf_baseline import build_tiny_bert

METRICS = {
    "f1_char_offsets_test", "f1_seqeval_test", "f1_char_offsets_real_dev", "f1_seqeval_real_dev",
    "training_seconds", "throughput_words_per_sec", "latency_p50_ms", "latency_p95_ms", "load_seconds",
    "size_on_disk_mb", "peak_memory_mb",
}


def test_score_char_spans_is_exact_and_counts_misaligned(korean_nlp):
    text = "갤럭시 S25로 바꾸시면 14만 원이고 010-1234-5678로 드릴게요"
    money, phone = text.index("14만 원"), text.index("010-1234-5678")
    gold = make_doc(korean_nlp, AnnotatedText(text, [(0, 7, "PRODUCT"), (money, money + 5, "MONEY")],
                                              missing=[(phone, phone + 13)]))
    predictions = [[
        (0, 7, "PRODUCT"),                 # exact
        (money, money + 6, "MONEY"),       # swallows the particle: wrong, but on token boundaries
        (money, money + 1, "MONEY"),       # inside the token `14`: misaligned
        (phone, phone + 13, "PHONE"),      # over unknown annotation: ignored
    ]]
    scores = bm.score_char_spans([gold], predictions)
    assert scores["micro"]["tp"] == 1 and scores["micro"]["fp"] == 2 and scores["micro"]["fn"] == 1
    assert scores["micro"]["f1"] == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert scores["per_label"]["PRODUCT"]["f1"] == 1.0 and scores["per_label"]["MONEY"]["f1"] == 0.0
    assert scores["misaligned"] == 1 and scores["ignored"] == 1
    assert scores["n_gold"] == 2 and scores["n_pred"] == 3


def test_spacy_steps_follow_the_configs_batches(korean_nlp):
    assert bm.spacy_max_steps_for_passes(5, 20) == 99, "spaCy makes max_steps + 1 updates"
    assert bm.spacy_max_steps_for_passes(1.1, 10) == 10
    assert bm.spacy_max_steps_for_passes(0.1, 1) == 1, "0 would mean no limit"
    docs = [make_doc(korean_nlp, validate_record(ex, korean_nlp)[0]) for ex in generate_examples(60, seed=4)]
    n_words = sum(len(doc) for doc in docs)
    for config in ("trf.cfg", "cnn.cfg"):
        batches = bm.config_batches_per_pass(REPO_ROOT / "configs" / config, docs)
        assert 1 <= batches <= len(docs)
    assert bm.config_batches_per_pass(REPO_ROOT / "configs" / "cnn.cfg", docs) >= n_words // 1000


def test_warmup_keeps_its_share_of_the_run(tmp_path):
    config = tmp_path / "c.cfg"
    config.write_text("[training]\nmax_steps = 600\n\n[training.optimizer]\n\n"
                      "[training.optimizer.learn_rate]\nwarmup_steps = 60\ntotal_steps = ${training.max_steps}\n")
    assert bm.scaled_warmup_steps(config, 90) == 9
    assert bm.scaled_warmup_steps(config, 2) == 1
    assert bm.scaled_warmup_steps(REPO_ROOT / "configs" / "cnn.cfg", 50) is None, "a constant rate has no warm-up"


def test_the_warmup_override_reaches_the_trf_schedule():
    from spacy.util import load_config

    trf = REPO_ROOT / "configs" / "trf.cfg"
    warmup = bm.scaled_warmup_steps(trf, 40)
    if warmup is None:
        pytest.skip("configs/trf.cfg has no warm-up to scale")
    config = load_config(trf, interpolate=True, overrides={"training.max_steps": 40,
                                                           "training.optimizer.learn_rate.warmup_steps": warmup})
    assert config["training"]["optimizer"]["learn_rate"]["warmup_steps"] == warmup
    assert config["training"]["optimizer"]["learn_rate"]["total_steps"] == 40


def test_time_single_calls_reports_percentiles():
    latency = bm.time_single_calls(len, ["a", "bb"], n=20)
    assert latency.n == 20 and 0 <= latency.p50_ms <= latency.p95_ms <= latency.max_ms
    throughput = bm.time_batches(lambda texts: [len(t) for t in texts], ["a", "bb"], n_words=3, batch_size=2,
                                 repeat=2)
    assert throughput["words"] == 6 and throughput["docs"] == 4 and throughput["words_per_sec"] > 0


def test_targets_with_a_given_training_time():
    def system(f1, wps, p95, seconds=None):
        accuracy = {"char_offsets": {"micro": {"f1": f1}}, "seqeval": {"micro": {"f1": f1}}}
        speed = {"throughput": {"words_per_sec": wps}, "latency": {"p50_ms": p95 / 2, "p95_ms": p95},
                 "load_seconds": 1.0, "peak_rss_mb": 500.0}
        return {"accuracy": {"test": accuracy, "real_dev": accuracy}, "speed": speed, "size_bytes": 2 ** 20,
                "training": {"seconds": seconds}}

    report = {"systems": {bm.KO_CALLNER: system(0.9, 3000, 40, seconds=100.0),
                          bm.BASELINE: system(0.8, 1000, 50, seconds=400.0)}}
    report["comparisons"] = bm.comparisons(report)
    assert set(report["comparisons"]) == {bm.KO_CALLNER}
    assert report["comparisons"][bm.KO_CALLNER]["training_seconds"]["ratio"] == pytest.approx(0.25)
    assert report["comparisons"][bm.KO_CALLNER]["throughput_words_per_sec"]["ratio"] == pytest.approx(3.0)
    checks = bm.targets(report)
    assert len(checks) == 6 and all(check["met"] for check in checks)
    report["systems"][bm.KO_CALLNER]["speed"]["throughput"]["words_per_sec"] = 1400
    report["comparisons"] = bm.comparisons(report)
    assert [c["metric"] for c in bm.targets(report) if not c["met"]] == ["throughput_words_per_sec"]


@pytest.fixture(scope="module")
def bench_inputs(tmp_path_factory, korean_nlp):
    """Tiny data, a tiny BERT, and a tiny assembled ko_callner (CNN, 5 steps)."""
    from spacy.cli.train import train

    import spacy_callner.training.loggers  # noqa: F401  (registers the config's logger)

    from spacy_callner.training.packaging import assemble_pipeline

    root = tmp_path_factory.mktemp("bench")
    records = [validate_record(example, korean_nlp)[0] for example in generate_examples(130, seed=11)]
    paths = {name: root / f"{name}.spacy" for name in ("train", "dev", "test", "real_dev")}
    records_to_docbin(korean_nlp, records[:90]).to_disk(paths["train"])
    records_to_docbin(korean_nlp, records[90:110]).to_disk(paths["dev"])
    records_to_docbin(korean_nlp, records[110:]).to_disk(paths["test"])
    real_dev, _ = read_annotated_jsonl(REAL_DEV_PATH, korean_nlp)
    records_to_docbin(korean_nlp, real_dev[:25]).to_disk(paths["real_dev"])
    train(REPO_ROOT / "configs" / "cnn.cfg", root / "cnn", overrides={
        "paths.train": str(paths["train"]), "paths.dev": str(paths["dev"]), "training.max_steps": 5,
    })
    assemble_pipeline(root / "cnn" / "model-last", root / "ko_callner", name="callner", version="0.0.1",
                      base_model="none")
    paths["model"] = root / "ko_callner"
    paths["base_model"] = build_tiny_bert(root / "tiny_bert")
    paths["root"] = root
    return paths


def test_benchmark_command_end_to_end(bench_inputs):
    root = bench_inputs["root"]
    output = root / "report"
    completed = subprocess.run(
        [sys.executable, "scripts/benchmark.py", str(bench_inputs["model"]),
         "--train", str(bench_inputs["train"]), "--dev", str(bench_inputs["dev"]),
         "--test", str(bench_inputs["test"]), "--real-dev", str(bench_inputs["real_dev"]),
         "--base-model", str(bench_inputs["base_model"]), "--config", "configs/cnn.cfg",
         "--output", str(output), "--work-dir", str(root / "work"),
         "--max-train-examples", "60", "--max-steps", "4", "--threads", "1",
         "--batch-size", "16", "--n-latency", "20", "--warmup", "2", "--max-speed-texts", "30", "--no-progress"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=400,
    )
    assert completed.returncode == 0, completed.stderr[-3000:] + completed.stdout[-3000:]
    assert "HF baseline" in completed.stdout and "ratio" in completed.stdout

    report = srsly.read_json(output / "benchmark.json")
    assert {"created", "machine", "settings", "data", "labels", "systems", "comparisons", "targets", "targets_met",
            "phase_seconds", "notes"} <= set(report)
    assert report["machine"]["threads"] == 1
    assert report["data"]["train"] == {"available": 90, "used": 60, "words": report["data"]["train"]["words"]}
    assert report["data"]["speed_texts"]["docs"] == 30
    assert list(report["systems"]) == [bm.KO_CALLNER, bm.SAME_BUDGET, bm.BASELINE]

    baseline = report["systems"][bm.BASELINE]
    assert baseline["training"]["steps"] == 4 and baseline["training"]["n_examples"] == 60
    assert baseline["training"]["deviations"] == ["max_steps=4 overrides num_train_epochs"]
    same_budget = report["systems"][bm.SAME_BUDGET]["training"]
    assert same_budget["n_examples"] == 60 and same_budget["updates"] == same_budget["max_steps"] + 1
    assert baseline["training"]["epochs"] == pytest.approx(1.0), "4 steps of 16 over 60 docs"
    assert same_budget["max_steps"] == bm.spacy_max_steps_for_passes(1.0, same_budget["batches_per_pass"])
    for name, system in report["systems"].items():
        for set_name, n_docs in (("test", 20), ("real_dev", 25)):
            accuracy = system["accuracy"][set_name]
            assert accuracy["n_docs"] == n_docs
            assert accuracy["scorers_agree"] is True
            assert 0.0 <= accuracy["char_offsets"]["micro"]["f1"] <= 1.0
            assert 0.0 <= accuracy["seqeval"]["micro"]["f1"] <= 1.0
            assert accuracy["char_offsets"]["misaligned"] >= 0
            if name != bm.BASELINE:
                assert accuracy["char_offsets"]["misaligned"] == 0
                assert accuracy["char_offsets"]["micro"]["f1"] == pytest.approx(accuracy["seqeval"]["micro"]["f1"])

    for name, kind_imports_spacy in ((bm.KO_CALLNER, True), (bm.BASELINE, False)):
        system = report["systems"][name]
        speed = system["speed"]
        assert speed["imports_spacy"] is kind_imports_spacy
        assert speed["torch_threads"] == 1
        assert speed["throughput"]["docs"] == 30 and speed["throughput"]["words_per_sec"] > 0
        assert speed["latency"]["n"] == 20 and speed["latency"]["p50_ms"] <= speed["latency"]["p95_ms"]
        assert speed["peak_rss_mb"] > 50 and system["size_bytes"] > 0
    assert report["systems"][bm.KO_CALLNER]["speed"]["peak_rss_mb"] != \
        report["systems"][bm.BASELINE]["speed"]["peak_rss_mb"]

    for name in (bm.KO_CALLNER, bm.SAME_BUDGET):
        assert name in report["comparisons"]
    assert set(report["comparisons"][bm.KO_CALLNER]) == METRICS
    for row in report["comparisons"][bm.KO_CALLNER].values():
        if row["baseline"]:
            assert row["ratio"] == pytest.approx(row["value"] / row["baseline"])
    assert report["comparisons"][bm.KO_CALLNER]["training_seconds"]["value"] == same_budget["seconds"]
    assert len(report["targets"]) == 10
    assert report["targets_met"] == all(t["met"] for t in report["targets"])
    assert any("max_steps=4" in note for note in report["notes"])

    markdown = (output / "benchmark.md").read_text(encoding="utf8")
    assert "| metric | ko_callner | HF baseline | ratio |" in markdown
    assert "## Same training data and budget" in markdown and "## Targets" in markdown
    for name in bm.METRIC_NAMES.values():
        assert name in markdown
    json.loads((output / "benchmark.json").read_text())
