"""Redaction on real pipelines: every PHONE and CONTRACT example of ANNOTATION.md, all three styles,
the recall-first candidate threshold, the audit that never holds a value, the key handling."""
import json
import os
import re
import subprocess
import sys

import pytest

from spacy_callner.components.scores import CANDIDATES_KEY
from spacy_callner.redact import (
    REDACTION_THRESHOLD, STYLES, Redaction, RedactionSettings, hash_token, load_key, redact,
)
from spacy_callner.scheme.labels import CONTRACT, LABELS, MONEY, PHONE
from spacy_callner.tokenizer import make_korean_nlp
from spacy_callner.values import compute_value

from .conftest import ANNOTATION_PATH
from .entity_docs import with_model_entities

KEY = b"test-key-not-a-secret"

WRITTEN_PHONES = {
    "010-1234-5678": "010-****-5678", "010 1234 5678": "010 **** 5678", "010.1234.5678": "010.****.5678",
    "01012345678": "010****5678", "011-123-4567": "***-***-4567", "02-123-4567": "**-***-4567",
    "02-1234-5678": "02-****-5678", "031-123-4567": "***-***-4567", "051-1234-5678": "051-****-5678",
    "1588-1234": "****-1234", "1577-0000": "****-0000", "1644-1234": "****-1234",
    "080-123-4567": "***-***-4567", "+82 10-1234-5678": "+82 10-****-5678",
    "+82-10-1234-5678": "+82-10-****-5678", "82-10-1234-5678": "82-10-****-5678",
    "+82 2-123-4567": "+** *-***-4567",
}
"""Written numbers the regex component finds, with their default mask (keep_visible=4)."""

MODEL_PHONES = {
    "공일공 일이삼사 오육칠팔": "공일공 **** 오육칠팔", "010 - 1234 - 5678": "010 - **** - 5678",
    "0082-10-1234-5678": "0082-10-****-5678", "(02) 1234-5678": "(02) ****-5678",
    "(031)123-4567": "(***)***-4567", "010.1234-5678": "010.****-5678",
}
"""Notations only the statistical ner finds: set by hand, as it would leave them."""

CONTRACTS = {"KR-2026-001": "KR-****-001", "KR-2025-137": "KR-****-137", "KR-2026-0042": "KR-****-0042",
             "kr-2026-001": "kr-****-001"}

EXAMPLES = ([(s, PHONE, m, True) for s, m in WRITTEN_PHONES.items()]
            + [(s, PHONE, m, False) for s, m in MODEL_PHONES.items()]
            + [(s, CONTRACT, m, True) for s, m in CONTRACTS.items()])
FRAMES = ("네 {}로 연락 주세요", "고객님 번호가 {}이에요.", "계약번호 {}번이요")
HEX_TOKEN = re.compile(r"\[(PHONE|CONTRACT):([0-9a-f]{12})\]")


@pytest.fixture(scope="module")
def nlp():
    nlp = make_korean_nlp()
    nlp.add_pipe("callner_regex_ner")
    nlp.add_pipe("callner_values")
    return nlp


def example_doc(nlp, text, surface, label, written):
    """The regex pipeline's doc for a written example; for the others the ner's entity set by hand."""
    if written:
        doc = nlp(text)
    else:
        doc = nlp.get_pipe("callner_values")(with_model_entities(nlp, text, [(surface, label)]))
    assert [(ent.text, ent.label_) for ent in doc.ents] == [(surface, label)]
    return doc


def _annotation_examples():
    """The complete PHONE numbers and the CONTRACT ids that ANNOTATION.md names as examples."""
    text = ANNOTATION_PATH.read_text(encoding="utf8")
    phone = text.split("## PHONE", 1)[1].split("- A PHONE starts", 1)[0]
    contract = text.split("## CONTRACT", 1)[1].split("\n## ", 1)[0]
    rows = "\n".join(line for line in text.splitlines() if line.startswith(("| PHONE |", "| CONTRACT |")))
    general = text.split("## General", 1)[1].split("\n## ", 1)[0]
    found = re.findall(r"`([^`]+)`", phone + contract + rows + general)
    phones = {s for s in found if compute_value(PHONE, s).value is not None}
    contracts = {s for s in found if compute_value(CONTRACT, s).value is not None}
    return phones, contracts


@pytest.mark.skipif(not ANNOTATION_PATH.exists(), reason="shared/ANNOTATION.md is not beside this checkout")
def test_every_annotation_example_is_a_case():
    phones, contracts = _annotation_examples()
    assert len(phones) >= 20 and len(contracts) >= 4
    assert phones <= set(WRITTEN_PHONES) | set(MODEL_PHONES)
    assert contracts <= set(CONTRACTS)


@pytest.mark.parametrize("frame", FRAMES)
@pytest.mark.parametrize("surface,label,mask,written", EXAMPLES)
def test_each_style_replaces_exactly_the_entity(nlp, frame, surface, label, mask, written):
    text = frame.format(surface)
    doc = example_doc(nlp, text, surface, label, written)
    start = text.index(surface)
    for style in STYLES:
        result = redact(doc, RedactionSettings(style=style, key=KEY))
        (record,) = result.audit
        replacement = result.text[record["redacted_start"]:record["redacted_end"]]
        assert result.text == text[:start] + replacement + text[start + len(surface):]
        assert (record["start"], record["end"], record["label"]) == (start, start + len(surface), label)
        assert record["style"] == style and record["source"] == "entity"
        if style == "tag":
            assert replacement == f"[{label}]"
        elif style == "mask":
            assert replacement == mask
        else:
            assert HEX_TOKEN.fullmatch(replacement).group(1) == label


@pytest.mark.parametrize("surface,label,mask,written", EXAMPLES)
def test_audit_never_holds_the_value(nlp, surface, label, mask, written):
    doc = example_doc(nlp, FRAMES[0].format(surface), surface, label, written)
    value = compute_value(label, surface).value
    secrets = {surface, re.sub(r"[^0-9]", "", surface), value.get("digits") or value.get("id"), mask} - {""}
    for style in STYLES:
        audit = json.dumps(redact(doc, RedactionSettings(style=style, key=KEY)).audit, ensure_ascii=False)
        assert not [secret for secret in secrets if secret in audit]
        assert "*" not in audit


def test_same_number_in_any_notation_gives_the_same_token(nlp):
    notations = ["010-1234-5678", "010 1234 5678", "01012345678", "+82 10-1234-5678", "82-10-1234-5678"]
    tokens = {HEX_TOKEN.search(redact(nlp(f"네 {s}로 주세요"), RedactionSettings(style="hash", key=KEY)).text).group(2)
              for s in notations}
    spoken = nlp.get_pipe("callner_values")(
        with_model_entities(nlp, "공일공 일이삼사 오육칠팔로요", [("공일공 일이삼사 오육칠팔", PHONE)]))
    tokens.add(HEX_TOKEN.search(redact(spoken, RedactionSettings(style="hash", key=KEY)).text).group(2))
    assert tokens == {hash_token(KEY, PHONE, "01012345678")}
    lower, upper = (redact(nlp(f"계약 {c}번"), RedactionSettings(style="hash", key=KEY)).text
                    for c in ("kr-2026-001", "KR-2026-001"))
    assert lower == upper


def test_tokens_depend_on_key_value_and_label(nlp):
    doc = nlp("010-1234-5678 하고 010-1234-5679 그리고 계약 KR-2026-001번")
    first, second, contract = HEX_TOKEN.findall(redact(doc, RedactionSettings(style="hash", key=KEY)).text)
    assert len({first[1], second[1], contract[1]}) == 3
    other_key = HEX_TOKEN.findall(redact(doc, RedactionSettings(style="hash", key=b"another key")).text)
    assert other_key[0][1] != first[1]
    assert hash_token(KEY, PHONE, "KR-2026-001") != hash_token(KEY, CONTRACT, "KR-2026-001")


HASH_SCRIPT = """
import sys
from spacy_callner.redact import RedactionSettings, redact
from spacy_callner.tokenizer import make_korean_nlp
nlp = make_korean_nlp()
nlp.add_pipe("callner_regex_ner")
nlp.add_pipe("callner_values")
print(redact(nlp(sys.argv[1]), RedactionSettings(style="hash", key=sys.argv[2].encode())).text)
"""


def test_hash_tokens_are_the_same_across_processes(nlp):
    text = "네 010-1234-5678로 연락 주시고 계약번호는 KR-2026-0042번이요"
    runs = {subprocess.run([sys.executable, "-c", HASH_SCRIPT, text, KEY.decode()], capture_output=True,
                           text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
            for seed in ("1", "2")}
    here = redact(nlp(text), RedactionSettings(style="hash", key=KEY)).text
    assert runs == {here}
    assert len(HEX_TOKEN.findall(here)) == 2


def test_mask_visibility_is_configurable(nlp):
    doc = nlp("번호 010-1234-5678이요")
    def masked(**options):
        return redact(doc, RedactionSettings(style="mask", **options)).text
    assert masked(keep_visible=0) == "번호 010-****-****이요"
    assert masked(keep_visible=2) == "번호 010-****-**78이요"
    assert masked(keep_prefix=False) == "번호 ***-****-5678이요"
    assert masked(keep_visible=11) == "번호 ***-*234-5678이요"


def _scored_doc(nlp, text, ents, candidates):
    """A doc as the scores component leaves it: ``ents`` and ``candidates`` are (substring, label, score)."""
    doc = with_model_entities(nlp, text, [(s, label) for s, label, _ in ents])
    spans = []
    for substring, label, score in ents + candidates:
        start = text.index(substring)
        span = doc.char_span(start, start + len(substring), label=label)
        span._.score = score
        spans.append(span)
    doc.spans[CANDIDATES_KEY] = spans
    return doc


THRESHOLD_TEXT = "010-1234-5678 말고 010-9999-8888 아니면 KR-2026-001 그리고 5만 원"


@pytest.fixture()
def threshold_doc(nlp):
    return _scored_doc(nlp, THRESHOLD_TEXT, [("010-1234-5678", PHONE, 0.95)],
                       [("010-9999-8888", PHONE, 0.45), ("KR-2026-001", CONTRACT, 0.2), ("5만 원", MONEY, 0.9)])


def test_default_threshold_redacts_candidates_above_it(threshold_doc):
    assert 0.2 < REDACTION_THRESHOLD < 0.45
    result = redact(threshold_doc)
    assert result.text == "[PHONE] 말고 [PHONE] 아니면 KR-2026-001 그리고 5만 원"
    assert [(r["source"], r["score"]) for r in result.audit] == [("entity", 0.95), ("candidate", 0.45)]
    assert [(r["redacted_start"], r["redacted_end"]) for r in result.audit] == [(0, 7), (11, 18)]


@pytest.mark.parametrize("threshold,expected", [
    (0.1, "[PHONE] 말고 [PHONE] 아니면 [CONTRACT] 그리고 5만 원"),
    (0.5, "[PHONE] 말고 010-9999-8888 아니면 KR-2026-001 그리고 5만 원"),
    (1.0, "[PHONE] 말고 010-9999-8888 아니면 KR-2026-001 그리고 5만 원"),
])
def test_threshold_setting(threshold_doc, threshold, expected):
    assert redact(threshold_doc, RedactionSettings(threshold=threshold)).text == expected


def test_labels_are_selectable(threshold_doc):
    only_money = redact(threshold_doc, RedactionSettings(labels=(MONEY,), style="mask"))
    assert only_money.text == "010-1234-5678 말고 010-9999-8888 아니면 KR-2026-001 그리고 ** *"
    assert [r["label"] for r in only_money.audit] == [MONEY]
    every = redact(threshold_doc, RedactionSettings(labels=LABELS, threshold=0.0))
    assert every.text == "[PHONE] 말고 [PHONE] 아니면 [CONTRACT] 그리고 [MONEY]"


def test_overlapping_entity_and_candidate_give_the_longest(nlp):
    text = "번호는 010 - 1234 - 5678 입니다"
    doc = _scored_doc(nlp, text, [("1234 - 5678", PHONE, 0.6)], [("010 - 1234 - 5678", PHONE, 0.5)])
    result = redact(doc)
    assert result.text == "번호는 [PHONE] 입니다"
    assert [(r["source"], r["start"], r["end"]) for r in result.audit] == [("candidate", 4, 21)]


def test_doc_without_entities_is_unchanged(nlp):
    for text in ("", "네 알겠습니다", "뒷자리 5678이요"):
        assert redact(nlp(text)) == Redaction(text, [])


@pytest.mark.parametrize("options,message", [
    ({"style": "blur"}, "tag, mask, hash"),
    ({"labels": ("EMAIL",)}, "PHONE, MONEY, PRODUCT, CONTRACT"),
    ({"labels": ()}, "PHONE, MONEY, PRODUCT, CONTRACT"),
    ({"style": "hash"}, "needs a key"),
    ({"style": "hash", "key": "text"}, "bytes"),
    ({"style": "hash", "key": b""}, "bytes"),
    ({"keep_visible": -1}, "keep_visible"),
    ({"threshold": float("nan")}, "threshold"),
    ({"threshold": "0.5"}, "threshold"),
])
def test_invalid_settings_are_refused(options, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        RedactionSettings(**options)


def test_settings_accept_a_single_label_and_hide_the_key():
    settings = RedactionSettings(style="hash", labels=PHONE, key=KEY)
    assert settings.labels == (PHONE,)
    assert KEY.decode() not in repr(settings)


def test_load_key_from_file_and_environment(tmp_path, monkeypatch):
    key_file = tmp_path / "key"
    key_file.write_bytes(b"s3cret key\n")
    assert load_key(key_file, None) == b"s3cret key"
    monkeypatch.setenv("CALLNER_TEST_KEY", "from env")
    assert load_key(None, "CALLNER_TEST_KEY") == b"from env"


@pytest.mark.parametrize("case,message", [
    ("missing file", "does not exist"), ("empty file", "is empty"), ("unset", "is not set"),
    ("empty variable", "is empty"), ("both", "exactly one"), ("neither", "exactly one"),
])
def test_load_key_errors(tmp_path, monkeypatch, case, message):
    empty = tmp_path / "empty"
    empty.write_bytes(b"\n")
    monkeypatch.delenv("CALLNER_UNSET_KEY", raising=False)
    monkeypatch.setenv("CALLNER_EMPTY_KEY", "")
    arguments = {"missing file": (tmp_path / "nope", None), "empty file": (empty, None),
                 "unset": (None, "CALLNER_UNSET_KEY"), "empty variable": (None, "CALLNER_EMPTY_KEY"),
                 "both": (empty, "CALLNER_EMPTY_KEY"), "neither": (None, None)}[case]
    with pytest.raises(ValueError, match=message):
        load_key(*arguments)
