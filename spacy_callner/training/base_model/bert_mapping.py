"""Mapping e5-small-q4.bin tensors onto a transformers `BertModel`.

multilingual-e5-small is an XLM-R-style BERT; its tensors map one to one onto
`BertModel(add_pooling_layer=False)` once dequantised. Embedding rows can be
gathered (for a pruned vocabulary) and trailing encoder layers dropped.
"""
from __future__ import annotations

from typing import Optional, Sequence

from .e5_format import E5File, E5Header, expected_tensor_names
from .errors import BaseModelError

_EMBEDDING_KEYS = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER_MODULES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def bert_key(name: str) -> str:
    """The transformers.BertModel state-dict key of an e5-small-q4.bin tensor name."""
    if name in _EMBEDDING_KEYS:
        return _EMBEDDING_KEYS[name]
    layer, part, kind = name.split(".")
    suffix = {"w": "weight", "b": "bias"}[kind]
    return f"encoder.layer.{int(layer[1:])}.{_LAYER_MODULES[part]}.{suffix}"


def bert_config(header: E5Header, *, vocab_size: Optional[int] = None, num_layers: Optional[int] = None):
    """A BertConfig matching the weight file's header."""
    from transformers import BertConfig

    return BertConfig(
        vocab_size=vocab_size or header.vocab,
        hidden_size=header.hidden,
        num_hidden_layers=num_layers or header.layers,
        num_attention_heads=header.heads,
        intermediate_size=header.ffn,
        hidden_act="gelu",
        max_position_embeddings=header.max_positions,
        type_vocab_size=header.type_vocab,
        layer_norm_eps=header.eps,
        pad_token_id=header.pad,
        bos_token_id=header.bos,
        eos_token_id=header.eos,
        position_embedding_type="absolute",
        architectures=["BertModel"],
    )


def bert_state_dict(
    e5: E5File, *, rows: Optional[Sequence[int]] = None, num_layers: Optional[int] = None
) -> dict:
    """Dequantised BertModel(add_pooling_layer=False) state dict; `rows` selects
    (and orders) the word-embedding rows, `num_layers` keeps the first N layers."""
    import torch

    layers = num_layers or e5.header.layers
    state = {}
    for name in expected_tensor_names(layers):
        array = e5.tensor(name, rows=rows if name == "emb.word" else None)
        state[bert_key(name)] = torch.from_numpy(array)
    return state


def load_bert(config, state: dict):
    """BertModel(add_pooling_layer=False) with `state` loaded strictly."""
    from transformers import BertModel

    model = BertModel(config, add_pooling_layer=False)
    result = model.load_state_dict(state, strict=False)
    missing = [k for k in result.missing_keys if not k.endswith(("position_ids", "token_type_ids"))]
    if missing or result.unexpected_keys:
        raise BaseModelError(
            f"state dict does not fit BertModel: missing {missing[:8]}, unexpected {result.unexpected_keys[:8]}"
        )
    return model.eval()


def parameter_count(header: E5Header, *, vocab_rows: Optional[int] = None, num_layers: Optional[int] = None) -> int:
    """Parameters of BertModel(add_pooling_layer=False) for this header."""
    h, f = header.hidden, header.ffn
    embeddings = ((vocab_rows or header.vocab) + header.max_positions + header.type_vocab) * h + 2 * h
    layer = 4 * (h * h + h) + 2 * h + (h * f + f) + (f * h + h) + 2 * h
    return embeddings + (num_layers or header.layers) * layer
