"""One pipeline for the command-line tests: the tiny trained transformer + ner, assembled with the
regex, scores, values and release-tensors components like the packaged pipeline, saved to disk."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO_ROOT

ASSEMBLED = ("callner_regex_ner", "callner_scores", "callner_values", "callner_release_tensors")


@pytest.fixture(scope="session")
def cli_pipeline(tiny_trf_pipeline, tmp_path_factory) -> Path:
    import spacy

    nlp = spacy.load(tiny_trf_pipeline)
    for factory in ASSEMBLED:
        nlp.add_pipe(factory)
    path = tmp_path_factory.mktemp("cli_pipeline") / "pipeline"
    nlp.to_disk(path)
    return path


def cli_command(*args) -> list:
    return [sys.executable, "-m", "spacy_callner", *map(str, args)]


def cli_env() -> dict:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def run_cli(*args, cwd=None, timeout=300) -> subprocess.CompletedProcess:
    """The real command line in a subprocess (``python -m spacy_callner ...``)."""
    completed = subprocess.run(cli_command(*args), cwd=cwd or REPO_ROOT, env=cli_env(), capture_output=True,
                               text=True, timeout=timeout)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed
