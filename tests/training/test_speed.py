"""Speed benchmark: the report has every measure, with plausible values. Timings are never asserted."""
import subprocess
import sys

import pytest
import srsly

from spacy_callner.training import speed
from spacy_callner.training.reports import SpeedReport
from ..conftest import REAL_DEV_PATH, REPO_ROOT

N_TEXTS = 40


@pytest.fixture(scope="module")
def ruler_model_dir(tmp_path_factory):
    """A saved Korean pipeline with an entity ruler: loads like a packaged one, runs fast."""
    from spacy_callner.tokenizer import make_korean_nlp

    nlp = make_korean_nlp()
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PRODUCT", "pattern": "갤럭시"}, {"label": "PRODUCT", "pattern": "아이폰"}])
    path = tmp_path_factory.mktemp("speed") / "ruler_model"
    nlp.to_disk(path)
    return path


def assert_complete(result, n_latency):
    assert result.device == "cpu"
    assert result.components == ["entity_ruler"]
    latency, throughput = result.latency, result.throughput
    assert latency.n == n_latency
    for key in ("p50_ms", "p95_ms", "mean_ms", "max_ms"):
        assert getattr(latency, key) > 0
    assert latency.p50_ms <= latency.p95_ms <= latency.max_ms
    assert throughput.docs == N_TEXTS
    for key in ("words_per_sec", "chars_per_sec", "docs_per_sec", "seconds"):
        assert getattr(throughput, key) > 0
    assert throughput.chars > throughput.words > 0
    assert result.torch_threads is None or result.torch_threads >= 1


def test_benchmark_loads_the_pipeline_and_reports_every_measure(ruler_model_dir):
    texts = speed.read_texts(REAL_DEV_PATH, limit=N_TEXTS)
    result = speed.benchmark_speed(ruler_model_dir, texts, n_latency=25, batch_size=8, warmup=3)
    assert result.load_seconds > 0
    assert result.n_texts == N_TEXTS
    assert_complete(result, 25)


def test_benchmark_of_a_loaded_pipeline_has_no_load_time(ruler_model_dir):
    import spacy

    nlp = spacy.load(ruler_model_dir)
    texts = speed.read_texts(REAL_DEV_PATH, limit=N_TEXTS)
    result = speed.benchmark_speed(nlp, texts, n_latency=50, batch_size=16, warmup=0)
    assert result.load_seconds is None
    assert result.model is None
    assert_complete(result, 50)  # more calls than texts: cycles through them


def test_post_processors_get_their_share_of_batch_time(ruler_model_dir):
    """Our components are timed against the rest of the pipeline in the same run; others are not."""
    import spacy

    nlp = spacy.load(ruler_model_dir)
    nlp.add_pipe("callner_regex_ner")
    nlp.add_pipe("callner_values")
    texts = speed.read_texts(REAL_DEV_PATH, limit=N_TEXTS)
    result = speed.benchmark_speed(nlp, texts, n_latency=5, batch_size=8, warmup=0)
    assert [cost.component for cost in result.component_costs] == ["callner_regex_ner", "callner_values"]
    for cost in result.component_costs:
        assert cost.seconds > 0 and cost.seconds_without > 0
        assert 0 < cost.share < 1
    restored = SpeedReport.from_json(srsly.json_loads(srsly.json_dumps(result.to_json())))
    assert [(c.component, pytest.approx(c.share)) for c in restored.component_costs] == \
        [(c.component, c.share) for c in result.component_costs]


def test_percentile_interpolates():
    assert speed.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert speed.percentile([1.0, 2.0], 95) == pytest.approx(1.95)
    assert speed.percentile([7.0], 95) == 7.0


def test_read_texts_from_jsonl_and_plain_text(tmp_path):
    assert len(speed.read_texts(REAL_DEV_PATH, limit=5)) == 5
    plain = tmp_path / "texts.txt"
    plain.write_text("첫 번째 문장\n\n두 번째 문장\n", encoding="utf8")
    assert speed.read_texts(plain) == ["첫 번째 문장", "두 번째 문장"]
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf8")
    with pytest.raises(ValueError):
        speed.read_texts(empty)


def test_benchmark_cli_prints_a_table_and_writes_json(ruler_model_dir, tmp_path):
    output = tmp_path / "metrics" / "speed.json"
    completed = subprocess.run(
        [sys.executable, "scripts/benchmark_speed.py", str(ruler_model_dir), "--data", str(REAL_DEV_PATH),
         "--output", str(output), "--n-latency", "20", "--limit", str(N_TEXTS), "--warmup", "2"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr + completed.stdout
    assert "latency p50" in completed.stdout and "words/s" in completed.stdout
    raw = srsly.read_json(output)
    assert set(raw) >= {"model", "pipeline", "latency", "throughput", "load_seconds", "cpu_count", "data"}
    result = SpeedReport.from_json(raw)
    assert result.data == str(REAL_DEV_PATH)
    assert_complete(result, 20)


def test_compare_int8_measures_both_variants_of_one_pipeline(tiny_trf_pipeline):
    dev = tiny_trf_pipeline.parent.parent / "corpus" / "dev.spacy"
    texts = speed.read_texts(REAL_DEV_PATH, limit=6)
    result = speed.compare_int8(tiny_trf_pipeline, texts, {"dev": dev}, n_latency=3, batch_size=4, warmup=1)
    fp32, int8 = result["variants"]["fp32"], result["variants"]["int8"]
    assert fp32["speed"]["model"] == str(tiny_trf_pipeline) and int8["speed"]["model"] != fp32["speed"]["model"]
    for variant in (fp32, int8):
        assert variant["speed"]["load_seconds"] > 0
        assert variant["speed"]["latency"]["n"] == 3
        assert variant["speed"]["throughput"]["docs"] == len(texts)
        assert 0.0 <= variant["ner_f1"]["dev"] <= 1.0
    assert int8["transformer_bytes"] < fp32["transformer_bytes"]
    assert int8["pipeline_bytes"] < fp32["pipeline_bytes"]
    assert result["ner_f1_diff"]["dev"] == int8["ner_f1"]["dev"] - fp32["ner_f1"]["dev"]


def test_compare_int8_refuses_an_int8_pipeline(tiny_trf_pipeline, tmp_path):
    from spacy_callner.quantization import quantize_pipeline_dir

    int8 = quantize_pipeline_dir(tiny_trf_pipeline, tmp_path / "int8")
    with pytest.raises(ValueError, match="already int8"):
        speed.compare_int8(int8, ["안녕하세요"], {})
