"""JSONL corpora → train/dev/test DocBins, with the validation and alignment report."""
import time
from pathlib import Path
from typing import Dict, List, Optional

from wasabi import msg

from .data import (
    AnnotatedText, DataValidationError, ValidationReport, alignment_stats, deduplicate,
    mix_records, read_annotated_jsonl, read_raw_spans, records_to_docbin, split_records,
)
from .reports import AlignmentStats, ConvertReport, CorpusMix, RealDevReport, ValidationCounts
from ..tokenizer import make_korean_nlp, make_plain_korean_nlp


def convert_corpus(
    offline_path: Path,
    output_dir: Path,
    *,
    llm_path: Optional[Path] = None,
    mix: str = "offline",
    llm_fraction: float = 0.3,
    seed: int = 0,
    dev_fraction: float = 0.1,
    test_fraction: float = 0.1,
    strict: bool = False,
    real_dev_path: Optional[Path] = None,
) -> ConvertReport:
    """Validate, mix, deduplicate and split the corpora; write `.spacy` files.

    Returns the report (metrics/convert.json): validation counts, split sizes,
    and the alignment of gold spans to our tokenizer versus spaCy's plain rules.
    """
    started = time.time()
    nlp = make_korean_nlp()
    report = ValidationReport()
    offline, offline_report = read_annotated_jsonl(offline_path, nlp, strict=strict)
    offline_report.print(f"Validation of {offline_path}")
    report.merge(offline_report)
    llm: List[AnnotatedText] = []
    if mix != "offline":
        if llm_path is None or not Path(llm_path).exists():
            raise DataValidationError(f"mix {mix!r} needs LLM data, but {llm_path} does not exist")
        llm, llm_report = read_annotated_jsonl(llm_path, nlp, strict=strict)
        llm_report.print(f"Validation of {llm_path}")
        report.merge(llm_report)
    records = deduplicate(mix_records(offline, llm, mode=mix, llm_fraction=llm_fraction, seed=seed), report)
    splits = split_records(records, seed=seed, dev_fraction=dev_fraction, test_fraction=test_fraction)
    output_dir.mkdir(parents=True, exist_ok=True)
    for name, split in splits.items():
        records_to_docbin(nlp, split).to_disk(output_dir / f"{name}.spacy")
    raw_paths = [offline_path] + ([llm_path] if llm else [])
    result = ConvertReport(
        validation=ValidationCounts.from_json(report.to_json()),
        splits={name: len(split) for name, split in splits.items()},
        mix=CorpusMix(mode=mix, offline=len(offline), llm=len(llm)),
        alignment=_alignment_report(nlp, raw_paths),
    )
    if real_dev_path is not None:
        real, real_report = read_annotated_jsonl(real_dev_path, nlp, strict=strict)
        real_report.print(f"Validation of {real_dev_path}")
        records_to_docbin(nlp, real).to_disk(output_dir / "real_dev.spacy")
        result.real_dev = RealDevReport(
            validation=ValidationCounts.from_json(real_report.to_json()),
            alignment=_alignment_report(nlp, [real_dev_path]),
        )
    result.seconds = round(time.time() - started, 1)
    _print_summary(result)
    return result


def _alignment_report(nlp, paths: List[Path]) -> Dict[str, AlignmentStats]:
    pairs = [pair for path in paths for pair in read_raw_spans(path)]
    ours = alignment_stats(nlp, pairs)
    plain = alignment_stats(make_plain_korean_nlp(), pairs)
    return {"callner": AlignmentStats.from_json(ours), "plain": AlignmentStats.from_json(plain)}


def _print_summary(result: ConvertReport) -> None:
    msg.divider("Corpus")
    msg.table(result.splits, header=("split", "records"))
    duplicates = result.validation.problems_by_kind.get("duplicate_text", 0)
    if duplicates:
        msg.warn(f"{duplicates} records skipped as duplicate texts (kept the first of each)")
    rows = []
    for name, alignment in [("corpus", result.alignment)] + (
        [("real_dev", result.real_dev.alignment)] if result.real_dev is not None else []
    ):
        for tokenizer, stats in alignment.items():
            rows.append((name, tokenizer, stats.spans, stats.lost,
                         f"{stats.alignment_rate:.4f}", f"{stats.tokens_per_100_chars:.1f}"))
    msg.table(rows, header=("data", "tokenizer", "spans", "lost", "aligned", "tokens/100 chars"))
    lost = result.alignment["callner"].lost
    (msg.good if lost == 0 else msg.warn)(f"{lost} gold spans lost to tokenization; took {result.seconds} s")
