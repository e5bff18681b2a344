"""Parsing e5-small-q4.bin and dequantising Q4_0, including corrupt and truncated files."""
import struct

import numpy as np
import pytest

from spacy_callner.training import base_model as bm


def test_dequantize_q4_0_block_layout():
    scale = np.float16(0.5).tobytes()
    nibbles = bytes((hi << 4) | lo for lo, hi in zip(range(16), range(15, -1, -1)))
    values = bm.dequantize_q4_0(scale + nibbles, 32)
    expected = [(lo - 8) * 0.5 for lo in range(16)] + [(hi - 8) * 0.5 for hi in range(15, -1, -1)]
    np.testing.assert_array_equal(values, np.array(expected, dtype=np.float32))
    with pytest.raises(bm.BaseModelError, match="needs 18 bytes"):
        bm.dequantize_q4_0(scale + nibbles[:-1], 32)


def test_parsed_file_is_a_dataclass_of_header_pieces_and_tensors(e5):
    assert isinstance(e5, bm.E5File)
    assert (e5.header.hidden, e5.header.layers, e5.header.vocab) == (384, 12, 250_037)
    assert len(e5.pieces) == e5.header.n_pieces == 250_002
    assert list(e5.tensors) == bm.expected_tensor_names(12)
    assert e5.tensor("l0.q.w").shape == (384, 384) and e5.tensor("emb.ln.w").dtype == np.float32


def test_wrong_magic_is_rejected(weights_bytes, sources, tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + weights_bytes[4:])
    out = tmp_path / "out"
    with pytest.raises(bm.BaseModelError, match="bad magic"):
        bm.build_base_model(out, weights_path=bad, tokenizer_path=sources["tokenizer_path"])
    assert not out.exists()


@pytest.mark.parametrize("keep", [10, 60, 3_000_000, 60_000_000])
def test_truncated_file_is_rejected(weights_bytes, sources, tmp_path, keep):
    bad = tmp_path / "cut.bin"
    bad.write_bytes(weights_bytes[:keep])
    with pytest.raises(bm.BaseModelError, match="truncated"):
        bm.build_base_model(tmp_path / "out", weights_path=bad, tokenizer_path=sources["tokenizer_path"])


def test_corrupt_header_is_rejected(weights_bytes):
    data = bytearray(weights_bytes)
    struct.pack_into("<i", data, 40, 16)
    with pytest.raises(bm.BaseModelError, match="quant block"):
        bm.parse_e5_bin(bytes(data))
    data = bytearray(weights_bytes)
    struct.pack_into("<I", data, 4, 7)
    with pytest.raises(bm.BaseModelError, match="unsupported weight file version 7"):
        bm.parse_e5_bin(bytes(data))
