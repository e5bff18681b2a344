"""The Korean texts verification runs the built model and tokenizer on.

Fixed call-center sentences (must tokenise without <unk>, must run through the
model) and deterministic random Korean/ASCII strings that compare the pruned
tokenizer's segmentation with the full one's.
"""
from __future__ import annotations

import random
from typing import Optional, Sequence

from .pruning import EXTRA_CHARS, SPACE_MARKER

KOREAN_TEST_SENTENCES = (
    "계약번호 KR-2026-001번 확인하고 010-1234-5678로 문자 주세요",
    "갤럭시 S25 울트라 14만 원이에요",
    "안녕하세요, 고객님. 무엇을 도와드릴까요?",
    "요금제 변경하면 월 59,000원에서 4만 5천 원으로 내려가요.",
    "아이폰 16 프로 맥스 256GB 재고 있나요?",
    "공일공 일이삼사 오육칠팔로 연락 부탁드립니다",
    "약정 기간이 24개월 남았는데 위약금이 얼마예요?",
    "인터넷 기가 라이트 상품으로 해지 접수해 주세요~",
    "주문번호는 ORD-2025-0042이고, 결제 금액은 ₩129,000입니다.",
    "네 ㅋㅋ 감사합니다! 좋은 하루 보내세요 :)",
    "「기본형」 요금제 · 부가서비스 “데이터 안심” 해지 요청",
    "카드 뒷자리 1234, 유효기간 12/27 맞으신가요?",
)


def _random_part(rng: random.Random, words: list, ascii_chars: list, symbols: list) -> str:
    roll = rng.random()
    if roll < 0.35 and words:
        return "".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
    if roll < 0.6:
        return "".join(chr(rng.randint(0xAC00, 0xD7A3)) for _ in range(rng.randint(1, 4)))
    if roll < 0.7:
        return "".join(chr(rng.randint(0x3131, 0x318E)) for _ in range(rng.randint(1, 3)))
    if roll < 0.85:
        return "".join(rng.choice(ascii_chars) for _ in range(rng.randint(1, 6)))
    if roll < 0.95:
        return str(rng.randint(0, 10**rng.randint(1, 9)))
    return rng.choice(symbols)


def parity_texts(n: int = 300, seed: int = 0, pieces: Optional[Sequence[str]] = None) -> list:
    """Deterministic random Korean/ASCII strings (all Hangul syllables, incl. ones with
    no piece, Jamo, digits, Latin, punctuation) to compare two segmentations on."""
    rng = random.Random(seed)
    ascii_chars = [chr(c) for c in range(0x21, 0x7F)]
    symbols = sorted(EXTRA_CHARS)
    words = [p.replace(SPACE_MARKER, "") for p in (pieces or []) if p.strip(SPACE_MARKER)]
    texts = []
    for _ in range(n):
        parts = [_random_part(rng, words, ascii_chars, symbols) for _ in range(rng.randint(1, 12))]
        texts.append(rng.choice([" ", "", "  "]).join(parts))
    return texts
