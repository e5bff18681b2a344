"""Tests that the intent guidelines and the judging set cannot drift from the scheme's label set."""
import json
import re
from pathlib import Path

from spacy_callner.scheme.intents import INTENT_DEFINITIONS, INTENT_LABELS, is_intent

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
HEADING_RE = re.compile(r"^### `([a-z_]+)`$", re.MULTILINE)


def test_intents_md_names_exactly_the_scheme_labels_in_order():
    text = (CORPUS / "INTENTS.md").read_text(encoding="utf-8")
    assert tuple(HEADING_RE.findall(text)) == INTENT_LABELS


def test_intents_md_gives_each_definition_in_the_scheme_wording():
    text = (CORPUS / "INTENTS.md").read_text(encoding="utf-8")
    for label, definition in INTENT_DEFINITIONS.items():
        assert f"### `{label}`\n\n{definition}.\n" in text, label


def test_every_real_dev_line_has_a_valid_intent_after_text_and_entities():
    lines = (CORPUS / "real_dev.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 443
    for number, line in enumerate(lines, 1):
        record = json.loads(line)
        assert list(record) == ["text", "entities", "intent"], number
        assert is_intent(record["intent"]), (number, record["intent"])
        assert json.dumps(record, ensure_ascii=False) == line, number


def test_real_dev_uses_every_label():
    lines = (CORPUS / "real_dev.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["intent"] for line in lines} == set(INTENT_LABELS)
