"""Fixtures shared by the LLM generator tests: an output path and a generator run on it."""
import pytest

from spacy_callner.training.llm.generator import LLMGenerator

from .fakes import FEW_SHOTS, MODEL


@pytest.fixture
def output(tmp_path):
    return tmp_path / "llm" / "llm.jsonl"


@pytest.fixture
def make_generator(korean_nlp):
    """An LLMGenerator on `client` with the test few-shots and the real Korean tokenizer."""
    def make(client, *, concurrency=1, per_request=3, **kwargs):
        return LLMGenerator(
            model=MODEL, client=client, per_request=per_request, concurrency=concurrency,
            nlp=korean_nlp, few_shot_pool=FEW_SHOTS, show_progress=False, **kwargs,
        )

    return make


@pytest.fixture
def run_generator(make_generator, output):
    """Run an LLMGenerator with `client` on `output`; returns (generator, report, path)."""
    def run(client, n, **kwargs):
        generator = make_generator(client, **kwargs)
        return generator, generator.run(output, n), output

    return run
