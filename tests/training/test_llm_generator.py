"""LLM corpus generator: surfaces → offsets, validation, robustness of long runs.

No network: a fake client stands in at the SDK boundary (`client.messages.create`),
returning real `anthropic.types.Message` objects and raising the SDK's own
exception classes, built on `httpx2` requests and responses as the SDK builds them.
"""
import itertools
import json
import logging
import os
import re
import subprocess
import sys
import threading
import time

import anthropic
import httpx2
import pytest
import srsly
from anthropic.types import Message, TextBlock, Usage

from spacy_callner.training.data import read_annotated_jsonl
from spacy_callner.training import llm_generator as llm
from spacy_callner.training.llm_generator import (
    GenerationStopped, LLMGenerator, MissingAPIKeyError, annotate_utterance, dedup_key,
    generate_llm_corpus, parse_label_mix, parse_utterances, report_path_for,
)

from ..conftest import REPO_ROOT

MODEL = "claude-haiku-4-5"
API_URL = "https://api.anthropic.com/v1/messages"
FEW_SHOTS = [
    {"text": "번호 010-2222-3333으로 변경해 주세요", "entities": [{"text": "010-2222-3333", "label": "PHONE"}]},
    {"text": "네 잠시만 기다려 주세요", "entities": []},
    {"text": "갤럭시 S24 할부금이 3만 원이에요", "entities": [
        {"text": "갤럭시 S24", "label": "PRODUCT"}, {"text": "3만 원", "label": "MONEY"}]},
]
_message_ids = itertools.count(1)


def message(payload, *, input_tokens=1000, output_tokens=400, stop_reason="end_turn", model=MODEL) -> Message:
    """A Messages API reply as the SDK returns it."""
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return Message(
        id=f"msg_{next(_message_ids):04d}", type="message", role="assistant", model=model,
        content=[TextBlock(type="text", text=text)], stop_reason=stop_reason,
        usage=Usage(input_tokens=input_tokens, output_tokens=output_tokens),
    )


def api_error(error_class, status: int, error_type: str, text: str):
    """An SDK status error, built the way the SDK builds it from an HTTP response."""
    body = {"type": "error", "error": {"type": error_type, "message": text}}
    response = httpx2.Response(status, request=httpx2.Request("POST", API_URL), json=body)
    return error_class(text, response=response, body=body)


def rate_limit_error():
    return api_error(anthropic.RateLimitError, 429, "rate_limit_error", "Number of request tokens has exceeded your rate limit")


def utterances(*items):
    return {"utterances": list(items)}


def good_item(k: int):
    """A correct utterance, unique per k."""
    return {
        "text": f"이번 달 요금은 {k}만 원이고 연락처는 010-{k:04d}-5678로 등록돼 있어요",
        "entities": [{"text": f"{k}만 원", "label": "MONEY"}, {"text": f"010-{k:04d}-5678", "label": "PHONE"}],
    }


class FakeMessages:
    """`client.messages`: replays a script of replies and errors, then a reply factory."""

    def __init__(self, script=(), factory=None, delay=0.0):
        self.script = list(script)
        self.factory = factory
        self.delay = delay
        self.calls = []
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()

    def create(self, **kwargs):
        with self._lock:
            self.calls.append(kwargs)
            number = len(self.calls)
            step = self.script.pop(0) if self.script else None
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            time.sleep(self.delay)
            if step is None:
                if self.factory is None:
                    raise AssertionError("fake client called more often than scripted")
                step = self.factory(number)
            if isinstance(step, BaseException):
                raise step
            return step
        finally:
            with self._lock:
                self.active -= 1


class FakeAnthropic:
    def __init__(self, script=(), factory=None, delay=0.0):
        self.messages = FakeMessages(script, factory, delay)


def unique_replies(per_reply: int = 3):
    """A factory of replies whose utterances never repeat."""
    counter = itertools.count(1)

    def reply(_call_number):
        return message(utterances(*(good_item(next(counter)) for _ in range(per_reply))))

    return reply


@pytest.fixture
def output(tmp_path):
    return tmp_path / "llm" / "llm.jsonl"


@pytest.fixture
def run_generator(korean_nlp, output):
    """Run an LLMGenerator with a fake client on `output`; returns (generator, report, path)."""
    def run(client, n, *, concurrency=1, per_request=3, **kwargs):
        generator = LLMGenerator(
            model=MODEL, client=client, per_request=per_request, concurrency=concurrency,
            nlp=korean_nlp, few_shot_pool=FEW_SHOTS, show_progress=False, **kwargs,
        )
        return generator, generator.run(output, n), output

    return run


def read_records(path):
    return list(srsly.read_jsonl(path))


def surfaces(record):
    return [(record["text"][e["start"]:e["end"]], e["label"]) for e in record["entities"]]


# ---------------------------------------------------------------- surfaces → offsets


def test_wrong_offsets_from_the_model_are_ignored_and_recomputed(korean_nlp):
    item = {
        "text": "고객님 갤럭시 S25 울트라 할부금은 5만 원입니다",
        "entities": [
            {"text": "갤럭시 S25 울트라", "label": "PRODUCT", "start": 0, "end": 7},
            {"text": "5만 원", "label": "MONEY", "start": 30, "end": 34},
        ],
    }
    annotation = annotate_utterance(item, korean_nlp)
    assert annotation.reason is None
    assert surfaces(annotation.record) == [("갤럭시 S25 울트라", "PRODUCT"), ("5만 원", "MONEY")]
    assert annotation.record["entities"][0] == {"start": 4, "end": 15, "label": "PRODUCT"}


@pytest.mark.parametrize("surface,expected", [
    ("5만원", "5만 원"),  # spacing differs from the text
    ("  5만 원. ", "5만 원"),  # whitespace and punctuation at the edges
    ("약 5만 원 정도", "5만 원"),  # modifiers stay outside MONEY
])
def test_surface_variants_are_found(korean_nlp, surface, expected):
    annotation = annotate_utterance(
        {"text": "요금이 약 5만 원 정도 나왔어요", "entities": [{"text": surface, "label": "MONEY"}]}, korean_nlp
    )
    assert annotation.reason is None
    assert surfaces(annotation.record) == [(expected, "MONEY")]


def test_surface_not_found_rejects_the_utterance(korean_nlp):
    annotation = annotate_utterance(
        {"text": "에어팟 프로 샀어요", "entities": [{"text": "갤럭시 버즈3", "label": "PRODUCT"}]}, korean_nlp
    )
    assert annotation.record is None
    assert annotation.reason == llm.SURFACE_NOT_FOUND
    assert "갤럭시 버즈3" in annotation.detail


def test_repeated_surfaces_map_to_successive_occurrences(korean_nlp):
    text = "5만 원 먼저 내시고 다음 달에 5만 원 더 내시면 돼요"
    annotation = annotate_utterance(
        {"text": text, "entities": [{"text": "5만 원", "label": "MONEY"}, {"text": "5만 원", "label": "MONEY"}]},
        korean_nlp,
    )
    assert annotation.reason is None
    starts = [e["start"] for e in annotation.record["entities"]]
    assert starts == [0, text.index("5만 원", 1)]


def test_nested_surface_finds_its_own_occurrence(korean_nlp):
    text = "아이폰 16 프로로 바꾸면 아이폰 케이스도 새로 사야 하나요"
    annotation = annotate_utterance(
        {"text": text, "entities": [{"text": "아이폰", "label": "PRODUCT"}, {"text": "아이폰 16 프로로", "label": "PRODUCT"}]},
        korean_nlp,
    )
    assert annotation.reason is None
    assert surfaces(annotation.record) == [("아이폰 16 프로", "PRODUCT"), ("아이폰", "PRODUCT")]
    assert annotation.record["entities"][1]["start"] == text.index("아이폰 케이스")


def test_repeat_listed_once_is_rejected_not_half_labelled(korean_nlp):
    annotation = annotate_utterance(
        {"text": "5만 원 먼저 내시고 다음 달에 5만 원 더 내시면 돼요", "entities": [{"text": "5만 원", "label": "MONEY"}]},
        korean_nlp,
    )
    assert annotation.reason == llm.UNLABELLED_ENTITY


def test_unlabelled_phone_is_rejected(korean_nlp):
    annotation = annotate_utterance({"text": "번호는 010-1234-5678로 해주세요", "entities": []}, korean_nlp)
    assert annotation.reason == llm.UNLABELLED_ENTITY


@pytest.mark.parametrize("text,surface,label,kept", [
    ("14만 원을 이번 달에 냈어요", "14만 원을", "MONEY", "14만 원"),
    ("계약번호 KR-2026-001번이요", "KR-2026-001번이요", "CONTRACT", "KR-2026-001"),
    ("010-1234-5678로 문자 주세요", "010-1234-5678로", "PHONE", "010-1234-5678"),
    ("갤럭시 S25를 예약했는데요", "갤럭시 S25를", "PRODUCT", "갤럭시 S25"),
    ("갤럭시 S25도요", "갤럭시 S25도요", "PRODUCT", "갤럭시 S25"),
    ("아이폰 16 프로로 바꿀게요", "아이폰 16 프로로", "PRODUCT", "아이폰 16 프로"),
    ("닌텐도요 닌텐도 스위치", "닌텐도요", "PRODUCT", "닌텐도"),
    ("공일공 일이삼사 오육칠팔이요", "공일공 일이삼사 오육칠팔이요", "PHONE", "공일공 일이삼사 오육칠팔"),
    ("갤럭시 S25 블루 256기가로 주세요", "갤럭시 S25 블루 256기가", "PRODUCT", "갤럭시 S25"),
    ("아이폰 16 프로 내추럴 티타늄으로요", "아이폰 16 프로 내추럴 티타늄", "PRODUCT", "아이폰 16 프로"),
    ("갤럭시 링을 샀어요", "갤럭시 링을", "PRODUCT", "갤럭시 링"),
])
def test_particle_inside_a_surface_is_cut(korean_nlp, text, surface, label, kept):
    entities = [{"text": surface, "label": label}]
    if text.startswith("닌텐도요"):
        entities.append({"text": "닌텐도 스위치", "label": "PRODUCT"})
    annotation = annotate_utterance({"text": text, "entities": entities}, korean_nlp)
    assert annotation.reason is None, annotation.detail
    assert surfaces(annotation.record)[0] == (kept, label)


def test_product_words_that_end_like_a_particle_stay_whole(korean_nlp):
    annotation = annotate_utterance(
        {"text": "에어팟 프로 샀어요", "entities": [{"text": "에어팟 프로", "label": "PRODUCT"}]}, korean_nlp
    )
    assert surfaces(annotation.record) == [("에어팟 프로", "PRODUCT")]


@pytest.mark.parametrize("item,reason", [
    # cutting the particle leaves no valid MONEY (no currency word)
    ({"text": "5만을 보냈어요", "entities": [{"text": "5만을", "label": "MONEY"}]}, "bad_shape"),
    ({"text": "뒷자리 5678 맞으세요", "entities": [{"text": "5678", "label": "PHONE"}]}, "bad_shape"),
    ({"text": "요금이 3개월째 그대로예요", "entities": [{"text": "3개월", "label": "MONEY"}]}, "bad_shape"),
    ({"text": "주문번호 ORD-2026-001 확인", "entities": [{"text": "ORD-2026-001", "label": "CONTRACT"}]}, "bad_shape"),
    ({"text": "홍길동 고객님", "entities": [{"text": "홍길동", "label": "PERSON"}]}, "unknown_label"),
    ({"text": "갤럭시탭 샀어요", "entities": [{"text": "갤럭시", "label": "PRODUCT"}]}, "misaligned"),
    ({"text": "갤럭시 S25 샀어요", "entities": [{"text": "갤럭시 S25", "label": "PRODUCT"},
                                             {"text": "S25", "label": "PRODUCT"}]}, "overlap"),
    ({"text": "텍스트만"}, "missing_field"),
    ({"text": "5만 원", "entities": [{"label": "MONEY"}]}, "missing_field"),
    ({"text": "   ", "entities": []}, "empty_text"),
])
def test_invalid_utterances_are_rejected_with_a_reason(korean_nlp, item, reason):
    annotation = annotate_utterance(item, korean_nlp)
    assert annotation.record is None
    assert annotation.reason == reason


def test_accepted_records_pass_the_converter(run_generator, korean_nlp):
    client = FakeAnthropic(factory=unique_replies())
    _, report, path = run_generator(client, 9)
    records, validation = read_annotated_jsonl(path, korean_nlp, strict=True)
    assert len(records) == 9 and validation.ok
    meta = read_records(path)[0]["meta"]
    assert meta["model"] == MODEL and meta["message_id"].startswith("msg_") and "scenario" in meta["prompt_style"]


# ---------------------------------------------------------------- replies


def test_reply_parsing_strips_code_fences_and_prose():
    items, salvaged = parse_utterances('Here you go:\n```json\n{"utterances": [{"text": "네", "entities": []}]}\n```')
    assert items == [{"text": "네", "entities": []}] and not salvaged


def test_cut_off_reply_keeps_its_complete_items():
    items, salvaged = parse_utterances('{"utterances": [{"text": "네", "entities": []}, {"text": "안녕하')
    assert items == [{"text": "네", "entities": []}] and salvaged


@pytest.mark.parametrize("reply", ["I cannot help with that.", '{"utterances": [{"text": ', '{"items": []}', "[1, 2]"])
def test_malformed_replies_raise(reply):
    with pytest.raises(llm.MalformedResponse):
        parse_utterances(reply)


def test_malformed_json_is_counted_logged_and_never_written(run_generator, caplog):
    client = FakeAnthropic([
        message("Sure! {\"utterances\": [{\"text\": \"010-1234-5678로\", \"entities\": [{\"text\": "),
        message(utterances(good_item(1), good_item(2), good_item(3))),
    ])
    with caplog.at_level(logging.WARNING, logger=llm.__name__):
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
    assert report.rejected[llm.SURFACE_NOT_FOUND] == 4
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
    assert len(resumed_client.messages.calls) == 2
    first_run_indices = {r["meta"]["request_index"] for r in records[:6]}
    assert first_run_indices.isdisjoint(r["meta"]["request_index"] for r in records[6:])

    again = FakeAnthropic()
    _, report, _ = run_generator(again, 12)
    assert report.accepted == 0 and again.messages.calls == [] and len(read_records(output)) == 12


def test_near_duplicates_and_few_shot_copies_are_dropped(run_generator):
    item = good_item(1)
    respaced = {"text": item["text"].replace(" ", "  ").replace("있어요", "있어요!"), "entities": item["entities"]}
    few_shot_copy = {"text": FEW_SHOTS[0]["text"] + ".", "entities": FEW_SHOTS[0]["entities"]}
    client = FakeAnthropic([
        message(utterances(item, respaced, few_shot_copy)),
        message(utterances(good_item(1), good_item(2), good_item(3))),
    ])
    _, report, path = run_generator(client, 3)
    assert report.duplicates == 3 and report.few_shot_copies == 1
    assert [r["text"] for r in read_records(path)] == [good_item(k)["text"] for k in (1, 2, 3)]


# ---------------------------------------------------------------- command


def test_no_key_gives_one_clear_message_and_touches_no_file(tmp_path, monkeypatch):
    for name in llm.API_KEY_VARIABLES:
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
    env = {k: v for k, v in os.environ.items() if k not in llm.API_KEY_VARIABLES}
    output = tmp_path / "corpus" / "llm.jsonl"
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "generate_llm.py"), str(output), "--n", "5"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )
    assert result.returncode == 1
    assert "ANTHROPIC_API_KEY is not set" in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []


def test_report_counts_tokens_and_cost(tmp_path, korean_nlp):
    bad_particle = {"text": "14만 원을 냈어요", "entities": [{"text": "14만 원을", "label": "MONEY"}]}
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
    assert dict(report.rejected) == {llm.SURFACE_NOT_FOUND: 1, "bad_shape": 1}
    assert report.duplicates == 1 and report.malformed_responses == 1 and report.failed_requests == 1
    assert report.fixes["particle_cut"] == 1
    assert (report.input_tokens, report.output_tokens) == (6000, 1300)
    saved = srsly.read_json(report_path_for(output))
    assert saved["estimated_cost_usd"] == pytest.approx((6000 * 1.0 + 1300 * 5.0) / 1e6)
    assert saved["rejected_by_reason"] == {"surface_not_found": 1, "bad_shape": 1}
    assert saved["accepted"] == 3 and saved["in_file"] == 3


def test_cost_estimate_by_model():
    assert llm.estimate_cost("claude-haiku-4-5", 1_000_000, 1_000_000) == pytest.approx(6.0)
    assert llm.estimate_cost("claude-sonnet-4-5-20250929", 1_000_000, 0) == pytest.approx(3.0)
    assert llm.estimate_cost("some-new-model", 10, 10) is None
    report = llm.GenerationReport(model="some-new-model", target=1, input_tokens=10)
    assert report.to_json()["estimated_cost_usd"] == "unknown"


# ---------------------------------------------------------------- prompts


def test_label_mix_parsing():
    assert parse_label_mix("PHONE,money") == {"PHONE": 1.0, "MONEY": 1.0}
    assert parse_label_mix("PHONE=1,PRODUCT=2") == {"PHONE": 1.0, "PRODUCT": 2.0}
    assert set(parse_label_mix("")) == {"PHONE", "MONEY", "PRODUCT", "CONTRACT"}
    for bad in ("PERSON", "PHONE=x", "PHONE=-1", "PHONE=0"):
        with pytest.raises(ValueError):
            parse_label_mix(bad)


def test_prompts_vary_across_requests_and_follow_the_label_mix():
    bank = llm.PromptBank.load()
    pool = [{"text": f"예시 문장 {i}", "entities": []} for i in range(40)]
    plans = [
        llm.plan_request(i, seed=0, n_utterances=10, label_weights={"PRODUCT": 1.0, "MONEY": 1.0},
                         few_shot_pool=pool, bank=bank)
        for i in range(8)
    ]
    assert len({p.prompt for p in plans}) == 8
    assert len({p.style["register"] for p in plans}) > 1 and len({p.style["scenario"] for p in plans}) > 1
    for plan in plans:
        assert not re.search(r"\$[a-z_]+", plan.prompt)
        assert "mention a PHONE" not in plan.prompt and "mention a CONTRACT" not in plan.prompt
    again = llm.plan_request(3, seed=0, n_utterances=10, label_weights={"PRODUCT": 1.0, "MONEY": 1.0},
                             few_shot_pool=pool, bank=bank)
    assert again.prompt == plans[3].prompt
    assert "Do not give character positions" in bank.system


def test_few_shot_examples_come_from_the_offline_generator():
    pool = llm.load_few_shot_pool(30, seed=0)
    assert len(pool) == 30
    for example in pool:
        assert set(example) == {"text", "entities"}
        for entity in example["entities"]:
            assert entity["text"] in example["text"] and "start" not in entity
