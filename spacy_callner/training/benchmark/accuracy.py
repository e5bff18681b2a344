"""Accuracy of every system on the same gold sets with one matcher: exact character offsets,
plus the evaluation's views.

Character offsets are scored here because the baseline's spans need not fall
on token boundaries; the seqeval and spaCy-scorer views come from
`spacy_callner.training.evaluation`, the scorer every other report uses.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Sequence, Union

from ..hf_baseline import is_token_aligned, load_hf_pipeline, predict_char_spans, predicted_doc
from .names import SPACY_SYSTEM
from .systems import System

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.scorer import PRFScore
    from spacy.tokens import Doc

PathLike = Union[str, Path]
CharSpan = tuple


def prf_json(score: PRFScore) -> dict:
    """spaCy's PRFScore with the counts behind it, as the benchmark report writes it."""
    return {"precision": score.precision, "recall": score.recall, "f1": score.fscore,
            "support": score.tp + score.fn, "tp": score.tp, "fp": score.fp, "fn": score.fn}


def is_over_unknown_annotation(gold_doc: Doc, span: CharSpan) -> bool:
    """Whether a prediction touches tokens whose gold annotation is unknown (spaCy's scorer skips those)."""
    tokens = gold_doc.char_span(span[0], span[1], alignment_mode="expand")
    return tokens is not None and any(token.ent_iob == 0 for token in tokens)


def score_char_spans(gold_docs: Sequence[Doc], predictions: Sequence[Sequence[CharSpan]]) -> dict:
    """Exact (start, end, label) matching: micro and per-label P/R/F1.

    Predictions over unknown gold annotation are ignored, as in spaCy's scorer;
    `misaligned` counts the kept predictions whose edges fall inside a gold token.
    """
    from spacy.scorer import PRFScore

    per_label: Dict[str, PRFScore] = defaultdict(PRFScore)
    misaligned = ignored = n_pred = 0
    for gold_doc, spans in zip(gold_docs, predictions):
        gold = {(e.start_char, e.end_char, e.label_) for e in gold_doc.ents}
        predicted = set()
        for span in spans:
            if is_over_unknown_annotation(gold_doc, span):
                ignored += 1
                continue
            misaligned += not is_token_aligned(gold_doc, span)
            predicted.add(tuple(span))
        n_pred += len(predicted)
        for label in {span[2] for span in gold | predicted}:
            per_label[label].score_set({s for s in predicted if s[2] == label}, {s for s in gold if s[2] == label})
    micro = PRFScore()
    for score in per_label.values():
        micro += score
    return {
        "micro": prf_json(micro),
        "per_label": {label: prf_json(score) for label, score in sorted(per_label.items())},
        "n_gold": sum(len(doc.ents) for doc in gold_docs),
        "n_pred": n_pred,
        "misaligned": misaligned,
        "ignored": ignored,
    }


def set_accuracy(scorer_nlp: Language, gold_docs: Sequence[Doc], predicted_docs: Sequence[Doc],
                 predicted_spans: Sequence[Sequence[CharSpan]], *, name: str) -> dict:
    """Char-offset, seqeval and spaCy-scorer results of one system on one set."""
    from spacy.training import Example

    from ..evaluation import error_breakdown, evaluate_examples

    examples = [Example(pred, gold) for pred, gold in zip(predicted_docs, gold_docs)]
    result = evaluate_examples(scorer_nlp, examples, name=name)
    return {
        "n_docs": len(gold_docs),
        "char_offsets": score_char_spans(gold_docs, predicted_spans),
        "seqeval": result.seqeval,
        "spacy": {key: result.spacy.get(key) for key in ("ents_p", "ents_r", "ents_f")},
        "scorers_agree": result.agreement["agree"],
        "errors": error_breakdown(result.docs)["counts"],
    }


def spacy_accuracy(nlp: Language, gold_sets: Dict[str, List[Doc]], *, batch_size: int) -> Dict[str, dict]:
    """Run the whole pipeline on each gold doc's raw text and score it."""
    from ..evaluation import predict

    results = {}
    for name, gold_docs in gold_sets.items():
        predicted = [eg.predicted for eg in predict(nlp, gold_docs, batch_size=batch_size)]
        spans = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in predicted]
        results[name] = set_accuracy(nlp, gold_docs, predicted, spans, name=name)
    return results


def hf_accuracy(hf_pipeline, gold_sets: Dict[str, List[Doc]], *, batch_size: int) -> Dict[str, dict]:
    """Run the baseline pipeline on each gold doc's raw text and score it on the gold tokens."""
    from ...tokenizer import make_korean_nlp

    scorer_nlp = make_korean_nlp()
    results = {}
    for name, gold_docs in gold_sets.items():
        spans = predict_char_spans(hf_pipeline, [doc.text for doc in gold_docs], batch_size=batch_size)
        predicted = [predicted_doc(gold, doc_spans) for gold, doc_spans in zip(gold_docs, spans)]
        results[name] = set_accuracy(scorer_nlp, gold_docs, predicted, spans, name=name)
    return results



def load_gold_sets(paths: Dict[str, PathLike]) -> Dict[str, List[Doc]]:
    """The gold docs of each named set (.spacy or annotated .jsonl), on the project's tokenizer."""
    from ...tokenizer import make_korean_nlp
    from ..evaluation import load_gold_docs

    korean_nlp = make_korean_nlp()
    return {name: load_gold_docs(korean_nlp, path) for name, path in paths.items()}


def score_system(system: System, gold_sets: Dict[str, List[Doc]], *, batch_size: int,
                 gpu_id: int = -1) -> Dict[str, dict]:
    """Load one system and score it on every gold set."""
    if system.kind == SPACY_SYSTEM:
        import spacy

        if gpu_id >= 0:
            spacy.require_gpu(gpu_id)
        return spacy_accuracy(spacy.load(system.path), gold_sets, batch_size=batch_size)
    return hf_accuracy(load_hf_pipeline(system.path, gpu_id=gpu_id), gold_sets, batch_size=batch_size)
