"""Redact PHONE and CONTRACT (or any chosen labels) in a processed ``Doc``, with an audit trail.

Transcripts go to storage or to an LLM without the numbers in them: ``redact(doc, settings)``
replaces each redacted span by a tag (``[PHONE]``), a format-keeping mask (``010-****-5678``)
or a keyed hash token (``[PHONE:3f2a9c01b7de]``, HMAC-SHA256, the same value giving the same
token within and across runs so joins still work), and returns one audit record per span
(offsets before and after, label, score, style, source) that never holds the value.

Recall first: besides ``doc.ents`` it redacts every candidate of ``doc.spans["callner_candidates"]``
(what the scores component kept below the pipeline's thresholds) of a redacted label whose
``span._.score`` is at least ``REDACTION_THRESHOLD``. Runtime code: the standard library and spaCy.
"""
import hashlib
import hmac
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from . import extensions  # noqa: F401  (registers span._.score, span._.value)
from .components.scores import CANDIDATES_KEY
from .scheme import SPOKEN_DIGIT_VALUES
from .scheme.labels import CONTRACT, LABELS, PHONE
from .values import compute_value
from .values.phone import national_prefix_length

STYLES = ("tag", "mask", "hash")
DEFAULT_LABELS = (PHONE, CONTRACT)

REDACTION_THRESHOLD = 0.3
"""The least ``span._.score`` of a candidate below the pipeline's thresholds that is still redacted.

Chosen from the precision/recall curves of the trained pipeline (run 13, ``pr_test.json`` and
``pr_real_dev.json``): no PHONE or CONTRACT candidate there scores below 0.569. On the test split
PHONE recall is 0.973 at the pipeline's threshold (0.864) and reaches its ceiling, 0.989, only at
the lowest candidate (0.569); on the realistic dev set a candidate of 0.844 hides 8 more
characters of a number read out with joiners (`010에 6628에 1174`). What is still missed was never
proposed, which no threshold recovers. So the threshold must lie below every observed candidate;
0.3 leaves a wide margin for calls unlike those sets and still drops what calibration says is
wrong more than two times in three. Masking a non-number costs a reader little; leaking a number
cannot be undone.
"""

MIN_MASKED_DIGITS = 4
"""A mask always hides at least this many digits (of a span that has them): the prefix is shown
only if that leaves enough masked, and the trailing visible digits shrink if still too few."""

MASK_CHAR = "*"
HASH_HEX_CHARS = 12

@dataclass(frozen=True)
class RedactionSettings:
    """How to redact: ``style`` (tag, mask, hash), which ``labels``, the candidates' ``threshold``
    (None: ``REDACTION_THRESHOLD``), for a mask the trailing digits left visible (``keep_visible``)
    and whether a PHONE's prefix stays (``keep_prefix``), for a hash the HMAC ``key``."""

    style: str = "tag"
    labels: Tuple[str, ...] = DEFAULT_LABELS
    threshold: Optional[float] = None
    keep_visible: int = 4
    key: Optional[bytes] = field(default=None, repr=False)
    keep_prefix: bool = True

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValueError(f"unknown redaction style {self.style!r}; allowed: {', '.join(STYLES)}")
        labels = (self.labels,) if isinstance(self.labels, str) else tuple(self.labels)
        unknown = [label for label in labels if label not in LABELS]
        if unknown or not labels:
            raise ValueError(f"unknown or no labels to redact {unknown or list(labels)}; allowed: {', '.join(LABELS)}")
        object.__setattr__(self, "labels", labels)
        threshold = self.threshold
        if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float))
                                      or math.isnan(threshold)):
            raise ValueError(f"threshold must be a number or None, got {threshold!r}")
        if isinstance(self.keep_visible, bool) or not isinstance(self.keep_visible, int) or self.keep_visible < 0:
            raise ValueError(f"keep_visible must be a whole number >= 0, got {self.keep_visible!r}")
        if self.key is not None and (not isinstance(self.key, bytes) or not self.key):
            raise ValueError("key must be non-empty bytes")
        if self.style == "hash" and self.key is None:
            raise ValueError("style 'hash' needs a key (load_key(key_file, key_env))")

    @property
    def candidate_threshold(self) -> float:
        return REDACTION_THRESHOLD if self.threshold is None else float(self.threshold)


@dataclass
class Redaction:
    """The redacted text and one audit record per redacted span, in text order."""

    text: str
    audit: List[Dict[str, Any]]


def load_key(key_file: Optional[Path], key_env: Optional[str]) -> bytes:
    """The HMAC key from ``key_file`` (its bytes, one trailing newline stripped) or from the
    environment variable named ``key_env``; exactly one of them must be given."""
    if (key_file is None) == (key_env is None):
        raise ValueError("give exactly one of a key file or a key environment variable")
    if key_file is not None:
        path = Path(key_file)
        if not path.is_file():
            raise ValueError(f"key file {path} does not exist")
        key = path.read_bytes()
        key = key[:-2] if key.endswith(b"\r\n") else key[:-1] if key.endswith(b"\n") else key
        if not key:
            raise ValueError(f"key file {path} is empty")
        return key
    value = os.environ.get(key_env)
    if value is None:
        raise ValueError(f"environment variable {key_env} is not set")
    if not value.strip():
        raise ValueError(f"environment variable {key_env} is empty")
    return value.encode("utf8")


def spans_to_redact(doc: Doc, settings: RedactionSettings, *, candidates: bool = True) -> List[Tuple[Span, str]]:
    """The spans ``redact`` replaces, in text order, each with its source (``entity`` or
    ``candidate``): ``doc.ents`` of the redacted labels and, with ``candidates``, the candidates
    scoring at least the threshold; overlaps go to the longest span (ties: the entity)."""
    found: List[Span] = [ent for ent in doc.ents if ent.label_ in settings.labels]
    sources = {_key(span): "entity" for span in found}
    if candidates and CANDIDATES_KEY in doc.spans:
        for span in doc.spans[CANDIDATES_KEY]:
            score = span._.score
            if (span.label_ in settings.labels and _key(span) not in sources
                    and (score is None or score >= settings.candidate_threshold)):
                found.append(span)
                sources[_key(span)] = "candidate"
    kept = filter_spans(found)
    return [(span, sources[_key(span)]) for span in sorted(kept, key=lambda span: span.start_char)]


def redact(doc: Doc, settings: Optional[RedactionSettings] = None) -> Redaction:
    """``doc.text`` with the spans of ``spans_to_redact`` replaced in ``settings.style``, and the audit."""
    settings = settings or RedactionSettings()
    pieces: List[str] = []
    audit: List[Dict[str, Any]] = []
    cursor = length = 0
    for span, source in spans_to_redact(doc, settings):
        before = doc.text[cursor:span.start_char]
        pieces.append(before)
        length += len(before)
        replacement = replacement_text(span, settings)
        pieces.append(replacement)
        audit.append({"label": span.label_, "start": span.start_char, "end": span.end_char,
                      "redacted_start": length, "redacted_end": length + len(replacement),
                      "score": span._.score, "style": settings.style, "source": source})
        length += len(replacement)
        cursor = span.end_char
    pieces.append(doc.text[cursor:])
    return Redaction("".join(pieces), audit)


def replacement_text(span: Span, settings: RedactionSettings) -> str:
    """What replaces ``span`` in ``settings.style``."""
    if settings.style == "tag":
        return f"[{span.label_}]"
    if settings.style == "hash":
        return f"[{span.label_}:{hash_token(settings.key, span.label_, canonical_value(span))}]"
    visible = visible_positions(span.text, span.label_, settings.keep_visible, keep_prefix=settings.keep_prefix)
    return "".join(char if keep else MASK_CHAR for char, keep in zip(span.text, visible))


def canonical_value(span: Span) -> str:
    """What a hash token stands for: a PHONE's national digits, a CONTRACT's id, another label's
    value as sorted JSON; the surface text when no value can be computed."""
    value = span._.value
    if value is None:
        value = compute_value(span.label_, span.text).value
    if value is None:
        return span.text
    if span.label_ == PHONE:
        return value["digits"]
    if span.label_ == CONTRACT:
        return value["id"]
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def hash_token(key: bytes, label: str, canonical: str) -> str:
    """The first ``HASH_HEX_CHARS`` hex digits of HMAC-SHA256(key, ``label:canonical``)."""
    digest = hmac.new(key, f"{label}:{canonical}".encode("utf8"), hashlib.sha256).hexdigest()
    return digest[:HASH_HEX_CHARS]


def _is_digit(char: str) -> bool:
    return "0" <= char <= "9" or char in SPOKEN_DIGIT_VALUES


def visible_positions(text: str, label: str, keep_visible: int, *, keep_prefix: bool = True) -> List[bool]:
    """Per character of ``text``, whether a mask leaves it visible.

    PHONE and CONTRACT keep their format: only digits (written or spoken) are masked, except a
    PHONE's prefix (country code and numbering-plan prefix, with ``keep_prefix``) and the last
    ``keep_visible`` digits, as long as ``MIN_MASKED_DIGITS`` stay masked (``010-1234-5678`` ->
    ``010-****-5678``, ``1588-1234`` -> ``****-1234``, ``KR-2026-001`` -> ``KR-****-001``).
    Any other label is masked whole, whitespace kept.
    """
    if label not in (PHONE, CONTRACT):
        return [char.isspace() for char in text]
    digit_positions = [i for i, char in enumerate(text) if _is_digit(char)]
    n_digits = len(digit_positions)
    prefix = _phone_prefix_digits(text, n_digits) if label == PHONE and keep_prefix else 0
    if n_digits - prefix - keep_visible < MIN_MASKED_DIGITS:
        prefix = 0
    trailing = max(0, min(keep_visible, n_digits - MIN_MASKED_DIGITS))
    shown = set(digit_positions[:prefix]) | set(digit_positions[n_digits - trailing:])
    return [not _is_digit(char) or i in shown for i, char in enumerate(text)]


def _phone_prefix_digits(text: str, n_digits: int) -> int:
    """How many leading digits of the surface are the country code and numbering-plan prefix."""
    value = compute_value(PHONE, text).value
    if value is None or value["digits"].startswith("+"):
        return 0
    national = value["digits"]
    length = national_prefix_length(national)
    return max(0, n_digits - len(national) + length) if length else 0


def _key(span: Span) -> Tuple[int, int, str]:
    return span.start_char, span.end_char, span.label_

