"""`scripts/assemble.py --quantize int8` on the tiny trained pipeline: an int8 pipeline with the post-processors."""
import subprocess
import sys

import spacy
import srsly

from spacy_callner.quantization import is_quantized_dir
from spacy_callner.training.packaging import POST_PROCESSORS

from ..conftest import REPO_ROOT


def test_assemble_with_quantize_int8_packages_a_loadable_int8_pipeline(tiny_trf_pipeline, tmp_path):
    output = tmp_path / "assembled"
    subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "assemble.py"), str(tiny_trf_pipeline), str(output),
         "--name", "callner", "--version", "0.0.1", "--base-model", str(tiny_trf_pipeline), "--quantize", "int8"],
        check=True, cwd=REPO_ROOT, capture_output=True,
    )
    assert is_quantized_dir(output)
    assert srsly.read_json(output / "meta.json")["callner"]["quantize"] == "int8"
    assert (output / "transformer" / "model").stat().st_size < (tiny_trf_pipeline / "transformer" / "model").stat().st_size
    nlp = spacy.load(output)
    assert nlp.pipe_names[-len(POST_PROCESSORS):] == list(POST_PROCESSORS)
    doc = nlp("010-1234-5678로 전화 주세요")
    assert any(ent.label_ == "PHONE" for ent in doc.ents), "the regex post-processor runs after the int8 encoder"


def test_int8_on_a_pipeline_without_a_transformer_saves_it_as_trained(tmp_path):
    from spacy_callner.tokenizer import make_korean_nlp
    from spacy_callner.training.packaging import assemble_pipeline

    nlp = make_korean_nlp()
    nlp.add_pipe("ner").add_label("PHONE")
    nlp.initialize()
    nlp.to_disk(tmp_path / "cnn")
    assembled = assemble_pipeline(tmp_path / "cnn", tmp_path / "assembled", name="callner", version="0.0.1",
                                  base_model=str(tmp_path / "cnn"), quantize="int8")
    assert "transformer" not in assembled.pipe_names
    assert srsly.read_json(tmp_path / "assembled" / "meta.json")["callner"]["quantize"] == "none"
    assert not is_quantized_dir(tmp_path / "assembled")
