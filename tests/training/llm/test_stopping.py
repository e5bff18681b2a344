"""SIGTERM ends a run as Ctrl-C does: no more requests, records kept, the report written, exit non-zero."""
import os
import signal
import subprocess
import sys
import threading

import pytest
import srsly

from spacy_callner.training.llm.output import report_path_for
from spacy_callner.training.llm.stopping import GenerationInterrupted

from ...conftest import REPO_ROOT
from .fakes import FakeAnthropic, good_item, message, utterances
from .local_api import LocalAPIServer, Reply

SLOW_REPLY_S = 600


def blocking_client(first_reply):
    """A fake whose first request answers at once and whose later ones wait until released."""
    started, release = threading.Event(), threading.Event()

    def slow(_call_number):
        started.set()
        release.wait(SLOW_REPLY_S)
        return message(utterances(good_item(99)))

    return FakeAnthropic([first_reply], factory=slow), started, release


def send_sigterm_when(event):
    def send():
        if event.wait(60):
            os.kill(os.getpid(), signal.SIGTERM)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


def test_sigterm_stops_the_run_keeps_its_records_and_restores_the_handler(run_generator, output):
    previous = signal.getsignal(signal.SIGTERM)
    client, started, release = blocking_client(message(utterances(good_item(1), good_item(2), good_item(3))))
    sender = send_sigterm_when(started)
    try:
        with pytest.raises(GenerationInterrupted) as info:
            run_generator(client, 9)
    finally:
        release.set()
        sender.join(10)
    assert info.value.signal_number == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is previous
    assert len(list(srsly.read_jsonl(output))) == 3
    assert len(client.messages.calls) == 2


def test_sigterm_on_the_command_writes_the_report_and_exits_non_zero(tmp_path):
    output = tmp_path / "llm.jsonl"
    with LocalAPIServer(factory=lambda _: Reply(b"{}", delay_s=SLOW_REPLY_S)) as server:
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env.update(ANTHROPIC_API_KEY="sk-ant-test", ANTHROPIC_BASE_URL=server.base_url, HF_HUB_OFFLINE="1")
        command = [sys.executable, str(REPO_ROOT / "scripts" / "generate_llm.py"), str(output), "--n", "3",
                   "--per-request", "3", "--concurrency", "1", "--max-retries", "0", "--no-progress"]
        process = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True)
        try:
            assert server.first_request.wait(120), "the command sent no request"
            process.send_signal(signal.SIGTERM)
            stdout, _ = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 128 + signal.SIGTERM, stdout
    saved = srsly.read_json(report_path_for(output))
    assert saved["status"] == "interrupted" and "signal 15" in saved["stop_message"]
    assert saved["requests_sent"] == 1 and saved["in_file"] == 0
    assert "stopped by signal 15" in stdout
    assert not (tmp_path / "llm.jsonl.lock").exists()
