"""The training logger adds elapsed time and words/sec to spaCy's console table."""
import subprocess
import sys

from spacy_callner.training.corpus import convert_corpus
from spacy_callner.training.synthetic import generate_examples, write_jsonl

from ..conftest import REPO_ROOT


def test_training_prints_time_and_speed(tmp_path):
    write_jsonl(generate_examples(60, seed=4), tmp_path / "data.jsonl")
    convert_corpus(tmp_path / "data.jsonl", tmp_path / "corpus", dev_fraction=0.2, test_fraction=0.0)
    completed = subprocess.run(
        [sys.executable, "-m", "spacy", "train", str(REPO_ROOT / "configs" / "cnn.cfg"),
         "--code", str(REPO_ROOT / "spacy_callner" / "training" / "loggers.py"),
         "--paths.train", str(tmp_path / "corpus" / "train.spacy"),
         "--paths.dev", str(tmp_path / "corpus" / "dev.spacy"),
         "--training.max_steps", "4", "--training.eval_frequency", "2"],
        capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.count("training words/s") >= 2
    assert "Training took" in completed.stdout and "for 4 steps" in completed.stdout


def test_the_runtime_registers_no_training_logger(tmp_path):
    """The logger is training code: only importing spacy_callner.training (or --code) registers it."""
    probe = (
        "import spacy, spacy_callner.regex_ner, spacy_callner.tokenizer;"
        "spacy.registry.loggers.get('callner.ConsoleLogger.v1')"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert completed.returncode != 0 and "callner.ConsoleLogger.v1" in completed.stderr
