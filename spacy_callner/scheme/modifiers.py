"""Words around an amount that ANNOTATION.md keeps outside the MONEY span.

`약 5만 원` → `5만 원`; `5만 원 정도` → `5만 원`; `5만 원씩` → `5만 원`. The
generators say them, the LLM generator trims them from surfaces, and the error
analysis recognises a span that swallowed one.
"""
from typing import Tuple

MONEY_PREFIX_MODIFIERS: Tuple[str, ...] = (
    "약", "대략", "대충", "거의", "총", "한", "최대", "최소", "무려", "겨우", "단", "기본", "딱",
    "모두", "다", "합쳐서", "다 합쳐서",
)
"""Approximations and totals said before an amount."""

MONEY_PERIOD_WORDS: Tuple[str, ...] = ("월", "매월", "매달", "연", "매년")
"""Periods said before an amount (`월 5만 원`)."""

MONEY_SUFFIX_MODIFIERS: Tuple[str, ...] = (
    "정도", "가량", "쯤", "내외", "이상", "이하", "미만", "초과", "가까이", "남짓", "안팎", "씩",
    "좀", "넘게", "좀 넘게",
)
"""Approximations and bounds said after an amount."""

MONEY_MODIFIERS: Tuple[str, ...] = tuple(
    dict.fromkeys(MONEY_PREFIX_MODIFIERS + MONEY_PERIOD_WORDS + MONEY_SUFFIX_MODIFIERS)
)
"""Every word kept outside a MONEY span, for checks that do not care about the side."""
