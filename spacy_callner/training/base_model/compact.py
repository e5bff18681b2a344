"""The compact vocabulary: the pieces Korean call text actually produces, not all it could.

The Korean-character rule (`pruning.is_korean_piece`) keeps 88,581 of 250,037
pieces, most of them Latin-script pieces that call text rarely uses. The compact
set keeps what the source tokenizer produces on a large Korean sample (generator
output at scale, the product catalogue in Hangul and Latin, a Korean lexicon),
the pieces of frequent English words, every piece without a Latin letter (Hangul,
digits and punctuation are a few thousand pieces) and every single-character
piece, so that no text maps to `<unk>` more than before: a word outside the
sample still segments, only into smaller pieces. The realistic dev set is never part of the
sample; it is what the result is judged on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Sequence, Set

from .pruning import SPACE_MARKER, is_korean_piece

COMPACT_RULE = (
    "keep every piece the source tokenizer produces on the vocabulary sample (generator output, "
    "product catalogue names in Hangul and Latin, the wordfreq Korean lexicon alone and word-internal, "
    "frequent English words in lower, Title and UPPER case); of the pieces the Korean-character rule "
    "keeps, every one without a Latin letter, every single-character one (with and without the space "
    "marker) and every one holding a character that has no single-character piece; special tokens "
    "always; original order preserved"
)


@dataclass(frozen=True)
class VocabularySample:
    """What the compact vocabulary is chosen from: running texts and single words, by source."""

    texts: Sequence[str] = ()
    words: Sequence[str] = ()
    sources: Dict[str, int] = field(default_factory=dict)

    def merged(self, other: "VocabularySample") -> "VocabularySample":
        return VocabularySample(
            tuple(self.texts) + tuple(other.texts),
            tuple(self.words) + tuple(other.words),
            {**self.sources, **other.sources},
        )


def _single_character(piece: str) -> bool:
    return len(piece.lstrip(SPACE_MARKER)) <= 1


def _has_latin_letter(piece: str) -> bool:
    return any("a" <= char.lower() <= "z" for char in piece)


def character_pieces(pieces: Sequence[str]) -> Set[str]:
    """The Korean set's pieces that hold no Latin letter (Hangul, digits, punctuation: a few
    thousand, the script call text is written in), its single-character pieces, and every piece
    holding a character that has no single-character piece (so it never becomes `<unk>`)."""
    korean = [piece for piece in pieces if is_korean_piece(piece)]
    singles = {piece for piece in korean if _single_character(piece) or not _has_latin_letter(piece)}
    covered = {piece.lstrip(SPACE_MARKER) for piece in singles if _single_character(piece)}
    uncovered = [piece for piece in korean if any(char not in covered and char != SPACE_MARKER for char in piece)]
    return singles | set(uncovered)


def _text_pieces(tokenizer, texts: Sequence[str], batch: int = 2048) -> Set[str]:
    kept: Set[str] = set()
    for start in range(0, len(texts), batch):
        for encoding in tokenizer.encode_batch(list(texts[start:start + batch]), add_special_tokens=False):
            kept.update(encoding.tokens)
    return kept


def _word_pieces(tokenizer, words: Iterable[str]) -> Set[str]:
    """Pieces of each word said on its own (`▁word`) and inside a longer word (no marker)."""
    model = tokenizer.model
    kept: Set[str] = set()
    for word in words:
        word = word.strip()
        if not word:
            continue
        for form in (SPACE_MARKER + word, word):
            kept.update(token.value for token in model.tokenize(form))
    return kept


def compact_pieces(tokenizer_json: dict, sample: VocabularySample) -> Set[str]:
    """The pieces of the compact vocabulary chosen from `sample` (see COMPACT_RULE)."""
    import json

    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(json.dumps(tokenizer_json, ensure_ascii=False))
    pieces = [piece for piece, _ in tokenizer_json["model"]["vocab"]]
    kept = _text_pieces(tokenizer, list(sample.texts)) | _word_pieces(tokenizer, sample.words)
    return kept | character_pieces(pieces)


def english_word_forms(words: Iterable[str]) -> List[str]:
    """`word`, `Word` and `WORD` of each English word: call text writes all three."""
    forms: List[str] = []
    for word in words:
        forms += [word, word.title(), word.upper()]
    return forms
