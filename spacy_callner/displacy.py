"""displaCy colours for our labels, registered through spaCy's `spacy_displacy_colors` entry point.

Without them PHONE and CONTRACT both render in displaCy's default grey.
"""
from typing import Dict

from .scheme.labels import CONTRACT, MONEY, PHONE, PRODUCT

LABEL_COLORS: Dict[str, str] = {
    PHONE: "#7aecec",
    MONEY: "#e4e7d2",
    PRODUCT: "#bfeeb7",
    CONTRACT: "#feca74",
}
