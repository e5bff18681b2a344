"""Pruning the 250k-piece multilingual vocabulary to what Korean call text can produce.

A sentencepiece piece is kept when every character can occur in normalised
Korean/ASCII text; special tokens are always kept and the original order is
preserved, so segmentation is unchanged and embedding rows can be gathered by id.
"""
from __future__ import annotations

import copy
from typing import Callable, Optional

from .errors import BaseModelError

# Characters, besides Hangul and printable ASCII, that Korean call text uses and
# that survive the tokenizer's NFKC-style normalisation (fullwidth forms and
# "…" are folded to ASCII before segmentation, so listing them is harmless).
EXTRA_CHARS = frozenset(
    "·…‘’“”「」『』《》〈〉【】〔〕・ㆍ₩€£¥°×÷±※★☆○●◎◇◆□■△▲▽▼▶◀→←↑↓↔♡♥♪–—―〜"
)
SPACE_MARKER = "\u2581"
_KEEP_RANGES = (
    (0x20, 0x7E),  # printable ASCII
    (0xAC00, 0xD7A3),  # Hangul syllables
    (0x1100, 0x11FF),  # Hangul Jamo (compatibility Jamo normalise to these)
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0xA960, 0xA97F),  # Hangul Jamo extended-A
    (0xD7B0, 0xD7FF),  # Hangul Jamo extended-B
)
PRUNE_RULE = (
    "keep a sentencepiece piece when every character is printable ASCII, a Hangul "
    "syllable, Hangul Jamo (incl. compatibility and extended), the space marker U+2581, "
    "or one of EXTRA_CHARS; special tokens are always kept; original order is preserved"
)


def is_korean_piece(piece: str) -> bool:
    """Whether every character of `piece` can occur in normalised Korean/ASCII text."""
    for char in piece:
        code = ord(char)
        if char == SPACE_MARKER or char in EXTRA_CHARS:
            continue
        if not any(lo <= code <= hi for lo, hi in _KEEP_RANGES):
            return False
    return True


def tokenizer_pieces(tokenizer_json: dict) -> list:
    """The pieces of a Unigram tokenizer.json, in id order."""
    if tokenizer_json.get("model", {}).get("type") != "Unigram":
        raise BaseModelError("tokenizer.json is not a Unigram (sentencepiece) tokenizer")
    return [piece for piece, _ in tokenizer_json["model"]["vocab"]]


def prune_tokenizer_json(
    tokenizer_json: dict, keep: Callable[[str], bool] = is_korean_piece
) -> tuple:
    """A Unigram tokenizer.json holding only the pieces `keep` accepts (special tokens
    always), in original order, with every id remapped; returns (json, kept old ids)."""
    vocab = tokenizer_json["model"]["vocab"]
    specials = {token["content"] for token in tokenizer_json.get("added_tokens", [])}
    kept = [i for i, (piece, _) in enumerate(vocab) if piece in specials or keep(piece)]
    new_id = {old: new for new, old in enumerate(kept)}
    pruned = dict(tokenizer_json)
    pruned["model"] = dict(tokenizer_json["model"], vocab=[vocab[i] for i in kept])
    pruned["model"]["unk_id"] = new_id[tokenizer_json["model"]["unk_id"]]
    pruned["added_tokens"] = [dict(t, id=new_id[t["id"]]) for t in tokenizer_json.get("added_tokens", [])]
    pruned["post_processor"] = _remap_post_processor(tokenizer_json.get("post_processor"), new_id)
    return pruned, kept


def _remap_post_processor(processor: Optional[dict], new_id: dict) -> Optional[dict]:
    if processor is None:
        return None
    processor = copy.deepcopy(processor)
    kind = processor.get("type")
    if kind == "TemplateProcessing":
        for special in processor["special_tokens"].values():
            special["ids"] = [new_id[i] for i in special["ids"]]
    elif kind in ("RobertaProcessing", "BertProcessing"):
        for key in ("sep", "cls"):
            processor[key] = [processor[key][0], new_id[processor[key][1]]]
    elif kind == "Sequence":
        processor["processors"] = [_remap_post_processor(p, new_id) for p in processor["processors"]]
    elif kind != "ByteLevel":
        raise BaseModelError(f"cannot remap ids of post-processor {kind!r}")
    return processor
