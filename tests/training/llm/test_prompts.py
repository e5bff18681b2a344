"""What each request asks for: the label mix, varied prompts, few-shots from the offline generator."""
import re

import pytest

from spacy_callner.training.llm import prompts
from spacy_callner.training.llm.prompts import parse_label_mix


def test_label_mix_parsing():
    assert parse_label_mix("PHONE,money") == {"PHONE": 1.0, "MONEY": 1.0}
    assert parse_label_mix("PHONE=1,PRODUCT=2") == {"PHONE": 1.0, "PRODUCT": 2.0}
    assert set(parse_label_mix("")) == {"PHONE", "MONEY", "PRODUCT", "CONTRACT"}
    for bad in ("PERSON", "PHONE=x", "PHONE=-1", "PHONE=0"):
        with pytest.raises(ValueError):
            parse_label_mix(bad)


def test_prompts_vary_across_requests_and_follow_the_label_mix():
    bank = prompts.PromptBank.load()
    pool = [{"text": f"예시 문장 {i}", "entities": []} for i in range(40)]
    plans = [
        prompts.plan_request(i, seed=0, n_utterances=10, label_weights={"PRODUCT": 1.0, "MONEY": 1.0},
                             few_shot_pool=pool, bank=bank)
        for i in range(8)
    ]
    assert len({p.prompt for p in plans}) == 8
    assert len({p.style["register"] for p in plans}) > 1 and len({p.style["scenario"] for p in plans}) > 1
    for plan in plans:
        assert not re.search(r"\$[a-z_]+", plan.prompt)
        assert "mention a PHONE" not in plan.prompt and "mention a CONTRACT" not in plan.prompt
    again = prompts.plan_request(3, seed=0, n_utterances=10, label_weights={"PRODUCT": 1.0, "MONEY": 1.0},
                                 few_shot_pool=pool, bank=bank)
    assert again.prompt == plans[3].prompt
    assert "Do not give character positions" in bank.system


def test_few_shot_examples_come_from_the_offline_generator():
    pool = prompts.load_few_shot_pool(30, seed=0)
    assert len(pool) == 30
    for example in pool:
        assert set(example) == {"text", "entities", "intent"}
        for entity in example["entities"]:
            assert entity["text"] in example["text"] and "start" not in entity
