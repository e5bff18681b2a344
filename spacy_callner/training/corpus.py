"""JSONL corpora → train/dev/test DocBins: mix, deduplicate, split, with the validation and alignment report.

Strict mode reads every input to the end, then fails with all of their problems
in the report (`StrictConvertError.convert_report`) and writes no `.spacy` file.
"""
import random
import time
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from wasabi import msg

from ..scheme.intents import INTENT_LABELS
from ..scheme.rules import DUPLICATE_TEXT
from .data import (
    AnnotatedText, DataValidationError, Problem, ValidationReport, alignment_stats, read_annotated_jsonl,
    read_raw_spans, records_to_docbin,
)
from .reports import AlignmentStats, ConvertReport, CorpusMix, IntentCounts, RealDevReport, ValidationCounts
from ..tokenizer import make_korean_nlp, make_plain_korean_nlp


class StrictConvertError(DataValidationError):
    """Strict mode found problems; `convert_report` lists every one of them, for the report file."""

    def __init__(self, message: str, convert_report: ConvertReport):
        super().__init__(message)
        self.convert_report = convert_report


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
    Bad lines are reported and skipped and over-long texts cut into pieces (see
    spacy_callner.training.data); with `strict`, any problem raises
    StrictConvertError carrying the full report, before anything is written.
    """
    started = time.time()
    nlp = make_korean_nlp()
    offline, report = _read(offline_path, nlp, strict)
    llm: List[AnnotatedText] = []
    if mix != "offline":
        if llm_path is None or not Path(llm_path).exists():
            raise DataValidationError(f"mix {mix!r} needs LLM data, but {llm_path} does not exist")
        llm, llm_report = _read(llm_path, nlp, strict)
        report.merge(llm_report)
    real, real_report = _read(real_dev_path, nlp, strict) if real_dev_path is not None else ([], None)
    corpus_mix = CorpusMix(mode=mix, offline=len(offline), llm=len(llm))
    if strict:
        _fail_on_problems(report, real_report, corpus_mix, [offline_path, llm_path, real_dev_path])
    records = deduplicate(mix_records(offline, llm, mode=mix, llm_fraction=llm_fraction, seed=seed), report)
    splits = split_records(records, seed=seed, dev_fraction=dev_fraction, test_fraction=test_fraction)
    output_dir.mkdir(parents=True, exist_ok=True)
    for name, split in splits.items():
        records_to_docbin(nlp, split).to_disk(output_dir / f"{name}.spacy")
    raw_paths = [offline_path] + ([llm_path] if llm else [])
    result = ConvertReport(
        validation=ValidationCounts.from_json(report.to_json()),
        splits={name: len(split) for name, split in splits.items()},
        intents={name: intent_counts(split) for name, split in splits.items()},
        mix=corpus_mix,
        alignment=_alignment_report(nlp, raw_paths),
    )
    if real_report is not None:
        records_to_docbin(nlp, real).to_disk(output_dir / "real_dev.spacy")
        result.real_dev = RealDevReport(
            validation=ValidationCounts.from_json(real_report.to_json()),
            alignment=_alignment_report(nlp, [real_dev_path]),
            intents=intent_counts(real),
        )
    result.seconds = round(time.time() - started, 1)
    _print_summary(result)
    return result


def _read(path: Path, nlp, strict: bool) -> Tuple[List[AnnotatedText], ValidationReport]:
    """All of a file's records and problems; strict mode prints every problem, lenient the first 20."""
    records, report = read_annotated_jsonl(path, nlp)
    report.print(f"Validation of {path}", max_problems=None if strict else 20)
    return records, report


def _fail_on_problems(
    report: ValidationReport, real_report: Optional[ValidationReport], corpus_mix: CorpusMix,
    paths: Sequence[Optional[Path]],
) -> None:
    """Raise StrictConvertError, with the full report, when any input had a problem."""
    n_problems = len(report.problems) + (len(real_report.problems) if real_report is not None else 0)
    if not n_problems:
        return
    names = ", ".join(str(path) for path in paths if path is not None)
    message = f"{n_problems} problems in {names} (strict mode); no .spacy file written"
    failed = ConvertReport(validation=ValidationCounts.from_json(report.to_json()), mix=corpus_mix, error=message)
    if real_report is not None:
        failed.real_dev = RealDevReport(validation=ValidationCounts.from_json(real_report.to_json()))
    raise StrictConvertError(message, failed)


def intent_counts(records: Sequence[AnnotatedText]) -> IntentCounts:
    """How many records of each intent label (every label listed), and how many had none or an invalid one."""
    counts = {label: 0 for label in INTENT_LABELS}
    for record in records:
        if record.intent is not None:
            counts[record.intent] += 1
    return IntentCounts(
        counts=counts,
        missing=sum(record.intent is None for record in records),
        invalid=sum(record.invalid_intent for record in records),
    )


def deduplicate(records: Iterable[AnnotatedText], report: ValidationReport) -> List[AnnotatedText]:
    """Keep the first record of each text, so no text lands in two splits."""
    seen = {}
    unique = []
    for record in records:
        if record.text in seen:
            report.add(Problem(DUPLICATE_TEXT, record.source, f"same text as {seen[record.text]}; skipped"))
            report.n_records_skipped += 1
            continue
        seen[record.text] = record.source
        unique.append(record)
    return unique


def split_records(
    records: Sequence[AnnotatedText], *, seed: int, dev_fraction: float, test_fraction: float
) -> Dict[str, List[AnnotatedText]]:
    """Deterministic shuffled split into train/dev/test."""
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    n_dev = round(len(order) * dev_fraction)
    n_test = round(len(order) * test_fraction)
    shuffled = [records[i] for i in order]
    return {
        "dev": shuffled[:n_dev],
        "test": shuffled[n_dev:n_dev + n_test],
        "train": shuffled[n_dev + n_test:],
    }


def mix_records(
    offline: Sequence[AnnotatedText],
    llm: Sequence[AnnotatedText],
    *,
    mode: str,
    llm_fraction: float,
    seed: int,
) -> List[AnnotatedText]:
    """Choose the training mix: `offline`, `llm`, or `both` with `llm_fraction` of LLM data.

    With `both`, all of the smaller side is used and the other side is sampled
    so that LLM records make up `llm_fraction` of the mix.
    """
    if mode == "offline":
        return list(offline)
    if mode == "llm":
        if not llm:
            raise ValueError("mix 'llm' asked for, but there are no LLM records")
        return list(llm)
    if mode != "both":
        raise ValueError(f"unknown mix {mode!r}: use offline, llm or both")
    if not 0.0 < llm_fraction < 1.0:
        raise ValueError(f"llm_fraction must be between 0 and 1, got {llm_fraction}")
    rng = random.Random(seed)
    n_llm = min(len(llm), round(len(offline) * llm_fraction / (1 - llm_fraction)))
    n_offline = min(len(offline), round(n_llm * (1 - llm_fraction) / llm_fraction)) if n_llm else 0
    return rng.sample(list(offline), n_offline) + rng.sample(list(llm), n_llm)


def _alignment_report(nlp, paths: List[Path]) -> Dict[str, AlignmentStats]:
    pairs = [pair for path in paths for pair in read_raw_spans(path)]
    ours = alignment_stats(nlp, pairs)
    plain = alignment_stats(make_plain_korean_nlp(), pairs)
    return {"callner": AlignmentStats.from_json(ours), "plain": AlignmentStats.from_json(plain)}


def _print_summary(result: ConvertReport) -> None:
    msg.divider("Corpus")
    rows = [(name, n, n - result.intents[name].missing, result.intents[name].invalid)
            for name, n in result.splits.items()]
    msg.table(rows, header=("split", "records", "with intent", "invalid intent"))
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
