"""Fit the callner_scores calibration of an assembled pipeline on gold docs and save the pipeline."""
import json
import shutil
from pathlib import Path
from typing import Optional

import spacy
import typer
from spacy.tokens import DocBin
from spacy.training import Example

import spacy_callner.components.scores  # noqa: F401  (registers callner_scores without the entry point)
from spacy_callner.training.calibration import (METHODS, choose_method, collect_candidates, cross_fitted_scores,
                                                expected_calibration_error, fit_scores, scores_component)
from spacy_callner.training.reporting import timed_step


def _examples(nlp, path: Path):
    return [Example(nlp.make_doc(doc.text), doc) for doc in DocBin().from_disk(path).get_docs(nlp.vocab)]


def _copy_extra_files(model: Path, output: Path) -> None:
    """Files the assembled pipeline carries beside spaCy's own (provenance, model card)."""
    for entry in model.iterdir():
        target = output / entry.name
        if not target.exists():
            (shutil.copytree if entry.is_dir() else shutil.copy2)(entry, target)


@timed_step("calibrate")
def main(
    model: Path = typer.Argument(..., exists=True, file_okay=False, help="The assembled pipeline"),
    fit: Path = typer.Option(..., exists=True, help="Gold .spacy docs to fit on (corpus/real_dev.spacy)"),
    output: Path = typer.Option(..., help="Where the calibrated pipeline goes (may be MODEL itself)"),
    guard: Optional[Path] = typer.Option(None, exists=True, help="Gold .spacy docs whose per-label F1 the "
                                         "thresholds may not lower (corpus/dev.spacy)"),
    method: str = typer.Option("auto", help=f"auto or one of {', '.join(METHODS)}"),
    report: Optional[Path] = typer.Option(None, help="Where to write the fit's figures as JSON"),
):
    nlp = spacy.load(model)
    examples = _examples(nlp, fit)
    guard_examples = _examples(nlp, guard) if guard else None
    errors = {}
    if method == "auto":
        scores_component(nlp)
        method, errors = choose_method(collect_candidates(nlp, examples))
    calibration = fit_scores(nlp, examples, method=method, guard_examples=guard_examples)
    nlp.to_disk(output)
    if output.resolve() != model.resolve():
        _copy_extra_files(model, output)
    if report:
        scored = collect_candidates(nlp, examples)
        correct = [c.correct for c in scored.candidates]
        figures = {"method": method, "cross_fitted_ece_by_method": errors,
                   "cross_fitted_ece": expected_calibration_error(cross_fitted_scores(scored, method=method), correct),
                   "thresholds": calibration.thresholds, "constants": calibration.constants,
                   "n_candidates": len(scored.candidates)}
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps(figures, indent=2), encoding="utf8")
    typer.echo(f"calibrated with {method}; thresholds {calibration.thresholds} -> {output}")


if __name__ == "__main__":
    typer.run(main)
