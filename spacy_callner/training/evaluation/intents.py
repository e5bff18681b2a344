"""Call-intent scores of a pipeline with an intent textcat (configs/trf_intent.cfg), per evaluation set.

The textcat's classes are exclusive, so each utterance has one gold intent (the class `doc.cats`
marks 1.0, as `scheme.intents.intent_cats` writes it) and one predicted intent (the most probable
class). Accuracy, macro F1 and per-class P/R/F1 are sklearn's over those pairs; the macro average
runs over the classes that occur in the gold or the predictions (a class absent from both says
nothing about the model). spaCy's own `cats_macro_f` (`Scorer.score_cats`, which averages over every
label) is kept beside it, so the figure `spacy evaluate` prints can be traced. A pipeline without
such a textcat gets no intent scores at all, and its reports stay as they were.
"""
from typing import List, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.training import Example

from ...records import intent_record
from ...scheme.intents import INTENT_LABELS, are_intent_cats, is_intent
from ..reports import IntentClassScores, IntentScores


def intent_textcat(nlp: Language) -> Optional[str]:
    """The name of the pipeline's textcat whose labels are all intents (None if it has none)."""
    for name, component in nlp.pipeline:
        labels = getattr(component, "labels", ())
        if nlp.get_pipe_meta(name).factory == "textcat" and labels and all(is_intent(label) for label in labels):
            return name
    return None


def gold_intent(doc: Doc) -> Optional[str]:
    """The intent `doc.cats` marks 1.0, if its categories are intents and exactly one is marked."""
    if not are_intent_cats(doc.cats):
        return None
    marked = [label for label, value in doc.cats.items() if value == 1.0]
    return marked[0] if len(marked) == 1 else None


def predicted_intent(doc: Doc) -> Optional[str]:
    """The most probable intent in `doc.cats` (None without intent categories), as records give it."""
    record = intent_record(doc)
    return record["label"] if record is not None else None


def intent_pairs(examples: Sequence[Example]) -> Tuple[List[str], List[str], List[Example]]:
    """Gold and predicted intents of the examples that have a gold intent, and those examples."""
    gold, predicted, kept = [], [], []
    for example in examples:
        label = gold_intent(example.reference)
        if label is not None:
            gold.append(label)
            predicted.append(predicted_intent(example.predicted) or "")
            kept.append(example)
    return gold, predicted, kept


def score_intents(examples: Sequence[Example]) -> IntentScores:
    """Accuracy, macro F1, per-class P/R/F1 and the confusion matrix (INTENT_LABELS order)."""
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    gold, predicted, kept = intent_pairs(examples)
    n_without_gold = len(examples) - len(kept)
    if not gold:
        return IntentScores(n=0, n_without_gold=n_without_gold)
    labels = list(INTENT_LABELS)
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0)
    n_predicted = [predicted.count(label) for label in labels]
    present = [label for label in labels if label in gold or label in predicted]
    macro = precision_recall_fscore_support(gold, predicted, labels=present, average="macro", zero_division=0)
    spacy_scores = Scorer.score_cats(kept, "cats", labels=labels, multi_label=False)
    return IntentScores(
        n=len(gold),
        n_without_gold=n_without_gold,
        accuracy=float(accuracy_score(gold, predicted)),
        macro_f1=float(macro[2]),
        macro_labels=present,
        spacy_cats_macro_f=spacy_scores.get("cats_macro_f"),
        labels=labels,
        per_class={label: IntentClassScores(float(p), float(r), float(f), int(s), n)
                   for label, p, r, f, s, n in zip(labels, precision, recall, f1, support, n_predicted)},
        confusion=confusion_matrix(gold, predicted, labels=labels).tolist(),
    )
