"""Timing the LLM generator's own steps on hostile replies: `python -m spacy_callner.training.llm.adversarial_timing`.

Each case builds a reply item or reply text of a given length that once made a
step quadratic (a long stacked product word, a surface repeated through the
text, a near-miss surface for the spacing-insensitive search, stacked endings
after a digit, deeply nested JSON, a huge fenced reply) and prints microseconds
per character at each length: flat across lengths means linear. Tokenizing the
text is included in the `annotate_*` cases (`annotate_utterance` makes the Doc).
"""
import argparse
import json
from typing import Any, Callable, Dict, Sequence

from ...tokenizer import make_korean_nlp
from ..adversarial import DEFAULT_LENGTHS, us_per_char
from .annotate import annotate_utterance
from .parsing import MalformedResponse, parse_utterances

REPEATS = 3


def _item(text: str, surface: str, label: str) -> Dict[str, Any]:
    return {"text": text, "entities": [{"text": surface, "label": label}]}


def _stacked_product(length: int) -> Dict[str, Any]:
    text = "갤럭시 " + "이었는데" * ((length - 4) // 4)
    return _item(text, text, "PRODUCT")


def _repeated_surface(length: int) -> Dict[str, Any]:
    return _item("가" * length, "가" * (length // 2), "PRODUCT")


def _near_miss_surface(length: int) -> Dict[str, Any]:
    return _item("가" * length, "가" * (length // 2) + "나", "PRODUCT")


def _stacked_endings_after_a_digit(length: int) -> Dict[str, Any]:
    text = "1" + "이요" * ((length - 2) // 2) + "다"
    return _item(text, text, "MONEY")


def _nested_json(length: int) -> str:
    return '{"utterances": ' + "[" * (length - 15)


def _fenced_reply(length: int) -> str:
    item = json.dumps({"text": "네 5만 원이요", "entities": [{"text": "5만 원", "label": "MONEY"}]}, ensure_ascii=False)
    body = ", ".join([item] * (length // (len(item) + 2)))
    return '```json\n{"utterances": [' + body + "]}\n```"


ITEM_CASES: Dict[str, Callable[[int], Dict[str, Any]]] = {
    "annotate_stacked_product_word": _stacked_product,
    "annotate_repeated_surface": _repeated_surface,
    "annotate_near_miss_surface": _near_miss_surface,
    "annotate_1+이요*k+다": _stacked_endings_after_a_digit,
}
REPLY_CASES: Dict[str, Callable[[int], str]] = {
    "parse_nested_json": _nested_json,
    "parse_fenced_reply": _fenced_reply,
}


def _parse(reply: str) -> None:
    try:
        parse_utterances(reply)
    except MalformedResponse:
        pass


def run(lengths: Sequence[int] = DEFAULT_LENGTHS) -> Dict[str, Dict[int, float]]:
    """µs per character of each case at each length."""
    nlp = make_korean_nlp()
    table: Dict[str, Dict[int, float]] = {}
    for name, make_item in ITEM_CASES.items():
        table[name] = {}
        for length in lengths:
            item = make_item(length)
            table[name][length] = us_per_char(lambda: annotate_utterance(item, nlp), length, REPEATS)
    for name, make_reply in REPLY_CASES.items():
        table[name] = {}
        for length in lengths:
            reply = make_reply(length)
            table[name][length] = us_per_char(lambda: _parse(reply), length, REPEATS)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=list(DEFAULT_LENGTHS))
    args = parser.parse_args()
    table = run(args.lengths)
    print(f"{'case (µs/char)':34}" + "".join(f"{length:>10,}" for length in args.lengths))
    for name, row in table.items():
        print(f"{name:34}" + "".join(f"{row[length]:>10.2f}" for length in args.lengths))


if __name__ == "__main__":
    main()
