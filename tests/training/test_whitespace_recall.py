"""The whitespace-variant recall check measures what it says: a pipeline that only knows plain
spaces loses its spans under every other variant, and offsets move with the text."""
from spacy_callner.tokenizer import make_korean_nlp
from spacy_callner.training.data import AnnotatedText
from spacy_callner.training.evaluation.whitespace import (
    WHITESPACE_VARIANTS, variant_recall, whitespace_recall, whitespace_table,
)

RECORDS = [
    AnnotatedText("네 14만 원 결제했어요", [(2, 7, "MONEY")]),
    AnnotatedText("갤럭시 S25 쓰고 있어요", [(0, 7, "PRODUCT")]),
]


def plain_space_pipeline():
    """Token patterns that only ever saw one plain space between words."""
    nlp = make_korean_nlp()
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "MONEY", "pattern": [{"TEXT": "14"}, {"TEXT": "만"}, {"TEXT": "원"}]},
        {"label": "PRODUCT", "pattern": [{"TEXT": "갤럭시"}, {"TEXT": "S25"}]},
    ])
    return nlp


def test_plain_spaces_are_the_baseline_and_other_whitespace_is_scored_apart():
    results = whitespace_recall(plain_space_pipeline(), RECORDS)
    assert list(results) == list(WHITESPACE_VARIANTS)
    assert results["space"].recall == 1.0
    assert results["space"].found == {"PHONE": 0, "MONEY": 1, "PRODUCT": 1, "CONTRACT": 0}
    for name in ("tab", "nbsp", "ideographic", "newline", "crlf"):
        assert results[name].recall == 0.0, name
    assert results["space"].whitespace_edges == 0
    header, rows = whitespace_table(results)
    assert header[0] == "variant" and rows[0][0] == "space" and rows[0][-2] == "1.000"


def test_a_pipeline_that_reads_whitespace_tokens_keeps_its_spans():
    nlp = make_korean_nlp()
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "MONEY", "pattern": [{"TEXT": "14"}, {"TEXT": "만"}, {"IS_SPACE": True, "OP": "?"}, {"TEXT": "원"}]},
    ])
    result = variant_recall(nlp, RECORDS[:1], "\t")
    assert result.found["MONEY"] == result.gold["MONEY"] == 1
