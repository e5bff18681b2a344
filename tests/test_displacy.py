"""Our labels get their own displaCy colours through spaCy's entry point, with no import of ours."""
import spacy
from spacy import displacy
from spacy.tokens import Span

from spacy_callner.displacy import LABEL_COLORS
from spacy_callner.scheme import LABELS


def test_every_label_has_its_own_colour():
    assert set(LABEL_COLORS) == set(LABELS)
    assert len(set(LABEL_COLORS.values())) == len(LABELS)


def test_displacy_renders_our_colours(korean_nlp):
    doc = korean_nlp("KR-2026-001 010-1234-5678")
    doc.ents = [Span(doc, 0, 1, label="CONTRACT"), Span(doc, 1, 2, label="PHONE")]
    html = displacy.render(doc, style="ent")
    assert LABEL_COLORS["CONTRACT"] in html and LABEL_COLORS["PHONE"] in html


def test_colours_come_from_the_entry_point():
    assert spacy.registry.displacy_colors.get_all()["callner"] == LABEL_COLORS
