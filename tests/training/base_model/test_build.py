"""The whole build: report figures, the saved directory, and spacy-transformers loading it."""
import json

import pytest

from spacy_callner.training import base_model as bm


def test_report_figures(built):
    out, report = built
    assert report["vocab_size_before"] == 250_002
    assert report["embedding_rows_before"] == 250_037
    assert 50_000 < report["vocab_size_after"] < 120_000
    assert report["parameters_before"] == 117_505_920
    assert report["parameters_after"] < report["parameters_before"] / 2 + 10_000_000
    assert report["size_on_disk_bytes"] == bm.directory_size(out)
    assert report["size_on_disk_bytes"] < 300e6


def test_config_shapes_and_offline_load(built, hf):
    out, report = built
    model, tokenizer = hf
    config = model.config
    assert (config.hidden_size, config.num_hidden_layers, config.num_attention_heads) == (384, 12, 12)
    assert config.intermediate_size == 1536
    assert config.max_position_embeddings == 512
    assert config.pad_token_id == 1
    assert config.vocab_size == report["vocab_size_after"] == len(tokenizer)
    assert tuple(model.embeddings.word_embeddings.weight.shape) == (config.vocab_size, 384)
    assert tuple(model.embeddings.position_embeddings.weight.shape) == (512, 384)
    assert type(tokenizer).__name__ == "PreTrainedTokenizerFast"
    assert tokenizer.model_max_length == 512
    tok_config = json.loads((out / "tokenizer_config.json").read_text())
    assert tok_config["tokenizer_class"] == "PreTrainedTokenizerFast"
    ids = {tok: tokenizer.convert_tokens_to_ids(tok) for tok in ("<s>", "<pad>", "</s>", "<unk>")}
    assert ids == {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    assert tokenizer.convert_tokens_to_ids("<mask>") == len(tokenizer) - 1
    assert tokenizer("안녕하세요")["input_ids"][0] == 0
    assert tokenizer("안녕하세요")["input_ids"][-1] == 2


def test_spacy_transformers_runs_it(built):
    import spacy

    out, _ = built
    nlp = spacy.blank("xx")
    nlp.add_pipe(
        "transformer",
        config={
            "model": {
                "@architectures": "spacy-transformers.TransformerModel.v3",
                "name": str(out),
                "get_spans": {"@span_getters": "spacy-transformers.strided_spans.v1", "window": 128, "stride": 96},
                "tokenizer_config": {"use_fast": True},
            }
        },
    )
    nlp.initialize()
    doc = nlp("계약번호 KR-2026-001번 확인하고 010-1234-5678로 문자 주세요")
    trf = doc._.trf_data
    assert trf is not None
    assert trf.width == 384
    strings = [s for row in trf.wordpieces.strings for s in row]
    assert "▁계약" in strings and "<unk>" not in strings
    assert trf.align.lengths.shape[0] == len(doc)


def test_refuses_to_overwrite_foreign_directory(sources, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(bm.BaseModelError, match="refusing to overwrite"):
        bm.build_base_model(out, **sources)
    assert (out / "notes.txt").read_text() == "mine"


def test_invalid_layer_count_is_a_value_error(sources, tmp_path):
    with pytest.raises(ValueError, match="num_layers must be between 1 and 12, got 13"):
        bm.build_base_model(tmp_path / "out", num_layers=13, **sources)
    assert not (tmp_path / "out").exists() and not (tmp_path / ".out.partial").exists()
