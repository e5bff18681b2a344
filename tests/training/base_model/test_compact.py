"""The compact vocabulary: which pieces it keeps, the lexicon reader, and a real compact build."""
import gzip
import json
import zipfile

import pytest
import srsly

from spacy_callner.training import base_model as bm
from spacy_callner.training.base_model.build import VocabularyChoice
from spacy_callner.training.base_model.compact import (
    VocabularySample, character_pieces, compact_pieces, english_word_forms,
)
from spacy_callner.training.base_model.vocabulary_report import (
    korean_rule_tokenizer, load_tokenizer, segmentation_stats, vocabulary_report,
)
from spacy_callner.training.base_model.vocabulary_sample import wordfreq_words

REAL_CALL_LINES = (
    "고객님 갤럭시 S25 울트라 256기가 기변하시면 할부원금이 1,698,400원이에요",
    "제 번호 공일공 칠칠팔 구구공일이고요, 계약번호는 RT-2026-0415번이에요",
    "정수기 렌탈 월 29,900원인데 필터 교체는 언제 오세요?",
)


def test_character_pieces_keep_non_latin_singles_and_uncovered():
    pieces = ["<s>", "▁네", "가", "▁가", "abc", "a", "b", "c", "Z", "o", "m", "▁Zoom", "12", "鬱금", "東京"]
    kept = character_pieces(pieces)
    assert {"▁네", "가", "▁가", "a", "12"} <= kept
    assert "abc" not in kept and "▁Zoom" not in kept
    assert "東京" not in kept  # outside the Korean-character set altogether


def test_character_pieces_keep_pieces_of_a_character_without_its_own_piece():
    # 뷁 has no single-character piece: the only way to write it without <unk> is the longer piece
    kept = character_pieces(["뷁a", "a"])
    assert "뷁a" in kept


def test_english_word_forms():
    assert english_word_forms(["usb"]) == ["usb", "Usb", "USB"]


def test_wordfreq_reader_reads_the_cb_format(tmp_path):
    wheel = tmp_path / "wordfreq-3.1.1-py3-none-any.whl"
    packed = gzip.compress(srsly.msgpack_dumps([{"format": "cB", "version": 1}, ["이", "는"], [], ["고객"]]))
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("wordfreq/data/small_ko.msgpack.gz", packed)
    assert wordfreq_words(wheel, "ko") == ["이", "는", "고객"]
    assert wordfreq_words(wheel, "ko", limit=2) == ["이", "는"]
    with pytest.raises(bm.BaseModelError, match="small_en"):
        wordfreq_words(wheel, "en")


def test_wordfreq_reader_names_a_broken_file(tmp_path):
    broken = tmp_path / "wordfreq-3.1.1-py3-none-any.whl"
    broken.write_bytes(b"not a zip")
    with pytest.raises(bm.BaseModelError, match="cannot read"):
        wordfreq_words(broken, "ko")


def test_vocabulary_choice_needs_a_sample_for_compact():
    with pytest.raises(ValueError, match="VocabularySample"):
        VocabularyChoice("compact")
    with pytest.raises(ValueError, match="vocabulary must be one of"):
        VocabularyChoice("tiny")


def test_compact_pieces_of_the_real_tokenizer(sources):
    source_json = json.loads(bm.read_tokenizer(sources["tokenizer_path"]).data)
    sample = VocabularySample(texts=["계약번호 확인 부탁드려요"], words=["고객"])
    kept = compact_pieces(source_json, sample)
    full = bm.tokenizer_pieces(source_json)
    assert "▁계약" in kept and "▁고객" in kept
    assert all(piece in full for piece in kept)
    assert len(kept) < 12_000  # the sample here is tiny: non-Latin and single-character pieces dominate


def test_real_compact_build(compact_built, built):
    out, report, sample = compact_built
    _, korean_report = built
    assert report["vocabulary"] == "compact"
    assert 10_000 < report["vocab_size_after"] < korean_report["vocab_size_after"] / 2
    assert report["size_on_disk_bytes"] < korean_report["size_on_disk_bytes"]
    checks = {check["name"]: check["status"] for check in report["checks"]}
    assert checks["segmentation"] == checks["no_more_unk"] == checks["weights"] == "passed"
    provenance = json.loads((out / bm.PROVENANCE_FILE).read_text())
    assert provenance["pruning"]["vocabulary"] == "compact"
    assert provenance["pruning"]["sample_sources"]["generator_utterances"] == 200
    assert provenance["pruning"]["sample_sources"]["korean_lexicon_words"] > 20_000


def test_compact_build_segments_call_text_like_the_full_vocabulary(compact_built, full_tokenizer):
    out, _, _ = compact_built
    stats = segmentation_stats(load_tokenizer(out), full_tokenizer, REAL_CALL_LINES)
    assert stats.unknown_pieces == 0
    assert stats.share_segmented_differently < 0.1
    assert stats.pieces_per_word < 1.1 * segmentation_stats(full_tokenizer, full_tokenizer, REAL_CALL_LINES).pieces_per_word


def test_vocabulary_report_against_the_korean_rule(compact_built, sources, full_tokenizer):
    out, _, _ = compact_built
    source_json = json.loads(bm.read_tokenizer(sources["tokenizer_path"]).data)
    korean = korean_rule_tokenizer(source_json)
    report = vocabulary_report({"built": load_tokenizer(out), "korean": korean}, full_tokenizer,
                               {"calls": REAL_CALL_LINES})
    assert report["korean"]["calls"]["words_segmented_differently"] == 0
    assert report["korean"]["calls"]["vocabulary_size"] == 88_581
    assert report["built"]["calls"]["vocabulary_size"] < 40_000
    assert report["built"]["calls"]["words"] == sum(len(line.split()) for line in REAL_CALL_LINES)
