"""The call intent of a generated utterance, decided by construction like its entity offsets.

Each template block's scenario maps to an intent (corpus/INTENTS.md); a template
line may override it with a trailing ``#intent=LABEL`` marker (a greeting in
`common`, a tracking-number look-alike in `negatives`, a refund line in a retail
block). Blocks mapped to None (`common`, `negatives`) inherit the utterance's
scenario intent on lines without a marker. The utterance's intent is then read
off the sentences it was built from, so no randomness is spent on it.
"""
import re
from typing import Dict, Optional, Sequence, Tuple

from spacy_callner.scheme.intents import (
    ACCOUNT_CONTACT, BILLING, CANCELLATION, DELIVERY, GREETING_CLOSING, INSURANCE_CLAIM, OTHER, PLAN_CHANGE,
    PURCHASE, REFUND_RETURN, RENTAL_SERVICE, REPAIR, is_intent,
)

SCENARIO_INTENTS: Dict[str, Optional[str]] = {
    "common": None,
    "negatives": None,
    "plan_change": PLAN_CHANGE,
    "roaming": PLAN_CHANGE,
    "device_upgrade": PURCHASE,
    "retail_order": PURCHASE,
    "bill_dispute": BILLING,
    "installment": BILLING,
    "delivery": DELIVERY,
    "repair": REPAIR,
    "insurance": INSURANCE_CLAIM,
    "rental": RENTAL_SERVICE,
    "refund": REFUND_RETURN,
    "cancellation": CANCELLATION,
    "identity_check": ACCOUNT_CONTACT,
    "callback": ACCOUNT_CONTACT,
}
"""Scenario (template block) -> intent of its lines; None: a line inherits the utterance's scenario intent."""

NO_REQUEST_INTENTS = (GREETING_CLOSING, OTHER)
_MARKER_RE = re.compile(r"\s+#intent=(\S*)\s*$")


def split_intent_marker(line: str) -> Tuple[str, Optional[str]]:
    """A template line without its ``#intent=LABEL`` marker, and the label (None when it has none)."""
    match = _MARKER_RE.search(line)
    if not match:
        return line, None
    label = match.group(1)
    if not is_intent(label):
        raise ValueError(f"unknown intent {label!r} in template line {line!r}")
    return line[: match.start()], label


def block_intent(scenario: str) -> Optional[str]:
    """The intent a block's unmarked lines carry (None: inherit), refusing a scenario with no mapping."""
    if scenario not in SCENARIO_INTENTS:
        raise ValueError(f"template block scenario {scenario!r} has no intent in SCENARIO_INTENTS")
    return SCENARIO_INTENTS[scenario]


def utterance_intent(scenario: str, sentence_intents: Sequence[Optional[str]]) -> str:
    """The intent of an utterance of ``scenario`` built from sentences of these intents (None: inherit).

    The scenario's own request wins when any sentence makes it; otherwise the first
    sentence that makes a request; otherwise `other` if any sentence is `other`,
    else `greeting_closing` (the utterance made no request at all).
    """
    own = block_intent(scenario)
    resolved = [own if intent is None else intent for intent in sentence_intents]
    if own in resolved:
        return own
    requests = [intent for intent in resolved if intent not in NO_REQUEST_INTENTS]
    if requests:
        return requests[0]
    return OTHER if OTHER in resolved else GREETING_CLOSING
