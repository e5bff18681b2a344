"""value(render(x)) == x for every amount and phone format the offline generator can render.

The generator's writers draw their amounts and digit groups from the example's
`Random`; the tests record those draws (a recording `Random`, wrappers around
`_round_amount`, `random_digits` and `_spoken_groups`) and rebuild the amount
or digits from them, never from the rendered text.
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


class RecordingRandom(Random):
    """A seeded Random that keeps every `randint` and `choice` result, in order."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.ints, self.choices = [], []

    def randint(self, a, b):
        value = super().randint(a, b)
        self.ints.append((a, b, value))
        return value

    def choice(self, seq):
        value = super().choice(seq)
        self.choices.append((tuple(seq), value))
        return value


def _amount_ranges():
    ranges = load_bank("numbers.json")["amount_ranges"]
    return {name: spec for name, spec in ranges.items() if not name.startswith("_")}


def _writer_cases():
    for name, (low, high, _) in _amount_ranges().items():
        for fmt in money_writers.money_formats_for(name):
            yield fmt, money_writers.AmountRange(name, low, high)
    low, high, _ = _amount_ranges()["small"]
    yield "foreign", money_writers.AmountRange("small", low, high)


def _expected_krw(fmt, rng, rounded):
    """The amount a won writer rendered, rebuilt from its recorded draws."""
    last = rounded[-1] if rounded else None
    if fmt == "comma_won":
        return last
    if fmt == "plain_won":
        return last * 10 if last < 1000 else last
    if fmt in ("man_spaced", "man_glued"):
        return last // 10000 * 10000
    if fmt == "hangul":
        return last
    if fmt == "spaced_number":
        return last // 10000 * 10000 if rounded else rng.ints[-1][2] * 1000
    if fmt == "compound":
        _, high, multiple = rng.ints[-1]
        rest_step = {9999 // step: step for step in (1000, 100, 10)}[high]
        return max(1, last // 10000) * 10000 + multiple * rest_step
    if fmt == "cheon":
        return rng.ints[-1][2] * 1000
    if fmt == "cheon_mixed":
        return rng.ints[-2][2] * 1000 + rng.ints[-1][2] * 100
    if fmt == "eok":
        cheonman = next(value for seq, value in rng.choices if seq == (0, 0, 1, 2, 3, 5, 7))
        return rng.ints[-1][2] * EOK + cheonman * 10 ** 7
    raise AssertionError(f"no rule for {fmt}")


@pytest.fixture
def rounded_amounts(monkeypatch):
    """Every amount `_round_amount` returns, in order."""
    seen = []
    original = money_writers._round_amount

    def recording(rng, range_name, step=None):
        seen.append(original(rng, range_name, step))
        return seen[-1]

    monkeypatch.setattr(money_writers, "_round_amount", recording)
    return seen


@pytest.mark.parametrize("fmt,amounts", list(_writer_cases()), ids=lambda case: getattr(case, "name", case))
def test_money_writers_round_trip(fmt, amounts, rounded_amounts):
    writer = money_writers.MONEY_WRITERS[fmt]
    for seed in SEEDS:
        for won in ("원", " 원"):
            rng = RecordingRandom(seed)
            rounded_amounts.clear()
            text, _ = writer(rng, amounts, won)
            value = money_value(text).value
            assert value is not None, (text, money_value(text).error)
            if fmt == "foreign":
                _check_foreign(text, value, rng)
            else:
                assert value == {"amount": _expected_krw(fmt, rng, rounded_amounts), "currency": "KRW"}, text


def _check_foreign(text, value, rng):
    """A foreign amount: the drawn value (rounded to 100, or with drawn cents) in the drawn currency."""
    currency, _ = rng.choices[0][1]
    code = CURRENCY_WORD_CODES.get(currency) or CURRENCY_SYMBOL_CODES[currency]
    assert value["currency"] == code, text
    drawn = [draw for draw in rng.ints if draw[:2] != (0, 99)][0][2]
    cents = [draw[2] for draw in rng.ints if draw[:2] == (0, 99)]
    expected = {drawn, drawn - drawn % 100} if not cents else {drawn + cents[0] / 100}
    assert value["amount"] in expected, text


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
INTERNATIONAL_AREA_KINDS = {"010": "mobile", "02": "landline", "031": "landline", "051": "landline",
                            "032": "landline", "070": "internet"}


def _format_prefixes(fmt):
    plan = load_bank("numbers.json")["phone"]
    keys = {"landline_seoul": ["seoul"], "landline_regional": ["area_codes"], "toll_free_080": ["toll_free"],
            "internet_070": ["internet"], "representative": ["representative"]}
    if fmt.startswith("mobile"):
        return set(plan["mobile"] + plan["mobile_legacy"])
    if fmt == "international":
        return set(INTERNATIONAL_AREA_KINDS)
    return {prefix for key in keys[fmt] for prefix in plan[key]}


@pytest.fixture
def drawn_groups(monkeypatch):
    """Every digit group `random_digits` returns while a phone is written, in order."""
    seen = []
    original = phone_writers.random_digits

    def recording(rng, n, first=phone_writers.random_digits.__defaults__[0]):
        seen.append(original(rng, n, first))
        return seen[-1]

    monkeypatch.setattr(phone_writers, "random_digits", recording)
    return seen


@pytest.mark.parametrize("fmt", [fmt for fmt in phone_writers.PHONE_WRITERS if fmt != "spoken"])
def test_written_phone_writers_round_trip(fmt, drawn_groups):
    """The digits are a known prefix of the format followed by the drawn groups, 0-padded ones included."""
    for seed in range(200):
        drawn_groups.clear()
        text = phone_writers.PHONE_WRITERS[fmt](Random(seed), fmt, "personal", [])
        value = phone_value(text).value
        assert value is not None, (text, phone_value(text).error)
        groups = "".join(drawn_groups)
        assert value["digits"].endswith(groups), text
        prefix = value["digits"][: -len(groups)]
        assert prefix in _format_prefixes(fmt), text
        assert value["kind"] == (INTERNATIONAL_AREA_KINDS[prefix] if fmt == "international" else PHONE_FORMAT_KINDS[fmt])


def test_spoken_phones_round_trip(monkeypatch):
    seen = []
    original = phone_writers._spoken_groups

    def recording(rng, kind):
        seen.append(original(rng, kind))
        return seen[-1]

    monkeypatch.setattr(phone_writers, "_spoken_groups", recording)
    plan = load_bank("numbers.json")["phone"]
    for seed in range(300):
        text = phone_writers.build_spoken_phone(Random(seed), ("personal", "rep")[seed % 2])
        value = phone_value(text).value
        head = seen[-1][0]
        kind = "mobile" if head in plan["mobile"] else "representative" if head in plan["representative"] else "landline"
        assert value == {"digits": "".join(seen[-1]), "kind": kind}, text


def test_contracts_round_trip():
    for seed in range(300):
        text, _ = build_contract(Random(seed))
        prefix, year, serial = text.split("-")
        assert contract_value(text).value == {"id": f"{prefix.upper()}-{year}-{serial}"}
