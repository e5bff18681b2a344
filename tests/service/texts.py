"""Utterances the service tests send: each with a number the regex component always finds."""
PHONE_TEXT = "제 번호는 010-2345-6789이고요 다시 연락 주세요."
PHONE_SURFACE = "010-2345-6789"
CONTRACT_TEXT = "계약번호 KR-2026-0042로 조회해 주세요."
CONTRACT_SURFACE = "KR-2026-0042"
PLAIN_TEXT = "네 확인 감사합니다."
SURFACES = (PHONE_SURFACE, CONTRACT_SURFACE, "01023456789", "2345-6789", "KR-2026")


def transcript(n_chars: int) -> str:
    """A call transcript of about ``n_chars`` characters (not more): turns with numbers in them."""
    turns = []
    index = 0
    while sum(len(turn) + 1 for turn in turns) < n_chars - 80:
        turns.append(f"상담사: 고객님 연락처 확인하겠습니다. 고객: 네 010-{1000 + index % 9000:04d}-5678이고요, "
                     f"요금은 {index % 9 + 1}만 원 나왔어요.")
        index += 1
    return "\n".join(turns)
