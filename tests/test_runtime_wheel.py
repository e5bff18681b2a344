"""The runtime wheel that every `ko_callner` install gets: runtime code and inference requirements only."""
import subprocess
import sys
import zipfile
from email.parser import Parser

import pytest

from .conftest import REPO_ROOT

INFERENCE_STACK = {"spacy", "spacy-transformers", "transformers", "torch"}


@pytest.fixture(scope="module")
def runtime_wheel(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(dist), str(REPO_ROOT)],
        check=True, cwd=tmp_path_factory.mktemp("build-cwd"),
    )
    wheels = list(dist.glob("spacy_callner-*.whl"))
    assert len(wheels) == 1, wheels
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
        metadata = Parser().parsestr(wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode())
        entry_points = wheel.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    return {"names": names, "metadata": metadata, "entry_points": entry_points}


def _requirement_name(requirement: str) -> str:
    for stop in "<>=!~;[ (":
        requirement = requirement.split(stop)[0]
    return requirement.strip().lower()


def test_wheel_holds_runtime_code_only(runtime_wheel):
    code = [n for n in runtime_wheel["names"] if not n.split("/")[0].endswith(".dist-info")]
    assert all(n.startswith("spacy_callner/") for n in code), code
    assert not [n for n in code if n.startswith("spacy_callner/training")]
    for module in ("tokenizer.py", "patterns.py", "regex_ner.py", "displacy.py", "scheme/__init__.py",
                   "scheme/rules.py", "scheme/particles.py", "scheme/product_attributes.json"):
        assert f"spacy_callner/{module}" in code, module


def test_unconditional_requirements_are_the_inference_stack_as_ranges(runtime_wheel):
    requirements = runtime_wheel["metadata"].get_all("Requires-Dist")
    unconditional = [r for r in requirements if "extra ==" not in r]
    assert {_requirement_name(r) for r in unconditional} == INFERENCE_STACK, unconditional
    assert not [r for r in unconditional if "==" in r], "ranges, so an app keeps its own torch build"
    training_only = {"anthropic", "seqeval", "matplotlib", "accelerate"}
    assert not training_only & {_requirement_name(r) for r in unconditional}


def test_entry_points_name_only_runtime_modules(runtime_wheel):
    entry_points = runtime_wheel["entry_points"]
    assert "callner_regex_ner = spacy_callner.regex_ner:make_regex_ner" in entry_points
    assert "callner.korean_tokenizer.v1 = spacy_callner.tokenizer:create_korean_tokenizer_callback" in entry_points
    assert "[spacy_displacy_colors]" in entry_points
    assert "spacy_callner.training" not in entry_points
