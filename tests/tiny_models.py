"""Small models the tests build themselves (no model hub): a random-weight BERT and a pipeline
trained for a few steps from the project's own trf.cfg."""
from pathlib import Path

import srsly

from .conftest import REPO_ROOT


def make_tiny_bert(texts, output_dir: Path) -> Path:
    """A random-weight 2-layer BERT with a WordPiece vocabulary learnt from `texts`."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.train_from_iterator(texts, trainers.WordPieceTrainer(vocab_size=2000, special_tokens=specials))
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)],
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]", model_max_length=512,
    )
    config = BertConfig(vocab_size=tokenizer.get_vocab_size(), hidden_size=64, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=128, max_position_embeddings=512)
    BertModel(config, add_pooling_layer=False).save_pretrained(output_dir)
    fast.save_pretrained(output_dir)
    tokenizer_config = srsly.read_json(output_dir / "tokenizer_config.json")
    tokenizer_config["tokenizer_class"] = "PreTrainedTokenizerFast"
    srsly.write_json(output_dir / "tokenizer_config.json", tokenizer_config)
    return output_dir


def train_tiny_pipeline(root: Path, *, n_examples: int = 120, seed: int = 3, max_steps: int = 4) -> Path:
    """transformer + ner trained from configs/trf.cfg on a tiny BERT for a few steps; returns model-last."""
    from spacy.cli.train import train

    import spacy_callner.training.loggers  # noqa: F401  (registers the config's logger)
    from spacy_callner.training.corpus import convert_corpus
    from spacy_callner.training.synthetic import generate_examples, write_jsonl

    examples = generate_examples(n_examples, seed=seed)
    write_jsonl(examples, root / "synthetic.jsonl")
    convert_corpus(root / "synthetic.jsonl", root / "corpus", dev_fraction=0.2, test_fraction=0.0)
    base_model = make_tiny_bert([ex["text"] for ex in examples], root / "tiny_bert")
    train(REPO_ROOT / "configs" / "trf.cfg", root / "training", overrides=tiny_training_overrides(
        root / "corpus" / "train.spacy", root / "corpus" / "dev.spacy", base_model, max_steps))
    return root / "training" / "model-last"


def tiny_training_overrides(train_path: Path, dev_path: Path, base_model: Path, max_steps: int) -> dict:
    """A transformer config's overrides for a tiny run: 2 layers of the tiny BERT, a few steps,
    the learning rate a random-weight encoder needs."""
    return {
        "paths.train": str(train_path),
        "paths.dev": str(dev_path),
        "paths.base_model": str(base_model),
        "components.transformer.model.transformer_config.num_hidden_layers": 2,
        "training.max_steps": max_steps,
        "training.eval_frequency": max(1, max_steps // 2),
        "training.optimizer.learn_rate.initial_rate": 1e-3,
        "training.optimizer.learn_rate.warmup_steps": 1,
    }
