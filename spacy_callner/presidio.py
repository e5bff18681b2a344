"""ko_callner as Microsoft Presidio's Korean engine, in one call (the ``[presidio]`` extra).

Presidio's own ``SpacyNlpEngine`` run on ko_callner keeps only the labels its entity mapping
knows (PHONE), gives every entity the flat default score 0.85 and finds no context words,
because no ko_callner token has a lemma. ``CallnerNlpEngine`` fixes the three: it maps every
ko_callner label to a Presidio entity name (``PRESIDIO_ENTITIES``), passes each entity's
calibrated ``span._.score`` through as its Presidio score, and gives every token a lemma (its
lower-cased text: the Korean tokenizer already cuts particles, copulas and counters off as
tokens of their own, and those tokens count as stop words, so they take no place in Presidio's
context window). ``analyzer_engine`` builds an ``AnalyzerEngine`` for language ``"ko"`` from it,
with one recognizer per entity carrying its context words (``CONTEXT_WORDS``), so Presidio's own
``LemmaContextAwareEnhancer`` raises the score of an entity said next to one. Nothing is ever
downloaded: no English spaCy model, no predefined recognizers.

Importing ``spacy_callner`` does not import this module; importing this module without
presidio-analyzer installed raises an ImportError that names the extra.

Anonymizer example::

    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import OperatorConfig
    from spacy_callner.presidio import analyzer_engine

    analyzer = analyzer_engine()  # loads the installed ko_callner pipeline
    text = "제 연락처는 010-1234-5678로 해 주시고 계약번호는 KR-2026-001번이요."
    results = analyzer.analyze(text, language="ko")
    redacted = AnonymizerEngine().anonymize(text, results, operators={
        "PHONE_NUMBER": OperatorConfig("mask", {"masking_char": "*", "chars_to_mask": 9, "from_end": False}),
    })
    print(redacted.text)
    # 제 연락처는 *********5678로 해 주시고 계약번호는 <CONTRACT_NUMBER>번이요.
"""
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import extensions  # noqa: F401  (registers span._.score)
from .scheme.labels import CONTRACT, MONEY, PHONE, PRODUCT
from .scheme.particles import is_particle_stack

try:
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
    from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer, LemmaContextAwareEnhancer
    from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer
except ImportError as error:  # pragma: no cover  (CI installs the extra)
    raise ImportError(
        "spacy_callner.presidio needs presidio-analyzer: pip install spacy-callner[presidio]"
    ) from error

LANGUAGE = "ko"

PRESIDIO_ENTITIES: Dict[str, str] = {
    PHONE: "PHONE_NUMBER",
    MONEY: "MONEY",
    PRODUCT: "PRODUCT",
    CONTRACT: "CONTRACT_NUMBER",
}
"""ko_callner label -> Presidio entity name. ``PHONE_NUMBER`` is Presidio's own name; Presidio has
no name for the other three, so they follow its style (upper case, what the value is):
``MONEY`` and ``PRODUCT`` as spaCy calls them, ``CONTRACT_NUMBER`` like ``PHONE_NUMBER``
(a carrier's contract number, not a national ID, so no ``KR_`` prefix)."""

CONTEXT_WORDS: Dict[str, Sequence[str]] = {
    PHONE: ("전화", "연락처", "연락", "핸드폰", "휴대폰", "휴대전화"),
    CONTRACT: ("계약", "가입번호", "고객번호"),
    MONEY: ("요금", "금액", "가격", "할부", "결제", "납부", "청구", "비용"),
    PRODUCT: ("기기", "기종", "단말기", "모델", "제품"),
}
"""Words that, said near an entity, make its label likelier (Presidio matches them as substrings
of the lemmas around the entity: ``전화`` matches ``전화번호``). A bare ``번호`` is left out, since
it would raise a PHONE next to ``계약번호``."""

CONTEXT_PREFIX_COUNT = 5
CONTEXT_SUFFIX_COUNT = 2
"""Context window in words (particles not counted): Presidio's default five words before, and
two after, since Korean often names the thing after it (``010-1234-5678이 제 연락처예요``)."""


class CallnerNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine over ko_callner: our labels mapped, our scores, real lemmas.

    nlp: a loaded pipeline, or the name of an installed one or a path to load (never downloaded).
    language: the Presidio language code the pipeline serves.
    entity_mapping: ko_callner label -> Presidio entity name (default ``PRESIDIO_ENTITIES``).
    ner_model_configuration: Presidio's options (``labels_to_ignore``, ``low_score_entity_names``,
        ``default_score`` for an entity without ``span._.score``); its entity mapping is replaced
        by ``entity_mapping``.
    """

    engine_name = "ko_callner"

    def __init__(self, nlp: Union[Language, str, Path] = "ko_callner", *, language: str = LANGUAGE,
                 entity_mapping: Optional[Mapping[str, str]] = None,
                 ner_model_configuration: Optional[NerModelConfiguration] = None):
        configuration = (ner_model_configuration or NerModelConfiguration()).model_copy(
            update={"model_to_presidio_entity_mapping": dict(entity_mapping or PRESIDIO_ENTITIES)})
        name = nlp.meta.get("name", "pipeline") if isinstance(nlp, Language) else str(nlp)
        super().__init__(models=[{"lang_code": language, "model_name": name}],
                         ner_model_configuration=configuration)
        self.language = language
        self._source = nlp
        if isinstance(nlp, Language):
            self.nlp = {language: nlp}

    def load(self) -> None:
        """Load the pipeline with ``spacy.load`` (on the GPU where Presidio would use one)."""
        self._enable_gpu()
        self.nlp = {self.language: spacy.load(self._source)}

    def is_stopword(self, word: str, language: str) -> bool:
        """spaCy's Korean stop words, blanks, and particle tokens (``는``, ``로``, ``번``, ``이에요``)."""
        return not word.strip() or is_particle_stack(word) or super().is_stopword(word, language)

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        set_missing_lemmas(doc)
        return super()._doc_to_nlp_artifact(doc, language)

    def _get_scores_for_entities(self, doc: Doc) -> List[float]:
        """Each entity's ``span._.score``; the configuration's ``default_score`` where it has none."""
        return [entity_score(ent, self.ner_model_configuration.default_score) for ent in doc.ents]


def entity_score(span: Span, default: float) -> float:
    """``span._.score`` as a float, or ``default`` for a pipeline without the scores component."""
    return float(span._.score) if span._.score is not None else float(default)


def set_missing_lemmas(doc: Doc) -> Doc:
    """Give every token without a lemma its lower-cased text as one (a lemmatizer's are kept).

    The Korean tokenizer has already split particles and endings off (``연락처|는``), so the
    text left is the word's stem as far as context matching needs one."""
    for token in doc:
        if not token.lemma_:
            token.lemma_ = token.lower_
    return doc


def callner_recognizers(entity_mapping: Optional[Mapping[str, str]] = None, *, language: str = LANGUAGE,
                        context_words: Optional[Mapping[str, Sequence[str]]] = None,
                        labels_to_ignore: Iterable[str] = ()) -> List[SpacyRecognizer]:
    """One Presidio recognizer per entity name, reading the engine's entities, with its context words.

    One per entity, not one for all: Presidio's context enhancer applies a recognizer's context
    words to every result of that recognizer."""
    mapping = dict(entity_mapping or PRESIDIO_ENTITIES)
    words = CONTEXT_WORDS if context_words is None else context_words
    ignored = set(labels_to_ignore)
    context_by_entity: Dict[str, List[str]] = {}
    for label, entity in mapping.items():
        if label in ignored or entity in ignored:
            continue
        context = context_by_entity.setdefault(entity, [])
        context.extend(word for word in words.get(label, ()) if word not in context)
    return [SpacyRecognizer(supported_language=language, supported_entities=[entity], context=context or None,
                            name=f"ko_callner:{entity}")
            for entity, context in context_by_entity.items()]


def analyzer_engine(model: Union[Language, str, Path] = "ko_callner", *, language: str = LANGUAGE,
                    entity_mapping: Optional[Mapping[str, str]] = None,
                    context_words: Optional[Mapping[str, Sequence[str]]] = None,
                    ner_model_configuration: Optional[NerModelConfiguration] = None,
                    recognizers: Iterable[EntityRecognizer] = (),
                    context_aware_enhancer: Optional[ContextAwareEnhancer] = None,
                    default_score_threshold: float = 0.0) -> AnalyzerEngine:
    """A Presidio ``AnalyzerEngine`` for ``language`` with ko_callner as its NLP engine.

    model: a loaded pipeline, an installed pipeline's name or a path.
    context_words: ko_callner label -> context words (default ``CONTEXT_WORDS``).
    recognizers: more Presidio recognizers to register (give them ``supported_language=language``).
    context_aware_enhancer: default Presidio's ``LemmaContextAwareEnhancer`` with a window of
        ``CONTEXT_PREFIX_COUNT`` words before and ``CONTEXT_SUFFIX_COUNT`` after.
    Other arguments: see ``CallnerNlpEngine`` and Presidio's ``AnalyzerEngine``.
    """
    nlp_engine = CallnerNlpEngine(model, language=language, entity_mapping=entity_mapping,
                                  ner_model_configuration=ner_model_configuration)
    ours = callner_recognizers(nlp_engine.ner_model_configuration.model_to_presidio_entity_mapping,
                               language=language, context_words=context_words,
                               labels_to_ignore=nlp_engine.ner_model_configuration.labels_to_ignore)
    registry = RecognizerRegistry(recognizers=[*ours, *recognizers], supported_languages=[language])
    enhancer = context_aware_enhancer or LemmaContextAwareEnhancer(
        context_prefix_count=CONTEXT_PREFIX_COUNT, context_suffix_count=CONTEXT_SUFFIX_COUNT)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=[language],
                          context_aware_enhancer=enhancer, default_score_threshold=default_score_threshold)
