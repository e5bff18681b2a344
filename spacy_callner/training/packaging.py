"""Assemble the trained pipeline with its post-processor, and build the wheels.

Two wheels ship together, like GiNZA's `ginza` + `ja_ginza`: the runtime
package `spacy-callner` (our factory, registered through an entry point) and
the pipeline `ko_callner`, which `spacy package` makes depend on it.
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable, Dict, List, Optional

import spacy
import srsly
from wasabi import msg

from ..about import __version__ as runtime_version
from ..components.scores import SCORES_FACTORY
from ..components.tensors import RELEASE_TENSORS_FACTORY
from ..components.values import VALUES_FACTORY
from ..quantization import INT8, QUANTIZE_CHOICES, quantize_pipeline
from ..scheme.labels import LABELS
from .base_model import read_provenance
from .model_card import load_card_inputs, model_card_meta, render_model_card, shipped_encoder
from .reports import ConvertReport

REGEX_FACTORY = "callner_regex_ner"
POST_PROCESSORS = (REGEX_FACTORY, SCORES_FACTORY, VALUES_FACTORY, RELEASE_TENSORS_FACTORY)
"""Added after the trained components, in this order: exact PHONE/CONTRACT, a score and the
threshold for every candidate (fitted later by the calibrate step), every value, and last
the release of the transformer's tensors, once the scores component's ner replay is done."""
INTENT_COMPONENT = "textcat"
INTENT_DESCRIPTION = " The call intent of each utterance (doc.cats, exclusive classes) comes from the same encoder."
"""A trained textcat (configs/trf_intent.cfg) sits after ner; the post-processors follow it, so the
release of the tensors stays last."""
PIPELINE_PROVENANCE = "callner_provenance.json"
"""Where the assembled pipeline keeps its base-model provenance and training-data report:
a file beside meta.json, so `spacy info` stays readable."""
REPO_ROOT = Path(__file__).resolve().parents[2]


def base_model_provenance(base_model: str) -> Dict:
    """What the base encoder was: our provenance file for a built one, else its name."""
    provenance = read_provenance(base_model)
    return provenance.to_json() if provenance is not None else {"model": str(base_model)}


def _quantize_encoder(nlp: spacy.Language, quantize: str) -> str:
    """Quantize the pipeline's encoder as asked; a pipeline without one (the CNN config) stays as
    it is, with a message: "what was done" is returned for the package meta."""
    if quantize != INT8:
        return quantize
    if "transformer" not in nlp.pipe_names:
        msg.warn("quantize=int8: the pipeline has no transformer to quantize; it is saved as trained")
        return "none"
    quantize_pipeline(nlp)
    return quantize


def assemble_pipeline(
    trained_dir: Path,
    output_dir: Path,
    *,
    name: str,
    version: str,
    base_model: str,
    train_report: Optional[ConvertReport] = None,
    quantize: str = "none",
) -> spacy.Language:
    """Trained pipeline + the regex, scores, values and release-tensors components + package meta.

    quantize: "int8" stores the encoder's linear layers int8-quantized (`spacy_callner.quantization`).
    """
    if quantize not in QUANTIZE_CHOICES:
        raise ValueError(f"quantize must be one of {QUANTIZE_CHOICES}, not {quantize!r}")
    nlp = spacy.load(trained_dir)
    quantize = _quantize_encoder(nlp, quantize)
    for factory in POST_PROCESSORS:
        if factory not in nlp.pipe_names:
            nlp.add_pipe(factory, last=True)
    provenance = base_model_provenance(base_model) if "transformer" in nlp.pipe_names else None
    encoder = shipped_encoder(nlp)
    nlp.meta.update({
        "name": name,
        "version": version,
        "description": "Korean call-center NER: PHONE, MONEY, PRODUCT and CONTRACT "
                       "in speech-to-text transcripts, with exact regex post-processing "
                       "of PHONE and CONTRACT and a normalised value for every entity."
                       + (INTENT_DESCRIPTION if INTENT_COMPONENT in nlp.pipe_names else ""),
        "author": "ko_callner",
        "license": "MIT",
        "spacy_version": f">={spacy.about.__version__},<3.9.0",
        "labels": {**nlp.meta.get("labels", {}), REGEX_FACTORY: list(LABELS)},
        "sources": model_card_meta(base_model_provenance=provenance).get("sources", []),
        "callner": {
            "base_model": (provenance or {}).get("model"),
            "encoder": encoder.to_json() if encoder is not None else None,
            "provenance": PIPELINE_PROVENANCE,
            "quantize": quantize,
        },
    })
    output_dir = Path(output_dir)
    if output_dir.exists():
        shutil.rmtree(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output_dir)
    srsly.write_json(output_dir / PIPELINE_PROVENANCE, {
        "base_model": provenance, "training_data": train_report.to_json() if train_report else {}})
    msg.good(f"Assembled {nlp.pipe_names} into {output_dir}")
    return nlp


def read_pipeline_provenance(model_dir: Path) -> Dict:
    """The provenance `assemble_pipeline` wrote beside meta.json (empty when there is none)."""
    path = Path(model_dir) / PIPELINE_PROVENANCE
    return srsly.read_json(path) if path.exists() else {}


SPACY_EVALUATE_FILES = {"real_dev": "real_dev_spacy.json", "test": "test_spacy.json"}
"""`spacy evaluate` outputs of the evaluate step, by set name: the scores meta.json shows."""


def read_spacy_evaluate_scores(metrics_dir: Path) -> Optional[Dict[str, dict]]:
    """spaCy's own scores per set, from the `spacy evaluate` JSON files that exist (None if none)."""
    scores = {name: srsly.read_json(Path(metrics_dir) / file) for name, file in SPACY_EVALUATE_FILES.items()
              if (Path(metrics_dir) / file).is_file()}
    return scores or None


def stage_pipeline(model_dir: Path, staging_dir: Path) -> Path:
    """A hard-linked copy of the pipeline whose README and meta we can rewrite."""
    if staging_dir.exists():
        shutil.rmtree(staging_dir)
    try:
        shutil.copytree(model_dir, staging_dir, copy_function=os.link)
    except OSError:
        shutil.copytree(model_dir, staging_dir)
    return staging_dir


def _replace_file(path: Path, write: Callable[[Path], None]) -> None:
    """Write `path` without touching the hard-linked original."""
    if path.exists():
        path.unlink()
    write(path)


RUNTIME_SOURCES = ("setup.cfg", "pyproject.toml", "README.md", "spacy_callner")
"""What the runtime wheel is built from (setup.cfg excludes the training code from it)."""


def build_runtime_wheel(dist_dir: Path, source_dir: Path = REPO_ROOT) -> Path:
    """Build the spacy-callner wheel from a copy of this checkout's sources.

    Building in place would leave a `spacy_callner.egg-info` in the checkout; with the
    checkout on `sys.path` (`python -m` from its root) that copy's entry points shadow
    the installed ones, so after a `git pull` that adds a component, `spacy.load` could
    no longer find its factory.
    """
    dist_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="callner_wheel_") as tmp:
        copy = Path(tmp) / "src"
        copy.mkdir()
        for name in RUNTIME_SOURCES:
            source = Path(source_dir) / name
            if source.is_dir():
                shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            elif source.exists():
                shutil.copy2(source, copy / name)
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
             "--wheel-dir", str(dist_dir), str(copy)],
            check=True, stdout=subprocess.DEVNULL,
        )
    wheels = sorted(dist_dir.glob(f"spacy_callner-{runtime_version}-*.whl"))
    if not wheels:
        raise FileNotFoundError(f"no spacy_callner {runtime_version} wheel in {dist_dir}")
    return wheels[-1]


def build_packages(
    model_dir: Path,
    output_dir: Path,
    *,
    name: str,
    version: str,
    metrics_dir: Optional[Path] = None,
) -> List[Path]:
    """Build `{lang}_{name}` with `spacy package` and the runtime wheel into `output_dir/dist`.

    The package README is the model card, rendered from the reports in
    `metrics_dir` (whichever exist) and the base-model provenance that
    `assemble_pipeline` stored beside meta.json.
    """
    output_dir = Path(output_dir)
    dist_dir = output_dir / "dist"
    staged = stage_pipeline(Path(model_dir), output_dir / "staging" / Path(model_dir).name)
    meta = srsly.read_json(staged / "meta.json")
    meta.update({"name": name, "version": version})
    card_inputs = load_card_inputs(metrics_dir) if metrics_dir else {
        "evaluation": None, "speed": None, "convert_report": None, "base_model_provenance": None}
    card_inputs["base_model_provenance"] = (
        card_inputs["base_model_provenance"] or read_pipeline_provenance(staged).get("base_model"))
    card_meta = model_card_meta(card_inputs["evaluation"], card_inputs["speed"],
                                card_inputs["base_model_provenance"],
                                spacy_scores=read_spacy_evaluate_scores(metrics_dir) if metrics_dir else None)
    meta["performance"] = {**meta.get("performance", {}), **card_meta.pop("performance", {})}
    meta.update(card_meta)
    card = render_model_card(meta, **card_inputs)
    _replace_file(staged / "meta.json", lambda p: srsly.write_json(p, meta))
    _replace_file(staged / "README.md", lambda p: p.write_text(card, encoding="utf8"))
    runtime_wheel = build_runtime_wheel(dist_dir)
    subprocess.run(
        [sys.executable, "-m", "spacy", "package", str(staged), str(output_dir),
         "--name", name, "--version", version, "--build", "wheel", "--force"],
        check=True,
    )
    package_name = f"{meta['lang']}_{name}"
    built = output_dir / f"{package_name}-{version}" / "dist" / f"{package_name}-{version}-py3-none-any.whl"
    if not built.exists():
        raise FileNotFoundError(f"spacy package did not produce {built}")
    pipeline_wheel = dist_dir / built.name
    shutil.copy2(built, pipeline_wheel)
    shutil.rmtree(output_dir / "staging")
    return [pipeline_wheel, runtime_wheel]
