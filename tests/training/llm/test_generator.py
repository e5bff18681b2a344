"""The run loop: validated records, replies, API errors, long runs, and the `generate-llm` command."""
import json
import logging
import os
import subprocess
import sys

import anthropic
import httpx2
import pytest
import srsly

from spacy_callner.training.data import read_annotated_jsonl, validate_record
from spacy_callner.training.llm import annotate, client as llm_client, generator as llm_generator
from spacy_callner.training.llm.client import MissingAPIKeyError
from spacy_callner.training.llm.generator import GenerationStopped, generate_llm_corpus
from spacy_callner.training.llm.output import dedup_key, report_path_for

from ...conftest import REPO_ROOT
from .fakes import (
    API_URL, FEW_SHOTS, MODEL, FakeAnthropic, api_error, good_item, message, rate_limit_error, read_records,
    unique_replies, utterances,
)


# ---------------------------------------------------------------- validated records


def test_accepted_records_pass_the_converter(run_generator, korean_nlp):
    client = FakeAnthropic(factory=unique_replies())
    _, report, path = run_generator(client, 9)
    records, validation = read_annotated_jsonl(path, korean_nlp, strict=True)
    assert len(records) == 9 and validation.ok
    meta = read_records(path)[0]["meta"]
    assert meta["model"] == MODEL and meta["message_id"].startswith("msg_") and "scenario" in meta["prompt_style"]


def test_what_the_validator_refuses_is_never_written_and_is_counted_by_reason(run_generator, korean_nlp):
    refused = [
        {"text": "갤럭시탭 샀어요", "entities": [{"text": "갤럭시", "label": "PRODUCT"}]},
        {"text": "갤럭시 S25 샀어요", "entities": [{"text": "갤럭시 S25", "label": "PRODUCT"},
                                                {"text": "S25", "label": "PRODUCT"}]},
        {"text": "홍길동 고객님", "entities": [{"text": "홍길동", "label": "PERSON"}]},
        {"text": "5만을 보냈어요", "entities": [{"text": "5만을", "label": "MONEY"}]},
        {"text": "5만 원 냈어요", "entities": [{"text": "5만 원", "label": 7}]},
        {"text": "   ", "entities": []},
    ]
    client = FakeAnthropic([
        message(utterances(good_item(1), *refused[:3])),
        message(utterances(*refused[3:], good_item(2))),
    ])
    _, report, path = run_generator(client, 2, per_request=4)
    assert dict(report.rejected) == {
        "misaligned": 1, "overlap": 1, "unknown_label": 1, "bad_shape": 1, "bad_type": 1, "empty_text": 1,
    }
    lines = path.read_text(encoding="utf8").splitlines()
    assert len(lines) == report.accepted == 2
    for line in lines:
        record, problems = validate_record(json.loads(line), korean_nlp)
        assert record is not None and problems == []


# ---------------------------------------------------------------- replies


def test_malformed_json_is_counted_logged_and_never_written(run_generator, caplog):
    client = FakeAnthropic([
        message("Sure! {\"utterances\": [{\"text\": \"010-1234-5678로\", \"entities\": [{\"text\": "),
        message(utterances(good_item(1), good_item(2), good_item(3))),
    ])
    with caplog.at_level(logging.WARNING, logger=llm_generator.__name__):
        _, report, path = run_generator(client, 3)
    assert report.malformed_responses == 1
    assert report.accepted == 3 and len(read_records(path)) == 3
    assert "malformed" in caplog.text
    assert report.samples["malformed_response"][0].startswith("invalid JSON")
    assert all("Sure" not in line for line in path.read_text(encoding="utf8").splitlines())


# ---------------------------------------------------------------- API errors


def test_rate_limit_after_retries_is_a_failed_request_and_the_run_goes_on(run_generator):
    client = FakeAnthropic([rate_limit_error(), message(utterances(good_item(1), good_item(2), good_item(3)))])
    _, report, path = run_generator(client, 3)
    assert report.failed_requests == 1 and report.status == "complete"
    assert len(read_records(path)) == 3
    assert "RateLimitError (429)" in report.samples["failed_request"][0]


def test_timeout_after_retries_is_a_failed_request(run_generator):
    timeout = anthropic.APITimeoutError(request=httpx2.Request("POST", API_URL))
    client = FakeAnthropic([timeout, message(utterances(good_item(1)))])
    _, report, _ = run_generator(client, 1)
    assert report.failed_requests == 1 and report.accepted == 1


def test_sdk_retries_a_rate_limit_then_succeeds(run_generator, korean_nlp):
    """The real SDK client, on a mock transport: a 429 is retried with backoff inside the SDK."""
    reply = message(utterances(good_item(1), good_item(2)))
    http_calls = []

    def handler(request):
        http_calls.append(request)
        if len(http_calls) == 1:
            return httpx2.Response(429, headers={"retry-after-ms": "5"}, json={
                "type": "error", "error": {"type": "rate_limit_error", "message": "rate limited"}})
        return httpx2.Response(200, json=reply.model_dump(mode="json", exclude_none=True))

    client = anthropic.Anthropic(
        api_key="sk-ant-test", max_retries=2, http_client=httpx2.Client(transport=httpx2.MockTransport(handler))
    )
    _, report, path = run_generator(client, 2)
    assert len(http_calls) == 2
    assert report.failed_requests == 0 and report.accepted == 2
    sent = json.loads(http_calls[1].content)
    assert sent["model"] == MODEL and "temperature" not in sent and "Do not give character positions" in sent["system"]


@pytest.mark.parametrize("error,expected", [
    (api_error(anthropic.AuthenticationError, 401, "authentication_error", "invalid x-api-key"), "invalid x-api-key"),
    (api_error(anthropic.NotFoundError, 404, "not_found_error", "model: claude-nonexistent"), "model: claude-nonexistent"),
    (api_error(anthropic.PermissionDeniedError, 403, "permission_error", "no access to this model"), "no access"),
    (api_error(anthropic.BadRequestError, 400, "invalid_request_error", "max_tokens: too large"), "max_tokens"),
])
def test_errors_no_retry_can_fix_stop_the_run_at_once(run_generator, error, expected):
    client = FakeAnthropic([error], factory=unique_replies())
    with pytest.raises(GenerationStopped, match=expected) as info:
        run_generator(client, 30)
    assert len(client.messages.calls) == 1
    assert info.value.__cause__ is error


def test_many_failures_in_a_row_stop_the_run(run_generator):
    client = FakeAnthropic(factory=lambda _: rate_limit_error())
    with pytest.raises(GenerationStopped, match="in a row"):
        run_generator(client, 10, max_consecutive_failures=3)
    assert len(client.messages.calls) == 3


def test_request_limit_ends_an_unproductive_run(run_generator):
    client = FakeAnthropic(factory=lambda _: message(utterances({"text": "에어팟 샀어요", "entities": [
        {"text": "갤럭시", "label": "PRODUCT"}]})))
    _, report, _ = run_generator(client, 5, max_requests=4)
    assert report.status == "incomplete" and report.requests_sent == 4
    assert report.rejected[annotate.SURFACE_NOT_FOUND] == 4
    assert "run the command again" in report.stop_message


# ---------------------------------------------------------------- long runs


def test_bounded_concurrency_and_exact_count(run_generator):
    client = FakeAnthropic(factory=unique_replies(per_reply=2), delay=0.02)
    _, report, path = run_generator(client, 20, concurrency=4, per_request=2)
    records = read_records(path)
    assert len(records) == 20 and len({r["text"] for r in records}) == 20
    assert 1 < client.messages.max_active <= 4
    assert report.accepted == 20 and report.in_file == 20


def test_interrupt_then_resume_without_loss_or_duplication(run_generator, output):
    replies = unique_replies(per_reply=3)
    client = FakeAnthropic([replies(1), replies(2), KeyboardInterrupt()])
    with pytest.raises(KeyboardInterrupt):
        run_generator(client, 12)
    before = output.read_text(encoding="utf8")
    assert len(before.splitlines()) == 6
    # a run killed mid-write leaves a line without its newline
    with output.open("a", encoding="utf8") as out:
        out.write('{"text": "이번 달 요금은')

    resumed_client = FakeAnthropic(factory=replies)
    _, report, _ = run_generator(resumed_client, 12)
    records = read_records(output)
    assert output.read_text(encoding="utf8").startswith(before)
    assert len(records) == 12 and len({dedup_key(r["text"]) for r in records}) == 12
    assert report.already_in_file == 6 and report.accepted == 6
    assert report.cut_last_line == '{"text": "이번 달 요금은'
    assert len(resumed_client.messages.calls) == 2
    first_run_indices = {r["meta"]["request_index"] for r in records[:6]}
    assert first_run_indices.isdisjoint(r["meta"]["request_index"] for r in records[6:])

    again = FakeAnthropic()
    _, report, _ = run_generator(again, 12)
    assert report.accepted == 0 and again.messages.calls == [] and len(read_records(output)) == 12


def test_near_duplicates_and_few_shot_copies_are_dropped(run_generator):
    item = good_item(1)
    respaced = dict(item, text=item["text"].replace(" ", "  ").replace("있어요", "있어요!"))
    few_shot_copy = dict(FEW_SHOTS[0], text=FEW_SHOTS[0]["text"] + ".")
    client = FakeAnthropic([
        message(utterances(item, respaced, few_shot_copy)),
        message(utterances(good_item(1), good_item(2), good_item(3))),
    ])
    _, report, path = run_generator(client, 3)
    assert report.duplicates == 3 and report.few_shot_copies == 1
    assert [r["text"] for r in read_records(path)] == [good_item(k)["text"] for k in (1, 2, 3)]


# ---------------------------------------------------------------- command


def test_no_key_gives_one_clear_message_and_touches_no_file(tmp_path, monkeypatch):
    for name in llm_client.API_KEY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    new_output = tmp_path / "new" / "llm.jsonl"
    with pytest.raises(MissingAPIKeyError, match="ANTHROPIC_API_KEY"):
        generate_llm_corpus(new_output, n=10)
    assert not new_output.parent.exists()

    existing = tmp_path / "llm.jsonl"
    existing.write_text('{"text": "partial', encoding="utf8")
    stamp = existing.stat().st_mtime_ns
    with pytest.raises(MissingAPIKeyError):
        generate_llm_corpus(existing, n=10)
    assert existing.read_text(encoding="utf8") == '{"text": "partial' and existing.stat().st_mtime_ns == stamp
    assert not report_path_for(existing).exists()


def test_cli_without_key_exits_non_zero_and_creates_nothing(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in llm_client.API_KEY_VARIABLES}
    output = tmp_path / "corpus" / "llm.jsonl"
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "generate_llm.py"), str(output), "--n", "5"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )
    assert result.returncode == 1
    assert "ANTHROPIC_API_KEY is not set" in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []


def test_report_counts_tokens_and_cost(tmp_path, korean_nlp):
    bad_particle = {"text": "14만 원을 냈어요", "entities": [{"text": "14만 원을", "label": "MONEY"}], "intent": "billing"}
    not_found = {"text": "에어팟 샀어요", "entities": [{"text": "갤럭시 버즈", "label": "PRODUCT"}]}
    partial_phone = {"text": "뒷자리 5678 맞으세요", "entities": [{"text": "5678", "label": "PHONE"}]}
    client = FakeAnthropic([
        message(utterances(good_item(1), bad_particle, not_found), input_tokens=2000, output_tokens=600),
        rate_limit_error(),
        message("not json at all", input_tokens=2000, output_tokens=100),
        message(utterances(good_item(1), partial_phone, good_item(2)), input_tokens=2000, output_tokens=600),
    ])
    output = tmp_path / "llm.jsonl"
    report = generate_llm_corpus(
        output, n=3, model=MODEL, per_request=3, concurrency=1, client=client, nlp=korean_nlp,
        few_shot_pool=FEW_SHOTS, show_progress=False,
    )
    assert report.accepted == 3 and report.status == "complete"
    assert dict(report.rejected) == {annotate.SURFACE_NOT_FOUND: 1, "bad_shape": 1}
    assert report.duplicates == 1 and report.malformed_responses == 1 and report.failed_requests == 1
    assert report.fixes["particle_cut"] == 1
    assert (report.input_tokens, report.output_tokens) == (6000, 1300)
    saved = srsly.read_json(report_path_for(output))
    assert saved["estimated_cost_usd"] == pytest.approx((6000 * 1.0 + 1300 * 5.0) / 1e6)
    assert saved["rejected_by_reason"] == {"surface_not_found": 1, "bad_shape": 1}
    assert saved["accepted"] == 3 and saved["in_file"] == 3


def test_utterances_the_tokenizer_cannot_take_are_rejected_and_the_run_goes_on(tmp_path, korean_nlp):
    surrogate = json.loads('{"text": "5만 원 \\ud83d 냈어요", "entities": [{"text": "5만 원", "label": "MONEY"}]}')
    too_long = {"text": "네 " * (korean_nlp.max_length // 2 + 1), "entities": []}
    surrogate_surface = {"text": "5만 원 냈어요", "entities": [{"text": "5만 원\udc00", "label": "MONEY"}]}
    client = FakeAnthropic([
        message(utterances(surrogate, too_long, surrogate_surface)),
        message(utterances(good_item(1), good_item(2), good_item(3))),
    ])
    output = tmp_path / "llm.jsonl"
    report = generate_llm_corpus(output, n=3, model=MODEL, per_request=3, concurrency=1, client=client,
                                 nlp=korean_nlp, few_shot_pool=FEW_SHOTS, show_progress=False)
    assert report.status == "complete" and report.accepted == 3 and len(read_records(output)) == 3
    assert dict(report.rejected) == {"lone_surrogate": 1, "text_too_long": 1, annotate.SURFACE_NOT_FOUND: 1}
    saved = srsly.read_json(report_path_for(output))
    assert saved["rejected_by_reason"]["lone_surrogate"] == 1
