"""A tiny multitask pipeline (transformer + ner + textcat) trained from configs/trf_intent.cfg.

Built as tests/tiny_models.py builds the NER-only one (same tiny BERT, same converted synthetic
corpus), with `doc.cats = intent_cats(...)` set on the converted docs: until the converter writes
intents, the tests make their own. Train intents come from the first half of INTENT_LABELS only,
so a test can see that every label exists even when a class is absent from train. Trained once
per test process, whichever module asks first.
"""
from pathlib import Path
from typing import Dict

from spacy.tokens import DocBin

from spacy_callner.scheme.intents import INTENT_LABELS, intent_cats
from spacy_callner.tokenizer import make_korean_nlp

from .conftest import REPO_ROOT
from .tiny_models import make_tiny_bert, tiny_training_overrides

TRAIN_INTENTS = INTENT_LABELS[: len(INTENT_LABELS) // 2]
_TRAINED: Dict[str, Path] = {}


def add_intents(path: Path, output: Path, intents=INTENT_LABELS) -> Path:
    """The .spacy file at `path` with doc i carrying intent `intents[i % len(intents)]`."""
    nlp = make_korean_nlp()
    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    for i, doc in enumerate(docs):
        doc.cats = intent_cats(intents[i % len(intents)])
    DocBin(docs=docs, store_user_data=True).to_disk(output)
    return output


def train_tiny_intent_pipeline(root: Path, *, n_examples: int = 120, seed: int = 3, max_steps: int = 4) -> Path:
    """transformer + ner + textcat from configs/trf_intent.cfg on a tiny BERT; returns model-last."""
    from spacy.cli.train import train

    import spacy_callner.training.loggers  # noqa: F401  (registers the config's logger)
    from spacy_callner.training.corpus import convert_corpus
    from spacy_callner.training.synthetic import generate_examples, write_jsonl

    examples = generate_examples(n_examples, seed=seed)
    write_jsonl(examples, root / "synthetic.jsonl")
    convert_corpus(root / "synthetic.jsonl", root / "corpus", dev_fraction=0.2, test_fraction=0.0)
    train_path = add_intents(root / "corpus" / "train.spacy", root / "train_intents.spacy", TRAIN_INTENTS)
    dev_path = add_intents(root / "corpus" / "dev.spacy", root / "dev_intents.spacy")
    base_model = make_tiny_bert([ex["text"] for ex in examples], root / "tiny_bert")
    train(REPO_ROOT / "configs" / "trf_intent.cfg", root / "training",
          overrides=tiny_training_overrides(train_path, dev_path, base_model, max_steps))
    return root / "training" / "model-last"


def tiny_intent_pipeline(tmp_path_factory) -> Path:
    """The trained tiny multitask pipeline's model-last (trained on the first call only)."""
    if "model" not in _TRAINED:
        _TRAINED["model"] = train_tiny_intent_pipeline(tmp_path_factory.mktemp("tiny_intent"))
    return _TRAINED["model"]


def intent_dev_set(model_dir: Path) -> Path:
    """The tiny pipeline's dev set with intents over all of INTENT_LABELS (.spacy)."""
    return Path(model_dir).parents[1] / "dev_intents.spacy"
