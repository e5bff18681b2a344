"""The callner_regex_ner component in a real spaCy pipeline."""
import pickle
import random

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from spacy_callner.patterns import is_contract, is_phone
from spacy_callner.regex_ner import DEFAULT_CONFIG, RegexEntityRecognizer
from spacy_callner.scheme.edges import has_bad_edge, strip_span_edges

from .entity_docs import with_model_entities

FACTORY = "callner_regex_ner"


def make_nlp(**config):
    nlp = spacy.blank("xx")
    nlp.add_pipe(FACTORY, config=config)
    return nlp


def entities(doc):
    return [(ent.text, ent.label_) for ent in doc.ents]


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


@pytest.fixture(scope="module")
def component(nlp):
    return nlp.get_pipe(FACTORY)


def test_default_config():
    nlp = make_nlp()
    assert dict(nlp.config["components"][FACTORY]) == {"factory": FACTORY, **DEFAULT_CONFIG}
    assert DEFAULT_CONFIG == {
        "labels": ["PHONE", "CONTRACT"],
        "extra_patterns": {},
        "overwrite": True,
        "drop_invalid": True,
    }
    assert isinstance(nlp.get_pipe(FACTORY), RegexEntityRecognizer)
    assert nlp.get_pipe(FACTORY).labels == ("PHONE", "CONTRACT")


def test_entities_are_exact(nlp):
    doc = nlp("네 번호는 010-1234-5678로 하시고 계약번호KR-2026-0042번이요, 대표번호 1588-1234로 주세요.")
    assert entities(doc) == [
        ("010-1234-5678", "PHONE"),
        ("KR-2026-0042", "CONTRACT"),
        ("1588-1234", "PHONE"),
    ]


def test_particle_left_attached_by_the_tokenizer_is_split_off(nlp):
    text = "번호는01012345678이요 그리고 010-1234-5678로 연락 주세요"
    unsplit = [token.text for token in nlp.make_doc(text)]
    assert "번호는01012345678이요" in unsplit and "5678로" in unsplit
    doc = nlp(text)
    assert entities(doc) == [("01012345678", "PHONE"), ("010-1234-5678", "PHONE")]
    tokens = [token.text for token in doc]
    assert tokens[:3] == ["번호는", "01012345678", "이요"]
    assert "5678" in tokens and "로" in tokens
    assert doc.text == text
    assert [token.whitespace_ for token in doc[:3]] == ["", "", " "]


def test_split_keeps_model_entities_and_a_parse_intact(nlp, component):
    words = ["고객님", "번호는", "010-1234-5678로", "맞고요", "5만", "원"]
    spaces = [True, True, True, True, True, False]
    heads = [1, 3, 3, 3, 5, 3]
    deps = ["nmod", "nsubj", "obl", "ROOT", "nummod", "obj"]
    doc = Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps)
    doc.ents = [doc.char_span(doc.text.index("5만"), len(doc.text), label="MONEY")]
    doc = component(doc)
    assert entities(doc) == [("010-1234-5678", "PHONE"), ("5만 원", "MONEY")]
    assert doc.has_annotation("DEP")
    phone, particle = doc[2], doc[3]
    assert (phone.text, particle.text) == ("010-1234-5678", "로")
    assert phone.head.text == "맞고요" and phone.dep_ == "obl"
    assert particle.head == phone and particle.dep_ == "dep"
    assert len(list(doc.sents)) == 1


def test_regex_phone_replaces_a_wrong_boundary_model_phone_and_keeps_money(nlp, component):
    text = "요금은 5만 원 나오고 번호는 010-1234-5678로 주세요"
    doc = with_model_entities(nlp, text, [("5만 원", "MONEY"), ("010-1234-5678로", "PHONE")])
    doc = component(doc)
    assert entities(doc) == [("5만 원", "MONEY"), ("010-1234-5678", "PHONE")]


def test_regex_phone_replaces_an_overlapping_model_product(nlp, component):
    text = "갤럭시 S25 010-1234-5678 번호로 개통"
    doc = with_model_entities(nlp, text, [("갤럭시 S25 010-1234", "PRODUCT")])
    doc = component(doc)
    assert entities(doc) == [("010-1234-5678", "PHONE")]


def test_non_overlapping_model_product_stays(nlp, component):
    text = "갤럭시 S25 쓰시고 번호는 010-1234-5678 맞으시죠"
    doc = with_model_entities(nlp, text, [("갤럭시 S25", "PRODUCT")])
    doc = component(doc)
    assert entities(doc) == [("갤럭시 S25", "PRODUCT"), ("010-1234-5678", "PHONE")]


def test_model_entity_kb_id_is_preserved_when_tokens_are_split(nlp, component):
    text = "아이폰 16 쓰시고 010-1234-5678로 연락"
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(0, len("아이폰 16"), label="PRODUCT", kb_id="iphone16")]
    doc = component(doc)
    assert [(ent.text, ent.label_, ent.kb_id_) for ent in doc.ents] == [
        ("아이폰 16", "PRODUCT", "iphone16"),
        ("010-1234-5678", "PHONE", ""),
    ]


def test_model_entity_the_regex_agrees_with_is_kept_as_it_is(nlp, component):
    text = "번호는 010-1234-5678 입니다"
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(4, 17, label="PHONE", kb_id="customer-phone")]
    doc = component(doc)
    assert [(ent.text, ent.label_, ent.kb_id_) for ent in doc.ents] == [
        ("010-1234-5678", "PHONE", "customer-phone")
    ]


def test_component_pickles_for_multiprocess_pipe(component):
    restored = pickle.loads(pickle.dumps(component))
    assert restored.regexes == component.regexes
    assert (restored.overwrite, restored.drop_invalid) == (component.overwrite, component.drop_invalid)


FAKE_MODEL_OUTPUT = {"010-1234-5678로": "PHONE", "5만 원": "MONEY", "갤럭시 S25": "PRODUCT"}


@Language.component("test_fake_callner_model")
def fake_callner_model(doc):
    """Stands in for the statistical ner: labels fixed substrings, wrong boundaries included."""
    spans = []
    for substring, label in FAKE_MODEL_OUTPUT.items():
        start = doc.text.find(substring)
        span = doc.char_span(start, start + len(substring), label=label) if start >= 0 else None
        if span is not None:
            spans.append(span)
    doc.ents = spacy.util.filter_spans(spans)
    return doc


@pytest.mark.parametrize("batch_size", [1, 3, 1000])
def test_fake_model_then_regex_in_one_pipeline(batch_size):
    nlp = spacy.blank("xx")
    nlp.add_pipe("test_fake_callner_model")
    nlp.add_pipe(FACTORY)
    texts = ["갤럭시 S25 쓰시고 요금은 5만 원 나오고 번호는 010-1234-5678로 주세요"] * 7
    for doc in nlp.pipe(texts, batch_size=batch_size):
        assert entities(doc) == [
            ("갤럭시 S25", "PRODUCT"),
            ("5만 원", "MONEY"),
            ("010-1234-5678", "PHONE"),
        ]


def test_overwrite_false_keeps_the_model_and_only_fills_gaps():
    nlp = make_nlp(overwrite=False)
    text = "번호는 010-1234-5678로 하고 집 전화는 02-123-4567입니다"
    doc = with_model_entities(nlp, text, [("010-1234-5678로", "PHONE")])
    doc = nlp.get_pipe(FACTORY)(doc)
    assert entities(doc) == [("010-1234-5678로", "PHONE"), ("02-123-4567", "PHONE")]


def test_overwrite_false_fills_the_gap_left_by_a_dropped_invalid_contract():
    nlp = make_nlp(overwrite=False)
    text = "계약번호 KR-2026-0042번이요"
    doc = with_model_entities(nlp, text, [("KR-2026-0042번이요", "CONTRACT")])
    doc = nlp.get_pipe(FACTORY)(doc)
    assert entities(doc) == [("KR-2026-0042", "CONTRACT")]


DROP_INVALID_TEXT = (
    "뒷자리 5678 맞고요 카드는 1234-5678-9012-3456 이고 번호는 공일공 일이삼사 오육칠팔, "
    "주문은 ORD-2026-001 계약은 KR-2026-0042 요금은 5만 원"
)
DROP_INVALID_MODEL = [
    ("5678", "PHONE"),
    ("1234-5678-9012-3456", "PHONE"),
    ("공일공 일이삼사 오육칠팔", "PHONE"),
    ("ORD-2026-001", "CONTRACT"),
    ("KR-2026-0042", "CONTRACT"),
    ("5만 원", "MONEY"),
]


def test_drop_invalid_removes_refuted_written_entities(nlp, component):
    doc = with_model_entities(nlp, DROP_INVALID_TEXT, DROP_INVALID_MODEL)
    doc = component(doc)
    assert entities(doc) == [
        ("공일공 일이삼사 오육칠팔", "PHONE"),
        ("KR-2026-0042", "CONTRACT"),
        ("5만 원", "MONEY"),
    ]


@pytest.mark.parametrize("phone", ["010 - 3341 - 9927", "+1 213-555-0198", "010-1234 5678"])
def test_drop_invalid_keeps_plausible_phones_the_patterns_miss(nlp, component, phone):
    """A post-processor less right than the model lowers the score: only refuted spans go."""
    text = f"번호 {phone} 로 주세요"
    doc = with_model_entities(nlp, text, [(phone, "PHONE")])
    assert (phone, "PHONE") in entities(component(doc))


@pytest.mark.parametrize("number", [
    "5566-7788-9900", "099-1234-5678", "010-123-456", "012-3456-7890", "1234-5678",
    "035-123-4567", "(049) 123-4567", "010-1234-56789", "02-12-3456", "1588-12345",
    "6892-1133-4057", "318-4621-0557-22", "010-1234-5678-90", "8201051831630",
])
def test_drop_invalid_removes_phones_outside_the_numbering_plan(nlp, component, number):
    """ANNOTATION.md: a PHONE starts with a prefix of the Korean numbering plan and has a length that fits it."""
    doc = with_model_entities(nlp, f"번호 {number} 로 주세요", [(number, "PHONE")])
    assert entities(component(doc)) == []


@pytest.mark.parametrize("number", [
    "0505-123-4567", "080-0440-7788", "1644-1234", "(031)123-4567", "0082 10 1234 5678",
    "044-123-4567", "010-123-4567",
])
def test_drop_invalid_keeps_phones_of_every_prefix_of_the_plan(nlp, component, number):
    doc = with_model_entities(nlp, f"번호 {number} 로 주세요", [(number, "PHONE")])
    assert (number, "PHONE") in entities(component(doc))


def test_drop_invalid_off_keeps_every_model_entity():
    nlp = make_nlp(drop_invalid=False)
    doc = with_model_entities(nlp, DROP_INVALID_TEXT, DROP_INVALID_MODEL)
    doc = nlp.get_pipe(FACTORY)(doc)
    assert entities(doc) == DROP_INVALID_MODEL


def test_drop_invalid_only_judges_labels_whose_patterns_are_active():
    nlp = make_nlp(labels=["CONTRACT"])
    doc = with_model_entities(nlp, DROP_INVALID_TEXT, DROP_INVALID_MODEL)
    doc = nlp.get_pipe(FACTORY)(doc)
    assert ("1234-5678-9012-3456", "PHONE") in entities(doc)
    assert ("ORD-2026-001", "CONTRACT") not in entities(doc)


def test_labels_select_the_built_in_patterns():
    text = "010-1234-5678 KR-2026-001"
    assert entities(make_nlp(labels=["PHONE"])(text)) == [("010-1234-5678", "PHONE")]
    assert entities(make_nlp(labels=["CONTRACT"])(text)) == [("KR-2026-001", "CONTRACT")]
    assert entities(make_nlp(labels=[])(text)) == []


def test_extra_patterns_add_labels_and_widen_validation():
    nlp = make_nlp(
        extra_patterns={
            "MONEY": [r"[0-9][0-9,]*원"],
            "PHONE": [r"(?<![0-9])1[568][0-9]{6}(?![0-9])"],
        }
    )
    component = nlp.get_pipe(FACTORY)
    assert component.labels == ("PHONE", "CONTRACT", "MONEY")
    doc = nlp("요금 140,000원이고 대표번호15881234로 연락")
    assert entities(doc) == [("140,000원", "MONEY"), ("15881234", "PHONE")]
    doc = with_model_entities(nlp, "번호 15881234 맞아요", [("15881234", "PHONE")])
    assert entities(component(doc)) == [("15881234", "PHONE")]


def test_overlapping_regex_spans_keep_the_longest():
    nlp = make_nlp(extra_patterns={"PRODUCT": [r"010"], "ORDER": [r"A-010-1234-5678-B"]})
    assert entities(nlp("번호 010-1234-5678로")) == [("010-1234-5678", "PHONE")]
    assert entities(nlp("주문 A-010-1234-5678-B 확인")) == [("A-010-1234-5678-B", "ORDER")]


def test_extra_pattern_with_edge_whitespace_or_empty_match_is_trimmed():
    nlp = make_nlp(labels=[], extra_patterns={"MONEY": [r"\s*[0-9]+원\s*", r"x*"]})
    assert entities(nlp("요금  5000원  입니다")) == [("5000원", "MONEY")]


@pytest.mark.parametrize(
    "config",
    [
        {"labels": ["MONEY"]},
        {"extra_patterns": {"PHONE": ["(unclosed"]}},
        {"extra_patterns": {"MONEY": [r"\$[0-9]+"]}},
    ],
)
def test_bad_config_fails_when_the_pipeline_is_built(config):
    with pytest.raises(ValueError):
        make_nlp(**config)


SAMPLE_TEXTS = [
    "",
    " ",
    "네네 번호는 010-1234-5678로 해 주세요",
    "계약번호KR-2026-0042번이요",
    "요금 140,000원이고 대표번호 1588-1234로 연락",
    "+82 10-1234-5678이고요 kr-2026-001",
    "카드 1234-5678-9012-3456",
    "번호는01012345678이요",
    "공일공 일이삼사 오육칠팔",
    "\n\t\x00",
    "02-123-4567, 031-1234-5678.",
]


def test_serialisation_round_trip(tmp_path):
    config = {
        "overwrite": False,
        "drop_invalid": False,
        "extra_patterns": {"MONEY": [r"\x24[0-9]+", r"[0-9][0-9,]*원"]},
    }
    nlp = make_nlp(**config)
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == [FACTORY]
    assert dict(loaded.config["components"][FACTORY]) == dict(nlp.config["components"][FACTORY])
    assert loaded.get_pipe(FACTORY).overwrite is False
    assert loaded.get_pipe(FACTORY).drop_invalid is False
    texts = SAMPLE_TEXTS + ["가격은 $20 또는 140,000원"]
    assert [entities(doc) for doc in loaded.pipe(texts)] == [entities(nlp(t)) for t in texts]
    assert ("$20", "MONEY") in entities(loaded("가격은 $20"))


@pytest.mark.parametrize("batch_size", [1, 3, 1000])
def test_pipe_matches_calls_one_by_one(nlp, batch_size):
    texts = SAMPLE_TEXTS * 5
    one_by_one = [(entities(nlp(text)), [t.text for t in nlp(text)]) for text in texts]
    piped = [
        (entities(doc), [t.text for t in doc]) for doc in nlp.pipe(texts, batch_size=batch_size)
    ]
    assert piped == one_by_one


RANDOM_ALPHABET = (
    "0123456789" * 4
    + "-.+ " * 4
    + "KRkr"
    + "가나다번호는로이요원만공일이삼"
    + "abcXYZ"
    + "\n\t\r\x00\x07\x1b\u200b\u00a0\u3000"
    + "😀👍🏽\u0301\ud7a3\uffff"
    + "０１２"
)


def random_text(rng):
    return "".join(rng.choice(RANDOM_ALPHABET) for _ in range(rng.randint(0, 60)))


def random_model_entities(rng, doc):
    """Non-overlapping token spans with random labels, as a noisy model might give."""
    spans, index = [], 0
    while index < len(doc):
        length = rng.randint(1, 3)
        if rng.random() < 0.3 and index + length <= len(doc):
            spans.append(doc[index : index + length])
            spans[-1].label_ = rng.choice(["PHONE", "CONTRACT", "MONEY", "PRODUCT"])
        index += length
    return spans


def assert_consistent(doc, text, model_spans=()):
    """Text unchanged, entities ordered, disjoint and without edge whitespace or controls,
    each one the model's (trimmed of those edges) or a valid match."""
    assert doc.text == text
    offsets = [(ent.start_char, ent.end_char) for ent in doc.ents]
    assert all(a[1] <= b[0] for a, b in zip(offsets, offsets[1:]))
    trimmed_model_spans = {(*strip_span_edges(text, start, end), label) for start, end, label in model_spans}
    for ent in doc.ents:
        assert not has_bad_edge(ent.text), repr(ent.text)
        if (ent.start_char, ent.end_char, ent.label_) in trimmed_model_spans:
            continue
        assert is_phone(ent.text) if ent.label_ == "PHONE" else is_contract(ent.text)


@pytest.mark.parametrize("overwrite", [True, False])
def test_never_raises_on_random_strings(overwrite):
    nlp = make_nlp(overwrite=overwrite)
    component = nlp.get_pipe(FACTORY)
    rng = random.Random(20261115)
    texts = [random_text(rng) for _ in range(2000)]
    for text in texts:
        assert_consistent(nlp(text), text)
        doc = nlp.make_doc(text)
        doc.ents = random_model_entities(rng, doc)
        model_spans = {(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents}
        assert_consistent(component(doc), text, model_spans)
    for doc, text in zip(nlp.pipe(texts, batch_size=64), texts):
        assert_consistent(doc, text)


@pytest.mark.parametrize(
    "text",
    ["", " ", "   \n  ", "\x00\x01\x02", "0" * 50_000, "010-1234-5678" * 200, "😀" * 1000],
)
def test_never_raises_on_degenerate_input(nlp, text):
    assert_consistent(nlp(text), text)


def make_transcript(length):
    """A long call transcript: an entity every few turns, some with a particle glued on."""
    filler = [
        "상담원: 네 고객님 확인해 보겠습니다 음 잠시만요. ",
        "고객: 어 네네 그게 지난달부터 요금이 좀 이상하게 나와서요. ",
        "상담원: 요금제는 5G 프리미엄이고 갤럭시 S25 쓰시는 거 맞으시죠? ",
        "상담원: 월 5만 원 정도 나오세요 네네. ",
    ]
    with_entities = [
        "고객: 어 번호는 010-1234-5678 이고요. ",
        "고객: 네네 계약번호 KR-2026-0042 맞아요. ",
        "상담원: 카드 1234-5678-9012-3456 으로 결제되고 있습니다. ",
        "고객: 집 전화는 02-123-4567로 해 주세요. ",
        "상담원: 뒷자리 5678 확인됐습니다 대표번호는 1588-1234 입니다. ",
        "고객: 아 그리고 kr-2026-001번이요 그것도요. ",
    ]
    turns = [turn for entity_turn in with_entities for turn in (*filler, entity_turn)]
    text = ""
    while len(text) < length:
        text += "".join(turns)
    return text[:length]


def test_long_transcript_is_exact(nlp):
    """Speed on long input is shown by `spacy project run benchmark-adversarial`, not asserted here."""
    text = make_transcript(50_000)
    doc = nlp(text)
    assert_consistent(doc, text)
    found = {(ent.text, ent.label_) for ent in doc.ents}
    assert found == {
        ("010-1234-5678", "PHONE"),
        ("02-123-4567", "PHONE"),
        ("1588-1234", "PHONE"),
        ("KR-2026-0042", "CONTRACT"),
        ("kr-2026-001", "CONTRACT"),
    }


@pytest.mark.parametrize("model_text, kept", [
    ("갤럭시 S25\t", "갤럭시 S25"),
    ("S25\u00a0", "S25"),
    ("₩\u202f", "₩"),
    ("\u200b5만 원", "5만 원"),
])
def test_model_entities_are_trimmed_of_whitespace_and_control_edges(model_text, kept):
    nlp = make_nlp()
    text = f"네 {model_text} 맞아요"
    doc = nlp.make_doc(text)
    start = text.index(model_text)
    doc.ents = [doc.char_span(start, start + len(model_text), label="PRODUCT", alignment_mode="expand")]
    doc = nlp.get_pipe(FACTORY)(doc)
    assert [ent.text for ent in doc.ents] == [kept]
    assert doc.text == text


def test_model_entity_of_only_whitespace_is_dropped():
    nlp = make_nlp()
    doc = nlp.make_doc("네 \t\u3000 맞아요")
    doc.ents = [doc.char_span(2, 5, label="MONEY", alignment_mode="expand")]
    assert nlp.get_pipe(FACTORY)(doc).ents == ()


@pytest.mark.parametrize("space", ["\u00a0", "\t", "\u3000", "\u2009", "\u202f"])
def test_phone_with_any_horizontal_space_is_found(nlp, space):
    phone = space.join(["010", "1234", "5678"])
    assert entities(nlp(f"번호는 {phone}로 주세요")) == [(phone, "PHONE")]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\u2028"])
def test_phone_never_matches_across_a_line_break(nlp, newline):
    text = f"010 1234{newline}5678 주세요"
    assert entities(nlp(text)) == []


def test_many_glued_phones_split_exactly():
    nlp = make_nlp()
    unit = "號010-1234-5678號 "
    text = unit * (80_000 // len(unit))
    doc = nlp(text)
    assert doc.text == text
    assert len(doc.ents) == text.count("010-1234-5678")
    assert {ent.text for ent in doc.ents} == {"010-1234-5678"}


@pytest.mark.parametrize("span, text", [
    ("(사무실", "콜백 요청 02-6711-3300 (사무실), 오후 3시 이후 희망"),
    ("번호", "그 번호 다시 걸어 주세요"),
])
def test_drop_invalid_removes_phones_that_read_as_no_number(nlp, component, span, text):
    """A model PHONE that neither the written nor the spoken reading of `phone_value` takes for a
    number (no digits at all, or words glued on) is no complete telephone number."""
    doc = with_model_entities(nlp, text, [(span, "PHONE")])
    assert [e for e in entities(component(doc)) if e[0] == span] == []


@pytest.mark.parametrize("model_span, number", [
    ("공이에 칠칠칠에 팔팔팔팔 그", "공이에 칠칠칠에 팔팔팔팔"),
    ("어 공일공 일이삼사 오육칠팔", "공일공 일이삼사 오육칠팔"),
    ("공일공 칠구팔구 일일육일에", "공일공 칠구팔구 일일육일"),
])
def test_a_spoken_phone_that_took_a_word_along_is_cut_to_its_number(nlp, component, model_span, number):
    doc = with_model_entities(nlp, f"{model_span} 그 번호로 전화 왔었는데요", [(model_span, "PHONE")])
    assert (number, "PHONE") in entities(component(doc))


@pytest.mark.parametrize("text, model_span, phone", [
    ("연락 주실 때는 공일공삼공삼공팔칠삼이로 주세요", "공일공삼공삼공팔칠삼", "공일공삼공삼공팔칠삼이"),
    ("공일공칠사이오삼구구일이었는데요", "공일공칠사이오삼구구", "공일공칠사이오삼구구일"),
    ("번호는 공일공 일이삼사 오육칠팔이 맞아요", "공일공 일이삼사 오육칠팔", "공일공 일이삼사 오육칠팔"),
    ("공이 칠칠칠 팔팔팔팔이 제 번호예요", "공이 칠칠칠 팔팔팔팔", "공이 칠칠칠 팔팔팔팔"),
])
def test_a_spoken_mobile_number_takes_the_digits_glued_after_it_until_complete(korean_nlp, text, model_span, phone):
    """010 numbers have 11 digits, so a glued 이 after 10 is the last digit; after a complete number,
    or a landline (lengths vary), it may be the subject particle and stays out. The Korean tokenizer
    cuts such runs where the model cut them."""
    doc = with_model_entities(korean_nlp, text, [(model_span, "PHONE")])
    assert (phone, "PHONE") in entities(make_nlp().get_pipe(FACTORY)(doc))


def test_a_masked_number_with_a_particle_glued_on_is_still_refuted(nlp, component):
    text = "등록된 번호 010-9562-****는 변경하시겠어요?"
    doc = with_model_entities(nlp, text, [("010-9562-****는", "PHONE")])
    assert entities(component(doc)) == []


@pytest.mark.parametrize("spoken", ["공일공 일이삼사 오육칠팔", "010에 6628에 1174", "공이 칠칠칠 팔팔팔팔", "010 일이삼사 5678"])
def test_drop_invalid_keeps_spoken_and_mixed_numbers(nlp, component, spoken):
    doc = with_model_entities(nlp, f"번호는 {spoken} 이에요", [(spoken, "PHONE")])
    assert (spoken, "PHONE") in entities(component(doc))


@pytest.mark.parametrize("masked", ["010-77**-1234", "010-XXXX-5678", "010 - **** - 1234", "(02) ***-4567", "010-12●●-5678"])
def test_drop_invalid_removes_masked_numbers(nlp, component, masked):
    """ANNOTATION.md: a PHONE is a complete number; with digits hidden it cannot be dialled."""
    doc = with_model_entities(nlp, f"등록된 연락처 {masked} 는 변경하시겠어요?", [(masked, "PHONE")])
    assert entities(component(doc)) == []


@pytest.mark.parametrize("phone", ["010 - 1234 - 5678", "0082-10-1234-5678", "(02) 1234-5678", "(031)123-4567",
                                   "010.1234-5678"])
def test_every_notation_replaces_a_model_span_with_a_wrong_boundary(nlp, component, phone):
    text = f"연락처는 {phone}로 주세요"
    doc = with_model_entities(nlp, text, [(phone + "로", "PHONE")])
    assert entities(component(doc)) == [(phone, "PHONE")]


def test_spoken_phone_grown_over_a_token_of_another_entity_does_not_crash(nlp):
    # seen on a trained pipeline: PHONE ends one digit short and that digit is a PRODUCT
    words = ["진행", "상황은", "영일영일", "오칠칠팔", "일일", "삼", "으로", "문자", "드리겠습니다"]
    spaces = [True, True, False, False, False, False, True, True, False]
    doc = Doc(nlp.vocab, words=words, spaces=spaces, ents=["O", "O", "B-PHONE", "I-PHONE", "I-PHONE",
                                                            "B-PRODUCT", "O", "O", "O"])
    doc = nlp.get_pipe(FACTORY)(doc)
    spans = [(ent.start_char, ent.end_char) for ent in doc.ents]
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))
    assert ("영일영일오칠칠팔일일삼", "PHONE") in [(ent.text, ent.label_) for ent in doc.ents]
