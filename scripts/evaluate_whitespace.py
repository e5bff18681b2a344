"""Exact recall on the realistic dev set with its spaces written as tabs, NBSP, line breaks ...

    python scripts/evaluate_whitespace.py MODEL --data corpus/real_dev.jsonl --output metrics/whitespace.json
"""
from pathlib import Path
from typing import Optional

import spacy
import srsly
import typer
from wasabi import msg

from spacy_callner.tokenizer import make_korean_nlp
from spacy_callner.training.data import read_annotated_jsonl
from spacy_callner.training.evaluation.whitespace import whitespace_recall, whitespace_table
from spacy_callner.training.reporting import timed_step


@timed_step("evaluate-whitespace")
def main(
    model: str = typer.Argument(..., help="Pipeline directory or installed package name"),
    data: Path = typer.Option(..., "--data", exists=True, dir_okay=False, help="Annotated JSONL"),
    output: Optional[Path] = typer.Option(None, "--output", help="Write the result as JSON"),
):
    records, _ = read_annotated_jsonl(data, make_korean_nlp())
    results = whitespace_recall(spacy.load(model), records)
    header, rows = whitespace_table(results)
    msg.table(rows, header=header, divider=True)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        srsly.write_json(output, {name: {**r.to_json(), "recall": r.recall} for name, r in results.items()})
        msg.good(f"Wrote {output}")


if __name__ == "__main__":
    typer.run(main)
