"""Tests for the synthetic generator: determinism, coverage of promised formats, and span rules of ANNOTATION.md.

The span rules are checked by the converter's validator (`validate_record`), the
same code that guards training data; only checks it does not make are written here.
"""
import re
from random import Random

import pytest

from spacy_callner.scheme import CONTRACT, LABELS, MONEY, PHONE, PRODUCT
from spacy_callner.scheme.rules import BAD_SHAPE, MISALIGNED, PARTICLE_INSIDE, WHITESPACE_EDGE
from spacy_callner.training.data import validate_entities, validate_record
from spacy_callner.training.synthetic import (
    FORMAT_CLASSES,
    choose_particle,
    generate_corpus,
    generate_examples,
    load_bank,
    summarize,
    write_jsonl,
)


@pytest.fixture(scope="module")
def corpus_5000():
    return generate_corpus(5000, seed=0)


@pytest.fixture(scope="module")
def records_5000(corpus_5000):
    return corpus_5000.records


@pytest.fixture(scope="module")
def records_2000(records_5000):
    return records_5000[:2000]


@pytest.fixture(scope="module")
def product_vocabulary():
    """Every Hangul word that may end a product name (catalogue, series, variants, bare brands, short forms)."""
    products = load_bank("products.json")
    series = load_bank("products.json")["series"]
    names = [row[2] for key in ("catalogue", "bare_brands", "short_forms") for row in products[key]]
    names += [s["ko"] for s in series] + [v[0] for s in series for v in s["variants"]]
    names += [b[0] for b in products["brands"].values()]
    words = set()
    for name in names:
        for run in re.findall(r"[가-힣]+", name):
            words.add(run)
    return words


def unknown_product_ending(span, product_words):
    """The Hangul word a PRODUCT span ends with when no bank name ends that way (a swallowed word), else None."""
    tail = re.search(r"[가-힣]+$", span)
    if tail and not any(tail.group(0).endswith(word) for word in product_words):
        return tail.group(0)
    return None


def test_same_seed_gives_identical_file(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_jsonl(generate_examples(300, seed=7), first)
    write_jsonl(generate_examples(300, seed=7), second)
    assert first.read_bytes() == second.read_bytes()


def test_different_seed_gives_different_data():
    a = [r["text"] for r in generate_examples(200, seed=1)]
    b = [r["text"] for r in generate_examples(200, seed=2)]
    assert a != b
    assert len(set(a) & set(b)) < 10


def test_shorter_run_is_prefix_of_longer(records_5000):
    assert generate_examples(50, seed=0) == records_5000[:50]


@pytest.mark.parametrize("format_class", sorted(FORMAT_CLASSES))
def test_format_class_meets_promised_rate(records_2000, format_class):
    rate = summarize(records_2000)["format_rates"][format_class]
    assert rate >= FORMAT_CLASSES[format_class], f"{format_class}: {rate:.3%} < {FORMAT_CLASSES[format_class]:.3%}"


def test_uniqueness_at_5000(records_5000):
    assert summarize(records_5000)["unique_ratio"] >= 0.95


def test_every_label_is_generated(records_2000):
    counts = summarize(records_2000)["label_counts"]
    assert all(counts[label] >= 200 for label in LABELS), counts


def test_no_generated_record_breaks_a_validation_rule(corpus_5000, korean_nlp):
    """Over 5,000 records the generator drops none, and the validator finds nothing in what it keeps."""
    assert corpus_5000.rejected.n_records == 0, corpus_5000.rejected.to_json()
    problems = [p for r in corpus_5000.records for p in validate_record(r, korean_nlp)[1]]
    assert not problems, [str(p) for p in problems[:10]]
    assert summarize(corpus_5000.records, corpus_5000.rejected)["validation_failures"]["records"] == 0


def test_spans_are_sorted_and_disjoint(records_5000):
    for record in records_5000:
        entities = record["entities"]
        assert entities == sorted(entities, key=lambda e: (e["start"], e["end"]))
        for previous, current in zip(entities, entities[1:]):
            assert previous["end"] <= current["start"], ("overlap", record["text"])


def test_products_end_in_a_known_word(records_5000, product_vocabulary):
    """A PRODUCT span never ends in a Hangul word no bank name ends with (the validator cannot know)."""
    bad = []
    for record in records_5000:
        for e in record["entities"]:
            span = record["text"][e["start"]:e["end"]]
            if e["label"] == PRODUCT and unknown_product_ending(span, product_vocabulary):
                bad.append((span, record["text"]))
    assert not bad, bad[:10]


def test_checker_catches_bad_spans(korean_nlp, product_vocabulary):
    """The validator the generator relies on refuses each kind of bad span and accepts the right ones."""
    text = "번호는 010-1234-5678로 하고 갤럭시 S25를 14만 원을 KR-2026-001번 입니다 갤럭시 S25 정수기"

    def problems(fragment, label):
        start = text.index(fragment)
        entity = {"start": start, "end": start + len(fragment), "label": label}
        return [p.kind for p in validate_entities(text, [entity], korean_nlp)[1]]

    assert problems("010-1234-5678로", PHONE) == [PARTICLE_INSIDE]
    assert problems("갤럭시 S25를", PRODUCT) == [PARTICLE_INSIDE]
    assert problems("14만 원을", MONEY) == [PARTICLE_INSIDE]
    assert problems("KR-2026-001번", CONTRACT) == [PARTICLE_INSIDE]
    assert problems("010-1234-567", PHONE) == [MISALIGNED]
    assert problems("10-1234-5678", PHONE) == [MISALIGNED]
    assert problems("갤럭시 S2", PRODUCT) == [MISALIGNED]
    assert problems(" 14만 원", MONEY) == [WHITESPACE_EDGE]
    assert problems("KR-2026", CONTRACT) == [BAD_SHAPE]
    assert problems("원", MONEY) == [BAD_SHAPE]
    assert not problems("010-1234-5678", PHONE)
    assert not problems("갤럭시 S25", PRODUCT)
    assert not problems("14만 원", MONEY)
    assert not problems("KR-2026-001", CONTRACT)
    assert unknown_product_ending("갤럭시 S25 정수기", product_vocabulary) == "정수기"
    assert unknown_product_ending("갤럭시 S25", product_vocabulary) is None


def test_text_is_clean(records_5000):
    for record in records_5000:
        text = record["text"]
        assert text == text.strip()
        if "whitespace_variant" not in record["meta"]["formats"]:
            assert "  " not in text and not re.search(r"[^\S ]", text), text
        assert not re.search(r"[{}\[\]|]", text.replace("[고객]", "").replace("[상담사]", "")), text


def test_hard_negative_and_entity_free_rates(records_5000):
    stats = summarize(records_5000)
    assert stats["hard_negative_rate"] >= 0.25
    assert 0.07 <= stats["entity_free_rate"] <= 0.2


def test_multi_entity_and_long_utterances(records_5000):
    assert sum(3 <= len(r["entities"]) <= 5 for r in records_5000) >= 500
    assert sum(200 <= len(r["text"]) <= 600 for r in records_5000) >= 250


@pytest.mark.parametrize(
    "reading, role, expected",
    [
        ("갤럭시 S25", "obj", "를"),
        ("아이폰", "obj", "을"),
        ("원", "subj", "이"),
        ("010-1234-5678", "dir", "로"),
        ("010-1234-5673", "dir", "으로"),
        ("KR-2026-001", "dir", "로"),
        ("갤럭시 Z 플립6", "top", "은"),
        ("달러", "top", "는"),
        ("공일공 일이삼사 오육칠구", "cop_q", "요?"),
    ],
)
def test_particles_agree_with_final_sound(reading, role, expected):
    seen = {choose_particle(Random(i), role, reading, wrong_prob=0.0)[0] for i in range(200)}
    assert expected in seen
    assert all(p.startswith(expected[0]) or role == "cop_q" for p in seen)


def test_product_catalogue_size():
    catalogue = load_bank("products.json")["catalogue"]
    assert len(catalogue) >= 150
    assert len({row[0] for row in catalogue}) >= 10
    assert all(row[2] and row[3] for row in catalogue)


def test_every_generated_product_links_in_the_runtime_knowledge_base(records_5000):
    """The generator draws from the runtime catalogue, so every PRODUCT it writes has a known name."""
    from spacy_callner.values import product_value

    unlinked = {
        r["text"][e["start"]:e["end"]]
        for r in records_5000
        for e in r["entities"]
        if e["label"] == PRODUCT and product_value(r["text"][e["start"]:e["end"]]).value["name"] is None
    }
    assert unlinked == set()


def test_generated_product_brand_is_the_linked_brand():
    from spacy_callner.training.synthetic import build_product
    from spacy_callner.values import product_value

    categories = sorted({row[1] for row in load_bank("products.json")["catalogue"]})
    wrong = []
    for seed in range(600):
        name, _ = build_product(Random(seed), categories[seed % len(categories)])
        if product_value(name.text).value["brand"] != name.brand:
            wrong.append((name.text, name.brand))
    assert wrong == []


def test_synthesised_products_reach_beyond_catalogue(records_5000):
    known = {row[2].lower() for row in load_bank("products.json")["catalogue"]}
    known |= {row[3].lower() for row in load_bank("products.json")["catalogue"]}
    products = {
        r["text"][e["start"]:e["end"]].lower()
        for r in records_5000
        for e in r["entities"]
        if e["label"] == PRODUCT
    }
    assert len(products) >= 800
    assert len(products - known) >= 400


def _category_nouns():
    from spacy_callner.training.synthetic import all_category_nouns

    return all_category_nouns()


def _ends_with_word(span, word):
    """``span`` ends with ``word`` as a word of its own: never glued to a Latin letter or digit before it
    (TV in 4KTV, 펜 in S펜 are part of the model name)."""
    if not span.lower().endswith(word.lower()):
        return False
    return len(span) == len(word) or not re.match(r"[0-9A-Za-z]", span[-len(word) - 1])


def test_bank_names_contain_no_category_noun():
    """Catalogue, series, bare and short names carry no generic noun (정수기, 헤드폰, 태블릿 ...) as a word."""
    products = load_bank("products.json")
    series = load_bank("products.json")["series"]
    exceptions = products["category_nouns"]["exceptions"]
    names = [row[2] for key in ("catalogue", "bare_brands", "short_forms") for row in products[key]]
    names += [s["ko"] for s in series] + [s["ko"] + " " + v[0] for s in series for v in s["variants"] if v[0]]
    bad = []
    for name in names:
        if any(name.startswith(e) for e in exceptions):
            continue
        for noun in _category_nouns():
            as_word = re.search(rf"(?:^|\s){re.escape(noun)}(?=[0-9]|\s|$)", name)
            if as_word or _ends_with_word(name, noun):
                bad.append((name, noun))
    assert not bad, bad


def test_no_product_span_ends_with_a_trailing_word(records_5000):
    """No PRODUCT span ends with a category noun, accessory, colour, size or bundle word of the banks."""
    from spacy_callner.training.synthetic import all_trailing_words

    words = all_trailing_words()
    bad = []
    for record in records_5000:
        for e in record["entities"]:
            if e["label"] != PRODUCT:
                continue
            span = record["text"][e["start"]:e["end"]]
            hit = [w for w in words if _ends_with_word(span, w)]
            if hit:
                bad.append((span, hit, record["text"]))
    assert not bad, bad[:10]


def test_category_noun_after_product_is_outside_span(records_5000):
    """A PRODUCT span followed by a category noun leaves the noun (and its particle) outside."""
    nouns = sorted(_category_nouns(), key=len, reverse=True)
    seen = 0
    for record in records_5000:
        text = record["text"]
        for e in record["entities"]:
            if e["label"] != PRODUCT:
                continue
            span, rest = text[e["start"]:e["end"]], text[e["end"]:]
            assert not any(_ends_with_word(span, n) for n in nouns), span
            if any(rest.startswith(" " + n) for n in nouns):
                seen += 1
    assert seen >= 150, seen


def test_trailing_words_come_with_their_tag(records_2000):
    tagged = [r for r in records_2000 if "product_trailing_word" in r["meta"]["formats"]]
    assert len(tagged) / len(records_2000) >= FORMAT_CLASSES["product_trailing_word"]
    assert "product_attribute_after" in FORMAT_CLASSES
    with_noun = sum(
        any(r["text"][e["end"]:].startswith(" " + n) for e in r["entities"] if e["label"] == PRODUCT for n in _category_nouns())
        for r in tagged
    )
    assert with_noun >= len(tagged) * 0.25, (with_noun, len(tagged))


def test_rental_product_with_its_noun():
    """코웨이 아이콘 정수기를 -> span 코웨이 아이콘; the noun comes from the name, not only the category."""
    from spacy_callner.training.synthetic import ProductName, category_nouns_for, product_trailing

    assert "정수기" in category_nouns_for("코웨이 아이콘2", "rental")
    assert "안마의자" in category_nouns_for("바디프랜드 팔콘", "rental")
    assert "스마트폰" in category_nouns_for("갤럭시 S25", "phone")
    product = ProductName("코웨이 아이콘", "코웨이 아이콘", "coway", "rental")
    outs = {product_trailing(Random(i), product, "obj", "")[0] for i in range(400)}
    assert " 정수기" in outs and "" in outs
    # nothing is added where the template already says a trailing word
    assert all(product_trailing(Random(i), product, "", " 블루 256")[0] == "" for i in range(100))


def _break_every_third(generate_example):
    """A stand-in for generate_example whose records at indices 0, 3, 6 ... glue a particle into a span."""
    def broken(seed, index):
        record = generate_example(seed, index)
        if index % 3 == 0:
            record = {"text": "010-1234-5678로 주세요", "entities": [{"start": 0, "end": 14, "label": PHONE}], "meta": record["meta"]}
        return record

    return broken


def test_failing_records_are_dropped_and_counted(monkeypatch):
    from spacy_callner.training.synthetic import generator

    clean = generator.generate_example
    monkeypatch.setattr(generator, "generate_example", _break_every_third(clean))
    corpus = generate_corpus(10, seed=4)
    assert len(corpus.records) == 10
    assert corpus.records == [clean(4, i) for i in range(15) if i % 3][:10]
    assert corpus.rejected.n_records == 5
    assert corpus.rejected.counts() == {PARTICLE_INSIDE: 5}
    assert summarize(corpus.records, corpus.rejected)["validation_failures"]["problems_by_kind"] == {PARTICLE_INSIDE: 5}
    assert generate_corpus(4, seed=4).records == corpus.records[:4]


def test_a_broken_generator_stops_with_an_error(monkeypatch):
    from spacy_callner.training.synthetic import generator

    bad = {"text": "KR-2026-001번이요", "entities": [{"start": 0, "end": 12, "label": CONTRACT}], "meta": {}}
    monkeypatch.setattr(generator, "generate_example", lambda seed, index: bad)
    with pytest.raises(generator.GenerationError):
        generate_corpus(10, seed=0)


def test_summary_without_a_tally_does_not_claim_validation(records_2000):
    assert summarize(records_2000)["validation_failures"] is None


def test_every_builder_returns_one_entity_type():
    from spacy_callner.training.synthetic import BuiltEntity, EntityRequest
    from spacy_callner.training.synthetic.render import ENTITY_BUILDERS

    for label, build in ENTITY_BUILDERS.items():
        for i in range(50):
            request = EntityRequest(label, role="obj", scenario="bill_dispute")
            entity = build(Random(i), request)
            assert isinstance(entity, BuiltEntity) and entity.label == label
            assert entity.text == entity.text.strip() and entity.reading


def test_every_negative_slot_has_a_writer():
    from spacy_callner.training.synthetic.negatives import NEGATIVE_WRITERS
    from spacy_callner.training.synthetic.templates import NEGATIVE_SLOTS

    assert set(NEGATIVE_WRITERS) == set(NEGATIVE_SLOTS)


def test_whitespace_variants_move_offsets_and_keep_line_breaks_out_of_phones(records_5000):
    varied = [r for r in records_5000 if "whitespace_variant" in r["meta"]["formats"]]
    assert len(varied) >= 200
    kinds = {char for r in varied for char in r["text"] if char.isspace() and char != " "}
    assert {"\t", "\u00a0", "\u3000", "\n"} <= kinds, kinds
    inside = [r["text"][e["start"]:e["end"]] for r in varied for e in r["entities"]]
    assert any(not span.isascii() and any(c.isspace() and c != " " for c in span) for span in inside)
    phones = [r["text"][e["start"]:e["end"]] for r in varied for e in r["entities"] if e["label"] == PHONE]
    assert phones and not [span for span in phones if "\n" in span or "\r" in span]


def test_whitespace_variant_keeps_entity_surfaces():
    from spacy_callner.training.synthetic.whitespace import vary_whitespace

    class AlwaysVary(Random):
        def random(self):
            return 0.0

    text = "네 14만 원 맞고 갤럭시 S25 울트라 쓰고 있어요"
    entities = [{"start": 2, "end": 7, "label": MONEY}, {"start": 11, "end": 22, "label": PRODUCT}]
    new_text, moved, changed = vary_whitespace(AlwaysVary(1), text, entities)
    assert changed and " " not in new_text
    surfaces = [new_text[e["start"]:e["end"]] for e in moved]
    assert [re.sub(r"\s+", " ", s) for s in surfaces] == ["14만 원", "갤럭시 S25 울트라"]


def test_every_generated_value_is_the_value_of_its_surface():
    """The value each builder drew (unvalidated records, so a disagreement is listed, not just rejected):
    every entity of every label has one."""
    from collections import Counter

    from spacy_callner.training.synthetic.generator import generate_example
    from spacy_callner.values import compute_value

    counts, disagreements = Counter(), []
    for index in range(3000):
        record = generate_example(7, index)
        for entity in record["entities"]:
            counts[entity["label"]] += 1
            surface = record["text"][entity["start"]:entity["end"]]
            computed = compute_value(entity["label"], surface)
            if entity.get("value") != computed.value:
                disagreements.append((entity["label"], surface, entity.get("value"), computed.value, computed.error))
    assert disagreements == []
    assert min(counts[label] for label in (PHONE, MONEY, CONTRACT, PRODUCT)) > 500, counts


def test_no_generated_record_is_rejected_for_its_values(corpus_5000):
    assert not {"bad_value", "value_mismatch"} & set(corpus_5000.rejected.counts())
    valued = [e for r in corpus_5000.records[:1000] for e in r["entities"]]
    assert valued and all("value" in e for e in valued)


PRODUCT_LOOKALIKE_SLOTS = {"service": "services", "feature": "features", "brand_office": "brand_offices"}
"""Hard-negative slots of issue 13 that draw whole words from a pool of negatives.json, by pool."""


def _pool_words(key):
    groups = load_bank("negatives.json")[key]
    return {word for kind, words in groups.items() if not kind.startswith("_") for word in words}


def _maker_noun_words():
    makers = load_bank("negatives.json")["maker_nouns"]
    return {f"{maker}{gap}{noun}" for maker, nouns in makers.items() if not maker.startswith("_")
            for noun in nouns for gap in ("", " ")}


def _loose(word):
    """A regex for `word` with any whitespace where it has a space (the generator varies whitespace)."""
    return r"\s*".join(re.escape(part) for part in word.split(" "))


@pytest.mark.parametrize("slot", [*PRODUCT_LOOKALIKE_SLOTS, "maker_noun"])
def test_product_lookalikes_appear_and_are_never_product(records_5000, slot):
    """Services, features, a brand's offices and maker + noun (issue 13) are written, outside every PRODUCT."""
    words = _maker_noun_words() if slot == "maker_noun" else _pool_words(PRODUCT_LOOKALIKE_SLOTS[slot])
    pattern = re.compile("|".join(_loose(w) for w in sorted(words, key=len, reverse=True)))
    records = [r for r in records_5000 if slot in r["meta"]["hard_negatives"]]
    assert len(records) >= 50, len(records)
    squeezed = {re.sub(r"\s", "", w) for w in words}
    for record in records:
        products = [(e["start"], e["end"]) for e in record["entities"] if e["label"] == PRODUCT]
        outside = [m for m in pattern.finditer(record["text"])
                   if not any(start <= m.start() and m.end() <= end for start, end in products)]
        assert outside, record["text"]
        spans = {re.sub(r"\s", "", record["text"][start:end]) for start, end in products}
        assert not spans & squeezed, record["text"]


def test_service_pool_covers_each_lookalike_the_issue_names():
    words = _pool_words("services") | _pool_words("features") | _pool_words("brand_offices")
    named = {"삼성케어플러스", "애플케어+", "엑스박스 게임패스", "넷플릭스", "구글 플레이",
             "갤럭시 스토어", "티빙", "디즈니+", "멜론", "지니뮤직", "네이버플러스 멤버십", "노이즈캔슬링", "얼굴 인식",
             "페이스 아이디", "OLED", "AMOLED", "디스플레이", "폴더블", "힌지", "무선충전", "고속충전", "USB-C", "120Hz",
             "애플코리아", "다이슨 코리아", "소니코리아", "애플 가로수길", "LG 베스트샵", "삼성스토어"}
    assert named <= words, named - words


def test_maker_noun_of_a_kind_keeps_to_its_generic_nouns():
    from spacy_callner.training.synthetic.negatives import build_negative

    rental = set(load_bank("negatives.json")["generic_nouns"]["rental"])
    for i in range(200):
        text = build_negative(Random(i), "MAKER_NOUN", "rental")
        assert any(text.endswith(noun) for noun in rental), text


@pytest.mark.parametrize("pattern, where", [
    (r"(?:기존|쓰던|지금|제)\s폰이?\s$", "before"),
    (r"^\s(?:[0-9,]+\s?원|[0-9]+만)", "after"),
    (r"^\s(?:마리오카트|젤다|포켓몬|콜 오브 듀티|스포츠)\s번들", "after"),
    (r"^\s(?:USB-C|C타입|라이트닝)\s모델", "after"),
])
def test_product_boundary_contexts_are_generated_outside_the_span(records_5000, pattern, where):
    """A generic noun before a product, a price or a bundle word after it: written, and never inside the span."""
    regex = re.compile(pattern)
    hits = 0
    for record in records_5000:
        text = record["text"]
        for e in record["entities"]:
            if e["label"] == PRODUCT:
                context = text[max(0, e["start"] - 8):e["start"]] if where == "before" else text[e["end"]:e["end"] + 16]
                hits += bool(regex.search(context))
    assert hits >= 10, hits


def test_no_lookalike_is_a_catalogue_product():
    """The two homes agree: a service, office or maker-noun negative never links to a product of the
    shipped catalogue (Microsoft 365 is software there, so it is no service negative here). Features are
    left out: the catalogue's brandless forms link `OLED` to Samsung OLED."""
    from spacy_callner.values.product_kb import ProductKB

    kb = ProductKB.default()
    words = _pool_words("services") | _pool_words("brand_offices") | _maker_noun_words()
    linked = sorted(word for word in words if kb.link(word) is not None)
    assert not linked, linked
