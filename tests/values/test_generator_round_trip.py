"""value(render(x)) == x for every amount and phone format the offline generator can render.

Each writer returns the value it rendered its text from (the amount and currency it
drew, the digit groups and the kind of number it chose, the contract's parts), built
from its draws and never from the text; the normaliser reads the text alone. The two
must agree for every format, seed and amount range.
"""
from random import Random

import pytest

from spacy_callner.scheme import CURRENCY_SYMBOL_CODES, CURRENCY_WORD_CODES
from spacy_callner.training.synthetic import money as money_writers
from spacy_callner.training.synthetic import phones as phone_writers
from spacy_callner.training.synthetic.banks import load_bank
from spacy_callner.training.synthetic.contracts import build_contract
from spacy_callner.training.synthetic.phonology import sino_korean
from spacy_callner.values import contract_value, money_value, phone_value

SEEDS = range(40)
EOK = 10 ** 8


def _amount_ranges():
    ranges = load_bank("numbers.json")["amount_ranges"]
    return {name: spec for name, spec in ranges.items() if not name.startswith("_")}


def _writer_cases():
    for name, (low, high, _) in _amount_ranges().items():
        for fmt in money_writers.money_formats_for(name):
            yield fmt, money_writers.AmountRange(name, low, high)
    low, high, _ = _amount_ranges()["small"]
    yield "foreign", money_writers.AmountRange("small", low, high)


@pytest.mark.parametrize("fmt,amounts", list(_writer_cases()), ids=lambda case: getattr(case, "name", case))
def test_money_writers_round_trip(fmt, amounts):
    writer = money_writers.MONEY_WRITERS[fmt]
    for seed in SEEDS:
        for won in ("원", " 원"):
            written = writer(Random(seed), amounts, won)
            result = money_value(written.text)
            assert result.value == written.value, (written, result.error)
            if written.currency == "KRW":
                assert isinstance(written.amount, int) and written.amount > 0, written


def test_foreign_writers_use_every_currency_of_the_bank():
    currencies = load_bank("numbers.json")["currencies"]
    wanted = {CURRENCY_WORD_CODES[word] for word, _ in currencies["foreign_words"]}
    wanted |= {CURRENCY_SYMBOL_CODES[symbol] for symbol, _ in currencies["foreign_symbols"]}
    amounts = money_writers.AmountRange("small", *_amount_ranges()["small"][:2])
    seen = {money_writers.MONEY_WRITERS["foreign"](Random(seed), amounts, "원").currency for seed in range(400)}
    assert seen == wanted


def _seeded_amounts():
    """Amounts over every order of magnitude the generator uses, with inner zeros and 억."""
    rng = Random(12)
    amounts = [1, 10, 100, 1000, 10000, 10005, 100001, 1000010, 10000000, 10002000, EOK, EOK + 1, 9 * EOK + 7]
    for digits in range(1, 10):
        amounts += [rng.randint(10 ** (digits - 1), 10 ** digits - 1) for _ in range(25)]
    amounts += [rng.randint(1, 99) * 10 ** rng.randint(0, 8) for _ in range(100)]
    return amounts


def _man_rest(amount):
    """`38만 2천` / `1억 2천만` style: each group of four digits in digits, with 억/만."""
    eok, rest = divmod(amount, EOK)
    man, below = divmod(rest, 10000)
    parts = [f"{eok}억"] if eok else []
    parts += [f"{man}만"] if man else []
    parts += [str(below)] if below else []
    return " ".join(parts)


def test_seeded_amounts_round_trip_through_the_generators_renderings():
    for amount in _seeded_amounts():
        renderings = [f"{amount:,}원", f"{amount}원", f"₩{amount:,}", f"{_man_rest(amount)} 원"]
        if amount < EOK:
            head, rest = sino_korean(amount)
            renderings += [head + rest + "원", f"{head} {rest} 원".replace("  ", " ")]
        for text in renderings:
            assert money_value(text).value == {"amount": amount, "currency": "KRW"}, text


@pytest.mark.parametrize("word,code", sorted(CURRENCY_WORD_CODES.items()))
def test_every_currency_word(word, code):
    for amount in (1, 20, 1299, 150000):
        for text in (f"{amount}{word}", f"{amount:,} {word}"):
            assert money_value(text).value == {"amount": amount, "currency": code}, text


@pytest.mark.parametrize("symbol,code", sorted(CURRENCY_SYMBOL_CODES.items()))
def test_every_currency_symbol(symbol, code):
    for amount in (1, 20, 1299, 150000):
        assert money_value(f"{symbol}{amount:,}").value == {"amount": amount, "currency": code}


PHONE_FORMAT_KINDS = {
    "mobile_dash": "mobile", "mobile_space": "mobile", "mobile_dot": "mobile", "mobile_plain": "mobile",
    "landline_seoul": "landline", "landline_regional": "landline", "representative": "representative",
    "toll_free_080": "toll_free", "internet_070": "internet",
}
"""The kind each single-kind written format stands for, as ANNOTATION.md names kinds; the notation
formats (international, 0082, spaced or mixed separators, brackets) write numbers of several kinds."""


@pytest.mark.parametrize("fmt", [fmt for fmt in phone_writers.PHONE_WRITERS if fmt != "spoken"])
def test_written_phone_writers_round_trip(fmt):
    for seed in range(200):
        written = phone_writers.PHONE_WRITERS[fmt](Random(seed), fmt, "personal", [])
        result = phone_value(written.text)
        assert result.value == written.value, (written, result.error)
        if fmt in PHONE_FORMAT_KINDS:
            assert written.kind == PHONE_FORMAT_KINDS[fmt], written


def test_spoken_phones_round_trip():
    kinds = set()
    for seed in range(300):
        written = phone_writers.build_spoken_phone(Random(seed), ("personal", "rep")[seed % 2])
        result = phone_value(written.text)
        assert result.value == written.value, (written, result.error)
        kinds.add(written.kind)
    assert kinds == {"mobile", "landline", "representative"}


def test_contracts_round_trip():
    for seed in range(300):
        text, _, value = build_contract(Random(seed))
        assert contract_value(text).value == value, text
