"""The system list every benchmark step takes, the training pairs, and where the time budget comes from."""
import pytest
import srsly

from spacy_callner.training.benchmark.names import HF_SYSTEM, SPACY_SYSTEM
from spacy_callner.training.benchmark.systems import parse_systems, split_pairs, training_record
from spacy_callner.training.benchmark.training import default_training_seconds, sample_training_pairs
from spacy_callner.training.data import records_to_docbin, validate_record
from spacy_callner.training.hf_baseline import read_docs
from spacy_callner.training.synthetic import generate_examples


@pytest.fixture
def model_dirs(tmp_path):
    spacy_dir, hf_dir = tmp_path / "pipe" / "model", tmp_path / "hf"
    spacy_dir.mkdir(parents=True)
    hf_dir.mkdir()
    srsly.write_json(spacy_dir / "meta.json", {"name": "x"})
    srsly.write_json(hf_dir / "config.json", {"model_type": "bert"})
    return spacy_dir, hf_dir


def test_systems_keep_their_order_and_kind(model_dirs):
    spacy_dir, hf_dir = model_dirs
    systems = parse_systems(split_pairs(f"b={hf_dir}, a={spacy_dir}  int8={spacy_dir} "))
    assert [(s.name, s.kind) for s in systems] == [("b", HF_SYSTEM), ("a", SPACY_SYSTEM), ("int8", SPACY_SYSTEM)]
    assert parse_systems(split_pairs("")) == []


@pytest.mark.parametrize("pairs, error", [(["a"], "name=path"), (["=x"], "name=path"), (["a=nowhere"], "neither")])
def test_bad_system_lists_are_refused(pairs, error):
    with pytest.raises(ValueError, match=error):
        parse_systems(pairs)


def test_a_name_is_given_once(model_dirs):
    spacy_dir, _ = model_dirs
    with pytest.raises(ValueError, match="twice"):
        parse_systems([f"a={spacy_dir}", f"a={spacy_dir}"])


def test_training_record_is_read_beside_the_model(model_dirs):
    spacy_dir, hf_dir = model_dirs
    srsly.write_json(spacy_dir.parent / "training.json", {"seconds": 12.5})
    pipe, hf = parse_systems([f"p={spacy_dir}", f"h={hf_dir}"])
    assert training_record(pipe) == {"seconds": 12.5}
    assert training_record(hf) is None


def test_the_budget_is_given_then_recorded_then_the_fallback(tmp_path):
    recorded, fallback = tmp_path / "time.json", tmp_path / "training.json"
    srsly.write_json(fallback, {"seconds": 30.0})
    assert default_training_seconds(recorded, fallback) == (30.0, str(fallback))
    srsly.write_json(recorded, {"seconds": 600.0})
    assert default_training_seconds(recorded, fallback) == (600.0, str(recorded))
    assert default_training_seconds(recorded, fallback, given=42) == (42.0, "given")
    with pytest.raises(FileNotFoundError):
        default_training_seconds(tmp_path / "none.json", tmp_path / "none2.json")


def test_training_pairs_are_a_seeded_sample(tmp_path, korean_nlp):
    records = [validate_record(example, korean_nlp)[0] for example in generate_examples(30, seed=5)]
    records_to_docbin(korean_nlp, records).to_disk(tmp_path / "train.spacy")
    first = sample_training_pairs(tmp_path / "train.spacy", tmp_path / "a.spacy", 12, seed=1)
    sample_training_pairs(tmp_path / "train.spacy", tmp_path / "b.spacy", 12, seed=1)
    assert first["available"] == 30 and first["used"] == 12
    texts = [[doc.text for doc in read_docs(tmp_path / name)] for name in ("a.spacy", "b.spacy")]
    assert texts[0] == texts[1] and len(set(texts[0])) == len(texts[0])
    assert sample_training_pairs(tmp_path / "train.spacy", tmp_path / "c.spacy", None, seed=1)["used"] == 30
