"""The Anthropic SDK boundary: credentials, the client, prices, and which errors end a run.

Everything that knows about `anthropic` lives here, so the rest of the package
works on plain replies and can be tested with a stand-in client.
"""
import json
import os
import re
from typing import Any, Dict, Optional, Tuple

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


REPLY_EXCERPT_CHARS = 120


class MissingAPIKeyError(RuntimeError):
    """No credentials for the Anthropic API in the environment."""


class UnusableReply(Exception):
    """The API (or a proxy in front of it) answered with success but not with a message.

    The SDK hands such bodies through as they are: an HTML error page sent as
    `text/html` comes back as a `str`, one sent as `application/json` raises
    `json.JSONDecodeError`, a JSON `null` comes back as None, and a message
    whose `"content"` is null comes back with `content=None`. Each is a failed
    request, counted like one whose retries ran out.
    """


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


def create_message(client: Any, **request: Any) -> Any:
    """`client.messages.create(**request)`, raising UnusableReply for a success that holds no message."""
    try:
        reply = client.messages.create(**request)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise UnusableReply(f"the reply body is not JSON ({err})") from err
    return checked_message(reply)


def checked_message(reply: Any) -> Any:
    """`reply` when it is a message with a list of content blocks; UnusableReply otherwise."""
    if isinstance(reply, bytes):
        reply = reply.decode("utf8", errors="replace")
    if isinstance(reply, str):
        excerpt = " ".join(reply[:REPLY_EXCERPT_CHARS * 4].split())[:REPLY_EXCERPT_CHARS]
        raise UnusableReply(f"the reply is not JSON: {excerpt!r}")
    content = getattr(reply, "content", None)
    if not isinstance(content, (list, tuple)):
        raise UnusableReply(f"the reply holds no message content (got {type(reply).__name__} with content {content!r})")
    return reply


def price_per_mtok(model: str) -> Optional[Tuple[float, float]]:
    """Price of `model`; a dated ID (`claude-haiku-4-5-20251001`) costs as its alias."""
    return PRICES_PER_MTOK.get(model) or PRICES_PER_MTOK.get(DATED_MODEL_SUFFIX.sub("", model))


def estimate_cost(model: str, input_tokens: int, output_tokens: int) -> Optional[float]:
    price = price_per_mtok(model)
    if price is None:
        return None
    return (input_tokens * price[0] + output_tokens * price[1]) / 1_000_000


def is_api_error(error: BaseException) -> bool:
    """Whether `error` is a request that failed (an SDK error or an unusable reply), not a bug of ours."""
    return isinstance(error, (anthropic.AnthropicError, UnusableReply))


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
