"""NER-only against multitask (NER + intent textcat on one encoder): is the intent head free?

Issue 18's rule: the multitask pipeline becomes the default only if its NER micro F1 on the
realistic dev set drops by no more than `MAX_NER_F1_DROP` against the NER-only pipeline trained
with the same steps and data. Both pipelines are scored by the evaluation's own scorer
(`evaluation.evaluate_set`, seqeval's strict micro P/R/F1 checked against spaCy's), the
multitask one's intents by `evaluation.intents`, and both are timed by `speed.measure_throughput`
in the same process, on the same texts, with the same torch thread count, one after the other.
"""
import dataclasses
from pathlib import Path
from typing import Optional, Union

import spacy
from wasabi import msg

from .evaluation import IntentScores, SetEvaluation, evaluate_set, intent_textcat, plot_intent_confusion
from .evaluation.intent_rendering import intent_headline, intent_rows, HEADER as INTENT_HEADER
from .report_base import OMIT_IF_NONE, JsonReport
from .reporting import markdown_table, percent
from .reports import ThroughputStats
from .speed import measure_throughput, torch_threads

PathLike = Union[str, Path]
MAX_NER_F1_DROP = 0.005
"""The most NER micro F1 (0-1) the multitask pipeline may lose and still become the default."""
CONFUSION_PNG = "intent_confusion_{set}.png"


@dataclasses.dataclass
class PipelineFigures(JsonReport):
    """One pipeline's NER micro scores (seqeval strict; spaCy's F1 beside) and its batch speed."""

    model: str
    components: list
    ner_precision: float
    ner_recall: float
    ner_f1: float
    spacy_ents_f: Optional[float]
    scorers_agree: bool
    throughput: ThroughputStats
    intents: Optional[IntentScores] = dataclasses.field(default=None, metadata=OMIT_IF_NONE)

    @property
    def words_per_sec(self) -> float:
        return self.throughput.words_per_sec


@dataclasses.dataclass
class IntentComparison(JsonReport):
    """metrics/intent/comparison.json."""

    dev: str
    set_name: str
    n_docs: int
    torch_threads: Optional[int]
    batch_size: int
    ner_only: PipelineFigures
    multitask: PipelineFigures
    ner_f1_delta: float
    max_ner_f1_drop: float
    ner_f1_holds: bool
    verdict: str
    confusion_png: Optional[str] = None


def set_threads(n_threads: Optional[int]) -> Optional[int]:
    """Use `n_threads` torch threads (None: leave them) and return how many are in use."""
    if n_threads:
        import torch

        torch.set_num_threads(n_threads)
    return torch_threads()


def pipeline_figures(model: PathLike, dev: PathLike, *, set_name: str, batch_size: int,
                     warmup: int = 10, repeat: int = 1) -> PipelineFigures:
    """Load `model`, score it on `dev` like the evaluate step, then time `nlp.pipe` over dev's texts."""
    nlp = spacy.load(model)
    result: SetEvaluation = evaluate_set(nlp, dev, name=set_name, batch_size=batch_size)
    texts = [doc.text for doc in result.docs]
    for text in texts[:warmup]:
        nlp(text)
    micro = result.seqeval["micro"]
    return PipelineFigures(
        model=str(model), components=list(nlp.pipe_names), ner_precision=micro["precision"],
        ner_recall=micro["recall"], ner_f1=micro["f1"], spacy_ents_f=result.spacy.get("ents_f"),
        scorers_agree=bool(result.agreement["agree"]),
        throughput=measure_throughput(nlp, texts, batch_size=batch_size, repeat=repeat),
        intents=result.intents,
    )


def verdict(delta: float, max_drop: float = MAX_NER_F1_DROP) -> str:
    """The NER condition for shipping multitask as the default: necessary, not sufficient (the
    intent scores beside it must be worth shipping too; that call is the project's)."""
    if delta >= -max_drop:
        return (f"multitask may be the default: NER micro F1 changes by {100 * delta:+.2f} points, "
                f"within the {100 * max_drop:.1f}-point allowance; judge the intent scores below")
    return (f"NER-only stays the default: multitask loses {100 * -delta:.2f} points of NER micro F1, "
            f"more than the {100 * max_drop:.1f} allowed")


def compare_intent_pipelines(ner_only: PathLike, multitask: PathLike, dev: PathLike, output_dir: PathLike, *,
                             set_name: str = "real_dev", batch_size: int = 64, n_threads: Optional[int] = None,
                             repeat: int = 1, max_drop: float = MAX_NER_F1_DROP) -> IntentComparison:
    """Score and time both pipelines on `dev`; write comparison.json/.md and the confusion PNG."""
    threads = set_threads(n_threads)
    if intent_textcat(spacy.load(multitask)) is None:
        raise ValueError(f"{multitask} has no textcat over the intent labels")
    figures = {name: pipeline_figures(path, dev, set_name=set_name, batch_size=batch_size, repeat=repeat)
               for name, path in (("ner_only", ner_only), ("multitask", multitask))}
    delta = figures["multitask"].ner_f1 - figures["ner_only"].ner_f1
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    intents = figures["multitask"].intents
    confusion = None
    if intents is not None and intents.n:
        confusion = plot_intent_confusion(intents, output_dir / CONFUSION_PNG.format(set=set_name),
                                          title=f"multitask intent confusion: {set_name}")
    comparison = IntentComparison(
        dev=str(dev), set_name=set_name, n_docs=figures["ner_only"].throughput.docs // max(1, repeat),
        torch_threads=threads, batch_size=batch_size, ner_only=figures["ner_only"], multitask=figures["multitask"],
        ner_f1_delta=delta, max_ner_f1_drop=max_drop, ner_f1_holds=delta >= -max_drop,
        verdict=verdict(delta, max_drop), confusion_png=str(confusion) if confusion else None,
    )
    comparison.save(output_dir / "comparison.json")
    (output_dir / "comparison.md").write_text(comparison_markdown(comparison), encoding="utf8")
    return comparison


def _pipeline_rows(comparison: IntentComparison) -> list:
    rows = []
    for name, data in (("NER-only", comparison.ner_only), ("multitask", comparison.multitask)):
        rows.append([name, f"`{data.model}`", percent(data.ner_precision), percent(data.ner_recall),
                     percent(data.ner_f1), percent(data.spacy_ents_f), "yes" if data.scorers_agree else "**NO**",
                     f"{data.words_per_sec:,.0f}"])
    return rows


def comparison_markdown(comparison: IntentComparison) -> str:
    """comparison.md: NER per pipeline, the multitask intents, speed and the verdict."""
    out = [f"# NER-only vs multitask (NER + intent) on {comparison.set_name}", "",
           f"`{comparison.dev}`, {comparison.n_docs} docs; both timed in one run, batch {comparison.batch_size}, "
           f"{comparison.torch_threads} torch threads.", "",
           markdown_table(["pipeline", "model", "NER P", "NER R", "NER F1 (seqeval)", "F1 (spaCy)",
                           "scorers agree", "words/s"], _pipeline_rows(comparison)), "",
           f"NER micro F1 change, multitask minus NER-only: {100 * comparison.ner_f1_delta:+.2f} points.", "",
           f"**Verdict:** {comparison.verdict}.", "", "## Intent (multitask)", ""]
    intents = comparison.multitask.intents
    if intents is None or not intents.n:
        out += ["Not measured: the set has no gold intents.", ""]
    else:
        out += [intent_headline(intents) + ".", "", markdown_table(INTENT_HEADER, intent_rows(intents)), ""]
        if comparison.confusion_png:
            name = Path(comparison.confusion_png).name
            out += [f"Confusion matrix (rows gold, columns predicted): ![intent confusion]({name})", ""]
    return "\n".join(out)


def print_comparison(comparison: IntentComparison) -> None:
    msg.table([row[:1] + row[2:] for row in _pipeline_rows(comparison)],
              header=("pipeline", "NER P", "NER R", "NER F1", "F1 (spaCy)", "agree", "words/s"),
              aligns=("l", "r", "r", "r", "r", "l", "r"))
    intents = comparison.multitask.intents
    if intents is not None and intents.n:
        msg.text(intent_headline(intents))
    (msg.good if comparison.ner_f1_holds else msg.warn)(comparison.verdict)

