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
