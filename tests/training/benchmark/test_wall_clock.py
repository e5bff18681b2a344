"""The equal-time recipe: a real Trainer stops at its wall-clock budget, and only then."""
import pytest

from spacy_callner.training import hf_baseline as hb
from ..test_hf_baseline import gold_docs
from ...tiny_models import make_tiny_bert


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory, korean_nlp):
    docs = gold_docs(korean_nlp, 40, seed=8)
    return make_tiny_bert([doc.text for doc in docs], tmp_path_factory.mktemp("wall_clock") / "bert"), docs


def test_a_spent_budget_stops_after_the_first_step(tiny_base, tmp_path):
    base, docs = tiny_base
    record = hb.train_hf_baseline(docs, tmp_path / "m", base_model=base, num_train_epochs=3, max_seconds=1e-9,
                                  show_progress=False)
    assert record["steps"] == 1 and record["stopped_by_budget"] is True
    assert any("training-time budget" in deviation for deviation in record["deviations"])
    assert (tmp_path / "m" / "config.json").is_file(), "the model at the stopping step is saved"


def test_an_ample_budget_lets_the_recipe_finish(tiny_base, tmp_path):
    base, docs = tiny_base
    record = hb.train_hf_baseline(docs, tmp_path / "m", base_model=base, num_train_epochs=2, max_seconds=1e6,
                                  show_progress=False)
    assert record["steps"] == 2 * 3 and record["stopped_by_budget"] is False
    assert record["deviations"] == ["num_train_epochs=2"]


def test_a_negative_budget_is_refused():
    from spacy_callner.training.benchmark.wall_clock import WallClockBudget

    with pytest.raises(ValueError):
        WallClockBudget(-1)
