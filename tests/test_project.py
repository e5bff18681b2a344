"""project.yml tells the truth: the whole workflow runs, a re-run skips every step, and a
changed dependency re-runs exactly the steps that read it (explosion/projects style).

The project is copied to a temporary directory so the run never touches this checkout's
corpus, models or metrics. A tiny config (the CNN config with a handful of steps) keeps
it to a few minutes; the base-model step is the real one.
"""
import shutil
from pathlib import Path

import pytest
import srsly
from spacy import util
from weasel.cli.run import project_run

from .conftest import REPO_ROOT

PROJECT_FILES = ("project.yml", "setup.cfg", "pyproject.toml", "README.md", "configs", "scripts",
                 "spacy_callner", "corpus/real_dev.jsonl")
TINY_VARS = {"vars.config": "tiny", "vars.n_examples": 120, "vars.version": "0.0.1", "vars.vocab_sample_n": 300}


def _copy_project(root: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in PROJECT_FILES:
        source, target = REPO_ROOT / name, root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=ignore)
        else:
            shutil.copy2(source, target)
    config = util.load_config(root / "configs" / "cnn.cfg")
    config["training"].update({"max_steps": 4, "eval_frequency": 2})
    config.to_disk(root / "configs" / "tiny.cfg")
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return _copy_project(tmp_path_factory.mktemp("project"))


def _workflow(project: Path) -> list:
    return srsly.read_yaml(project / "project.yml")["workflows"]["all"]


def _skipped(output: str) -> list:
    return sorted(line.split("'")[1] for line in output.splitlines() if "Skipping '" in line)


def test_all_runs_then_skips_then_reruns_what_a_change_touches(project, capsys):
    steps = _workflow(project)
    capsys.readouterr()
    project_run(project, "all", overrides=TINY_VARS)
    first = capsys.readouterr().out
    assert "Skipping" not in first
    assert (project / "packages" / "dist" / "ko_callner-0.0.1-py3-none-any.whl").exists()
    lock = srsly.read_yaml(project / "project.lock")
    assert set(lock) == set(steps)
    for step in steps:
        missing = [o["path"] for o in lock[step]["outs"] if o["md5"] is None]
        assert not missing, f"{step} declares outputs it never wrote: {missing}"

    project_run(project, "all", overrides=TINY_VARS)
    second = capsys.readouterr().out
    assert _skipped(second) == sorted(steps)

    tokenizer = project / "spacy_callner" / "tokenizer.py"
    tokenizer.write_text(tokenizer.read_text(encoding="utf8") + "\n", encoding="utf8")
    project_run(project, "all", overrides=TINY_VARS)
    third = capsys.readouterr().out
    skipped = set(_skipped(third))
    assert "convert" not in skipped and "train" not in skipped
    assert "base-model" in skipped, "a step that does not read the tokenizer is skipped"
