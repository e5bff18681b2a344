"""Intent scores for people: evaluation.md's "Intent" part, its console table and the confusion PNG.

Kept apart from `intents`, which computes `IntentScores`; these views read only the scores.
"""
from pathlib import Path
from typing import List, Optional, Union

from wasabi import msg

from ..reporting import markdown_table, percent, save_figure
from .intents import IntentScores

HEADER = ["intent", "P", "R", "F1", "support", "predicted"]


def intent_confusion_name(set_name: str) -> str:
    return f"intent_confusion_{set_name}.png"


def intent_rows(scores: IntentScores) -> List[list]:
    """One row per intent class (percentages), in the labels' order."""
    return [[label, percent(row.precision), percent(row.recall), percent(row.f1), row.support, row.n_predicted]
            for label, row in scores.per_class.items()]


def intent_headline(scores: IntentScores) -> str:
    return (f"{scores.n} utterances with a gold intent: accuracy {percent(scores.accuracy)}, "
            f"macro F1 {percent(scores.macro_f1)} (over the {len(scores.macro_labels)} classes in gold or "
            f"predictions; spaCy's cats_macro_f over all {len(scores.labels)}: {percent(scores.spacy_cats_macro_f)})")


def intent_markdown(scores: Optional[IntentScores], confusion_png: Optional[str] = None) -> List[str]:
    """A set's "Intent" part of evaluation.md (nothing for a pipeline without an intent textcat)."""
    if scores is None:
        return []
    out = ["### Intent (textcat)", ""]
    if scores.n == 0:
        return out + [f"Not measured: none of the set's {scores.n_without_gold} docs has a gold intent.", ""]
    out += [intent_headline(scores) + ".", "", markdown_table(HEADER, intent_rows(scores)), ""]
    if confusion_png:
        out += [f"Confusion matrix (rows gold, columns predicted): ![intent confusion]({confusion_png})", ""]
    return out


def print_intent_summary(scores: Optional[IntentScores]) -> None:
    if scores is None:
        return
    if scores.n == 0:
        msg.info("Intent: no gold intents in this set")
        return
    msg.text(intent_headline(scores))
    msg.table(intent_rows(scores), header=HEADER, aligns=("l",) + ("r",) * (len(HEADER) - 1))


def plot_intent_confusion(scores: IntentScores, path: Union[str, Path], *, title: str = "") -> Path:
    """The confusion matrix as a heat map with the counts in the cells: rows gold, columns predicted."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy

    counts = numpy.array(scores.confusion, dtype=int)
    size = max(5.0, 0.6 * len(scores.labels) + 2)
    fig, ax = plt.subplots(figsize=(size + 1, size))
    image = ax.imshow(counts, cmap="Blues")
    ax.set_xticks(range(len(scores.labels)), scores.labels, rotation=45, ha="right")
    ax.set_yticks(range(len(scores.labels)), scores.labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title or f"intent confusion ({scores.n} utterances)")
    brightest = counts.max() if counts.size else 0
    for i, row in enumerate(counts):
        for j, count in enumerate(row):
            colour = "white" if brightest and count > brightest / 2 else "black"
            ax.text(j, i, str(count), ha="center", va="center", color=colour, fontsize=8)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    return save_figure(fig, path)
