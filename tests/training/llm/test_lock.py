"""One run per output file: a second concurrent run is refused, a lock left by a dead process is taken over."""
import logging
import os
import subprocess
import sys
import threading

import pytest

from spacy_callner.training.llm import lock as llm_lock
from spacy_callner.training.llm.lock import OutputLock, OutputLocked, lock_path_for
from spacy_callner.training.llm.output import dedup_key, report_path_for

from ...conftest import REPO_ROOT
from .fakes import FakeAnthropic, good_item, message, read_records, unique_replies, utterances


def test_a_second_run_on_the_same_file_is_refused_while_the_first_runs(make_generator, output):
    started, release = threading.Event(), threading.Event()
    replies = unique_replies()

    def held_reply(call_number):
        started.set()
        release.wait(60)
        return replies(call_number)

    first = make_generator(FakeAnthropic(factory=held_reply))
    first_run = threading.Thread(target=first.run, args=(output, 6))
    first_run.start()
    try:
        assert started.wait(60)
        second_client = FakeAnthropic(factory=unique_replies())
        with pytest.raises(OutputLocked, match="being written by another generate-llm run") as info:
            make_generator(second_client).run(output, 6)
    finally:
        release.set()
        first_run.join(60)
    assert f"pid {os.getpid()}" in str(info.value) and str(lock_path_for(output)) in str(info.value)
    assert second_client.messages.calls == []
    records = read_records(output)
    assert len(records) == 6 and len({dedup_key(r["text"]) for r in records}) == 6
    assert first.report.status == "complete"
    assert not lock_path_for(output).exists()


def test_the_command_refuses_a_locked_file_and_leaves_the_other_runs_report(tmp_path):
    output = tmp_path / "llm.jsonl"
    report_path_for(output).write_text('{"status": "running"}\n', encoding="utf8")
    env = {**os.environ, "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": "http://127.0.0.1:9"}
    script = REPO_ROOT / "scripts" / "generate_llm.py"
    with OutputLock(output):
        result = subprocess.run([sys.executable, str(script), str(output), "--n", "3", "--no-progress"],
                                capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    printed = " ".join((result.stdout + result.stderr).split())  # wasabi wraps long lines
    assert f"being written by another generate-llm run (pid {os.getpid()}" in printed
    assert report_path_for(output).read_text(encoding="utf8") == '{"status": "running"}\n'
    assert not output.exists()


def test_a_lock_left_by_a_dead_process_is_taken_over_with_a_warning(run_generator, output, caplog):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    output.parent.mkdir(parents=True)
    lock_path_for(output).write_text(f"{dead_pid}\n", encoding="ascii")
    client = FakeAnthropic([message(utterances(good_item(1), good_item(2), good_item(3)))])
    with caplog.at_level(logging.WARNING, logger=llm_lock.__name__):
        _, report, _ = run_generator(client, 3)
    assert report.status == "complete" and len(read_records(output)) == 3
    assert f"left by pid {dead_pid} (no longer running)" in caplog.text
    assert not lock_path_for(output).exists()


def test_the_lock_file_names_its_holder_and_goes_when_released(tmp_path):
    output = tmp_path / "llm.jsonl"
    with OutputLock(output) as held:
        assert held.path.read_text(encoding="ascii") == f"{os.getpid()}\n"
        with pytest.raises(OutputLocked):
            OutputLock(output).acquire()
    assert not lock_path_for(output).exists()
    with OutputLock(output):
        pass
