"""The component that gives every entity its value: ``ent._.value``, ``ent._.value_error``, ``ent.kb_id_``.

It runs after ``ner``, ``callner_regex_ner`` and ``callner_scores``, so it reads the final
``doc.ents``; the knowledge base it links products with also repairs a PRODUCT's boundaries
(``repair_product_spans``): a model word the model cut off goes back in, a trailing word that
names no part of the product comes out. The normalisers are the pure functions of ``spacy_callner.values``;
this module only applies them and holds the product knowledge base the user chose:
the shipped catalogue, extended or replaced by their own file
(``[components.callner_values] product_catalogue = "my_products.jsonl"``). A user
catalogue is saved with the pipeline, so a packaged pipeline carries it.
"""
from pathlib import Path
from typing import Iterable, List, Optional, Union

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from .. import extensions  # noqa: F401  (registers span._.value, span._.value_error)
from ..values import compute_value
from ..scheme.labels import PRODUCT
from ..values.product import ProductKB, product_words_to_add, product_words_to_keep

VALUES_FACTORY = "callner_values"
USER_CATALOGUE_FILE = "user_catalogue.json"
WINDOW = 2
"""Tokens either side of a PRODUCT that boundary repair may take in."""

DEFAULT_CONFIG = {"product_catalogue": None, "replace_catalogue": False, "repair_product_spans": True}


@Language.factory(
    VALUES_FACTORY,
    default_config=DEFAULT_CONFIG,
    assigns=["span._.value", "span._.value_error", "doc.ents"],
    requires=["doc.ents"],
)
def make_entity_values(
    nlp: Language, name: str, product_catalogue: Optional[str], replace_catalogue: bool,
    repair_product_spans: bool = True,
) -> "EntityValues":
    """Build the values component.

    product_catalogue: a JSON or JSONL file of the user's products (``ProductKB.from_file``),
        or None for the shipped catalogue alone.
    replace_catalogue: use only the user's products instead of adding them to the shipped ones.
    repair_product_spans: fix a PRODUCT's boundaries by the knowledge base: model words the model
        cut off go back in (`에어팟 프로` + `투`), trailing words that are no model words come out
        (`버즈2 프로 보라퍼플` -> `버즈2 프로`).
    """
    user_kb = ProductKB.from_file(Path(product_catalogue)) if product_catalogue else None
    return EntityValues(name, user_kb=user_kb, replace_catalogue=replace_catalogue,
                        repair_product_spans=repair_product_spans)


class EntityValues:
    """Sets the value of each entity in ``doc.ents``; never raises on what the model found."""

    def __init__(self, name: str = VALUES_FACTORY, *, user_kb: Optional[ProductKB] = None,
                 replace_catalogue: bool = False, repair_product_spans: bool = True):
        if replace_catalogue and user_kb is None:
            raise ValueError(f"[{name}] replace_catalogue=True needs a product_catalogue file")
        self.name = name
        self.replace_catalogue = bool(replace_catalogue)
        self.repair_product_spans = bool(repair_product_spans)
        self._set_user_kb(user_kb)

    def _set_user_kb(self, user_kb: Optional[ProductKB]) -> None:
        self.user_kb = user_kb
        if user_kb is None:
            self.product_kb = ProductKB.default()
        else:
            self.product_kb = user_kb if self.replace_catalogue else ProductKB.default().merged(user_kb)

    def __call__(self, doc: Doc) -> Doc:
        linked: List[Span] = []
        relink = False
        ents = doc.ents
        for i, ent in enumerate(ents):
            if ent.label_ == PRODUCT and self.repair_product_spans:
                left = ents[i - 1].end if i else 0
                right = ents[i + 1].start if i + 1 < len(ents) else len(doc)
                repaired = self._repaired_product(ent, left, right)
                relink = relink or repaired is not ent
                ent = repaired
            result = compute_value(ent.label_, ent.text, product_kb=self.product_kb)
            ent._.value = result.value
            ent._.value_error = result.error
            kb_id = result.kb_id or ""
            if kb_id != ent.kb_id_:
                relink = True
                ent = Span(doc, ent.start, ent.end, label=ent.label, kb_id=kb_id, span_id=ent.id)
            linked.append(ent)
        if relink:
            doc.ents = linked
        return doc

    def _repaired_product(self, ent: Span, left: int, right: int) -> Span:
        """``ent`` with the model words the model cut off put back, or else without the trailing
        words that name no part of the product (``product_words_to_add``, ``product_words_to_keep``),
        looking no further than tokens ``left`` and ``right``; its score kept."""
        doc = ent.doc
        first, last = max(left, ent.start - WINDOW), min(right, ent.end + WINDOW)
        window = doc[first:last]
        before, after = product_words_to_add([t.text for t in window], [t.whitespace_ for t in window],
                                             ent.start - first, ent.end - first, self.product_kb, most=WINDOW)
        start, end = ent.start - before, ent.end + after
        if not (before or after):
            tokens = list(ent)
            end = ent.start + product_words_to_keep([t.text for t in tokens], [t.whitespace_ for t in tokens[:-1]],
                                                    self.product_kb)
        if (start, end) == (ent.start, ent.end):
            return ent
        repaired = Span(doc, start, end, label=ent.label, kb_id=ent.kb_id, span_id=ent.id)
        repaired._.score = ent._.score
        return repaired

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> None:
        """Save the user's catalogue (if any) beside the pipeline, so it travels with a package."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.user_kb is not None:
            srsly.write_json(path / USER_CATALOGUE_FILE, self.user_kb.to_json())

    def from_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> "EntityValues":
        """Load a saved user catalogue, unless the config given at load time named one."""
        catalogue = ensure_path(path) / USER_CATALOGUE_FILE
        if self.user_kb is None and catalogue.exists():
            self._set_user_kb(ProductKB.from_json(srsly.read_json(catalogue)))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        data = self.user_kb.to_json() if self.user_kb is not None else None
        return srsly.msgpack_dumps({"user_catalogue": data})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> "EntityValues":
        saved = srsly.msgpack_loads(data).get("user_catalogue")
        if self.user_kb is None and saved is not None:
            self._set_user_kb(ProductKB.from_json(saved))
        return self
