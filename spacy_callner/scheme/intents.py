"""The call-intent label set of corpus/INTENTS.md: what the customer wants in this call.

One home for the labels and their one-line definitions: the offline generator's
scenario mapping, the LLM prompt and its validator, the converter (`doc.cats`),
the textcat config's evaluation and the tests import them from here. An utterance
carries the intent of the request it makes or answers; turns that make no request
are `greeting_closing` (greetings, thanks, sign-offs, hold) or `other`.
"""
from typing import Dict, Tuple

BILLING = "billing"
PLAN_CHANGE = "plan_change"
PURCHASE = "purchase"
DELIVERY = "delivery"
REPAIR = "repair"
REFUND_RETURN = "refund_return"
CANCELLATION = "cancellation"
INSURANCE_CLAIM = "insurance_claim"
RENTAL_SERVICE = "rental_service"
ACCOUNT_CONTACT = "account_contact"
GREETING_CLOSING = "greeting_closing"
OTHER = "other"

INTENT_DEFINITIONS: Dict[str, str] = {
    BILLING: "a bill, charge, payment, instalment or fee: what it is, why it is that much, how to pay it",
    PLAN_CHANGE: "change a plan, add-on or subscription (roaming packs, data plans, memberships) in place",
    PURCHASE: "buy or order a product, upgrade or change a device, ask its price or stock before buying",
    DELIVERY: "where an order or shipment is, when it arrives, change its address or delivery slot",
    REPAIR: "a fault, breakage or malfunction: repair, A/S visit, repair cost, repair status",
    REFUND_RETURN: "return or exchange an item, get money back, a refund's status",
    CANCELLATION: "end a contract, service or subscription: termination, penalties, cancellation fees",
    INSURANCE_CLAIM: "an insurance policy's claim, coverage, premium or payout",
    RENTAL_SERVICE: "a rental contract's terms, monthly fee, maintenance visit or filter change",
    ACCOUNT_CONTACT: "verify identity, update contact details, ask for or arrange a callback",
    GREETING_CLOSING: "greeting, thanks, hold, sign-off or small talk: no request made",
    OTHER: "a request outside the labels above, or too little to tell",
}
INTENT_LABELS: Tuple[str, ...] = tuple(INTENT_DEFINITIONS)
"""The exclusive textcat classes, in the order reports and confusion matrices list them."""


def is_intent(label: object) -> bool:
    """Whether `label` is one of the intent labels (exact, case-sensitive)."""
    return isinstance(label, str) and label in INTENT_DEFINITIONS


def are_intent_cats(cats: Dict[str, float]) -> bool:
    """Whether `doc.cats` are over intent labels only (a pipeline without a textcat has none)."""
    return bool(cats) and all(is_intent(label) for label in cats)


def intent_cats(label: str) -> Dict[str, float]:
    """`doc.cats` for an utterance of intent `label`: 1.0 for it, 0.0 for every other class."""
    if not is_intent(label):
        raise ValueError(f"unknown intent {label!r}; expected one of {', '.join(INTENT_LABELS)}")
    return {intent: float(intent == label) for intent in INTENT_LABELS}
