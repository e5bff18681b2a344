"""Where the compact vocabulary's sample comes from: generator, catalogue, lexicons.

The Korean and English lexicons are wordfreq's word lists (code Apache-2.0,
data CC BY-SA 4.0), read straight from its wheel as `pip download` saves it, so
the build needs neither wordfreq nor its dependencies installed. Only which
pieces to keep is derived from them; no lexicon text ends up in the model.
"""
from __future__ import annotations

import gzip
import zipfile
from pathlib import Path
from typing import List, Optional

import srsly

from .compact import VocabularySample, english_word_forms
from .errors import BaseModelError, PathLike

WORDFREQ_PACKAGE = "wordfreq"
WORDFREQ_VERSION = "3.1.1"
WORDFREQ_LICENSE = "Apache-2.0 (code), CC BY-SA 4.0 (word lists)"
DEFAULT_GENERATED = 30000
DEFAULT_ENGLISH_WORDS = 5000


def find_wordfreq_wheel(directory: PathLike) -> Optional[Path]:
    """The wordfreq wheel in `directory` (as `pip download` saves it), or None."""
    hits = sorted(Path(directory).glob(f"{WORDFREQ_PACKAGE}-*.whl"))
    return hits[-1] if hits else None


def wordfreq_words(wheel: PathLike, lang: str, limit: Optional[int] = None) -> List[str]:
    """wordfreq's `small_{lang}` list, most frequent first (its cB msgpack format: a header,
    then one bucket of words per centibel of frequency)."""
    member = f"wordfreq/data/small_{lang}.msgpack.gz"
    try:
        with zipfile.ZipFile(wheel) as archive:
            packed = archive.read(member)
    except (zipfile.BadZipFile, OSError, KeyError) as err:
        raise BaseModelError(f"cannot read {member} from {wheel}: {err}") from err
    header, *buckets = srsly.msgpack_loads(gzip.decompress(packed))
    if not isinstance(header, dict) or header.get("format") != "cB":
        raise BaseModelError(f"{wheel}: {member} is not a wordfreq cB word list")
    words = [word for bucket in buckets for word in bucket]
    return words[:limit] if limit else words


def generator_sample(n: int, seed: int) -> VocabularySample:
    """`n` offline generator utterances of `seed`, unvalidated: only their words matter here,
    and skipping the validator keeps the vocabulary independent of the Korean tokenizer."""
    from ..synthetic import generate_example

    texts = [generate_example(seed, index)["text"] for index in range(n)]
    return VocabularySample(texts=texts, sources={"generator_utterances": len(texts)})


def catalogue_sample() -> VocabularySample:
    """Every shipped product and brand name, in Hangul and in Latin script."""
    from spacy_callner.values.product_kb import ProductKB, shipped_brand_spellings

    names = []
    for entry in ProductKB.default().to_json():
        names += [entry["name"], *entry["aliases"]]
    for spellings in shipped_brand_spellings().values():
        names += list(spellings)
    return VocabularySample(texts=names, sources={"catalogue_names": len(names)})


def lexicon_sample(wheel: PathLike, english_words: int = DEFAULT_ENGLISH_WORDS) -> VocabularySample:
    """wordfreq's Korean list in full and its `english_words` most frequent English words."""
    korean = wordfreq_words(wheel, "ko")
    english = english_word_forms(wordfreq_words(wheel, "en", english_words))
    return VocabularySample(
        words=korean + english,
        sources={"korean_lexicon_words": len(korean), "english_words": english_words},
    )


def vocabulary_sample(
    wordfreq_wheel: PathLike, *, generated: int = DEFAULT_GENERATED, seed: int = 0,
    english_words: int = DEFAULT_ENGLISH_WORDS,
) -> VocabularySample:
    """The whole sample the compact vocabulary is chosen from."""
    return (
        generator_sample(generated, seed)
        .merged(catalogue_sample())
        .merged(lexicon_sample(wordfreq_wheel, english_words))
    )
