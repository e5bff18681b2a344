"""The runtime wheel that every `ko_callner` install gets: runtime code and inference requirements only."""
import shutil
import zipfile
from email.parser import Parser

import pytest

from .conftest import REPO_ROOT

INFERENCE_STACK = {"spacy", "spacy-transformers", "transformers", "torch"}


@pytest.fixture(scope="module")
def runtime_wheel(tmp_path_factory):
    """Built by the package step's own function, from a checkout with no egg-info in it."""
    from spacy_callner.training.packaging import RUNTIME_SOURCES, build_runtime_wheel

    checkout = tmp_path_factory.mktemp("checkout")
    for name in RUNTIME_SOURCES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, checkout / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, checkout / name)
    dist = tmp_path_factory.mktemp("dist")
    wheel_path = build_runtime_wheel(dist, source_dir=checkout)
    with zipfile.ZipFile(wheel_path) as wheel:
        names = wheel.namelist()
        metadata = Parser().parsestr(wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode())
        entry_points = wheel.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    return {"names": names, "metadata": metadata, "entry_points": entry_points,
            "left_in_checkout": sorted(p.name for p in checkout.rglob("*.egg-info"))}


def test_building_leaves_no_metadata_in_the_checkout(runtime_wheel):
    """An egg-info left in the checkout would shadow the installed entry points after a pull."""
    assert runtime_wheel["left_in_checkout"] == []


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
