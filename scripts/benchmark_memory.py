"""Peak RSS for long transcripts (each in a fresh process) and RSS over many short docs.

    python scripts/benchmark_memory.py MODEL --texts corpus/real_dev.jsonl --output metrics/memory.json
"""
from pathlib import Path
from typing import Optional

import spacy
import srsly
import typer
from wasabi import msg

from spacy_callner.training.memory import long_transcript, rss_over_docs
from spacy_callner.training.reporting import timed_step
from spacy_callner.training.synthetic import generate_examples


@timed_step("benchmark-memory")
def main(
    model: str = typer.Argument(..., help="Pipeline directory or installed package name"),
    texts: Path = typer.Option(..., "--texts", exists=True, dir_okay=False, help="JSONL utterances for long texts"),
    chars: str = typer.Option("50000,500000", help="Lengths of the long transcripts, comma-separated"),
    docs: int = typer.Option(20000, help="Short docs to stream for the RSS curve (distinct generated texts)"),
    every: int = typer.Option(2000, help="Sample RSS every N docs"),
    output: Optional[Path] = typer.Option(None, "--output", help="Write the result as JSON"),
):
    long_rows = [long_transcript(model, str(texts), int(n)) for n in chars.split(",")]
    msg.table([[r.chars, r.seconds, r.peak_rss_mb, r.load_peak_rss_mb, r.text_peak_rss_mb, r.entities,
                r.same_as_pieces, r.only_whole, r.only_pieces] for r in long_rows],
              header=["chars", "seconds", "peak RSS MB", "loading peak", "text peak", "entities",
                      "same in 50k pieces", "only whole", "only pieces"], divider=True)
    stream = [record["text"] for record in generate_examples(docs, seed=7)]
    nlp = spacy.load(model)
    curves = [rss_over_docs(nlp, stream, docs, every=every, memory_zone=zone) for zone in (False, True)]
    for curve in curves:
        msg.info(f"memory_zone={curve.memory_zone}")
        msg.table([[s.docs, s.rss_mb, s.strings] for s in curve.samples], header=["docs", "RSS MB", "strings"],
                  divider=True)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        srsly.write_json(output, {"long_transcripts": [r.to_json() for r in long_rows],
                                  "rss_over_docs": [c.to_json() for c in curves]})
        msg.good(f"Wrote {output}")


if __name__ == "__main__":
    typer.run(main)
