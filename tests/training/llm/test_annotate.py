"""Surfaces → offsets: locating, trimming, particle cutting, and the validator's verdict."""
import pytest

from spacy_callner.training.data import validate_entities, validate_record
from spacy_callner.training.llm import annotate
from spacy_callner.training.llm.annotate import annotate_utterance

from .fakes import good_item, surfaces


def test_wrong_offsets_from_the_model_are_ignored_and_recomputed(korean_nlp):
    item = {
        "text": "고객님 갤럭시 S25 울트라 할부금은 5만 원입니다",
        "entities": [
            {"text": "갤럭시 S25 울트라", "label": "PRODUCT", "start": 0, "end": 7},
            {"text": "5만 원", "label": "MONEY", "start": 30, "end": 34},
        ],
    }
    annotation = annotate_utterance(item, korean_nlp)
    assert annotation.reason is None
    assert surfaces(annotation.record) == [("갤럭시 S25 울트라", "PRODUCT"), ("5만 원", "MONEY")]
    product = annotation.record["entities"][0]
    assert (product["start"], product["end"], product["label"]) == (4, 15, "PRODUCT")


@pytest.mark.parametrize("surface,expected", [
    ("5만원", "5만 원"),  # spacing differs from the text
    ("  5만 원. ", "5만 원"),  # whitespace and punctuation at the edges
    ("약 5만 원 정도", "5만 원"),  # modifiers stay outside MONEY
])
def test_surface_variants_are_found(korean_nlp, surface, expected):
    annotation = annotate_utterance(
        {"text": "요금이 약 5만 원 정도 나왔어요", "entities": [{"text": surface, "label": "MONEY"}]}, korean_nlp
    )
    assert annotation.reason is None
    assert surfaces(annotation.record) == [(expected, "MONEY")]


def test_surface_not_found_rejects_the_utterance(korean_nlp):
    annotation = annotate_utterance(
        {"text": "에어팟 프로 샀어요", "entities": [{"text": "갤럭시 버즈3", "label": "PRODUCT"}]}, korean_nlp
    )
    assert annotation.record is None
    assert annotation.reason == annotate.SURFACE_NOT_FOUND
    assert "갤럭시 버즈3" in annotation.detail


def test_repeated_surfaces_map_to_successive_occurrences(korean_nlp):
    text = "5만 원 먼저 내시고 다음 달에 5만 원 더 내시면 돼요"
    annotation = annotate_utterance(
        {"text": text, "entities": [{"text": "5만 원", "label": "MONEY"}, {"text": "5만 원", "label": "MONEY"}]},
        korean_nlp,
    )
    assert annotation.reason is None
    starts = [e["start"] for e in annotation.record["entities"]]
    assert starts == [0, text.index("5만 원", 1)]


def test_nested_surface_finds_its_own_occurrence(korean_nlp):
    text = "아이폰 16 프로로 바꾸면 아이폰 케이스도 새로 사야 하나요"
    annotation = annotate_utterance(
        {"text": text, "entities": [{"text": "아이폰", "label": "PRODUCT"}, {"text": "아이폰 16 프로로", "label": "PRODUCT"}]},
        korean_nlp,
    )
    assert annotation.reason is None
    assert surfaces(annotation.record) == [("아이폰 16 프로", "PRODUCT"), ("아이폰", "PRODUCT")]
    assert annotation.record["entities"][1]["start"] == text.index("아이폰 케이스")


def test_repeat_listed_once_is_rejected_not_half_labelled(korean_nlp):
    annotation = annotate_utterance(
        {"text": "5만 원 먼저 내시고 다음 달에 5만 원 더 내시면 돼요", "entities": [{"text": "5만 원", "label": "MONEY"}]},
        korean_nlp,
    )
    assert annotation.reason == annotate.UNLABELLED_ENTITY


def test_unlabelled_phone_is_rejected(korean_nlp):
    annotation = annotate_utterance({"text": "번호는 010-1234-5678로 해주세요", "entities": []}, korean_nlp)
    assert annotation.reason == annotate.UNLABELLED_ENTITY


@pytest.mark.parametrize("text,surface,label,kept", [
    ("14만 원을 이번 달에 냈어요", "14만 원을", "MONEY", "14만 원"),
    ("계약번호 KR-2026-001번이요", "KR-2026-001번이요", "CONTRACT", "KR-2026-001"),
    ("010-1234-5678로 문자 주세요", "010-1234-5678로", "PHONE", "010-1234-5678"),
    ("갤럭시 S25를 예약했는데요", "갤럭시 S25를", "PRODUCT", "갤럭시 S25"),
    ("갤럭시 S25도요", "갤럭시 S25도요", "PRODUCT", "갤럭시 S25"),
    ("아이폰 16 프로로 바꿀게요", "아이폰 16 프로로", "PRODUCT", "아이폰 16 프로"),
    ("닌텐도요 닌텐도 스위치", "닌텐도요", "PRODUCT", "닌텐도"),
    ("공일공 일이삼사 오육칠팔이요", "공일공 일이삼사 오육칠팔이요", "PHONE", "공일공 일이삼사 오육칠팔"),
    ("갤럭시 S25 블루 256기가로 주세요", "갤럭시 S25 블루 256기가", "PRODUCT", "갤럭시 S25"),
    ("아이폰 16 프로 내추럴 티타늄으로요", "아이폰 16 프로 내추럴 티타늄", "PRODUCT", "아이폰 16 프로"),
    ("갤럭시 링을 샀어요", "갤럭시 링을", "PRODUCT", "갤럭시 링"),
])
def test_particle_inside_a_surface_is_cut(korean_nlp, text, surface, label, kept):
    entities = [{"text": surface, "label": label}]
    if text.startswith("닌텐도요"):
        entities.append({"text": "닌텐도 스위치", "label": "PRODUCT"})
    annotation = annotate_utterance({"text": text, "entities": entities}, korean_nlp)
    assert annotation.reason is None, annotation.detail
    assert surfaces(annotation.record)[0] == (kept, label)


def test_product_words_that_end_like_a_particle_stay_whole(korean_nlp):
    annotation = annotate_utterance(
        {"text": "에어팟 프로 샀어요", "entities": [{"text": "에어팟 프로", "label": "PRODUCT"}]}, korean_nlp
    )
    assert surfaces(annotation.record) == [("에어팟 프로", "PRODUCT")]


INVALID_UTTERANCES = [
    # cutting the particle leaves no valid MONEY (no currency word)
    ({"text": "5만을 보냈어요", "entities": [{"text": "5만을", "label": "MONEY"}]}, "bad_shape"),
    ({"text": "뒷자리 5678 맞으세요", "entities": [{"text": "5678", "label": "PHONE"}]}, "bad_shape"),
    ({"text": "요금이 3개월째 그대로예요", "entities": [{"text": "3개월", "label": "MONEY"}]}, "bad_shape"),
    ({"text": "주문번호 ORD-2026-001 확인", "entities": [{"text": "ORD-2026-001", "label": "CONTRACT"}]}, "bad_shape"),
    ({"text": "홍길동 고객님", "entities": [{"text": "홍길동", "label": "PERSON"}]}, "unknown_label"),
    ({"text": "갤럭시탭 샀어요", "entities": [{"text": "갤럭시", "label": "PRODUCT"}]}, "misaligned"),
    ({"text": "갤럭시 S25 샀어요", "entities": [{"text": "갤럭시 S25", "label": "PRODUCT"},
                                             {"text": "S25", "label": "PRODUCT"}]}, "overlap"),
    ({"text": "텍스트만"}, "missing_field"),
    ({"text": "5만 원", "entities": [{"label": "MONEY"}]}, "missing_field"),
    ({"text": "   ", "entities": []}, "empty_text"),
]


@pytest.mark.parametrize("item,reason", INVALID_UTTERANCES)
def test_invalid_utterances_are_rejected_with_a_reason(korean_nlp, item, reason):
    annotation = annotate_utterance(item, korean_nlp)
    assert annotation.record is None
    assert annotation.reason == reason


@pytest.mark.parametrize("item,kind", [
    # the label is the validator's to judge: its kinds, whatever the label's type
    ({"text": "5만 원 냈어요", "entities": [{"text": "5만 원", "label": 7}]}, "bad_type"),
    ({"text": "5만 원 냈어요", "entities": [{"text": "5만 원", "label": "money"}]}, None),
    # the reply format is checked here, with the validator's kinds
    (["5만 원"], "not_an_object"),
    ({"text": "5만 원", "entities": "5만 원"}, "bad_type"),
    ({"text": "5만 원", "entities": [{"text": 5, "label": "MONEY"}]}, "bad_type"),
    ({"text": "네 알겠습니다", "entities": [{"text": "…", "label": "MONEY"}]}, "empty_span"),
])
def test_rejection_kinds_are_the_validators(korean_nlp, item, kind):
    annotation = annotate_utterance(item, korean_nlp)
    assert annotation.reason == kind, annotation.detail


def test_a_span_the_validator_refuses_rejects_with_its_kind_and_message(korean_nlp):
    text = "갤럭시탭 샀어요"
    annotation = annotate_utterance({"text": text, "entities": [{"text": "갤럭시", "label": "PRODUCT"}]}, korean_nlp)
    _, problems, _ = validate_entities(text, [{"start": 0, "end": 3, "label": "PRODUCT"}], korean_nlp)
    assert (annotation.reason, annotation.detail) == (problems[0].kind, problems[0].message)


ACCEPTED_UTTERANCES = [
    good_item(7),
    {"text": "요금이 약 5만 원 정도 나왔어요", "entities": [{"text": "약 5만 원 정도", "label": "MONEY"}]},
    {"text": "아이폰 16 프로 내추럴 티타늄으로요", "entities": [{"text": "아이폰 16 프로 내추럴 티타늄", "label": "PRODUCT"}]},
    {"text": "계약번호 KR-2026-001번이요", "entities": [{"text": "KR-2026-001번이요", "label": "CONTRACT"}]},
    {"text": "공일공 일이삼사 오육칠팔이요", "entities": [{"text": "공일공 일이삼사 오육칠팔이요", "label": "PHONE"}]},
    {"text": "  네   잠시만요  ", "entities": []},
]


@pytest.mark.parametrize("item", ACCEPTED_UTTERANCES + [item for item, _ in INVALID_UTTERANCES])
def test_every_accepted_record_passes_the_validator(korean_nlp, item):
    annotation = annotate_utterance(item, korean_nlp)
    if annotation.record is None:
        assert annotation.reason
        return
    record, problems = validate_record(annotation.record, korean_nlp)
    assert record is not None and problems == []
    assert record.to_json() == annotation.record


def test_accepted_utterances_are_accepted(korean_nlp):
    assert all(annotate_utterance(item, korean_nlp).record is not None for item in ACCEPTED_UTTERANCES)
