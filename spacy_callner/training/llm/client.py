"""The Anthropic SDK boundary: credentials, the client, prices, and which errors end a run.

Everything that knows about `anthropic` lives here, so the rest of the package
works on plain replies and can be tested with a stand-in client.
"""
import os
import re
from typing import Dict, Optional, Tuple

import anthropic

DEFAULT_MODEL = "claude-haiku-4-5"
DEFAULT_MAX_RETRIES = 6
DEFAULT_TIMEOUT_S = 120.0
API_KEY_VARIABLES = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")

# Estimated USD per million tokens (input, output), from Anthropic's public
# price list as of 2025-11; check current prices before relying on the total.
PRICES_PER_MTOK: Dict[str, Tuple[float, float]] = {
    "claude-haiku-4-5": (1.0, 5.0),
    "claude-sonnet-4-5": (3.0, 15.0),
    "claude-opus-4-5": (5.0, 25.0),
}
DATED_MODEL_SUFFIX = re.compile(r"-\d{8}$")


class MissingAPIKeyError(RuntimeError):
    """No credentials for the Anthropic API in the environment."""


def has_api_key() -> bool:
    return any(os.environ.get(name) for name in API_KEY_VARIABLES)


def missing_key_message() -> str:
    return (
        "ANTHROPIC_API_KEY is not set, so the LLM generator cannot call the Anthropic API. "
        "Create a key at https://console.anthropic.com/settings/keys and run "
        "`export ANTHROPIC_API_KEY=sk-ant-...` before this command. "
        "The offline corpus (`spacy project run all`) needs no key."
    )


def make_client(*, max_retries: int = DEFAULT_MAX_RETRIES, timeout: float = DEFAULT_TIMEOUT_S) -> anthropic.Anthropic:
    """The SDK client; it retries 429, 5xx, timeouts and connection errors with backoff."""
    return anthropic.Anthropic(max_retries=max_retries, timeout=timeout)


def price_per_mtok(model: str) -> Optional[Tuple[float, float]]:
    """Price of `model`; a dated ID (`claude-haiku-4-5-20251001`) costs as its alias."""
    return PRICES_PER_MTOK.get(model) or PRICES_PER_MTOK.get(DATED_MODEL_SUFFIX.sub("", model))


def estimate_cost(model: str, input_tokens: int, output_tokens: int) -> Optional[float]:
    price = price_per_mtok(model)
    if price is None:
        return None
    return (input_tokens * price[0] + output_tokens * price[1]) / 1_000_000


def is_api_error(error: BaseException) -> bool:
    """Whether `error` comes from the SDK (a request that failed), not from our own code."""
    return isinstance(error, anthropic.AnthropicError)


def fatal_api_error(error: BaseException) -> bool:
    """Errors every later request would repeat: bad key, no permission, unknown model, bad request."""
    if isinstance(error, anthropic.CredentialsError):
        return True
    if isinstance(error, anthropic.APIStatusError):
        return 400 <= error.status_code < 500 and error.status_code not in (408, 409, 429)
    return False


def api_error_message(error: BaseException) -> str:
    status = getattr(error, "status_code", None)
    name = type(error).__name__
    return f"{name} ({status}): {error}" if status else f"{name}: {error}"
