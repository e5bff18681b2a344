"""The reference ko_callner is measured against: the Hugging Face token-classification recipe.

This is the recipe the project grew from, run with transformers' own pieces so
that the comparison is with what users actually do, not with a re-implementation:
`AutoModelForTokenClassification` fine-tuned by `Trainer` (learning rate 3e-5,
10% linear warm-up, linear decay, batch 16, 5 epochs) on words labelled BIO,
with -100 on special tokens and on every sub-word but a word's first
(`DataCollatorForTokenClassification` pads with -100 too), then run with
`pipeline("token-classification", aggregation_strategy="simple")`.

Training data are the gold Docs of the same `.spacy` files spaCy trains on, so
the words are our Korean tokenizer's tokens and both systems learn from the
same annotation; tokens whose annotation is unknown (a span dropped during
conversion) get -100, as spaCy's `missing` tags make its NER skip them.

At inference the pipeline sees the raw text, as a user's would. With a
sentencepiece tokenizer the character offsets of an aggregated entity often
start at the space before it (the `▁` piece); the span is stripped of
surrounding whitespace, as any user of the output does. Spans that still do not
fall on the gold tokens' boundaries are kept as they are for exact
character-offset scoring, and expanded to whole tokens only for the IOB2 view.

spaCy, torch and transformers are imported where they are used: the benchmark's
speed worker loads this module to run the baseline and must not carry spaCy's
memory into the baseline's peak-memory figure.
"""
from __future__ import annotations

import math
import random
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from ..scheme.labels import LABELS

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

PathLike = Union[str, Path]
CharSpan = Tuple[int, int, str]

# transformers' CrossEntropyLoss ignore index: special tokens, later sub-words, unknown annotation
IGNORED_LABEL_ID = -100
OUTSIDE = "O"

RECIPE = {
    "learning_rate": 3e-5,
    "warmup_ratio": 0.1,
    "lr_scheduler_type": "linear",
    "per_device_train_batch_size": 16,
    "num_train_epochs": 5,
}


def bio_labels(labels: Sequence[str] = LABELS) -> List[str]:
    """The classifier's label list: `O`, then `B-` and `I-` of each entity label."""
    return [OUTSIDE] + [f"{prefix}-{label}" for label in labels for prefix in ("B", "I")]


def doc_word_tags(doc: Doc) -> Tuple[List[str], List[Optional[str]]]:
    """The doc's tokens and their BIO tags; None where the gold annotation is unknown."""
    words = [token.text for token in doc]
    tags: List[Optional[str]] = []
    for token in doc:
        if token.ent_iob_ == "":
            tags.append(None)
        elif token.ent_iob_ == OUTSIDE:
            tags.append(OUTSIDE)
        else:
            tags.append(f"{token.ent_iob_}-{token.ent_type_}")
    return words, tags


def align_labels(word_ids: Sequence[Optional[int]], tags: Sequence[Optional[str]],
                 label2id: Dict[str, int]) -> List[int]:
    """One label id per sub-word: the word's tag on its first sub-word, -100 elsewhere."""
    label_ids = []
    previous_word = None
    for word_id in word_ids:
        if word_id is None or word_id == previous_word or tags[word_id] is None:
            label_ids.append(IGNORED_LABEL_ID)
        else:
            label_ids.append(label2id[tags[word_id]])
        previous_word = word_id
    return label_ids


def encode_doc(tokenizer, doc: Doc, label2id: Dict[str, int], *, max_length: Optional[int] = None) -> dict:
    """Model inputs and aligned labels of one gold doc, its words given pre-split."""
    words, tags = doc_word_tags(doc)
    encoding = tokenizer(words, is_split_into_words=True, truncation=True, max_length=max_length)
    features = {key: list(values) for key, values in encoding.items()}
    features["labels"] = align_labels(encoding.word_ids(), tags, label2id)
    return features


def read_docs(path: PathLike, vocab: Optional[Vocab] = None) -> List[Doc]:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    return list(DocBin().from_disk(path).get_docs(vocab or Vocab()))


def sample_docs(docs: Sequence[Doc], n: Optional[int], *, seed: int = 0) -> List[Doc]:
    """A seeded sample of `n` docs (all of them, in order, when `n` is None or too big)."""
    if n is None or n >= len(docs):
        return list(docs)
    order = sorted(random.Random(seed).sample(range(len(docs)), n))
    return [docs[i] for i in order]


def recipe_training_arguments(scratch_dir: str, *, num_train_epochs: float, max_steps: Optional[int], seed: int,
                              gpu_id: int, logging_steps: int, show_progress: bool):
    """The recipe's `TrainingArguments`: its optimiser settings, no checkpoints, no evaluation while training."""
    from transformers import TrainingArguments

    return TrainingArguments(
        output_dir=scratch_dir,
        learning_rate=RECIPE["learning_rate"],
        warmup_ratio=RECIPE["warmup_ratio"],
        lr_scheduler_type=RECIPE["lr_scheduler_type"],
        per_device_train_batch_size=RECIPE["per_device_train_batch_size"],
        num_train_epochs=num_train_epochs,
        max_steps=max_steps if max_steps else -1,
        save_strategy="no",
        eval_strategy="no",
        report_to=[],
        logging_steps=logging_steps,
        seed=seed,
        use_cpu=gpu_id < 0,
        dataloader_pin_memory=gpu_id >= 0,
        disable_tqdm=not show_progress,
    )


def recipe_deviations(num_train_epochs: float, max_steps: Optional[int]) -> List[str]:
    """How a run's budget differs from the recipe's, in words for the report."""
    if max_steps:
        return [f"max_steps={max_steps} overrides num_train_epochs"]
    if num_train_epochs != RECIPE["num_train_epochs"]:
        return [f"num_train_epochs={num_train_epochs}"]
    return []


def train_hf_baseline(
    train_docs: Sequence[Doc],
    output_dir: PathLike,
    *,
    base_model: PathLike,
    num_train_epochs: float = RECIPE["num_train_epochs"],
    max_steps: Optional[int] = None,
    max_seconds: Optional[float] = None,
    max_length: Optional[int] = None,
    seed: int = 0,
    gpu_id: int = -1,
    logging_steps: int = 50,
    show_progress: bool = True,
) -> dict:
    """Fine-tune the base encoder with the recipe; save model and tokenizer to `output_dir`.

    `max_steps`, when given, overrides the epochs (transformers' own semantics):
    capping is a deviation from the recipe, and the returned record says so.
    `max_seconds`, when given, stops training once the Trainer's own training
    time reaches it (`WallClockBudget`); the schedule stays the recipe's.
    `seconds` covers loading the encoder, encoding the data, training and saving;
    `train_runtime_seconds` is the Trainer's training loop alone.
    """
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer, DataCollatorForTokenClassification, Trainer

    from .benchmark.wall_clock import WallClockBudget

    started = time.perf_counter()
    output_dir = Path(output_dir)
    labels = bio_labels()
    label2id = {label: i for i, label in enumerate(labels)}
    tokenizer = AutoTokenizer.from_pretrained(str(base_model))
    model = AutoModelForTokenClassification.from_pretrained(
        str(base_model), num_labels=len(labels), label2id=label2id,
        id2label=dict(enumerate(labels)),
    )
    train_features = [encode_doc(tokenizer, doc, label2id, max_length=max_length) for doc in train_docs]
    scratch_dir = tempfile.TemporaryDirectory(prefix="hf_baseline_")
    args = recipe_training_arguments(scratch_dir.name, num_train_epochs=num_train_epochs, max_steps=max_steps,
                                     seed=seed, gpu_id=gpu_id, logging_steps=logging_steps,
                                     show_progress=show_progress)
    budget = WallClockBudget(max_seconds) if max_seconds else None
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=train_features,
        data_collator=DataCollatorForTokenClassification(tokenizer),
        processing_class=tokenizer,
        callbacks=[budget] if budget else None,
    )
    with scratch_dir:
        result = trainer.train()
    trainer.save_model(str(output_dir))
    seconds = time.perf_counter() - started
    batch_size = RECIPE["per_device_train_batch_size"]
    steps_per_epoch = math.ceil(len(train_features) / batch_size)
    recipe_steps = math.ceil(steps_per_epoch * RECIPE["num_train_epochs"])
    return {
        "seconds": seconds,
        "train_runtime_seconds": result.metrics.get("train_runtime"),
        "n_examples": len(train_features),
        "n_words": sum(len(doc) for doc in train_docs),
        "n_subwords": sum(len(f["input_ids"]) for f in train_features),
        "steps": result.global_step,
        "steps_per_epoch": steps_per_epoch,
        "epochs": result.global_step / steps_per_epoch if steps_per_epoch else 0.0,
        "recipe": dict(RECIPE),
        "recipe_steps": recipe_steps,
        "num_train_epochs": num_train_epochs,
        "max_steps": max_steps,
        "max_seconds": max_seconds,
        "stopped_by_budget": bool(budget and budget.stopped),
        "deviations": recipe_deviations(num_train_epochs, max_steps)
        + ([f"stopped by a {max_seconds:.0f} s training-time budget"] if budget and budget.stopped else []),
        "training_loss": result.training_loss,
        "labels": labels,
        "base_model": str(base_model),
        "torch_threads": torch.get_num_threads(),
        "device": "cpu" if gpu_id < 0 else f"cuda:{gpu_id}",
    }


def load_hf_pipeline(model_dir: PathLike, *, gpu_id: int = -1):
    """The recipe's inference: `pipeline("token-classification", aggregation_strategy="simple")`."""
    from transformers import pipeline

    return pipeline("token-classification", model=str(model_dir), tokenizer=str(model_dir),
                    aggregation_strategy="simple", device=gpu_id)


def entity_char_span(text: str, entity: dict) -> Optional[CharSpan]:
    """An aggregated entity as a char span without surrounding whitespace (None if blank)."""
    start, end = entity["start"], entity["end"]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    return (start, end, entity["entity_group"])


def entities_to_char_spans(text: str, entities: Iterable[dict]) -> List[CharSpan]:
    spans = (entity_char_span(text, entity) for entity in entities)
    return [span for span in spans if span is not None]


def predict_char_spans(hf_pipeline, texts: Sequence[str], *, batch_size: int = 16) -> List[List[CharSpan]]:
    """Whitespace-stripped entity char spans of every text."""
    outputs = hf_pipeline(list(texts), batch_size=batch_size)
    return [entities_to_char_spans(text, entities) for text, entities in zip(texts, outputs)]


def is_token_aligned(doc: Doc, span: CharSpan) -> bool:
    return doc.char_span(span[0], span[1], alignment_mode="strict") is not None


def predicted_doc(gold_doc: Doc, spans: Sequence[CharSpan]) -> Doc:
    """A doc on the gold tokens whose entities are `spans` expanded to whole tokens.

    Where expanded spans overlap, the longest is kept (`filter_spans`), as an
    IOB2 sequence can hold only one of them.
    """
    from spacy.tokens import Doc
    from spacy.util import filter_spans

    doc = Doc(gold_doc.vocab, words=[t.text for t in gold_doc], spaces=[bool(t.whitespace_) for t in gold_doc])
    expanded = []
    for start, end, label in spans:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None and len(span):
            expanded.append(span)
    doc.ents = filter_spans(expanded)
    return doc
