"""A spaCy component that fixes the model's PHONE and CONTRACT entities with regexes.

It runs after the statistical ``ner``. Written phone numbers and contract IDs have
a closed format, so a precise regex knows their exact boundaries better than the
model does (particles such as ``로`` or ``번이요`` are the model's usual error).
The regexes must therefore be *more* right than the model wherever they fire: a
post-processor that is less right lowers the score (STACK_NOTES.md).

Importing this module only registers the factory ``callner_regex_ner``.
"""
import re
from typing import Dict, Iterable, List, Optional, Pattern, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from .scheme import SPOKEN_DIGIT_VALUES
from .scheme.labels import CONTRACT, PHONE
from .patterns import MASKED_PHONE_REGEX, REGEXES, WRITTEN_PHONE_CHARS, phone_refutation
from .values.phone import SPOKEN_GROUP_JOINER, number_within, numbering_plan_problem, phone_value
from .scheme.edges import strip_span_edges
from .token_splits import split_tokens_at

LabelledSpan = Tuple[int, int, str]

"""A model PHONE made only of these is a written number the patterns can judge."""

DEFAULT_CONFIG = {
    "labels": [PHONE, CONTRACT],
    "extra_patterns": {},
    "overwrite": True,
    "drop_invalid": True,
}


@Language.factory(
    "callner_regex_ner",
    default_config=DEFAULT_CONFIG,
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
)
def make_regex_ner(
    nlp: Language,
    name: str,
    labels: List[str],
    extra_patterns: Dict[str, List[str]],
    overwrite: bool,
    drop_invalid: bool,
) -> "RegexEntityRecognizer":
    """Build the regex post-processor from its config.

    labels: the built-in pattern sets to run (``PHONE``, ``CONTRACT``).
    extra_patterns: more regexes per label, any label; for PHONE and CONTRACT they
        also widen what ``drop_invalid`` accepts.
    overwrite: regex spans replace overlapping model entities (see the class).
    drop_invalid: remove model PHONE/CONTRACT entities the patterns refuse.

    No ``score`` method: spaCy's ``ner`` scorer already scores the final
    ``doc.ents``; a second scorer here would report the same numbers twice.
    """
    return RegexEntityRecognizer(
        name=name,
        labels=labels,
        extra_patterns=extra_patterns,
        overwrite=overwrite,
        drop_invalid=drop_invalid,
    )


class RegexEntityRecognizer:
    """Adds regex entities to ``doc.ents``, reconciling them with the model's.

    Overlap policy, ``overwrite=True`` (default): a regex span replaces every model
    entity it overlaps, whatever its label; model entities that overlap no regex
    span stay, and so does one the regex agrees with exactly (with its ``kb_id``). The regexes only fire on exact written formats with ASCII
    boundaries, where they are more precise than the model, and the model's typical
    error is a boundary (``5678로``): keeping the model's span would keep the error.
    ``overwrite=False`` adds regex spans only where the model found nothing, for a
    model that is trusted more than the patterns.

    ``drop_invalid=True`` (default), applied before the overlap policy:
    a model PHONE written only with digits, ``+``, ``-``, ``.`` and spaces that
    the PHONE patterns do not accept as a whole is removed (a card number, the
    ``5678`` of ``뒷자리 5678``) when ``phone_refutation`` or the numbering plan
    refutes it; so is a masked number (``010-77**-1234``: not complete). A model
    PHONE without written digits is judged by its spoken reading (``phone_value``): cut down
    to the number inside it when it took a word along (``팔팔팔팔 그``), removed when it
    reads as no number at all (``(사무실``); mixed spans (``010 일이삼사 5678``) stay. A model CONTRACT that is not a contract ID as
    a whole is removed: ANNOTATION.md allows only that format. A removed span
    leaves room for a regex span, even with ``overwrite=False``. Checks run only
    for labels whose patterns are active (in ``labels`` or ``extra_patterns``).
    It hurts only if the model is right on a written format the patterns lack;
    add that format to ``extra_patterns``.

    Regex spans that overlap each other are resolved longest first, then leftmost
    (the rule of ``spacy.util.filter_spans``, applied to character offsets).
    """

    def __init__(
        self,
        name: str = "callner_regex_ner",
        labels: Sequence[str] = (PHONE, CONTRACT),
        extra_patterns: Optional[Dict[str, List[str]]] = None,
        overwrite: bool = True,
        drop_invalid: bool = True,
    ):
        unknown = [label for label in labels if label not in REGEXES]
        if unknown:
            raise ValueError(
                f"[{name}] no built-in patterns for labels {unknown}; "
                f"built-in: {sorted(REGEXES)}. Use extra_patterns for other labels."
            )
        self.name = name
        self.overwrite = bool(overwrite)
        self.drop_invalid = bool(drop_invalid)
        self.regexes: List[Tuple[str, Pattern[str]]] = [
            (label, REGEXES[label]) for label in dict.fromkeys(labels)
        ]
        for label, sources in (extra_patterns or {}).items():
            for source in sources:
                self.regexes.append((label, _compile(name, label, source)))
        self.labels: Tuple[str, ...] = tuple(dict.fromkeys(label for label, _ in self.regexes))

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc.ents`` to the model's entities reconciled with the regex spans.

        Model entities are first trimmed off whitespace and invisible edge characters
        (``span_edges``) and dropped when nothing is left. May return a new Doc with
        more tokens (``token_splits``) when a span edge falls inside a token.
        """
        text = doc.text
        regex_spans = self.find_spans(text)
        model_spans, trimmed = self._model_spans(doc)
        if self.overwrite:
            agreed = {(start, end, label) for start, end, label, _, _ in model_spans}
            regex_spans = [span for span in regex_spans if span not in agreed]
            taken = _occupancy(len(text), regex_spans)
            model_spans = [span for span in model_spans if not _overlaps(taken, span[0], span[1])]
        else:
            taken = _occupancy(len(text), model_spans)
            regex_spans = [span for span in regex_spans if not _overlaps(taken, span[0], span[1])]
        if not regex_spans and not trimmed and len(model_spans) == len(doc.ents):
            return doc
        doc = split_tokens_at(doc, [offset for span in (*regex_spans, *model_spans) for offset in span[:2]])
        entities = [
            doc.char_span(start, end, label=label, kb_id=kb_id, span_id=span_id)
            for start, end, label, kb_id, span_id in model_spans
        ]
        entities += [doc.char_span(start, end, label=label) for start, end, label in regex_spans]
        # a spoken number grown over a token the model gave another label (영일…일일|삼 as PHONE
        # and 삼 as PRODUCT) must not make doc.ents refuse the set: the longer span wins
        doc.ents = filter_spans([span for span in entities if span is not None])
        return doc

    def _model_spans(self, doc: Doc) -> Tuple[list, bool]:
        """The model's entities to keep as ``(start, end, label, kb_id, id)``, edges trimmed,
        and whether any was trimmed or dropped for its edges."""
        text = doc.text
        spans, trimmed = [], False
        for ent in doc.ents:
            start, end = strip_span_edges(text, ent.start_char, ent.end_char)
            if ent.label_ == PHONE and self.drop_invalid:
                start, end = _spoken_number_part(text, start, end)
            trimmed = trimmed or (start, end) != (ent.start_char, ent.end_char)
            if start == end or (self.drop_invalid and self.is_invalid(ent.label_, text[start:end])):
                continue
            spans.append((start, end, ent.label_, ent.kb_id_, ent.id_))
        return spans, trimmed

    def find_spans(self, text: str) -> List[LabelledSpan]:
        """Non-overlapping regex spans in ``text``, trimmed of edge whitespace and controls."""
        candidates = []
        for label, regex in self.regexes:
            for match in regex.finditer(text):
                start, end = strip_span_edges(text, match.start(), match.end())
                if end > start:
                    candidates.append((start, end, label))
        candidates.sort(key=lambda span: (span[0] - span[1], span[0]))
        taken = bytearray(len(text))
        chosen = []
        for start, end, label in candidates:
            if not _overlaps(taken, start, end):
                taken[start:end] = b"\x01" * (end - start)
                chosen.append((start, end, label))
        return sorted(chosen)

    def is_invalid(self, label: str, text: str) -> bool:
        """Whether a model entity is one the active patterns show to be wrong."""
        validators = [regex for pattern_label, regex in self.regexes if pattern_label == label]
        if not validators:
            return False
        if any(regex.fullmatch(text) for regex in validators):
            return False
        if label == PHONE:
            if MASKED_PHONE_REGEX.match(text):
                return True
            written = WRITTEN_PHONE_CHARS.fullmatch(text) is not None
            written = written or MASKED_PHONE_REGEX.fullmatch(text) is not None
            if written:
                return phone_refutation(text) is not None or numbering_plan_problem(text) is not None
            return SPOKEN_ONLY.fullmatch(text) is not None and phone_value(text).value is None
        return label == CONTRACT


SPOKEN_ONLY = re.compile(r"[^0-9]+")
"""A model PHONE without a written digit: only its spoken reading (`공일공 일이삼사 오육칠팔`) can make
it a number, so one that reads as none (`(사무실`) is refuted."""


def _spoken_number_part(text: str, start: int, end: int) -> Tuple[int, int]:
    """A spoken model PHONE cut to the number inside it when it reads as none (`공이에 칠칠칠에
    팔팔팔팔 그` -> `공이에 칠칠칠에 팔팔팔팔`) or ends in the joiner `에` (between groups it joins
    them; at the end it is the particle: `…일일육일에 부재중 전화`), or grown over the spoken digits glued on after it
    when they complete it (`공일공삼공삼공팔칠삼` + `이`); other spans unchanged."""
    surface = text[start:end]
    if not SPOKEN_ONLY.fullmatch(surface):
        return start, end
    if surface.endswith(SPOKEN_GROUP_JOINER) and len(surface) > 1:
        return _spoken_number_part(text, start, end - len(SPOKEN_GROUP_JOINER))
    if phone_value(surface).value is None:
        part = number_within(surface)
        return (start + part[0], start + part[1]) if part else (start, end)
    return start, _glued_digits_end(text, start, end)


def _glued_digits_end(text: str, start: int, end: int) -> int:
    """The end of a spoken number grown over at most two digit syllables glued to it (no space
    between), only while it is shorter than a complete number of its kind and the longer one is
    still no longer: a trailing `이` is the subject particle after a complete number."""
    glued = end
    while glued < len(text) and text[glued] in SPOKEN_DIGIT_VALUES and glued - end < 2:
        glued += 1
    if glued == end or (glued < len(text) and text[glued] in SPOKEN_DIGIT_VALUES):
        return end
    shorter = phone_value(text[start:end]).value
    full = _full_length(shorter["digits"], shorter["kind"])
    if len(shorter["digits"]) >= full:
        return end
    for grown in range(glued, end, -1):
        longer = phone_value(text[start:grown]).value
        if longer is not None and longer["kind"] == shorter["kind"] and len(longer["digits"]) <= full:
            return grown
    return end


def _full_length(digits: str, kind: str) -> int:
    """Digits every number of this kind has: 11 for an 010 mobile number; 0 where lengths vary
    (02-777-8888 and 02-7777-8888 both exist, so a glued `이` after a landline may be a particle)."""
    return 11 if kind == "mobile" and digits.startswith("010") else 0


def _compile(component_name: str, label: str, source: str) -> Pattern[str]:
    """Compile a user pattern, naming it in the error so a bad config is easy to find.

    ``$`` is refused: spaCy's config writes it as ``$$`` and ``spacy.load`` does not
    undo that, so the pattern would silently change after a save and reload.
    ``\\x24`` matches a literal dollar sign and ``\\Z`` the end of the text.
    """
    if "$" in source:
        raise ValueError(
            f"[{component_name}] extra_patterns for {label} may not contain '$' "
            f"(it does not survive nlp.to_disk / spacy.load): {source!r}. "
            r"Write \x24 for a literal dollar sign and \Z for the end of the text."
        )
    try:
        return re.compile(source)
    except re.error as error:
        raise ValueError(
            f"[{component_name}] invalid regex for {label} in extra_patterns: {source!r}: {error}"
        ) from error


def _occupancy(length: int, spans: Iterable[tuple]) -> bytearray:
    """A per-character mask of the characters covered by ``spans``."""
    taken = bytearray(length)
    for span in spans:
        start, end = span[0], span[1]
        taken[start:end] = b"\x01" * (end - start)
    return taken


def _overlaps(taken: bytearray, start: int, end: int) -> bool:
    return taken.find(1, start, end) != -1
