"""Korean tokenization: every entity of ANNOTATION.md lands on token boundaries."""
import re

import pytest
import srsly
from spacy.lang.ko import Korean
from spacy.util import registry

from spacy_callner.training.data import alignment_stats
from spacy_callner.tokenizer import make_plain_korean_nlp, tokens_per_100_chars

from .conftest import ANNOTATION_PATH, REAL_DEV_PATH

# (text, entity surface, label): the guideline's examples, each with the
# particle, modifier or glued context it is about.
GUIDELINE_CASES = [
    ("010-1234-5678로 문자 주세요", "010-1234-5678", "PHONE"),
    ("14만 원을 결제했어요", "14만 원", "MONEY"),
    ("갤럭시 S25를 샀는데요", "갤럭시 S25", "PRODUCT"),
    ("KR-2026-001번이요", "KR-2026-001", "CONTRACT"),
    ("아이폰 16 프로로 바꿀게요", "아이폰 16 프로", "PRODUCT"),
    ("3만 원이에요", "3만 원", "MONEY"),
    ("약 5만 원 나와요", "5만 원", "MONEY"),
    ("5만 원 정도 돼요", "5만 원", "MONEY"),
    ("5만 원씩 나가요", "5만 원", "MONEY"),
    ("5만원씩 나가요", "5만원", "MONEY"),
    ("갤럭시 S25 블루 256기가 있어요?", "갤럭시 S25", "PRODUCT"),
    ("아이폰 사용 중이에요", "아이폰", "PRODUCT"),
    ("계약번호 KR-2026-001번 확인할게요", "KR-2026-001", "CONTRACT"),
    ("계약번호KR-2026-001 맞으세요?", "KR-2026-001", "CONTRACT"),
    ("공일공 일이삼사 오육칠팔로 연락 주세요", "공일공 일이삼사 오육칠팔", "PHONE"),
    ("번호가 공일공 일이삼사 오육칠팔이요", "공일공 일이삼사 오육칠팔", "PHONE"),
    ("번호는01012345678이고요", "01012345678", "PHONE"),
    ("+82 10-1234-5678로요", "+82 10-1234-5678", "PHONE"),
    ("+82-10-1234-5678이요", "+82-10-1234-5678", "PHONE"),
    ("82-10-1234-5678로 걸어 주세요", "82-10-1234-5678", "PHONE"),
    ("010 1234 5678로 주세요", "010 1234 5678", "PHONE"),
    ("010.1234.5678이에요", "010.1234.5678", "PHONE"),
    ("011-123-4567로요", "011-123-4567", "PHONE"),
    ("02-123-4567이고요", "02-123-4567", "PHONE"),
    ("031-123-4567로 전화", "031-123-4567", "PHONE"),
    ("051-1234-5678번이에요", "051-1234-5678", "PHONE"),
    ("1588-1234로 전화하세요", "1588-1234", "PHONE"),
    ("1577-0000번이요", "1577-0000", "PHONE"),
    ("1644-1234에 문의", "1644-1234", "PHONE"),
    ("080-123-4567은 무료예요", "080-123-4567", "PHONE"),
    ("140,000원이었는데", "140,000원", "MONEY"),
    ("14만원짜리요", "14만원", "MONEY"),
    ("1,200,000원을 할부로", "1,200,000원", "MONEY"),
    ("120만 원이라고요", "120만 원", "MONEY"),
    ("3천 원만 더 내면", "3천 원", "MONEY"),
    ("오만 원이요", "오만 원", "MONEY"),
    ("삼만 오천 원이랑", "삼만 오천 원", "MONEY"),
    ("5천500원씩이면", "5천500원", "MONEY"),
    ("9,900원으로", "9,900원", "MONEY"),
    ("$20 정도요", "$20", "MONEY"),
    ("20달러를 냈어요", "20달러", "MONEY"),
    ("100엔이요", "100엔", "MONEY"),
    ("38만 2천 원이었는데", "38만 2천 원", "MONEY"),
    ("갤럭시 S25 울트라로 할게요", "갤럭시 S25 울트라", "PRODUCT"),
    ("갤럭시 Z 플립6는 재고 있어요?", "갤럭시 Z 플립6", "PRODUCT"),
    ("아이폰 16은요", "아이폰 16", "PRODUCT"),
    ("아이폰 16 프로 맥스가 좋아요", "아이폰 16 프로 맥스", "PRODUCT"),
    ("iPhone 16을 쓰는데", "iPhone 16", "PRODUCT"),
    ("Galaxy S25로 바꿨어요", "Galaxy S25", "PRODUCT"),
    ("갤럭시 버즈3 프로에서도 그래요", "갤럭시 버즈3 프로", "PRODUCT"),
    ("에어팟 프로는 얼마예요", "에어팟 프로", "PRODUCT"),
    ("아이패드 에어를 사려고요", "아이패드 에어", "PRODUCT"),
    ("갤럭시 워치7이랑 같이", "갤럭시 워치7", "PRODUCT"),
    ("LG 그램으로 할게요", "LG 그램", "PRODUCT"),
    ("맥북 에어용 충전기요", "맥북 에어", "PRODUCT"),
    ("갤럭시S25를 주문했는데", "갤럭시S25", "PRODUCT"),
    ("KR-2025-137로 조회해 주세요", "KR-2025-137", "CONTRACT"),
    ("KR-2026-0042번이요", "KR-2026-0042", "CONTRACT"),
    ("kr-2026-001이요", "kr-2026-001", "CONTRACT"),
]


@pytest.mark.parametrize("text,surface,label", GUIDELINE_CASES)
def test_guideline_entity_aligns(korean_nlp, text, surface, label):
    start = text.index(surface)
    doc = korean_nlp(text)
    span = doc.char_span(start, start + len(surface), label=label)
    assert span is not None, f"{surface!r} lost in {[t.text for t in doc]}"


def test_plain_tokenizer_loses_guideline_entities():
    """The problem these rules solve: spaCy's plain rules lose many of these spans."""
    plain = make_plain_korean_nlp()
    lost = [
        surface for text, surface, _ in GUIDELINE_CASES
        if plain(text).char_span(text.index(surface), text.index(surface) + len(surface)) is None
    ]
    assert len(lost) >= len(GUIDELINE_CASES) // 2


@pytest.mark.skipif(not ANNOTATION_PATH.exists(), reason="shared/ANNOTATION.md is not beside this checkout")
def test_every_guideline_arrow_example_is_a_case():
    """Each span `X` → `Y` example of ANNOTATION.md appears among GUIDELINE_CASES.

    The "Values" section maps surfaces to values, not to spans; it is left out here.
    """
    guideline = ANNOTATION_PATH.read_text(encoding="utf8").split("## Values")[0]
    surfaces = {surface for _, surface, _ in GUIDELINE_CASES}
    texts = " ".join(text for text, _, _ in GUIDELINE_CASES)
    pairs = re.findall(r"`([^`]+)`\s*→\s*`([^`]+)`", guideline)
    assert len(pairs) >= 8
    for glued, entity in pairs:
        assert entity in surfaces, entity
        assert glued.replace(" ", "") in texts.replace(" ", "") or glued in texts, glued


@pytest.mark.parametrize("text,expected", [
    ("140,000원", ["140,000", "원"]),
    ("1,200,000원이에요, 네", ["1,200,000", "원", "이", "에", "요", ",", "네"]),
    ("010-1234-5678,010-2222-3333", ["010-1234-5678", ",", "010-2222-3333"]),
    ("KR-2026-001번이요", ["KR-2026-001", "번", "이", "요"]),
    ("ROG 앨라이랑 아이패드 10세대로", ["ROG", "앨라이", "랑", "아이패드", "10", "세대", "로"]),
    ("에어팟\t프로로 바꿀게요", ["에어팟", "\t", "프로", "로", "바꿀게", "요"]),
    ("코웨이에서 닌텐도도", ["코웨이", "에서", "닌텐도", "도"]),
    ("2026-01-15에", ["2026-01-15", "에"]),
    ("네네 감사합니다.", ["네네", "감사합니다", "."]),
])
def test_exact_tokens(korean_nlp, text, expected):
    assert [t.text for t in korean_nlp(text)] == expected


def test_rules_survive_serialisation(korean_nlp, tmp_path):
    korean_nlp.to_disk(tmp_path / "nlp")
    restored = Korean.from_config(korean_nlp.config).from_disk(tmp_path / "nlp")
    text = "계약번호KR-2026-001번이요 14만 원을 010-1234-5678로"
    assert [t.text for t in restored(text)] == [t.text for t in korean_nlp(text)]


def test_callback_is_registered():
    plain = make_plain_korean_nlp()
    callback = registry.callbacks.get("callner.korean_tokenizer.v1")()
    nlp = callback(plain)
    assert [t.text for t in nlp("5만원씩")] == ["5", "만원", "씩"]


def test_generated_corpus_aligns_fully(korean_nlp):
    from spacy_callner.training.synthetic import generate_examples

    examples = list(generate_examples(2000, seed=7))
    pairs = [(ex["text"], [(e["start"], e["end"], e["label"]) for e in ex["entities"]]) for ex in examples]
    stats = alignment_stats(korean_nlp, pairs)
    assert stats["spans"] > 2000
    assert stats["lost"] == 0
    plain_rate = tokens_per_100_chars(make_plain_korean_nlp(), [t for t, _ in pairs])
    ours_rate = tokens_per_100_chars(korean_nlp, [t for t, _ in pairs])
    assert plain_rate < ours_rate < 1.8 * plain_rate


@pytest.mark.skipif(not REAL_DEV_PATH.exists(), reason="no real dev set")
def test_real_dev_set_aligns(korean_nlp):
    pairs = [(r["text"], [(e["start"], e["end"], e["label"]) for e in r["entities"]])
             for r in srsly.read_jsonl(REAL_DEV_PATH)]
    stats = alignment_stats(korean_nlp, pairs)
    assert stats["alignment_rate"] >= 0.995, stats


def test_long_transcript(korean_nlp):
    text = "네 고객님 010-1234-5678로 14만 원을 보내 드렸고요 " * 1700
    assert len(text) > 50_000
    doc = korean_nlp(text)
    assert doc.text == text


def _catalogue_names():
    from spacy_callner.training.synthetic import load_bank

    products = load_bank("products.json")
    names = {name for entry in products["catalogue"] for name in entry[2:4]}
    bare_brands = {brand for brand in products["bare_brands"] if isinstance(brand, str)}
    return sorted(names | bare_brands | {"에어팟 프로", "갤럭시 S25 엣지", "아이패드 미니", "ROG 앨라이"})


def test_product_words_that_end_like_a_particle_stay_whole(korean_nlp):
    """Every catalogue word the suffix rules would cut is one token, alone and before a particle."""
    from spacy_callner.tokenizer import korean_suffixes, make_plain_korean_nlp
    from spacy.util import compile_suffix_regex
    from spacy_callner.values.product_kb import hangul_product_words

    rules_only = make_plain_korean_nlp()
    rules_only.tokenizer.suffix_search = compile_suffix_regex(korean_suffixes()).search
    cut = [w for w in hangul_product_words() if len(rules_only(w)) > 1 and re.fullmatch("[가-힣]+", w)]
    assert "프로" in cut and len(cut) >= 5
    for word in cut:
        assert [t.text for t in korean_nlp(f"{word}를")][:1] == [word]


def test_no_particle_cuts_into_a_product_name(korean_nlp):
    """Every catalogue product followed by every particle that can follow it keeps its end on a boundary."""
    from spacy_callner.scheme import PARTICLES
    from spacy_callner.scheme.particles import attaches_to

    lost = []
    for name in _catalogue_names():
        for particle in (p for p in PARTICLES if attaches_to(name[-1], p)):
            text = f"고객님 {name}{particle} 확인했어요"
            if korean_nlp(text).char_span(4, 4 + len(name)) is None:
                lost.append(name + particle)
    assert not lost, lost[:20]


@pytest.mark.parametrize("amount", ["14만 원", "20달러", "100엔", "50유로", "467불", "오만 원", "$20"])
def test_no_particle_cuts_into_money(korean_nlp, amount):
    from spacy_callner.scheme import PARTICLES

    lost = [p for p in PARTICLES if korean_nlp(f"네 {amount}{p} 맞아요").char_span(2, 2 + len(amount)) is None]
    assert not lost


@pytest.mark.parametrize("text,surface", [
    ("공일공팔삼칠육오육팔오이에요", "공일공팔삼칠육오육팔오"),
    ("공일공 오육칠팔 일이삼사이고요", "공일공 오육칠팔 일이삼사"),
    ("울트라예요~ 네", "울트라"),
    ("467불이었는데요", "467불"),
    ("환급은¥87,512이 맞나요", "¥87,512"),
    ("에어팟만큼 좋아요", "에어팟"),
    ("갤럭시 워치 울트라도 연결돼요", "갤럭시 워치 울트라"),
    ("갤럭시 S25 엣지만 있어요", "갤럭시 S25 엣지"),
])
def test_generator_found_cases(korean_nlp, text, surface):
    start = text.index(surface)
    assert korean_nlp(text).char_span(start, start + len(surface)) is not None


# --- callner.KoreanTokenizer.v1: bounded work per token, same tokens as before ---

def _tokens(nlp, text):
    return [(token.text, token.whitespace_) for token in nlp(text)]


@pytest.fixture(scope="module")
def unbounded_nlp():
    from spacy_callner.tokenizer import make_unbounded_korean_nlp

    return make_unbounded_korean_nlp()


def _generated_texts(n, seed):
    """Random texts from the alphabets the rules care about, every run under max_run."""
    import random

    rng = random.Random(seed)
    pieces = ["요", "가", "를", "이에요", "이었는데", "이요", "다", "원", "만", "공일공", "오육칠팔",
              "1", "0", "5", "-", ",", ".", "..", "~", "KR", "S25", "갤럭시", "프로", "로", "번",
              " ", " ", " ", "\t", "\u00a0", "\u3000", "\n", "(", ")", "₩", "$", "😀", "/"]
    texts = []
    for _ in range(n):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        texts.append(text)
    return texts


def test_same_tokens_as_the_unbounded_rules_on_the_real_dev_set(korean_nlp, unbounded_nlp):
    texts = [record["text"] for record in srsly.read_jsonl(REAL_DEV_PATH)]
    assert texts
    assert [_tokens(korean_nlp, text) for text in texts] == [_tokens(unbounded_nlp, text) for text in texts]


def test_same_tokens_as_the_unbounded_rules_on_generated_texts(korean_nlp, unbounded_nlp):
    from spacy_callner.training.synthetic import generate_examples

    texts = [example["text"] for example in generate_examples(1000, seed=11)] + _generated_texts(3000, seed=5)
    for text in texts:
        assert _tokens(korean_nlp, text) == _tokens(unbounded_nlp, text), text


def test_tail_suffix_search_equals_the_full_search():
    import random

    from spacy.util import compile_suffix_regex

    from spacy_callner.bounded_tokenizer import TailSuffixSearch
    from spacy_callner.tokenizer import korean_suffixes

    full = compile_suffix_regex(korean_suffixes())
    tail = TailSuffixSearch(full)
    rng = random.Random(1)
    alphabet = ["요", "이", "에", "를", "다", "원", "1", ".", ".", "…", "km", "\n", "a", "%", ")", "'", "삼", "칠"]
    for _ in range(5000):
        string = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        expected, found = full.search(string), tail(string)
        assert (expected and expected.span()) == (found and found.span()), string


@pytest.mark.parametrize("unit", ["요", "가", "를", "이에요", "이었는데", "1이요", ".", "010-1234-5678"])
def test_no_token_handed_to_the_rules_is_longer_than_max_run(korean_nlp, unit):
    """The bound that makes tokenizing linear: a 10,000-character run is cut first."""
    inner = korean_nlp.tokenizer.inner
    seen = []
    search = inner.suffix_search

    def recording_search(string):
        seen.append(len(string))
        return search(string)

    recording_search.__self__ = search.__self__
    text = unit * (10_000 // len(unit))
    inner.suffix_search = recording_search
    try:
        doc = korean_nlp.tokenizer(text)
    finally:
        inner.suffix_search = search
    assert doc.text == text
    assert max(seen) <= korean_nlp.tokenizer.max_run
    assert max(len(token) for token in doc) <= korean_nlp.tokenizer.max_run


def test_long_run_is_cut_at_a_script_change(korean_nlp):
    text = "가" * 80 + "010-1234-5678" + "나" * 80
    assert "010-1234-5678" in [token.text for token in korean_nlp(text)]


def test_bounded_tokenizer_serialises(korean_nlp, tmp_path):
    from spacy_callner.bounded_tokenizer import BoundedTokenizer, TailSuffixSearch

    text = "계약번호KR-2026-001번이요 14만 원을 010-1234-5678로 " + "요" * 500
    korean_nlp.to_disk(tmp_path / "nlp")
    restored = Korean.from_config(korean_nlp.config).from_disk(tmp_path / "nlp")
    from_bytes = Korean.from_config(korean_nlp.config).from_bytes(korean_nlp.to_bytes())
    for nlp in (restored, from_bytes):
        assert isinstance(nlp.tokenizer, BoundedTokenizer)
        assert isinstance(nlp.tokenizer.inner.suffix_search, TailSuffixSearch)
        assert _tokens(nlp, text) == _tokens(korean_nlp, text)
    import pickle

    assert _tokens(pickle.loads(pickle.dumps(korean_nlp)), text) == _tokens(korean_nlp, text)


def test_pipeline_saved_with_the_old_tokenizer_loads_and_tokenizes_the_same(unbounded_nlp, korean_nlp, tmp_path):
    """Pipelines trained before: spacy.Tokenizer.v1 in [nlp.tokenizer], rules from the callback."""
    import spacy

    unbounded_nlp.to_disk(tmp_path / "old")
    old = spacy.load(tmp_path / "old")
    assert old.config["nlp"]["tokenizer"]["@tokenizers"] == "spacy.Tokenizer.v1"
    texts = [record["text"] for record in srsly.read_jsonl(REAL_DEV_PATH)][:200]
    assert [_tokens(old, text) for text in texts] == [_tokens(korean_nlp, text) for text in texts]


def test_callback_installs_the_rules_on_the_bounded_tokenizer(korean_nlp):
    from spacy_callner.bounded_tokenizer import TailSuffixSearch

    callback = registry.callbacks.get("callner.korean_tokenizer.v1")()
    nlp = callback(Korean.from_config(korean_nlp.config))
    assert isinstance(nlp.tokenizer.inner.suffix_search, TailSuffixSearch)
    assert [t.text for t in nlp("5만원씩")] == ["5", "만원", "씩"]


@pytest.mark.parametrize("config", ["configs/trf.cfg", "configs/cnn.cfg"])
def test_training_configs_use_the_bounded_tokenizer(config):
    from pathlib import Path

    from spacy.util import load_config

    root = Path(__file__).resolve().parents[1]
    section = load_config(root / config, interpolate=False)["nlp"]["tokenizer"]
    assert section["@tokenizers"] == "callner.KoreanTokenizer.v1"


def test_spacy_load_finds_the_tokenizer_without_an_import(korean_nlp, tmp_path):
    """Needs `spacy_tokenizers = callner.KoreanTokenizer.v1 = spacy_callner.tokenizer:...` in setup.cfg."""
    import subprocess
    import sys
    from importlib.metadata import entry_points

    if not any(ep.name == "callner.KoreanTokenizer.v1" for ep in entry_points(group="spacy_tokenizers")):
        pytest.skip("the spacy_tokenizers entry point is not declared (setup.cfg) or not installed")
    korean_nlp.to_disk(tmp_path / "nlp")
    code = f"import spacy; print(type(spacy.load({str(tmp_path / 'nlp')!r}).tokenizer).__name__)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "BoundedTokenizer"


def test_tail_suffix_search_falls_back_to_the_full_search_on_odd_patterns():
    import re

    from spacy_callner.bounded_tokenizer import TailSuffixSearch

    regex = re.compile(r"(?i)ab$|(?:x|y)+$")
    tail = TailSuffixSearch(regex)
    for string in ["zzAB", "zzxyxyxyxyxy" * 10, "ab\n", "q"]:
        expected, found = regex.search(string), tail(string)
        assert (expected and expected.span()) == (found and found.span())


def test_bounded_tokenizer_works_inside_a_memory_zone(korean_nlp):
    with korean_nlp.memory_zone():
        doc = korean_nlp("네 010-1234-5678로 " + "요" * 300)
        assert doc.text.startswith("네 010-1234-5678로")
    assert callable(korean_nlp.tokenizer._reset_cache)


@pytest.mark.parametrize("text,expected", [
    ("디스플레이 교체", ["디스플레이", "교체"]),
    ("디스플레이가 나갔어요", ["디스플레이", "가", "나갔어", "요"]),
    ("디스플레이는", ["디스플레이", "는"]),
    ("디스플레이인데요", ["디스플레이", "인데요"]),
    ("구글 플레이 결제", ["구글", "플레이", "결제"]),
    ("레이 모델", ["레이", "모델"]),
    ("폰이 안 켜져요", ["폰", "이", "안", "켜져", "요"]),
    ("아이폰이랑", ["아이폰", "이", "랑"]),
    ("아이폰으로", ["아이폰", "으로"]),
    ("갤럭시가", ["갤럭시", "가"]),
    ("갤럭시로", ["갤럭시", "로"]),
    ("갤럭시인데요", ["갤럭시", "인데요"]),
    ("S24이", ["S24", "이"]),
    ("5G이요", ["5G", "이", "요"]),
    ("노이즈캔슬링이", ["노이즈캔슬링", "이"]),
])
def test_after_consonant_particles_only_follow_a_final_consonant(korean_nlp, text, expected):
    """`이`, `을`, `으로` ... follow a syllable with 받침 only, so a loanword's own 이 stays on it."""
    assert [t.text for t in korean_nlp(text)] == expected


def test_no_open_syllable_loses_a_final_i(korean_nlp):
    """No Hangul word ending in an open syllable + 이 is cut before its 이 (`플레이`, `디스플레이`)."""
    from spacy_callner.scheme.particles import HANGUL_SYLLABLES, has_final_consonant

    first, last = (ord(c) for c in HANGUL_SYLLABLES)
    open_syllables = [chr(c) for c in range(first, last + 1) if not has_final_consonant(chr(c))]
    assert len(open_syllables) == 399
    cut = [s + "이" for s in open_syllables if len(korean_nlp(f"디스플{s}이")) > 1]
    assert not cut, cut[:10]
