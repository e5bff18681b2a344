"""Korean number-word cases published by other projects, read back by our MONEY normaliser.

Issue 12 asks that, having written our own Sino-Korean reader (no PyPI package
was correct on our cases, docs/values_libraries.md), we test it against the
test cases those packages publish as well as ours. Each block below transcribes
one source's cases (number word -> integer) that are in ANNOTATION.md's scope:
Sino-Korean numerals with 십/백/천 inside 만/억/조 groups, digits, and digits
mixed with units. `원` (or the source's own currency word) is appended and the
amount must come back exactly. Cases out of scope (native numerals, ordinals,
years, negatives, decimals read with 점, fractions, 경 and above, zero said as
영/공/빵) are listed in docs/values_libraries.md, not tested.
"""
import pytest

from spacy_callner.values import money_value

# savoirfairelinux/num2words, tests/test_ko.py @ 0ac94f0b261dbd6935a3cd1ea73c67e9b4449598
# (test_low without 0, test_mid, test_high, test_currency KRW/JPY)
NUM2WORDS_KO = [
    (1, "일"), (2, "이"), (3, "삼"), (4, "사"), (5, "오"), (6, "육"), (7, "칠"), (8, "팔"), (9, "구"),
    (10, "십"), (11, "십일"), (12, "십이"), (13, "십삼"), (14, "십사"), (15, "십오"), (16, "십육"),
    (17, "십칠"), (18, "십팔"), (19, "십구"), (20, "이십"), (25, "이십오"), (31, "삼십일"), (42, "사십이"),
    (54, "오십사"), (63, "육십삼"), (76, "칠십육"), (89, "팔십구"), (98, "구십팔"),
    (100, "백"), (121, "백이십일"), (160, "백육십"), (256, "이백오십육"), (285, "이백팔십오"),
    (486, "사백팔십육"), (627, "육백이십칠"), (808, "팔백팔"), (999, "구백구십구"), (1004, "천사"),
    (2018, "이천십팔"), (7063, "칠천육십삼"),
    (10000, "만"), (11020, "만 천이십"), (25891, "이만 오천팔백구십일"), (64237, "육만 사천이백삼십칠"),
    (241572, "이십사만 천오백칠십이"), (100000000, "일억"), (5000500000000, "오조 오억"),
]
NUM2WORDS_KO_CURRENCY = [
    (8350, "팔천삼백오십원", "KRW"), (14980, "만사천구백팔십원", "KRW"), (250004000, "이억오천만사천원", "KRW"),
    (15, "십오엔", "JPY"), (50, "오십엔", "JPY"),
]

# facebook/duckling, Duckling/Numeral/KO/Corpus.hs @ 39089dd173b6ee1bb5a60c27bdd3b0004184fd16
# (the digit and Sino-Korean spellings of each integer example)
DUCKLING_KO = [
    (1, "1"), (1, "일"), (10, "10"), (10, "십"), (11, "11"), (11, "십일"), (20, "이십"), (35, "삼십오"),
    (47, "사십칠"), (52, "오십이"), (69, "육십구"), (71, "칠십일"), (84, "팔십사"), (93, "구십삼"),
    (100, "백"), (123, "백이십삼"), (579, "오백칠십구"), (1000, "천"), (1723, "천칠백이십삼"),
    (5619, "오천육백십구"), (10000, "만"), (10000, "일만"), (12345, "12345"), (12345, "만이천삼백사십오"),
    (12345, "일만이천삼백사십오"), (58194, "오만팔천백구십사"), (581900, "오십팔만천구백"),
    (5819014, "오백팔십일만구천십사"), (58190148, "오천팔백십구만백사십팔"), (100000000, "100000000"),
    (100000000, "일억"), (274500000000, "이천칠백사십오억"), (100000002, "일억이"),
    (27350000, "이천칠백삼십오만"), (3235698120, "삼십이억삼천오백육십구만팔천백이십"),
    (40234985729, "사백이억삼천사백구십팔만오천칠백이십구"),
    (701239801123, "칠천십이억삼천구백팔십만천백이십삼"),
]

# Humanizr/Humanizer, src/Humanizer.Tests/Localisation/ko-KR/NumberToWordsTests.cs
# @ 528a1b50573e4f9d55ef339dabe3ba219298c6e1 (ToWordsInt without 0 and -123, ToWordsLong up to 조)
HUMANIZER_KO = [
    (1, "일"), (10, "십"), (11, "십일"), (122, "백이십이"), (3501, "삼천오백일"), (100, "백"), (1000, "천"),
    (10000, "일만"), (100000, "십만"), (1000000, "백만"), (10000000, "천만"), (100000000, "일억"),
    (1000000000, "십억"), (111, "백십일"), (1111, "천백십일"), (11111, "일만천백십일"),
    (111111, "십일만천백십일"), (1111111, "백십일만천백십일"), (11111111, "천백십일만천백십일"),
    (111111111, "일억천백십일만천백십일"), (1111111111, "십일억천백십일만천백십일"), (123, "백이십삼"),
    (1234, "천이백삼십사"), (12345, "일만이천삼백사십오"), (123456, "십이만삼천사백오십육"),
    (1234567, "백이십삼만사천오백육십칠"), (12345678, "천이백삼십사만오천육백칠십팔"),
    (123456789, "일억이천삼백사십오만육천칠백팔십구"), (1234567890, "십이억삼천사백오십육만칠천팔백구십"),
    (11111111111, "백십일억천백십일만천백십일"), (111111111111, "천백십일억천백십일만천백십일"),
    (1111111111111, "일조천백십일억천백십일만천백십일"), (11111111111111, "십일조천백십일억천백십일만천백십일"),
    (111111111111111, "백십일조천백십일억천백십일만천백십일"),
    (1111111111111111, "천백십일조천백십일억천백십일만천백십일"),
]

# yeganghwang/korean-number (PyPI korean-number 1.0.2), README.md @ 94247f5513efee4f164e8e92f94b17288b0497b0
# (kor2num, num2kor, num2finkor and addunit examples; addunit writes digits mixed with units).
# The README gives num2finkor(1111111111) as '일십억일천일백일십일만일천일백일십일'; that surface
# says 10억 1111만 1111 (one 일 is missing from 일십일억), so the amount it says is tested.
KOREAN_NUMBER_README = [
    (123456789, "일억 이천삼백사십오만 육천칠백팔십구"), (1111, "천백십일"), (100000000, "일억"),
    (123456789, "일억이천삼백사십오만육천칠백팔십구"), (1011111111, "일십억일천일백일십일만일천일백일십일"),
    (1111, "일천일백일십일"), (10001, "1만 1"), (100000000, "1억"), (12345678, "1234만 5678"),
]

# kwonmha/KoreanNumber, README.md @ 8b0a7de09f042a98a904ff88b3620398ddf9f732 and the
# "Current bug: 12만2천" note of test.py @ 6829ebbd5eaff079e2c8421ed3ecd1bf39086e8f
KOREAN_NUMBER_KWONMHA = [
    (1367129374511, "일조삼천육백칠십일억이천구백삼십칠만사천오백십일"), (122000, "12만2천"),
]

# jspc/numbers, numbers_test.go @ 1608695bac45d39182489a53f6ebf6bfba43479d (TestItoa without 0)
JSPC_NUMBERS = [
    (1, "일"), (10, "십"), (100, "백"), (1000, "천"), (10000, "만"), (100000, "십만"),
    (12345611, "천 이백 삼십 사만 오천 육백 십 일"),
]

PUBLISHED_WON_CASES = [
    pytest.param(amount, words, id=f"{source}:{words}")
    for source, cases in (
        ("num2words", NUM2WORDS_KO), ("duckling", DUCKLING_KO), ("humanizer", HUMANIZER_KO),
        ("korean-number", KOREAN_NUMBER_README), ("kwonmha", KOREAN_NUMBER_KWONMHA), ("jspc", JSPC_NUMBERS),
    )
    for amount, words in cases
]


@pytest.mark.parametrize("amount,words", PUBLISHED_WON_CASES)
def test_published_number_words_in_won(amount, words):
    assert money_value(words + "원").value == {"amount": amount, "currency": "KRW"}


@pytest.mark.parametrize("amount,surface,currency", NUM2WORDS_KO_CURRENCY)
def test_published_currency_phrases(amount, surface, currency):
    assert money_value(surface).value == {"amount": amount, "currency": currency}


def test_every_source_contributes_cases():
    """A transcription that lost its cases would pass the tests above vacuously."""
    assert len(PUBLISHED_WON_CASES) >= 130
    assert {param.id.split(":")[0] for param in PUBLISHED_WON_CASES} == {
        "num2words", "duckling", "humanizer", "korean-number", "kwonmha", "jspc",
    }
