"""How a built vocabulary tokenises real text, next to the source's full vocabulary.

Per text set: pieces per word, the share of pieces that are `<unk>`, and how many
words (whitespace-separated) segment differently from the full vocabulary, with
examples. This is how a compact vocabulary's cost shows: unseen words split into
more, smaller pieces; the build guarantees no more `<unk>`.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Sequence

from .hf_directory import SPECIAL_TOKENS
from .pruning import tokenizer_pieces


@dataclass(frozen=True)
class SegmentationStats:
    """One vocabulary on one text set."""

    vocabulary_size: int
    words: int
    pieces: int
    pieces_per_word: float
    unknown_pieces: int
    unknown_rate: float
    words_segmented_differently: int
    share_segmented_differently: float
    examples: List[str]


def load_tokenizer(model_dir: Path):
    """The fast tokenizer of a Hugging Face directory (tokenizer.json)."""
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))


def _vocabulary_size(tokenizer) -> int:
    return len(tokenizer_pieces(json.loads(tokenizer.to_str())))


def _word_tokens(tokenizer, words: Sequence[str]) -> List[List[str]]:
    return [e.tokens for e in tokenizer.encode_batch(list(words), add_special_tokens=False)]


def segmentation_stats(tokenizer, reference, texts: Sequence[str], n_examples: int = 8) -> SegmentationStats:
    """`tokenizer` against `reference` (the full vocabulary) on the words of `texts`."""
    unk = SPECIAL_TOKENS["unk_token"]
    words = [word for text in texts for word in text.split()]
    ours, theirs = _word_tokens(tokenizer, words), _word_tokens(reference, words)
    n_pieces = sum(map(len, ours))
    n_unknown = sum(tokens.count(unk) for tokens in ours)
    differing = [(w, a, b) for w, a, b in zip(words, ours, theirs) if a != b]
    examples = sorted({f"{w}: {' '.join(b)} -> {' '.join(a)}" for w, a, b in differing})[:n_examples]
    n_words = len(words) or 1
    return SegmentationStats(
        vocabulary_size=_vocabulary_size(tokenizer),
        words=len(words),
        pieces=n_pieces,
        pieces_per_word=round(n_pieces / n_words, 4),
        unknown_pieces=n_unknown,
        unknown_rate=round(n_unknown / (n_pieces or 1), 6),
        words_segmented_differently=len(differing),
        share_segmented_differently=round(len(differing) / n_words, 4),
        examples=examples,
    )


def vocabulary_report(
    tokenizers: Mapping[str, object], reference, text_sets: Mapping[str, Sequence[str]]
) -> Dict[str, Dict[str, dict]]:
    """{vocabulary name: {text set: SegmentationStats as a dict}}."""
    return {
        name: {set_name: asdict(segmentation_stats(tokenizer, reference, texts))
               for set_name, texts in text_sets.items()}
        for name, tokenizer in tokenizers.items()
    }


def read_set_texts(path: Path) -> List[str]:
    """The texts of a `.spacy` DocBin, or of a JSONL / plain text file (`speed.read_texts`)."""
    path = Path(path)
    if path.suffix == ".spacy":
        import spacy
        from spacy.tokens import DocBin

        return [doc.text for doc in DocBin().from_disk(path).get_docs(spacy.blank("xx").vocab)]
    from ..speed import read_texts

    return read_texts(path)


def korean_rule_tokenizer(source_json: dict):
    """Today's Korean-character pruning of the source vocabulary, built in memory to compare with."""
    from tokenizers import Tokenizer

    from .pruning import prune_tokenizer_json

    pruned, _ = prune_tokenizer_json(source_json)
    return Tokenizer.from_str(json.dumps(pruned, ensure_ascii=False))
