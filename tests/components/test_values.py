"""The values component on real pipelines: every entity gets a value or a reason, products get a kb id."""
import json
import subprocess
import sys

import pytest
from spacy.tokens import Doc, DocBin

from spacy_callner.tokenizer import make_korean_nlp

from ..entity_docs import with_model_entities

UTTERANCE = "네 010-1234-5678로 연락 주시고 갤럭시 S25 울트라 할부원금 삼만 오천 원, 계약번호 kr-2026-0042번이요."
ENTITIES = [("010-1234-5678", "PHONE"), ("갤럭시 S25 울트라", "PRODUCT"), ("삼만 오천 원", "MONEY"),
            ("kr-2026-0042", "CONTRACT")]


@pytest.fixture()
def values_nlp():
    nlp = make_korean_nlp()
    nlp.add_pipe("callner_values")
    return nlp


def test_every_label_gets_its_value(values_nlp):
    doc = values_nlp.get_pipe("callner_values")(with_model_entities(values_nlp, UTTERANCE, ENTITIES))
    values = {ent.label_: ent._.value for ent in doc.ents}
    assert values["PHONE"] == {"digits": "01012345678", "kind": "mobile"}
    assert values["MONEY"] == {"amount": 35000, "currency": "KRW"}
    assert values["CONTRACT"] == {"id": "KR-2026-0042"}
    assert values["PRODUCT"] == {"brand": "samsung", "name": "Galaxy S25 Ultra"}
    assert [ent.text for ent in doc.ents] == [surface for surface, _ in ENTITIES]
    assert all(ent._.value_error is None for ent in doc.ents)


def test_linked_product_sets_kb_id_and_unknown_does_not(values_nlp):
    text = "갤럭시 S25 울트라랑 삼성 무슨무슨폰 비교해 주세요"
    doc = with_model_entities(values_nlp, text, [("갤럭시 S25 울트라", "PRODUCT"), ("삼성 무슨무슨폰", "PRODUCT")])
    doc = values_nlp.get_pipe("callner_values")(doc)
    known, unknown = doc.ents
    assert known.kb_id_ and known.kb_id_.startswith("samsung")
    assert unknown.kb_id_ == ""
    assert unknown._.value == {"brand": "samsung", "name": None}


def test_a_value_that_cannot_be_computed_is_none_with_a_reason(values_nlp):
    text = "뒷자리 오천 정도요"
    doc = with_model_entities(values_nlp, text, [("뒷자리", "PHONE"), ("오천", "MONEY")])
    doc = values_nlp.get_pipe("callner_values")(doc)
    for ent in doc.ents:
        assert ent._.value is None
        assert isinstance(ent._.value_error, str) and ent._.value_error


def test_empty_and_entity_free_docs_pass_through(values_nlp):
    for text in ("", "   ", "네 알겠습니다 " * 5000):
        doc = values_nlp(text)
        assert doc.text == text and len(doc.ents) == 0


def test_values_survive_to_bytes_and_docbin(values_nlp):
    doc = values_nlp.get_pipe("callner_values")(with_model_entities(values_nlp, UTTERANCE, ENTITIES))
    restored = Doc(values_nlp.vocab).from_bytes(doc.to_bytes())
    docbin = DocBin(store_user_data=True, docs=[doc])
    from_bin = next(DocBin().from_bytes(docbin.to_bytes()).get_docs(values_nlp.vocab))
    for other in (restored, from_bin):
        assert [(e.text, e._.value, e.kb_id_) for e in other.ents] == [(e.text, e._.value, e.kb_id_) for e in doc.ents]


def test_record_is_json_with_values(values_nlp):
    doc = values_nlp.get_pipe("callner_values")(with_model_entities(values_nlp, UTTERANCE, ENTITIES))
    record = json.loads(json.dumps(doc._.record, ensure_ascii=False))
    assert record["text"] == UTTERANCE
    phone = record["entities"][0]
    assert phone == {"label": "PHONE", "text": "010-1234-5678", "start": 2, "end": 15, "score": phone["score"],
                     "value": {"digits": "01012345678", "kind": "mobile"}, "value_error": None, "kb_id": None}
    assert record["entities"][1]["kb_id"] == doc.ents[1].kb_id_


CATALOGUE = [{"id": "acme:rocket-phone-x", "brand": "acme", "name": "Rocket Phone X",
              "aliases": ["로켓폰 X", "로켓폰X"]}]


@pytest.fixture()
def catalogue_file(tmp_path):
    path = tmp_path / "products.jsonl"
    path.write_text("\n".join(json.dumps(entry, ensure_ascii=False) for entry in CATALOGUE) + "\n", encoding="utf8")
    return path


def _product_value(nlp, surface):
    doc = nlp.get_pipe("callner_values")(with_model_entities(nlp, f"{surface} 있어요?", [(surface, "PRODUCT")]))
    return doc.ents[0]._.value, doc.ents[0].kb_id_


def test_user_catalogue_extends_the_shipped_one(catalogue_file):
    nlp = make_korean_nlp()
    nlp.add_pipe("callner_values", config={"product_catalogue": str(catalogue_file)})
    assert _product_value(nlp, "로켓폰 X") == ({"brand": "acme", "name": "Rocket Phone X"}, "acme:rocket-phone-x")
    assert _product_value(nlp, "아이폰")[0] == {"brand": "apple", "name": "iPhone"}


def test_user_catalogue_can_replace_the_shipped_one(catalogue_file):
    nlp = make_korean_nlp()
    nlp.add_pipe("callner_values", config={"product_catalogue": str(catalogue_file), "replace_catalogue": True})
    assert _product_value(nlp, "로켓폰X")[1] == "acme:rocket-phone-x"
    assert _product_value(nlp, "아이폰 16 프로")[0]["name"] is None


def test_replace_without_a_catalogue_is_a_config_error():
    nlp = make_korean_nlp()
    with pytest.raises(ValueError, match="product_catalogue"):
        nlp.add_pipe("callner_values", config={"replace_catalogue": True})


def test_user_catalogue_travels_with_the_saved_pipeline(catalogue_file, tmp_path):
    """Saved beside the pipeline, the catalogue still links after its source file is gone."""
    nlp = make_korean_nlp()
    nlp.add_pipe("callner_values", config={"product_catalogue": str(catalogue_file)})
    nlp.to_disk(tmp_path / "pipeline")
    catalogue_file.unlink()
    assert (tmp_path / "pipeline" / "callner_values" / "user_catalogue.json").exists()
    reloaded = _load_in_fresh_process(tmp_path / "pipeline", None)
    assert reloaded[0][2] == "acme:rocket-phone-x"


LOAD_SCRIPT = """
import json, sys, spacy
path, catalogue = sys.argv[1], json.loads(sys.argv[2])
overrides = {"components": {"callner_values": {"product_catalogue": catalogue}}} if catalogue != "" else {}
nlp = spacy.load(path, config=overrides)
text = "로켓폰 X 있고 아이폰 16 있어요"
doc = nlp.make_doc(text)
doc.ents = [doc.char_span(0, 5, label="PRODUCT"), doc.char_span(9, 15, label="PRODUCT")]
doc = nlp.get_pipe("callner_values")(doc)
print(json.dumps([[e.text, e._.value, e.kb_id_] for e in doc.ents], ensure_ascii=False))
"""


def _load_in_fresh_process(path, catalogue=""):
    """Load the saved pipeline in a new interpreter (entry points only), with
    ``product_catalogue`` overridden to ``catalogue`` unless it is ``""``."""
    catalogue = str(catalogue) if catalogue not in ("", None) else catalogue
    result = subprocess.run([sys.executable, "-c", LOAD_SCRIPT, str(path), json.dumps(catalogue)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_load_time_config_override_in_a_fresh_process(catalogue_file, tmp_path):
    nlp = make_korean_nlp()
    nlp.add_pipe("callner_values")
    nlp.to_disk(tmp_path / "pipeline")
    plain = _load_in_fresh_process(tmp_path / "pipeline")
    assert plain[0][1] == {"brand": None, "name": None} and plain[0][2] == ""
    assert plain[1][1] == {"brand": "apple", "name": "iPhone 16"}
    overridden = _load_in_fresh_process(tmp_path / "pipeline", catalogue_file)
    assert overridden[0] == ["로켓폰 X", {"brand": "acme", "name": "Rocket Phone X"}, "acme:rocket-phone-x"]


@pytest.mark.parametrize("text, model_span, repaired", [
    ("버즈2 프로 보라퍼플 출고됐어요", "버즈2 프로 보라퍼플", "버즈2 프로"),
    ("다이슨 슈퍼소닉 드라이기 정품 맞나요", "다이슨 슈퍼소닉 드라이기", "다이슨 슈퍼소닉"),
    ("닌텐도 스위치 2 마리오카트 번들 예약", "닌텐도 스위치 2 마리오카트", "닌텐도 스위치 2"),
    ("그 뭐더라 에어팟 프로 투? 한쪽이 안 돼요", "에어팟 프로", "에어팟 프로 투"),
    ("고객 불만, 픽셀 8 프로 개통 불가", "8 프로", "픽셀 8 프로"),
    ("플레이스테이션 5 디지털 에디션 예약했어요", "플레이스테이션 5 디지털", "플레이스테이션 5 디지털 에디션"),
])
def test_product_boundaries_are_repaired_by_the_knowledge_base(values_nlp, text, model_span, repaired):
    doc = with_model_entities(values_nlp, text, [(model_span, "PRODUCT")])
    doc.ents[0]._.score = 0.7
    doc = values_nlp.get_pipe("callner_values")(doc)
    assert [ent.text for ent in doc.ents] == [repaired]
    assert doc.ents[0].kb_id_ and doc.ents[0]._.value["name"]
    assert doc.ents[0]._.score == 0.7, "the model's score stays with the repaired span"


@pytest.mark.parametrize("text, model_span", [
    ("갤럭시 S25 울트라 블루 주문", "갤럭시 S25 울트라"),
    ("갤럭시 탭 S10 울트라 펜이 인식이 안 돼요", "갤럭시 탭 S10 울트라 펜"),
    ("쿠쿠 트윈프레셔 마스터셰프 내솥", "쿠쿠 트윈프레셔 마스터셰프"),
    ("아이폰 16 256기가", "아이폰 16"),
])
def test_product_boundaries_stay_where_the_knowledge_base_cannot_tell(values_nlp, text, model_span):
    """A linked span is not grown by a colour or capacity; a Hangul model word (펜) is never cut; an
    unknown product keeps the model's span."""
    doc = values_nlp.get_pipe("callner_values")(with_model_entities(values_nlp, text, [(model_span, "PRODUCT")]))
    assert [ent.text for ent in doc.ents] == [model_span]


def test_product_repair_never_takes_tokens_of_a_neighbouring_entity():
    nlp = make_korean_nlp()
    nlp.add_pipe("callner_values")
    text = "에어팟 프로 투 개 주문"
    doc = with_model_entities(nlp, text, [("에어팟 프로", "PRODUCT"), ("투", "MONEY")])
    doc = nlp.get_pipe("callner_values")(doc)
    assert [(ent.text, ent.label_) for ent in doc.ents] == [("에어팟 프로", "PRODUCT"), ("투", "MONEY")]


def test_product_repair_can_be_turned_off():
    nlp = make_korean_nlp()
    nlp.add_pipe("callner_values", config={"repair_product_spans": False})
    doc = with_model_entities(nlp, "버즈2 프로 보라퍼플 출고", [("버즈2 프로 보라퍼플", "PRODUCT")])
    assert [ent.text for ent in nlp.get_pipe("callner_values")(doc).ents] == ["버즈2 프로 보라퍼플"]
