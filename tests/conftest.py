"""Shared fixtures. Tests never reach a model hub."""
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO_ROOT = Path(__file__).resolve().parent.parent
REAL_DEV_PATH = REPO_ROOT / "corpus" / "real_dev.jsonl"
ANNOTATION_PATH = REPO_ROOT.parent / "shared" / "ANNOTATION.md"


@pytest.fixture(scope="session")
def korean_nlp():
    from spacy_callner.tokenizer import make_korean_nlp

    return make_korean_nlp()


@pytest.fixture(scope="session")
def tiny_trf_pipeline(tmp_path_factory):
    """A transformer + ner pipeline trained for a few steps from configs/trf.cfg (tests/tiny_models.py)."""
    from .tiny_models import train_tiny_pipeline

    return train_tiny_pipeline(tmp_path_factory.mktemp("tiny_trf"))
