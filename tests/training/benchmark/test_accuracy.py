"""The benchmark's one matcher: exact character offsets, unknown annotation ignored, misalignment counted."""
import pytest

from spacy_callner.training.benchmark.accuracy import score_char_spans
from spacy_callner.training.data import AnnotatedText, make_doc


def test_score_char_spans_is_exact_and_counts_misaligned(korean_nlp):
    text = "갤럭시 S25로 바꾸시면 14만 원이고 010-1234-5678로 드릴게요"
    money, phone = text.index("14만 원"), text.index("010-1234-5678")
    gold = make_doc(korean_nlp, AnnotatedText(text, [(0, 7, "PRODUCT"), (money, money + 5, "MONEY")],
                                              missing=[(phone, phone + 13)]))
    predictions = [[
        (0, 7, "PRODUCT"),                 # exact
        (money, money + 6, "MONEY"),       # swallows the particle: wrong, but on token boundaries
        (money, money + 1, "MONEY"),       # inside the token `14`: misaligned
        (phone, phone + 13, "PHONE"),      # over unknown annotation: ignored
    ]]
    scores = score_char_spans([gold], predictions)
    assert scores["micro"]["tp"] == 1 and scores["micro"]["fp"] == 2 and scores["micro"]["fn"] == 1
    assert scores["micro"]["f1"] == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert scores["per_label"]["PRODUCT"]["f1"] == 1.0 and scores["per_label"]["MONEY"]["f1"] == 0.0
    assert scores["misaligned"] == 1 and scores["ignored"] == 1
    assert scores["n_gold"] == 2 and scores["n_pred"] == 3
