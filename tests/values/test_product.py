"""PRODUCT values: ANNOTATION.md's examples, the spellings transcripts write, user catalogues, and real_dev."""
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spacy_callner.scheme import PRODUCT
from spacy_callner.values import ProductEntry, ProductKB, ValueResult, compute_value, product_value
from spacy_callner.values.product_kb import product_key, product_knowledge

REAL_DEV = Path(__file__).resolve().parents[2] / "corpus" / "real_dev.jsonl"

ANNOTATION_VALUES = [
    ("갤럭시 S25 울트라", "samsung", "Galaxy S25 Ultra"),
    ("아이폰 16 프로 맥스", "apple", "iPhone 16 Pro Max"),
    ("에어팟 프로", "apple", "AirPods Pro"),
    ("LG 그램", "lg", "LG gram"),
    ("아이폰", "apple", "iPhone"),
    ("갤럭시 S25", "samsung", "Galaxy S25"),
    ("갤럭시 Z 플립6", "samsung", "Galaxy Z Flip6"),
    ("아이폰 16", "apple", "iPhone 16"),
    ("iPhone 16", "apple", "iPhone 16"),
    ("Galaxy S25", "samsung", "Galaxy S25"),
    ("갤럭시 버즈3 프로", "samsung", "Galaxy Buds3 Pro"),
    ("아이패드 에어", "apple", "iPad Air"),
    ("갤럭시 워치7", "samsung", "Galaxy Watch7"),
    ("맥북 에어", "apple", "MacBook Air"),
]


@pytest.mark.parametrize("surface,brand,name", ANNOTATION_VALUES)
def test_annotation_examples(surface, brand, name):
    result = compute_value(PRODUCT, surface)
    assert result.value == {"brand": brand, "name": name}
    assert result.error is None
    assert result.kb_id and result.kb_id.startswith(brand + ":")


def test_kb_id_is_brand_and_slug():
    assert product_value("갤럭시 S25 울트라").kb_id == "samsung:galaxy-s25-ultra"
    assert product_value("Galaxy S25+").kb_id == "samsung:galaxy-s25-plus"
    assert product_value("LG 그램").kb_id == "lg:gram"


@pytest.mark.parametrize("surface", [
    "갤럭시 S25 울트라", "Galaxy S25 Ultra", "galaxy s25 ultra", "GALAXY S25 ULTRA", "갤럭시 s25 Ultra",
    "갤럭시S25울트라", "갤럭시S25 울트라", "갤럭시\u3000S25\u00a0울트라", "갤럭시\tS25  울트라", "Galaxy-S25-Ultra",
    "ｇａｌａｘｙ Ｓ２５ Ｕｌｔｒａ", "삼성 갤럭시 S25 울트라", "Samsung Galaxy S25 Ultra", "S25 울트라", "갤s25 울트라",
    "갤럭시 에스 이십오 울트라",
])
def test_spelling_spacing_and_case_variants_link(surface):
    assert product_value(surface).value == {"brand": "samsung", "name": "Galaxy S25 Ultra"}


@pytest.mark.parametrize("surface,name", [
    ("아이폰16 프로", "iPhone 16 Pro"), ("16 프로", "iPhone 16 Pro"), ("아이폰 십육 프로", "iPhone 16 Pro"),
    ("에어팟프로", "AirPods Pro"), ("에어팟 프로 투", "AirPods Pro 2"), ("에어팟 프로 2세대", "AirPods Pro 2"),
    ("맥북에어", "MacBook Air"), ("플립6", "Galaxy Z Flip6"), ("갤럭시 플립6", "Galaxy Z Flip6"),
    ("갤s24", "Galaxy S24"), ("갤탭 S9", "Galaxy Tab S9"), ("갤워치7", "Galaxy Watch7"), ("폴드7", "Galaxy Z Fold7"),
    ("S24 플러스", "Galaxy S24+"), ("갤럭시 S25 플러스", "Galaxy S25+"), ("그램", "LG gram"), ("LG그램", "LG gram"),
    ("플스5", "PlayStation 5"), ("아이패드 10세대", "iPad (10th generation)"), ("iPad 10th generation", "iPad (10th generation)"),
])
def test_short_forms_and_glued_spellings(surface, name):
    assert product_value(surface).value["name"] == name


@pytest.mark.parametrize("surface,name", [
    ("갤럭시 S28 울트라", "Galaxy S28 Ultra"), ("갤럭시 S20 FE", "Galaxy S20 FE"), ("S27 엣지", "Galaxy S27 Edge"),
    ("갤럭시 Z 플립9", "Galaxy Z Flip9"), ("아이폰 18 프로 맥스", "iPhone 18 Pro Max"), ("픽셀 11 프로", "Pixel 11 Pro"),
])
def test_series_grammar_names_beyond_the_catalogue(surface, name):
    assert product_value(surface).value["name"] == name


def test_every_shipped_spelling_links_to_its_canonical_name():
    """Hangul and Latin spellings of each catalogue row meet in one entry: the learned word table is complete."""
    kb, data = ProductKB.default(), product_knowledge()
    wrong = []
    for key in ("catalogue", "bare_brands", "not_generated", "short_forms"):
        for row in data[key]:
            canonical = row[4] if len(row) > 4 else row[3]
            names = {getattr(kb.link(spelling), "name", None) for spelling in row[2:4]}
            if names != {canonical}:
                wrong.append((row, names))
    assert wrong == []


@pytest.mark.parametrize("surface,brand", [
    ("갤럭시 S99 울트라 맥스", "samsung"), ("아이폰 99", "apple"), ("그램 신모델", "lg"), ("LG 신제품", "lg"),
    ("삼성 신형", "samsung"), ("애플 신제품", "apple"), ("엘지 뭐시기", "lg"), ("Zorblax 3000", None), ("!!!", None),
])
def test_unknown_product_gets_the_brand_it_can_infer_and_no_name(surface, brand):
    assert product_value(surface) == ValueResult({"brand": brand, "name": None})


@pytest.mark.parametrize("surface", ["", "   ", "\u3000", "-", None, 42])
def test_no_product_words_has_a_reason(surface):
    result = product_value(surface)
    assert result.value is None
    assert result.error


def _write(path: Path, lines) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def user_catalogue(tmp_path):
    return _write(tmp_path / "catalogue.jsonl", [
        json.dumps({"brand": "Acme", "name": "Acme Phone X", "category": "phone", "aliases": ["애크미 폰 X", "폰엑스"]}),
        "",
        json.dumps({"id": "acme:s25-clone", "brand": "acme", "name": "Acme S25", "aliases": ["갤럭시 S25"]}),
    ])


def test_user_catalogue_replaces(user_catalogue):
    kb = ProductKB.from_file(user_catalogue)
    assert len(kb) == 2
    assert product_value("애크미폰 x", kb) == ValueResult({"brand": "acme", "name": "Acme Phone X"}, kb_id="acme:phone-x")
    assert product_value("아이폰 16", kb).value["name"] is None


def test_user_catalogue_extends_and_wins_on_the_same_alias(user_catalogue):
    kb = ProductKB.default().merged(ProductKB.from_file(user_catalogue))
    assert compute_value(PRODUCT, "폰엑스", kb).kb_id == "acme:phone-x"
    assert compute_value(PRODUCT, "아이폰 16", kb).value == {"brand": "apple", "name": "iPhone 16"}
    assert compute_value(PRODUCT, "갤럭시 S25", kb).kb_id == "acme:s25-clone"
    assert compute_value(PRODUCT, "갤럭시 S25", ProductKB.default()).kb_id == "samsung:galaxy-s25"


def test_user_entry_wins_over_the_same_id():
    user = ProductKB([ProductEntry("samsung:galaxy-s25", "samsung", "Galaxy S25 (custom)", "phone", ())])
    kb = ProductKB.default().merged(user)
    assert kb.link("갤럭시 S25").name == "Galaxy S25 (custom)"
    assert kb.entries["samsung:galaxy-s25"].name == "Galaxy S25 (custom)"


def test_json_list_catalogue(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps([{"brand": "coway", "name": "Coway Icon Ice", "aliases": ["코웨이 아이콘 아이스"]}]),
                    encoding="utf-8")
    assert ProductKB.from_file(path).link("코웨이 아이콘아이스").name == "Coway Icon Ice"


@pytest.mark.parametrize("bad_line,message", [
    ('{"brand": "acme", "name": ', "not valid JSON"),
    ('{"brand": "acme"}', "brand and name"),
    ('["acme", "Phone"]', "expected an object"),
    ('{"brand": "acme", "name": "X", "aliases": "X1"}', "aliases"),
])
def test_bad_line_names_file_and_line(tmp_path, bad_line, message):
    path = _write(tmp_path / "bad.jsonl", [json.dumps({"brand": "acme", "name": "Acme Phone X"}), bad_line])
    with pytest.raises(ValueError, match=message) as error:
        ProductKB.from_file(path)
    assert f"{path}:2" in str(error.value)


def test_to_json_round_trip(user_catalogue):
    for kb in (ProductKB.from_file(user_catalogue), ProductKB.default()):
        data = json.loads(json.dumps(kb.to_json(), ensure_ascii=False))
        again = ProductKB.from_json(data)
        assert again.entries == kb.entries
        for surface in ("애크미 폰 X", "갤럭시S25울트라", "에어팟프로", "폰엑스", "LG 그램"):
            assert again.link(surface) == kb.link(surface)


def test_keys_ignore_what_does_not_tell_products_apart():
    assert product_key("맥북 에어") == product_key("맥북에어") == product_key("MacBook-Air") == "macbookair"
    assert product_key("Galaxy S25+") == product_key("갤럭시 S25 플러스")
    assert product_key("에어팟 3세대") == product_key("AirPods 3rd generation") == product_key("AirPods 3")


PRODUCTISH = st.text(alphabet=st.sampled_from(list("갤럭시아이폰에어팟프로울트라플러스맥스세대이십오투에스 SsZz0123456789+-.()")
                                              + ["\u3000", "\u00a0", "\t"]), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), PRODUCTISH))
def test_any_text_never_raises(surface):
    result = product_value(surface)
    assert (result.value is None) != (result.error is None)
    if result.value is not None:
        assert set(result.value) == {"brand", "name"}
        assert (result.kb_id is None) == (result.value["name"] is None)


def _real_dev_products():
    for line in REAL_DEV.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for entity in record["entities"]:
            if entity["label"] == PRODUCT:
                yield record["text"][entity["start"]:entity["end"]]


def test_every_real_dev_product_has_a_brand_and_nearly_all_a_name():
    surfaces = list(_real_dev_products())
    values = [product_value(s).value for s in surfaces]
    assert len(surfaces) > 100
    assert [s for s, v in zip(surfaces, values) if v is None or v["brand"] is None] == []
    named = sum(v["name"] is not None for v in values)
    assert named / len(surfaces) >= 0.90, [s for s, v in zip(surfaces, values) if v["name"] is None]


@pytest.mark.parametrize("surface,brand,name", [
    ("갤럭시 에스 이십사 울트라", "samsung", "Galaxy S24 Ultra"), ("아이폰 십오 프로 맥스", "apple", "iPhone 15 Pro Max"),
    ("ipad air 6세대", "apple", "iPad Air 6"), ("Xbox 시리즈 X", "microsoft", "Xbox Series X"),
    ("샤오미 레드미 노트 13", "xiaomi", "Redmi Note 13"), ("샤오미 14T 프로", "xiaomi", "Xiaomi 14T Pro"),
    ("그램 프로 17", "lg", "LG gram Pro 17"), ("S펜", "samsung", "S Pen"), ("한컴오피스 2024", "hancom", "Hancom Office 2024"),
    ("바디프랜드 팰리스", "bodyfriend", "Bodyfriend Palace"), ("쿠쿠 인스퓨어", "cuckoo", "Cuckoo Inspure"),
    ("갤럭시 탭 S9 FE 플러스", "samsung", "Galaxy Tab S9 FE+"), ("노트20 울트라", "samsung", "Galaxy Note20 Ultra"),
])
def test_real_dev_surfaces(surface, brand, name):
    assert surface in set(_real_dev_products())
    assert product_value(surface).value == {"brand": brand, "name": name}


# ------------------------------------------------------------------ the catalogue beyond phones (issue 13)


def test_catalogue_covers_many_brands_and_categories():
    data = product_knowledge()
    catalogue = data["catalogue"]
    assert len(catalogue) >= 900
    assert len(data["brands"]) >= 120
    assert len({row[1] for row in catalogue}) >= 25
    assert all(row[0] in data["brands"] for key in ("catalogue", "bare_brands", "short_forms") for row in data[key])


@pytest.mark.parametrize("surface,brand,name", [
    ("다이슨 V12", "dyson", "Dyson V12"), ("V12", "dyson", "Dyson V12"), ("다이손 V15 디텍트", "dyson", "Dyson V15 Detect"),
    ("다이슨 에어랩", "dyson", "Dyson Airwrap"), ("에어랩", "dyson", "Dyson Airwrap"),
    ("로보락 S8 맥스V 울트라", "roborock", "Roborock S8 MaxV Ultra"), ("로보락S8프로울트라", "roborock", "Roborock S8 Pro Ultra"),
    ("에코백스 디봇 X2 옴니", "ecovacs", "ECOVACS DEEBOT X2 OMNI"), ("쿠첸 121", "cuchen", "Cuchen 121"),
    ("드롱기 마그니피카 에보", "delonghi", "De'Longhi Magnifica Evo"), ("델롱기 디디카", "delonghi", "De'Longhi Dedica"),
    ("네스프레소 버츄오 팝", "nespresso", "Nespresso Vertuo Pop"), ("브레빌 바리스타 익스프레스", "breville", "Breville Barista Express"),
    ("필립스 원블레이드", "philips", "Philips OneBlade"), ("브라운 시리즈 9 프로 플러스", "braun", "Braun Series 9 Pro+"),
    ("오랄비 iO 시리즈 9", "oralb", "Oral-B iO Series 9"), ("LG 휘센 타워", "lg", "LG WHISEN Tower"),
    ("캐논 EOS R6 마크2", "canon", "Canon EOS R6 Mark II"), ("소니 A7M4", "sony", "Sony Alpha 7 IV"),
    ("후지필름 X100VI", "fujifilm", "FUJIFILM X100VI"), ("니콘 Z6 III", "nikon", "Nikon Z6III"),
    ("인스타360 X4", "insta360", "Insta360 X4"), ("DJI 오즈모 포켓3", "dji", "DJI Osmo Pocket 3"),
    ("스팀덱 OLED", "valve", "Steam Deck OLED"), ("엑박 시리즈 X", "microsoft", "Xbox Series X"),
    ("메타 퀘스트 3", "meta", "Meta Quest 3"), ("파이어 TV 스틱 4K", "amazon", "Amazon Fire TV Stick 4K"),
    ("크롬캐스트", "google", "Google Chromecast"), ("킨들 페이퍼화이트", "amazon", "Kindle Paperwhite"),
    ("크레마 모티프", "crema", "crema motif"), ("델 XPS 13", "dell", "Dell XPS 13"), ("레노보 씽크패드 X1 카본", "lenovo", "ThinkPad X1 Carbon"),
    ("오디세이 OLED G8", "samsung", "Samsung Odyssey OLED G8"), ("마샬 엠버튼 III", "marshall", "Marshall Emberton III"),
    ("뱅앤올룹슨 베오플레이 H95", "bang-olufsen", "Beoplay H95"), ("젠하이져 모멘텀 4", "sennheiser", "Sennheiser Momentum 4"),
    ("어도비 포토샵", "adobe", "Adobe Photoshop"), ("MS 오피스 2024", "microsoft", "Microsoft Office 2024"),
    ("맥스튜디오", "apple", "Mac Studio"),
])
def test_products_beyond_phones_link(surface, brand, name):
    assert product_value(surface).value == {"brand": brand, "name": name}


@pytest.mark.parametrize("surface,brand", [
    ("엑스박스 게임패스", "microsoft"), ("다이슨 청소기", "dyson"), ("코웨이", "coway"), ("SK매직", "skmagic"),
])
def test_services_and_bare_companies_are_not_catalogued_products(surface, brand):
    """A subscription, a brand plus a generic noun, or a company alone has a brand but no catalogued name."""
    assert product_value(surface).value == {"brand": brand, "name": None}


def test_no_catalogue_name_is_a_service_or_plan():
    """ANNOTATION.md: services, plans and subscriptions are not PRODUCT, so the catalogue names none."""
    service_words = ("구독", "멤버십", "게임패스", "요금제", "플랜", "케어플러스", "애플케어", "보험", "렌탈료")
    data = product_knowledge()
    names = [row[2] for key in ("catalogue", "bare_brands", "short_forms", "not_generated") for row in data[key]]
    assert [n for n in names if any(w in n for w in service_words)] == []


def test_other_brand_spellings_are_not_company_names():
    """Alternate Hangul brand spellings the generator says in place of the brand word (다이손) never extend
    the main spelling into a company name (삼성전자, <brand>코리아), which is not PRODUCT."""
    from spacy_callner.training.synthetic.products import _other_brand_spellings

    data = product_knowledge()
    others = {brand: _other_brand_spellings(brand) for brand in data["brands"]}
    assert "다이손" in others["dyson"] and "엘지" in others["lg"]
    assert "삼성전자" not in others["samsung"]
    assert not [s for spellings in others.values() for s in spellings if s.endswith(("코리아", "전자"))]


def test_words_to_keep_cuts_only_hangul_non_model_words_after_a_named_product():
    from spacy_callner.values.product import product_words_to_keep

    assert product_words_to_keep(["버즈2", "프로", "보라퍼플"], [" ", " "]) == 2
    assert product_words_to_keep(["갤럭시", "S25", "울트라"], [" ", " "]) == 3, "linked whole: kept whole"
    assert product_words_to_keep(["갤럭시", "S25", "512"], [" ", " "]) == 3, "a digit word is a model word"
    assert product_words_to_keep(["무슨", "브랜드", "보라퍼플"], [" ", " "]) == 3, "nothing links: kept"


def test_words_to_add_takes_model_words_that_name_a_more_specific_product():
    from spacy_callner.values.product import product_words_to_add

    words, spaces = ["그", "에어팟", "프로", "투", "?"], [" ", " ", " ", "", ""]
    assert product_words_to_add(words, spaces, 1, 3) == (0, 1)
    assert product_words_to_add(["픽셀", "8", "프로", "개통"], [" ", " ", " ", ""], 1, 3) == (1, 0)
    assert product_words_to_add(["아이폰", "16", "블루"], [" ", " ", ""], 0, 2) == (0, 0)
