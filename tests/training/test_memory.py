"""The memory benchmark's pieces: long texts, cutting into pieces, RSS over docs, the subprocess run."""
import srsly

from spacy_callner.tokenizer import make_korean_nlp
from spacy_callner.training.memory import (
    entities_in_pieces, long_text, long_transcript, pieces, rss_over_docs,
)

from ..conftest import REAL_DEV_PATH


def _ruler_pipeline():
    nlp = make_korean_nlp()
    nlp.add_pipe("callner_regex_ner")
    return nlp


def test_long_text_and_pieces_cover_the_text_at_spaces():
    text = long_text(["가나다 라마", "010-1234-5678로 주세요"], 1000)
    assert len(text) <= 1000 and len(text) > 950
    cut = pieces(text, size=100)
    assert "".join(piece for _, piece in cut) == text
    assert all(len(piece) <= 100 for _, piece in cut)
    assert all(text[offset:offset + len(piece)] == piece for offset, piece in cut)
    assert all(piece.endswith(" ") for _, piece in cut[:-1]), "cut after a space, never inside a word"


def test_entities_in_pieces_are_in_the_whole_texts_offsets():
    nlp = _ruler_pipeline()
    text = long_text(["번호는 010-1234-5678로 주세요", "계약 KR-2026-001 확인"], 3000)
    whole = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
    assert whole and entities_in_pieces(nlp, text, size=200) == whole


def test_rss_over_docs_samples_every_n_docs_and_the_zone_keeps_strings_flat():
    nlp = _ruler_pipeline()
    texts = [f"주문 {i}번 고객 {i * 7}호 010-1234-{i % 10000:04d}로" for i in range(600)]
    zoned = rss_over_docs(nlp, texts, 600, every=200, memory_zone=True)
    assert [s.docs for s in zoned.samples] == [0, 200, 400, 600]
    assert zoned.samples[-1].strings == zoned.samples[0].strings
    unzoned = rss_over_docs(nlp, texts, 600, every=200, memory_zone=False)
    assert unzoned.samples[-1].strings > unzoned.samples[0].strings


def test_long_transcript_runs_in_its_own_process(tmp_path):
    model = tmp_path / "model"
    _ruler_pipeline().to_disk(model)
    texts = tmp_path / "texts.jsonl"
    srsly.write_jsonl(texts, [{"text": r["text"]} for r in srsly.read_jsonl(REAL_DEV_PATH)][:50])
    result = long_transcript(str(model), str(texts), 120_000)
    assert result.chars > 119_000 and result.text_peak_rss_mb > 0 and result.load_peak_rss_mb > 0
    assert result.peak_rss_mb == max(result.load_peak_rss_mb, result.text_peak_rss_mb)
    assert result.entities > 0 and result.only_whole == result.only_pieces == 0
    assert result.same_as_pieces == result.entities
