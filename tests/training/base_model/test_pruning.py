"""Pruning the vocabulary to Korean/ASCII pieces without changing segmentation."""
import json

from spacy_callner.training import base_model as bm

from .conftest import EXTRA_SENTENCES


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


def test_prune_remaps_ids_in_order():
    tokenizer_json = {
        "model": {"type": "Unigram", "unk_id": 2, "vocab": [["<s>", 0.0], ["東京", -1.0], ["<unk>", 0.0], ["▁네", -2.0]]},
        "added_tokens": [{"id": 0, "content": "<s>"}, {"id": 2, "content": "<unk>"}],
        "post_processor": {"type": "TemplateProcessing", "special_tokens": {"<s>": {"id": "<s>", "ids": [0]}}},
    }
    pruned, kept = bm.prune_tokenizer_json(tokenizer_json)
    assert kept == [0, 2, 3]
    assert bm.tokenizer_pieces(pruned) == ["<s>", "<unk>", "▁네"]
    assert pruned["model"]["unk_id"] == 1
    assert [t["id"] for t in pruned["added_tokens"]] == [0, 1]
    assert tokenizer_json["model"]["vocab"][1][0] == "東京"
