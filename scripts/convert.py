"""Convert annotated JSONL into train/dev/test `.spacy` files (see spacy_callner.training.corpus).

No bad line costs the others: a line that is not UTF-8 or holds a lone surrogate
escape is reported with file:line and skipped, a byte-order mark is dropped, an
entity listed twice is kept once and reported, and a text over spaCy's
`nlp.max_length` (1,000,000 characters) is cut at whitespace outside its entities
into pieces that are kept and reported (`text_split`; skipped as `text_too_long`
when there is no such whitespace). Exit status 0 when the corpus was written
(lenient mode), 1 when it was not: `--strict` with any problem, an empty input
included, prints every problem and writes no `.spacy` file. `--report` is written
in both cases and lists every problem.

A record's optional `"intent"` (corpus/INTENTS.md) becomes the Doc's `doc.cats`; an
invalid one is reported (`bad_intent`, file:line and value) and dropped, the record
kept for NER. The report counts intents per split (`intents.<split>`: `counts`,
`missing`, `invalid`) and for the real dev set (`real_dev.intents`).
"""
from pathlib import Path
from typing import Optional

import typer
from wasabi import msg

from spacy_callner.training.corpus import StrictConvertError, convert_corpus
from spacy_callner.training.data import DataValidationError


def main(
    offline_path: Path = typer.Argument(..., exists=True, dir_okay=False, help="Offline generator JSONL"),
    output_dir: Path = typer.Argument(..., help="Where train/dev/test.spacy go"),
    llm_path: Optional[Path] = typer.Option(None, "--llm", help="LLM-generated JSONL"),
    mix: str = typer.Option("offline", help="offline, llm or both"),
    llm_fraction: float = typer.Option(0.3, help="Share of LLM records when mix is 'both'"),
    seed: int = typer.Option(0, help="Seed of the split"),
    dev_fraction: float = typer.Option(0.1),
    test_fraction: float = typer.Option(0.1),
    strict: bool = typer.Option(False, "--strict", help="Fail on any problem (all are listed) instead of skipping"),
    real_dev_path: Optional[Path] = typer.Option(None, "--real-dev", exists=True, help="Hand-labelled dev JSONL"),
    report_path: Optional[Path] = typer.Option(None, "--report", help="Write the report as JSON (also on failure)"),
):
    try:
        result = convert_corpus(
            offline_path, output_dir, llm_path=llm_path, mix=mix, llm_fraction=llm_fraction,
            seed=seed, dev_fraction=dev_fraction, test_fraction=test_fraction, strict=strict,
            real_dev_path=real_dev_path,
        )
    except StrictConvertError as err:
        if report_path is not None:
            err.convert_report.save(report_path)
            msg.info(f"Report with every problem written to {report_path}")
        msg.fail(str(err), exits=1)
    except DataValidationError as err:
        msg.fail(str(err), exits=1)
    if report_path is not None:
        result.save(report_path)


if __name__ == "__main__":
    typer.run(main)
