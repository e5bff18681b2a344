"""Evaluate a pipeline on named sets and write the report (see spacy_callner.training.evaluation).

Every set gets entity scores, an error breakdown, where the pipeline sets
`ent._.value` and the gold data has values, value accuracy per label, how much gold
PHONE/CONTRACT text `redact()` hides (redaction recall, residual PII; `--redact-label`) and,
where entities carry `span._.score`, calibration and operating points per label:
OUTPUT_DIR/reliability_<set>.png, pr_<set>.png and pr_<set>.json beside
evaluation.json (a set without scores gets them too, saying "not scored"). A pipeline with an
intent textcat (configs/trf_intent.cfg) also gets intent accuracy, macro F1 and per-class P/R/F1
per set with gold intents, and OUTPUT_DIR/intent_confusion_<set>.png; without one, nothing changes.

    python scripts/evaluate.py MODEL metrics --set test=corpus/test.spacy --set real_dev=corpus/real_dev.spacy
"""
from pathlib import Path
from typing import Dict, List

import spacy
import typer
from wasabi import msg

from spacy_callner.redact import DEFAULT_LABELS
from spacy_callner.training.evaluation import (
    evaluate_sets, evaluation_report, print_summary, write_evaluation_report,
)
from spacy_callner.training.reporting import timed_step


def parse_sets(values: List[str]) -> Dict[str, Path]:
    """`name=path` pairs, in the order given."""
    sets = {}
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not name or not path:
            raise typer.BadParameter(f"expected NAME=PATH, got {value!r}")
        if not Path(path).exists():
            raise typer.BadParameter(f"{path} does not exist")
        sets[name] = Path(path)
    return sets


@timed_step("evaluate")
def main(
    model: str = typer.Argument(..., help="Pipeline directory or installed package name"),
    output_dir: Path = typer.Argument(..., help="Where evaluation.json/.md, the PNGs, pr_<set>.json and the HTML go"),
    sets: List[str] = typer.Option(..., "--set", help="NAME=PATH of a .spacy or annotated .jsonl file; repeat"),
    top_n: int = typer.Option(20, help="How many error patterns to list"),
    max_errors: int = typer.Option(1000, help="At most this many single errors (and value failures) per set in the JSON"),
    sample_size: int = typer.Option(40, help="Error docs per set rendered with displaCy"),
    seed: int = typer.Option(0, help="Seed of the displaCy sample"),
    batch_size: int = typer.Option(64),
    gpu_id: int = typer.Option(-1, help="GPU id, or -1 for CPU"),
    redact_labels: List[str] = typer.Option(list(DEFAULT_LABELS), "--redact-label",
                                            help="A label whose redaction recall and residual PII are measured; repeat"),
):
    if gpu_id >= 0:
        spacy.require_gpu(gpu_id)
    named_sets = parse_sets(sets)
    nlp = spacy.load(model)
    results = evaluate_sets(nlp, named_sets, batch_size=batch_size, redaction_labels=redact_labels)
    report = evaluation_report(nlp, results, model=model, top_n=top_n, max_errors=max_errors)
    paths = write_evaluation_report(report, results, output_dir, sample_size=sample_size, seed=seed)
    print_summary(report)
    msg.good("Wrote " + ", ".join(str(p) for p in paths.values()))
    if not report.agree:
        msg.fail("spaCy and seqeval disagree on at least one set: see 'agreement' in evaluation.json")


if __name__ == "__main__":
    typer.run(main)
