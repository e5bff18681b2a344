"""int8 encoder: quantized on the tiny trained pipeline, saved, loaded back and compared with fp32."""
import shutil
import subprocess
import sys

import numpy
import pytest
import spacy
import torch
from spacy.util import load_config

from spacy_callner.encoder import GuardedPredict
from spacy_callner.quantization import (
    INT8, QUANTIZED_ARCHITECTURE, QuantizedHFShim, create_transformer_model, is_quantized_dir,
    quantize_pipeline, quantize_pipeline_dir,
)

TEXTS = [
    "공일공 일이삼사 오육칠팔로 전화 주세요",
    "이번 달 요금은 삼만 오천원 나왔어요",
    "갤럭시 에스 이십사 울트라로 기기 변경하고 싶어요",
    "계약 번호는 씨티 이공이사 공공일이삼입니다",
]
QUANTIZED_LINEAR = torch.ao.nn.quantized.dynamic.Linear


@pytest.fixture(scope="module")
def int8_dir(tiny_trf_pipeline, tmp_path_factory):
    return quantize_pipeline_dir(tiny_trf_pipeline, tmp_path_factory.mktemp("int8") / "model")


def encoder_outputs(nlp):
    return [doc._.trf_data.tensors[0] for doc in nlp.pipe(TEXTS)]


def entity_spans(nlp):
    return [[(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents] for doc in nlp.pipe(TEXTS)]


def hf_model(nlp):
    return nlp.get_pipe("transformer").model.transformer


def test_saved_config_names_the_quantized_architecture(tiny_trf_pipeline, int8_dir):
    model_config = load_config(int8_dir / "config.cfg", interpolate=False)["components"]["transformer"]["model"]
    assert model_config["@architectures"] == QUANTIZED_ARCHITECTURE
    assert model_config["quantize"] == INT8
    assert model_config["mixed_precision"] is False
    assert is_quantized_dir(int8_dir) and not is_quantized_dir(tiny_trf_pipeline)


def test_saved_transformer_weights_are_smaller(tiny_trf_pipeline, int8_dir):
    fp32_bytes = (tiny_trf_pipeline / "transformer" / "model").stat().st_size
    int8_bytes = (int8_dir / "transformer" / "model").stat().st_size
    assert int8_bytes < 0.9 * fp32_bytes


def test_loaded_pipeline_runs_the_quantized_encoder_close_to_fp32(tiny_trf_pipeline, int8_dir):
    fp32, int8 = spacy.load(tiny_trf_pipeline), spacy.load(int8_dir)
    assert isinstance(int8.get_pipe("transformer").model.layers[0].shims[0], QuantizedHFShim)
    linears = [m for m in hf_model(int8).modules() if isinstance(m, QUANTIZED_LINEAR)]
    assert linears and not any(type(m) is torch.nn.Linear for m in hf_model(int8).modules())
    for a, b in zip(encoder_outputs(fp32), encoder_outputs(int8)):
        assert a.shape == b.shape
        assert numpy.abs(a - b).max() < 0.05 * numpy.abs(a).max()
        assert not numpy.array_equal(a, b), "the int8 encoder computes differently"
    fp32_ents, int8_ents = entity_spans(fp32), entity_spans(int8)
    shared = sum(len(set(f) & set(i)) for f, i in zip(fp32_ents, int8_ents))
    assert shared >= 0.8 * sum(len(f) for f in fp32_ents)


def test_encoder_guard_and_slicing_still_apply(int8_dir):
    nlp = spacy.load(int8_dir)
    assert isinstance(nlp.get_pipe("transformer").predict, GuardedPredict)
    nlp(TEXTS[0])
    assert getattr(hf_model(nlp).forward, "callner_sliced", False)


def test_second_save_and_load_is_stable(int8_dir, tmp_path):
    first = spacy.load(int8_dir)
    first(TEXTS[0])
    first.to_disk(tmp_path / "again")
    second = spacy.load(tmp_path / "again")
    assert (tmp_path / "again" / "transformer" / "model").stat().st_size == \
        (int8_dir / "transformer" / "model").stat().st_size
    for a, b in zip(encoder_outputs(first), encoder_outputs(second)):
        numpy.testing.assert_array_equal(a, b)
    assert entity_spans(first) == entity_spans(second)


def test_fp32_weights_under_the_quantized_config_are_quantized_on_load(tiny_trf_pipeline, int8_dir, tmp_path):
    hand_edited = tmp_path / "hand_edited"
    shutil.copytree(tiny_trf_pipeline, hand_edited)
    config_path = hand_edited / "config.cfg"
    config = load_config(config_path, interpolate=False)
    config["components"]["transformer"]["model"].update({"@architectures": QUANTIZED_ARCHITECTURE, "quantize": INT8})
    config.to_disk(config_path, interpolate=False)
    for a, b in zip(encoder_outputs(spacy.load(hand_edited)), encoder_outputs(spacy.load(int8_dir))):
        numpy.testing.assert_array_equal(a, b)


def test_quantize_pipeline_in_memory_matches_the_saved_one(tiny_trf_pipeline, int8_dir):
    nlp = quantize_pipeline(spacy.load(tiny_trf_pipeline))
    assert quantize_pipeline(nlp) is nlp, "idempotent"
    assert nlp.config["components"]["transformer"]["model"]["quantize"] == INT8
    for a, b in zip(encoder_outputs(nlp), encoder_outputs(spacy.load(int8_dir))):
        numpy.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("options", [{"quantize": "int4"}, {"quantize": INT8, "mixed_precision": True}])
def test_architecture_refuses_what_it_cannot_run(options):
    with pytest.raises(ValueError):
        create_transformer_model("unused", get_spans=lambda docs: [], **options)


def test_fresh_process_loads_the_int8_pipeline_without_importing_the_module(int8_dir):
    code = f"import spacy; print(len(spacy.load({str(int8_dir)!r})('{TEXTS[0]}')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
