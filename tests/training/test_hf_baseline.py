"""The HF baseline: label alignment, a real Trainer run on a tiny model, and its pipeline's spans."""
import json
from pathlib import Path

import pytest

from spacy_callner.training.data import AnnotatedText, make_doc, validate_record
from spacy_callner.scheme import LABELS
from spacy_callner.training import hf_baseline as hb
from spacy_callner.training.synthetic import generate_examples
from ..conftest import REPO_ROOT

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def build_tiny_bert(path: Path, *, n_texts: int = 300, seed: int = 3) -> Path:
    """A random-weight 2-layer BERT with a WordPiece vocabulary learnt from generated texts."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.NFKC()
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece()
    texts = [example["text"] for example in generate_examples(n_texts, seed=seed)]
    tokenizer.train_from_iterator(texts, trainers.WordPieceTrainer(vocab_size=3000, special_tokens=SPECIAL_TOKENS))
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[(name, tokenizer.token_to_id(name)) for name in ("[CLS]", "[SEP]")],
    )
    PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]", model_max_length=512,
    ).save_pretrained(path)
    config = BertConfig(vocab_size=tokenizer.get_vocab_size(), hidden_size=64, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=128)
    BertModel(config).save_pretrained(path)
    return path


def gold_docs(nlp, n: int, seed: int):
    return [make_doc(nlp, validate_record(example, nlp)[0]) for example in generate_examples(n, seed=seed)]


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory):
    return build_tiny_bert(tmp_path_factory.mktemp("tiny_bert") / "model")


@pytest.fixture(scope="module")
def tiny_tokenizer(tiny_bert):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(tiny_bert))


@pytest.fixture(scope="module")
def trained(tiny_bert, korean_nlp, tmp_path_factory):
    output = tmp_path_factory.mktemp("hf") / "baseline"
    record = hb.train_hf_baseline(gold_docs(korean_nlp, 100, seed=7), output, base_model=tiny_bert,
                                  max_steps=6, show_progress=False)
    return output, record


def test_tiny_bert_is_a_plain_fast_tokenizer(tiny_bert):
    config = json.loads((tiny_bert / "tokenizer_config.json").read_text())
    assert config["tokenizer_class"] == "PreTrainedTokenizerFast"


def test_bio_labels():
    assert hb.bio_labels(["PHONE", "MONEY"]) == ["O", "B-PHONE", "I-PHONE", "B-MONEY", "I-MONEY"]
    assert len(hb.bio_labels()) == 9


def test_align_labels_keeps_first_subwords_only():
    label2id = {label: i for i, label in enumerate(hb.bio_labels())}
    word_ids = [None, 0, 0, 1, 2, 2, 2, 3, None]
    tags = ["B-PHONE", "O", "B-MONEY", None]
    assert hb.align_labels(word_ids, tags, label2id) == [
        -100, label2id["B-PHONE"], -100, label2id["O"], label2id["B-MONEY"], -100, -100, -100, -100,
    ]


def test_doc_word_tags_marks_unknown_annotation(korean_nlp):
    text = "010-1234-5678로 연락 주시고 엘지폰 드릴게요"
    record = AnnotatedText(text, [(0, 13, "PHONE")], missing=[(text.index("엘지폰"), text.index("엘지폰") + 3)])
    words, tags = hb.doc_word_tags(make_doc(korean_nlp, record))
    assert words[:2] == ["010-1234-5678", "로"]
    assert tags[:2] == ["B-PHONE", "O"]
    assert tags[words.index("엘지폰")] is None
    assert all(tag == "O" for word, tag in zip(words, tags) if word not in ("010-1234-5678", "엘지폰"))


def test_encode_doc_labels_a_concrete_example(korean_nlp, tiny_tokenizer):
    text = "계약번호 KR-2026-001번 확인했고 14만 원 나왔어요"
    contract, money = text.index("KR-2026-001"), text.index("14만 원")
    record = validate_record({"text": text, "entities": [
        {"start": contract, "end": contract + 11, "label": "CONTRACT"},
        {"start": money, "end": money + 5, "label": "MONEY"},
    ]}, korean_nlp)[0]
    assert len(record.entities) == 2
    doc = make_doc(korean_nlp, record)
    words, tags = hb.doc_word_tags(doc)
    label2id = {label: i for i, label in enumerate(hb.bio_labels())}
    id2label = {i: label for label, i in label2id.items()}
    features = hb.encode_doc(tiny_tokenizer, doc, label2id)
    tokens = tiny_tokenizer.convert_ids_to_tokens(features["input_ids"])
    word_ids = tiny_tokenizer(words, is_split_into_words=True).word_ids()
    assert tokens[0] == "[CLS]" and tokens[-1] == "[SEP]"
    assert features["labels"][0] == features["labels"][-1] == -100
    contract_pieces = [i for i, w in enumerate(word_ids) if w == words.index("KR-2026-001")]
    assert len(contract_pieces) > 1, "the contract ID is several sub-words (the pre-tokenizer splits at '-')"
    assert [features["labels"][i] for i in contract_pieces] == [label2id["B-CONTRACT"]] + [-100] * (
        len(contract_pieces) - 1)
    first_pieces = {w: i for i, w in reversed(list(enumerate(word_ids))) if w is not None}
    assert [id2label[features["labels"][first_pieces[w]]] for w in range(len(words))] == tags
    labelled = [i for i, label in enumerate(features["labels"]) if label != -100]
    assert labelled == sorted(first_pieces.values())
    assert [id2label[features["labels"][first_pieces[words.index(w)]]] for w in ("14", "만", "원")] == \
        ["B-MONEY", "I-MONEY", "I-MONEY"]


def test_sentencepiece_base_tokenizer_gives_word_ids():
    base_model = REPO_ROOT / "assets" / "base_model"
    if not (base_model / "tokenizer.json").is_file():
        pytest.skip("the project's base model is not built")
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(base_model))
    words = ["계약번호", "KR-2026-001", "번", "확인", " ", "했어요"]
    encoding = tokenizer(words, is_split_into_words=True)
    word_ids = encoding.word_ids()
    assert word_ids[0] is None and word_ids[-1] is None
    assert sorted({w for w in word_ids if w is not None}) == list(range(len(words)))
    firsts = [encoding.tokens()[word_ids.index(w)] for w in range(len(words))]
    assert all(piece.startswith("\u2581") for piece in firsts), "each word starts with the space marker"


def test_entity_char_span_strips_whitespace():
    text = "번호는 010-1234-5678 이고요"
    entity = {"entity_group": "PHONE", "start": 3, "end": 18, "word": "010 - 1234 - 5678"}
    assert hb.entity_char_span(text, entity) == (4, 17, "PHONE")
    assert hb.entity_char_span(text, {"entity_group": "PHONE", "start": 3, "end": 4}) is None
    assert hb.entities_to_char_spans(text, [entity, {"entity_group": "MONEY", "start": 17, "end": 18}]) == [
        (4, 17, "PHONE")]


def test_predicted_doc_expands_to_gold_tokens(korean_nlp):
    text = "갤럭시 S25로 바꾸면 14만 원이에요"
    gold = korean_nlp.make_doc(text)
    assert not hb.is_token_aligned(gold, (0, 5, "PRODUCT"))
    assert hb.is_token_aligned(gold, (0, 7, "PRODUCT"))
    money_start = text.index("14")
    doc = hb.predicted_doc(gold, [(0, 5, "PRODUCT"), (2, 7, "MONEY"), (money_start, money_start + 5, "MONEY")])
    assert [t.text for t in doc] == [t.text for t in gold]
    assert [(e.text, e.label_) for e in doc.ents] == [("갤럭시 S25", "PRODUCT"), ("14만 원", "MONEY")]


def test_sample_docs_is_seeded(korean_nlp):
    docs = gold_docs(korean_nlp, 20, seed=2)
    sample = hb.sample_docs(docs, 5, seed=1)
    assert len(sample) == 5 and [d.text for d in sample] == [d.text for d in hb.sample_docs(docs, 5, seed=1)]
    assert hb.sample_docs(docs, None) == docs and hb.sample_docs(docs, 50) == docs


def test_trainer_run_saves_a_loadable_model(trained):
    output, record = trained
    assert record["steps"] == 6 and record["max_steps"] == 6
    assert record["deviations"] == ["max_steps=6 overrides num_train_epochs"]
    assert record["n_examples"] == 100 and record["steps_per_epoch"] == 7 and record["recipe_steps"] == 35
    assert record["recipe"] == hb.RECIPE
    assert record["seconds"] > 0
    config = json.loads((output / "config.json").read_text())
    assert [config["id2label"][str(i)] for i in range(len(config["id2label"]))] == hb.bio_labels()
    assert (output / "tokenizer.json").is_file() and (output / "model.safetensors").is_file()
    assert not any(p.name.startswith("checkpoint") for p in output.iterdir()), "no checkpoints are saved"


def test_epochs_follow_the_recipe_without_a_cap(tiny_bert, korean_nlp, tmp_path):
    record = hb.train_hf_baseline(gold_docs(korean_nlp, 40, seed=8), tmp_path / "m", base_model=tiny_bert,
                                  num_train_epochs=2, show_progress=False)
    assert record["steps"] == 2 * 3 and record["epochs"] == pytest.approx(2.0)
    assert record["deviations"] == ["num_train_epochs=2"]


def test_pipeline_spans_are_stripped_and_in_bounds(trained, korean_nlp):
    output, _ = trained
    pipeline = hb.load_hf_pipeline(output)
    texts = [doc.text for doc in gold_docs(korean_nlp, 8, seed=9)]
    predictions = hb.predict_char_spans(pipeline, texts, batch_size=4)
    assert len(predictions) == len(texts)
    labels = set(LABELS)
    for text, spans in zip(texts, predictions):
        for start, end, label in spans:
            assert 0 <= start < end <= len(text)
            assert text[start:end] == text[start:end].strip()
            assert label in labels
