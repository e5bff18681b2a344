"""The SDK boundary: prices and cost, and which API errors end a run."""
import anthropic
import httpx2
import pytest

from spacy_callner.training.llm import client

from .fakes import API_URL, api_error, rate_limit_error


def test_cost_estimate_by_model():
    assert client.estimate_cost("claude-haiku-4-5", 1_000_000, 1_000_000) == pytest.approx(6.0)
    assert client.estimate_cost("claude-sonnet-4-5-20250929", 1_000_000, 0) == pytest.approx(3.0)
    assert client.estimate_cost("some-new-model", 10, 10) is None


@pytest.mark.parametrize("error,fatal", [
    (api_error(anthropic.AuthenticationError, 401, "authentication_error", "invalid x-api-key"), True),
    (api_error(anthropic.BadRequestError, 400, "invalid_request_error", "max_tokens: too large"), True),
    (rate_limit_error(), False),
    (anthropic.APITimeoutError(request=httpx2.Request("POST", API_URL)), False),
])
def test_errors_no_retry_can_fix_are_fatal(error, fatal):
    assert client.fatal_api_error(error) is fatal
    assert client.is_api_error(error)
    assert not client.is_api_error(ValueError("ours"))
