"""The model card's fixed prose: label definitions, set descriptions, intended use, known limits.

Kept apart from `model_card.py`, which assembles the card from reports, so the
wording can be read and edited as text.
"""

LABEL_DESCRIPTIONS = {
    "PHONE": ("A complete telephone number: mobile, landline, representative, international, "
              "or spoken digits", "`010-1234-5678`, `1588-1234`, `공일공 일이삼사 오육칠팔`"),
    "MONEY": ("An amount with its currency word or symbol; modifiers such as 약/정도/씩 stay outside",
              "`14만 원`, `1,200,000원`, `$20`, `삼만 오천 원`"),
    "PRODUCT": ("A named device, accessory or software product with its brand and model words",
                "`갤럭시 S25 울트라`, `아이폰 16 프로`, `에어팟 프로`"),
    "CONTRACT": ("A contract identifier of the form KR-YYYY-NNN", "`KR-2026-001`, `kr-2026-0042`"),
}
SET_DESCRIPTIONS = {
    "test": "synthetic test split (held out from the generated corpus)",
    "real_dev": "hand-labelled realistic dev set (utterances written like real calls; never trained on)",
    "dev": "synthetic dev split",
}
INTENDED_USE = [
    "Finding telephone numbers, amounts of money, product names and contract IDs in Korean "
    "call-center text: speech-to-text transcripts of calls and agent notes.",
    "Pre-filling forms, routing, analytics and search over transcripts, and as one signal in "
    "masking personal data, with a person or a rule checking the result.",
    "A starting point to fine-tune on your own labelled calls: the realistic dev set shows how "
    "far synthetic training gets.",
]
STATIC_LIMITS = [
    "**Trained on synthetic data.** The training utterances are generated from templates "
    "(and, if the mix says so, by an LLM). Real calls have more disfluency, transcription errors "
    "and phrasings no template covers; expect scores nearer the realistic dev set than the "
    "synthetic test split, and lower still on calls unlike it.",
    "**Korean only.** Other languages, and long code-switched passages, are out of scope.",
    "**Text only.** It reads transcripts; it does not transcribe audio, and it inherits every "
    "error of the speech-to-text system in front of it.",
    "**Spoken-digit phone numbers are found by the model alone.** The regex post-processor only "
    "fixes written numbers (`010-1234-5678`) and contract IDs; `공일공 일이삼사 오육칠팔` has "
    "no rule behind it and is the least reliable PHONE form.",
    "**Boundaries around particles and modifiers.** Korean particles glue onto entities "
    "(`14만 원을`, `010-1234-5678로`); the tokenizer rules split a closed list of them, and "
    "the model can still swallow or cut one. See the boundary errors above.",
    "**Closed definitions.** CONTRACT is only the `KR-YYYY-NNN` format; PRODUCT excludes rate "
    "plans, services and generic nouns (`휴대폰`); partial numbers (`뒷자리 5678`), card and "
    "account numbers are not PHONE. Other ID formats need new patterns or training data.",
    "**Not a compliance tool.** Missed entities are certain at some rate; do not rely on it "
    "alone to remove personal data.",
    "**Small realistic dev set.** Its per-label scores rest on a few hundred spans and move by "
    "several points with a handful of errors.",
]
