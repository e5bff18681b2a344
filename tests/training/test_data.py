"""JSONL validation, DocBin conversion, splitting and mixing."""
import subprocess
import sys

import pytest
import srsly

from spacy_callner.training.data import (
    AnnotatedText, DataValidationError, ValidationReport, docbin_entities, make_doc, read_annotated_jsonl,
    records_to_docbin, validate_entities,
)
from spacy_callner.training.corpus import convert_corpus, deduplicate, mix_records, split_records

from ..conftest import REAL_DEV_PATH, REPO_ROOT

GOOD = {"text": "010-1234-5678로 문자 주세요", "entities": [{"start": 0, "end": 13, "label": "PHONE"}]}

# (line, expected problem kind, whether the record survives)
BAD_LINES = [
    ('{"text": "broken json', "malformed_json", False),
    ('[1, 2]', "not_an_object", False),
    ('{"entities": []}', "missing_field", False),
    ('{"text": 5, "entities": []}', "bad_type", False),
    ('{"text": "  ", "entities": []}', "empty_text", False),
    ('{"text": "14만 원", "entities": [{"start": 0, "end": 99, "label": "MONEY"}]}', "offset_out_of_range", False),
    ('{"text": "14만 원", "entities": [{"start": 2, "end": 2, "label": "MONEY"}]}', "empty_span", False),
    ('{"text": "14만 원", "entities": [{"start": 5, "end": 0, "label": "MONEY"}]}', "reversed_span", False),
    ('{"text": "14만 원", "entities": [{"start": 0}]}', "missing_field", False),
    ('{"text": "갤럭시 S25 샀어요", "entities": [{"start": 0, "end": 7, "label": "GADGET"}]}', "unknown_label", True),
    ('{"text": "갤럭시 S25 샀어요", "entities": [{"start": 0, "end": 8, "label": "PRODUCT"}]}', "whitespace_edge", True),
    ('{"text": "14만 원을 냈어요", "entities": [{"start": 0, "end": 6, "label": "MONEY"}]}', "particle_inside", True),
    ('{"text": "뒷자리 5678이요", "entities": [{"start": 4, "end": 8, "label": "PHONE"}]}', "bad_shape", True),
    ('{"text": "갤럭시 S25도요 있어요", "entities": [{"start": 0, "end": 9, "label": "PRODUCT"}]}', "particle_inside", True),
    ('{"text": "AB-2026-001 건", "entities": [{"start": 0, "end": 11, "label": "CONTRACT"}]}', "bad_shape", True),
    ('{"text": "갤럭시 S25 샀어요", "entities": [{"start": 0, "end": 7, "label": "PRODUCT"}, '
     '{"start": 4, "end": 7, "label": "PRODUCT"}]}', "overlap", True),
    ('{"text": "KR-2026-0042번이요", "entities": [{"start": 0, "end": 11, "label": "CONTRACT"}]}', "misaligned", True),
    ('{"text": "14만 원 냈어요", "entities": [{"start": 0, "end": 5, "label": "MONEY"}, '
     '{"start": 0, "end": 5, "label": "MONEY"}]}', "duplicate_entity", True),
]


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "bad.jsonl"
    lines = [srsly.json_dumps(GOOD)] + [line for line, _, _ in BAD_LINES] + [srsly.json_dumps(GOOD | {"text": GOOD["text"] + "!"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf8")
    return path


def test_every_problem_is_reported_with_its_line(bad_file, korean_nlp):
    records, report = read_annotated_jsonl(bad_file, korean_nlp)
    for offset, (_, kind, _) in enumerate(BAD_LINES):
        line_no = offset + 2
        found = [p for p in report.problems if p.source.startswith(f"{bad_file}:{line_no}")]
        assert [p.kind for p in found] == [kind], (line_no, found)
    kept_sources = {r.source for r in records}
    assert f"{bad_file}:1" in kept_sources and f"{bad_file}:{len(BAD_LINES) + 2}" in kept_sources
    for offset, (_, kind, survives) in enumerate(BAD_LINES):
        assert (f"{bad_file}:{offset + 2}" in kept_sources) == survives, kind
    assert report.n_records + report.n_records_skipped == len(BAD_LINES) + 2
    assert report.counts()["missing_field"] == 2


def test_problem_messages_show_span_and_context(bad_file, korean_nlp):
    _, report = read_annotated_jsonl(bad_file, korean_nlp)
    misaligned = next(p for p in report.problems if p.kind == "misaligned")
    assert "'KR-2026-004'" in misaligned.message and "[KR-2026-004]2번이요" in misaligned.message


def test_strict_mode_raises(bad_file, korean_nlp):
    with pytest.raises(DataValidationError, match="problems"):
        read_annotated_jsonl(bad_file, korean_nlp, strict=True)


def test_convert_cli_exit_codes(bad_file, tmp_path):
    script = str(REPO_ROOT / "scripts" / "convert.py")
    strict = subprocess.run([sys.executable, script, str(bad_file), str(tmp_path / "s"), "--strict"],
                            capture_output=True, text=True)
    assert strict.returncode != 0
    assert "(strict mode)" in " ".join((strict.stdout + strict.stderr).split())
    lenient = subprocess.run([sys.executable, script, str(bad_file), str(tmp_path / "l"),
                              "--dev-fraction", "0", "--test-fraction", "0"], capture_output=True, text=True)
    assert lenient.returncode == 0, lenient.stderr
    assert "records skipped" in lenient.stdout and "malformed_json" in lenient.stdout
    assert (tmp_path / "l" / "train.spacy").exists()


def test_dropped_span_tokens_are_missing_not_outside(korean_nlp):
    record, problems, dropped = validate_entities(
        "14만 원을 냈고 010-1234-5678로 주세요",
        [{"start": 0, "end": 6, "label": "MONEY"}, {"start": 10, "end": 23, "label": "PHONE"}],
        korean_nlp,
    )
    assert dropped == 1 and [p.kind for p in problems] == ["particle_inside"]
    doc = make_doc(korean_nlp, record)
    assert [t.ent_iob_ for t in doc[:4]] == ["", "", "", ""]
    assert [(e.text, e.label_) for e in doc.ents] == [("010-1234-5678", "PHONE")]
    assert doc[-1].ent_iob_ == "O"


def test_docbin_round_trip(tmp_path, korean_nlp):
    records, report = read_annotated_jsonl(REAL_DEV_PATH, korean_nlp)
    assert len(records) >= 150
    path = tmp_path / "real.spacy"
    records_to_docbin(korean_nlp, records).to_disk(path)
    assert docbin_entities(korean_nlp, path) == [(r.text, r.entities) for r in records]


def test_real_dev_set_is_clean(korean_nlp):
    """Every span and every hand-checked value is kept, in strict mode too."""
    records, report = read_annotated_jsonl(REAL_DEV_PATH, korean_nlp, strict=True)
    assert [str(p) for p in report.problems] == []
    assert report.n_spans_dropped == 0 and len(records) >= 250
    assert {label for r in records for _, _, label in r.entities} == {"PHONE", "MONEY", "PRODUCT", "CONTRACT"}


def _records(n, prefix="문장"):
    return [AnnotatedText(f"{prefix} {i}", [], source=f"x:{i}") for i in range(n)]


def test_split_is_deterministic_and_disjoint():
    records = _records(100)
    first = split_records(records, seed=3, dev_fraction=0.1, test_fraction=0.2)
    again = split_records(records, seed=3, dev_fraction=0.1, test_fraction=0.2)
    other = split_records(records, seed=4, dev_fraction=0.1, test_fraction=0.2)
    assert {k: len(v) for k, v in first.items()} == {"dev": 10, "test": 20, "train": 70}
    assert first == again and first != other
    texts = [set(r.text for r in split) for split in first.values()]
    assert sum(len(t) for t in texts) == len(set().union(*texts)) == 100


def test_duplicates_are_reported_and_kept_once():
    report = ValidationReport()
    unique = deduplicate(_records(5) + _records(3), report)
    assert len(unique) == 5 and report.counts() == {"duplicate_text": 3}


def test_mix_records():
    offline, llm = _records(90, "오프라인"), _records(50, "엘엘엠")
    assert mix_records(offline, llm, mode="offline", llm_fraction=0.3, seed=0) == offline
    assert mix_records(offline, llm, mode="llm", llm_fraction=0.3, seed=0) == llm
    both = mix_records(offline, llm, mode="both", llm_fraction=0.25, seed=0)
    n_llm = sum(r.text.startswith("엘엘엠") for r in both)
    assert n_llm == 30 and len(both) == 120
    with pytest.raises(ValueError):
        mix_records(offline, [], mode="llm", llm_fraction=0.3, seed=0)
    with pytest.raises(ValueError):
        mix_records(offline, llm, mode="some", llm_fraction=0.3, seed=0)


def test_long_transcript_converts(tmp_path, korean_nlp):
    unit = "네 고객님 010-1234-5678로 14만 원 보내 드렸어요. "
    text = unit * (50_000 // len(unit) + 1)
    entities = []
    for i in range(text.count(unit)):
        base = i * len(unit)
        entities += [{"start": base + 6, "end": base + 19, "label": "PHONE"},
                     {"start": base + 21, "end": base + 26, "label": "MONEY"}]
    path = tmp_path / "long.jsonl"
    srsly.write_jsonl(path, [{"text": text, "entities": entities}])
    result = convert_corpus(path, tmp_path / "out", dev_fraction=0, test_fraction=0)
    assert result.validation.spans_kept == len(entities)
    assert result.alignment["callner"].lost == 0


# ------------------------------------------------------------------ values

PHONE_VALUE = {"digits": "01012345678", "kind": "mobile"}
VALUED = {"text": "010-1234-5678로 14만 원 보냈어요", "entities": [
    {"start": 0, "end": 13, "label": "PHONE", "value": PHONE_VALUE},
    {"start": 15, "end": 20, "label": "MONEY", "value": {"amount": 140000, "currency": "KRW"}},
]}


def _valued_file(tmp_path, *records):
    path = tmp_path / "valued.jsonl"
    path.write_text("".join(srsly.json_dumps(r) + "\n" for r in records), encoding="utf8")
    return path


def test_values_that_agree_are_kept_and_written_back(tmp_path, korean_nlp):
    records, report = read_annotated_jsonl(_valued_file(tmp_path, VALUED), korean_nlp)
    assert report.ok, report.problems
    assert records[0].values == {(0, 13, "PHONE"): PHONE_VALUE, (15, 20, "MONEY"): {"amount": 140000, "currency": "KRW"}}
    assert records[0].to_json() == {"text": VALUED["text"], "entities": VALUED["entities"]}


@pytest.mark.parametrize("value,kind,shown", [
    ({"amount": 150000, "currency": "KRW"}, "value_mismatch", 'computed {"amount": 140000, "currency": "KRW"}'),
    ({"amount": 140000.0, "currency": "KRW"}, "value_mismatch", 'given {"amount": 140000.0, "currency": "KRW"}'),
    ({"amount": 140000, "currency": "won"}, "value_mismatch", 'given {"amount": 140000, "currency": "won"}'),
    (140000, "bad_value", "must be a JSON object, given 140000"),
    ("140000 KRW", "bad_value", 'given "140000 KRW"'),
])
def test_a_wrong_value_is_reported_and_dropped_but_the_entity_is_kept(tmp_path, korean_nlp, value, kind, shown):
    record = {"text": VALUED["text"], "entities": [VALUED["entities"][0], dict(VALUED["entities"][1], value=value)]}
    path = _valued_file(tmp_path, record)
    records, report = read_annotated_jsonl(path, korean_nlp)
    [problem] = report.problems
    assert problem.kind == kind and report.counts() == {kind: 1}
    assert problem.source == f"{path}:1 entity 1"
    assert shown in problem.message and "MONEY [15, 20) '14만 원'" in problem.message
    assert records[0].entities == [(0, 13, "PHONE"), (15, 20, "MONEY")]
    assert records[0].values == {(0, 13, "PHONE"): PHONE_VALUE}
    with pytest.raises(DataValidationError):
        read_annotated_jsonl(path, korean_nlp, strict=True)


def test_missing_and_null_values_are_no_problem(tmp_path, korean_nlp):
    record = {"text": VALUED["text"], "entities": [
        {"start": 0, "end": 13, "label": "PHONE"}, dict(VALUED["entities"][1], value=None)]}
    records, report = read_annotated_jsonl(_valued_file(tmp_path, record), korean_nlp)
    assert report.ok and records[0].values == {}


def test_a_value_for_a_span_with_no_computable_value_is_a_mismatch(korean_nlp):
    text = "만만 원 냈어요"
    entities = [{"start": 0, "end": 4, "label": "MONEY", "value": {"amount": 100000000, "currency": "KRW"}}]
    record, problems, _ = validate_entities(text, entities, korean_nlp, source="f:3")
    assert record.entities == [(0, 4, "MONEY")] and record.values == {}
    assert [p.kind for p in problems] == ["value_mismatch"]
    assert "computed none (만/억/조 out of order" in problems[0].message


def test_product_values_are_compared_with_the_knowledge_base(korean_nlp):
    text = "갤럭시 S25 샀어요"
    for value, ok in (({"brand": "samsung", "name": "Galaxy S25"}, True),
                      ({"brand": "samsung", "name": "Galaxy S24"}, False), ({"brand": "samsung"}, False)):
        ents = [{"start": 0, "end": 7, "label": "PRODUCT", "value": value}]
        record, problems, _ = validate_entities(text, ents, korean_nlp)
        assert record.entities == [(0, 7, "PRODUCT")]
        assert (record.values == {(0, 7, "PRODUCT"): value}) == ok, (value, problems)
        assert [p.kind for p in problems] == ([] if ok else ["value_mismatch"])


def test_a_product_value_that_cannot_be_computed_needs_the_brand_name_shape(korean_nlp, monkeypatch):
    from spacy_callner.training import gold_values
    from spacy_callner.values import ValueResult

    monkeypatch.setattr(gold_values, "compute_value", lambda label, surface: ValueResult.failed("no knowledge base"))
    text = "갤럭시 S25 샀어요"
    for value, ok in (({"brand": "samsung", "name": "Galaxy S25"}, True), ({"brand": None, "name": None}, True),
                      ({"brand": "samsung"}, False), ({"brand": 3, "name": "Galaxy S25"}, False)):
        ents = [{"start": 0, "end": 7, "label": "PRODUCT", "value": value}]
        record, problems, _ = validate_entities(text, ents, korean_nlp)
        assert (record.values == {(0, 7, "PRODUCT"): value}) == ok, (value, problems)
        assert [p.kind for p in problems] == ([] if ok else ["bad_value"])


def test_gold_values_survive_the_docbin_and_spacy_corpus_reads_it(tmp_path, korean_nlp):
    from spacy.training import Corpus

    records, _ = read_annotated_jsonl(_valued_file(tmp_path, VALUED, GOOD), korean_nlp)
    path = tmp_path / "valued.spacy"
    records_to_docbin(korean_nlp, records).to_disk(path)
    examples = list(Corpus(str(path))(korean_nlp))
    assert len(examples) == 2
    gold = [[(ent.text, ent._.value) for ent in eg.reference.ents] for eg in examples]
    assert gold == [[("010-1234-5678", PHONE_VALUE), ("14만 원", {"amount": 140000, "currency": "KRW"})],
                    [("010-1234-5678", None)]]
    assert [(ent.text, ent.label_) for ent in examples[0].reference.ents] == [("010-1234-5678", "PHONE"), ("14만 원", "MONEY")]
