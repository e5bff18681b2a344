"""Writing the Hugging Face model directory that spacy-transformers loads by path.

The tokenizer is wrapped as a `PreTrainedTokenizerFast` (what spacy-transformers
1.4.0 can load) and the saved `tokenizer_config.json` says so explicitly, so
`AutoTokenizer` does not go looking for the XLM-R slow tokenizer's files.
"""
from __future__ import annotations

import json
from pathlib import Path

from .errors import PathLike

SPECIAL_TOKENS = {
    "bos_token": "<s>",
    "eos_token": "</s>",
    "unk_token": "<unk>",
    "sep_token": "</s>",
    "pad_token": "<pad>",
    "cls_token": "<s>",
    "mask_token": "<mask>",
}
TOKENIZER_CLASS = "PreTrainedTokenizerFast"
MODEL_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
)


def make_fast_tokenizer(tokenizer_json: dict, model_max_length: int):
    """A PreTrainedTokenizerFast (what spacy-transformers 1.4.0 can load) around the JSON."""
    from tokenizers import Tokenizer
    from transformers import PreTrainedTokenizerFast

    backend = Tokenizer.from_str(json.dumps(tokenizer_json, ensure_ascii=False))
    return PreTrainedTokenizerFast(
        tokenizer_object=backend, model_max_length=model_max_length, **SPECIAL_TOKENS
    )


def save_model_dir(model, tokenizer, directory: PathLike) -> None:
    """Save model (safetensors) and tokenizer, pinning tokenizer_class to the fast class."""
    directory = Path(directory)
    model.save_pretrained(str(directory), safe_serialization=True)
    tokenizer.save_pretrained(str(directory))
    tok_config_path = directory / "tokenizer_config.json"
    tok_config = json.loads(tok_config_path.read_text())
    tok_config["tokenizer_class"] = TOKENIZER_CLASS
    tok_config_path.write_text(json.dumps(tok_config, ensure_ascii=False, indent=2) + "\n")


def directory_size(path: PathLike) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())
