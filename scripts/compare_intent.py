"""Compare the NER-only and the multitask (NER + intent) assembled pipelines on the realistic dev set.

Writes OUTPUT_DIR/comparison.json and comparison.md (NER micro P/R/F1 of each, the multitask
intent accuracy, macro F1 and per-class scores, words/s of each measured in this run with the
same thread count) and OUTPUT_DIR/intent_confusion_<set>.png; the verdict follows issue 18's
rule (spacy_callner.training.intent_comparison.MAX_NER_F1_DROP).

    python scripts/compare_intent.py training/trf/assembled training/trf_intent/assembled corpus/real_dev.spacy metrics/intent
"""
from pathlib import Path
from typing import Optional

import spacy
import typer
from wasabi import msg

from spacy_callner.training.intent_comparison import (
    MAX_NER_F1_DROP, compare_intent_pipelines, print_comparison,
)
from spacy_callner.training.reporting import timed_step


@timed_step("compare-intent")
def main(
    ner_only: Path = typer.Argument(..., exists=True, file_okay=False, help="The assembled NER-only pipeline"),
    multitask: Path = typer.Argument(..., exists=True, file_okay=False,
                                     help="The assembled pipeline trained from configs/trf_intent.cfg"),
    dev: Path = typer.Argument(..., exists=True, help="Gold set with intents in doc.cats (.spacy)"),
    output_dir: Path = typer.Argument(..., help="Where comparison.json/.md and the confusion PNG go"),
    set_name: str = typer.Option("real_dev", help="The set's name in the report and the PNG's"),
    batch_size: int = typer.Option(64),
    threads: Optional[int] = typer.Option(None, help="torch threads for both pipelines (default: torch's)"),
    repeat: int = typer.Option(1, help="Passes over the texts when timing each pipeline"),
    max_drop: float = typer.Option(MAX_NER_F1_DROP, help="Most NER micro F1 (0-1) multitask may lose"),
    gpu_id: int = typer.Option(-1, help="GPU id, or -1 for CPU"),
):
    if gpu_id >= 0:
        spacy.require_gpu(gpu_id)
    comparison = compare_intent_pipelines(ner_only, multitask, dev, output_dir, set_name=set_name,
                                          batch_size=batch_size, n_threads=threads, repeat=repeat,
                                          max_drop=max_drop)
    print_comparison(comparison)
    msg.good(f"Wrote {output_dir / 'comparison.json'} and {output_dir / 'comparison.md'}")


if __name__ == "__main__":
    typer.run(main)
