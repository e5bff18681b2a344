"""``python -m spacy_callner annotate`` on real files in a subprocess: every line once, rejects, resume
after a SIGKILL, ``--n-process 2``, plain text, empty input, and the summary."""
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spacy_callner.io import REJECT_REASONS

from .conftest import cli_command, cli_env, run_cli

N_UTTERANCES = 1000
BAD_LINES = {
    "invalid_json": b"{\"text\": \"010-1234-5678\",}",
    "not_an_object": b"[\"010-1234-5678\"]",
    "missing_text": b"{\"utterance\": \"KR-2026-0042\"}",
    "text_not_a_string": b"{\"text\": 1012345678}",
    "bad_encoding": b"{\"text\": \"\xea\xb3\"}",
    "lone_surrogate": b"{\"text\": \"\\udc00\"}",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Generated utterances with ids and extra fields, each bad-line kind and blank lines mixed in."""
    from spacy_callner.training.synthetic import generate_examples

    lines = []
    bad = list(BAD_LINES.values())
    for n, example in enumerate(generate_examples(N_UTTERANCES, seed=14)):
        record = {"id": f"call-{n}", "text": example["text"], "speaker": example["meta"]["speaker"],
                  "meta": {"n": n, "tags": ["a", None, 1.5]}}
        lines.append(json.dumps(record, ensure_ascii=False).encode("utf8"))
        if n % 300 == 150:
            lines.append(bad[(n // 300) % len(bad)])
        if n == 700:
            lines += [b"", b"{\"id\": \"empty\", \"text\": \"\"}"]
    lines += bad
    path = tmp_path_factory.mktemp("annotate") / "calls.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.fixture(scope="module")
def clean_run(corpus, cli_pipeline):
    out = corpus.parent / "clean.jsonl"
    completed = run_cli("annotate", corpus, out, "--model", cli_pipeline, "--batch-size", 8, "--no-progress")
    return out, completed


def read_jsonl(path: Path):
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def test_every_line_is_written_once_with_its_fields_and_entities(corpus, clean_run):
    out, _ = clean_run
    inputs = dict(enumerate(corpus.read_bytes().split(b"\n")[:-1], 1))
    written, rejects = read_jsonl(out), read_jsonl(Path(f"{out}.rejects.jsonl"))
    blank = [n for n, line in inputs.items() if not line.strip()]
    assert sorted([w["line"] for w in written] + [r["line"] for r in rejects] + blank) == list(inputs)
    assert [w["line"] for w in written] == sorted(w["line"] for w in written)
    for line in written:
        source = json.loads(inputs[line["line"]])
        assert list(line) == [*source, "line", "entities"]
        assert {key: line[key] for key in source} == source
        for ent in line["entities"]:
            assert list(ent) == ["label", "text", "start", "end", "score", "value", "value_error", "kb_id"]
            assert line["text"][ent["start"]:ent["end"]] == ent["text"]
    assert [w["entities"] for w in written if w["id"] == "empty"] == [[]]
    assert sum(len(w["entities"]) for w in written) > 0


def test_each_bad_line_kind_is_rejected_reported_and_counted(corpus, clean_run):
    out, completed = clean_run
    rejects = read_jsonl(Path(f"{out}.rejects.jsonl"))
    assert {r["reason"] for r in rejects} == set(BAD_LINES) == set(REJECT_REASONS)
    inputs = corpus.read_bytes().split(b"\n")
    assert all(inputs[r["line"] - 1] == BAD_LINES[r["reason"]] for r in rejects)
    assert all(f"line {r['line']}: {r['reason']}" in completed.stderr for r in rejects)
    summary = json.loads(Path(f"{out}.summary.json").read_text(encoding="utf8"))
    written = read_jsonl(out)
    by_reason = {reason: sum(r["reason"] == reason for r in rejects) for reason in BAD_LINES}
    assert summary["rejected"] == by_reason and summary["rejected_total"] == len(rejects)
    assert (summary["lines_read"], summary["blank_lines"]) == (len(inputs) - 1, 1)
    assert summary["annotated"] == len(written) == N_UTTERANCES + 1
    labels = [ent["label"] for w in written for ent in w["entities"]]
    assert summary["entities"] == {label: labels.count(label) for label in set(labels)}
    assert summary["words"] > 0 and summary["words_per_second"] > 0
    assert "words/s" in completed.stdout


def test_resume_after_sigkill_equals_the_uninterrupted_run(corpus, clean_run, cli_pipeline):
    clean_out, _ = clean_run
    out = corpus.parent / "killed.jsonl"
    process = subprocess.Popen(cli_command("annotate", corpus, out, "--model", cli_pipeline, "--batch-size", 8),
                               env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while process.poll() is None and time.monotonic() < deadline:
            if out.exists() and out.read_bytes().count(b"\n") >= 16:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the run ended before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert 0 < out.read_bytes().count(b"\n") < N_UTTERANCES
    completed = run_cli("annotate", corpus, out, "--model", cli_pipeline, "--batch-size", 8, "--resume",
                        "--no-progress")
    assert out.read_bytes() == clean_out.read_bytes()
    assert Path(f"{out}.rejects.jsonl").read_bytes() == Path(f"{clean_out}.rejects.jsonl").read_bytes()
    summary = json.loads(Path(f"{out}.summary.json").read_text(encoding="utf8"))
    assert summary["resumed_after_line"] > 0 and "resumed after line" in completed.stdout


def test_two_processes_write_the_same_bytes_as_one(corpus, clean_run, cli_pipeline):
    clean_out, _ = clean_run
    out = corpus.parent / "two.jsonl"
    run_cli("annotate", corpus, out, "--model", cli_pipeline, "--batch-size", 8, "--n-process", 2, "--no-progress")
    assert out.read_bytes() == clean_out.read_bytes()
    assert Path(f"{out}.rejects.jsonl").read_bytes() == Path(f"{clean_out}.rejects.jsonl").read_bytes()


def test_plain_text_one_utterance_a_line(tmp_path, cli_pipeline):
    source = tmp_path / "calls.txt"
    source.write_bytes("제 번호는 010-1234-5678 이고요\n\n계약번호 KR-2026-0042번이요\r\n{\"text\": \"a\"}\n".encode("utf8"))
    out = tmp_path / "calls.jsonl"
    completed = run_cli("annotate", source, out, "--model", cli_pipeline, "--text-field", "utterance")
    written = read_jsonl(out)
    assert [(w["line"], w["utterance"]) for w in written] == [
        (1, "제 번호는 010-1234-5678 이고요"), (2, ""), (3, "계약번호 KR-2026-0042번이요"), (4, "{\"text\": \"a\"}")]
    assert all(list(w) == ["utterance", "line", "entities"] for w in written)
    assert written[1]["entities"] == []
    assert ("PHONE", "010-1234-5678") in {(e["label"], e["text"]) for e in written[0]["entities"]}
    assert "line/s" in completed.stderr


def test_an_empty_input_through_the_console_script(tmp_path, cli_pipeline):
    source = tmp_path / "empty.jsonl"
    source.write_bytes(b"")
    out = tmp_path / "empty_out.jsonl"
    script = Path(sys.executable).parent / "ko-callner"
    completed = subprocess.run([str(script), "annotate", str(source), str(out), "--model", str(cli_pipeline),
                                "--rejects", str(tmp_path / "bad.jsonl")],
                               env=cli_env(), capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert out.read_bytes() == (tmp_path / "bad.jsonl").read_bytes() == b""
    summary = json.loads(Path(f"{out}.summary.json").read_text(encoding="utf8"))
    assert (summary["lines_read"], summary["annotated"], summary["rejected_total"]) == (0, 0, 0)
