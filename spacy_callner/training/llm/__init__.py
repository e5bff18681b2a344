"""Grow a realistic labelled corpus with an LLM through the official `anthropic` SDK.

LLMs get character offsets wrong, so the model is asked only for each utterance
and, per entity, its exact surface text and label; offsets are computed here and
every span is checked by the converter's validator. Output records have the
offline generator's shape: `{"text", "entities": [{"start", "end", "label"}], "meta"}`.

One module per concern, in the order a request flows through them:

- `client`: the SDK boundary (API key, client, unusable replies, prices and cost, which errors end a run)
- `prompts`: the label mix, prompt texts and the plan of each request
- `parsing`: a reply → its utterance items
- `search`: linear-time search of a surface in the text (occurrences, spacing, token bounds)
- `annotate`: surfaces → offsets, trimmed and validated (`annotate_utterance`), and the intent checked
  (`annotate_reply_item`)
- `output`: the JSONL file (resume, dedup keys, appending)
- `report`: `GenerationReport`, the counts of one run
- `lock`: `<output>.lock`, one run per output file
- `stopping`: SIGTERM handling and the run's final status
- `generator`: `LLMGenerator`, the run loop, and the `generate-llm` command
- `adversarial_timing`: µs per character of annotating and parsing hostile replies
"""
from .annotate import (
    MISSING_INTENT, SURFACE_NOT_FOUND, UNKNOWN_INTENT, UNLABELLED_ENTITY, Annotation, annotate_reply_item,
    annotate_utterance,
)
from .client import (
    API_KEY_VARIABLES, DEFAULT_MAX_RETRIES, DEFAULT_MODEL, DEFAULT_TIMEOUT_S, MissingAPIKeyError, UnusableReply,
    estimate_cost, has_api_key,
)
from .generator import DEFAULT_CONCURRENCY, DEFAULT_PER_REQUEST, LLMGenerator, generate_llm_corpus
from .lock import OutputLock, OutputLocked, lock_path_for
from .output import dedup_key, report_path_for
from .parsing import MalformedResponse, parse_utterances
from .prompts import PromptBank, RequestPlan, parse_label_mix, plan_request
from .report import GenerationReport
from .stopping import GenerationInterrupted, GenerationStopped

__all__ = [
    "MISSING_INTENT", "SURFACE_NOT_FOUND", "UNKNOWN_INTENT", "UNLABELLED_ENTITY", "Annotation",
    "annotate_reply_item", "annotate_utterance",
    "API_KEY_VARIABLES", "DEFAULT_MAX_RETRIES", "DEFAULT_MODEL", "DEFAULT_TIMEOUT_S", "MissingAPIKeyError",
    "UnusableReply", "estimate_cost", "has_api_key",
    "DEFAULT_CONCURRENCY", "DEFAULT_PER_REQUEST", "LLMGenerator", "generate_llm_corpus",
    "OutputLock", "OutputLocked", "lock_path_for", "GenerationInterrupted", "GenerationStopped",
    "dedup_key", "report_path_for", "MalformedResponse", "parse_utterances",
    "PromptBank", "RequestPlan", "parse_label_mix", "plan_request", "GenerationReport",
]
