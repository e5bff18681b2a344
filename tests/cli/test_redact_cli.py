"""``python -m spacy_callner redact`` on real files in a subprocess: redacted texts, a value-free audit,
keyed hashes that join across lines, rejects, and a resume equal to the uninterrupted run."""
import json
from pathlib import Path

from .conftest import run_cli

PHONE, CONTRACT = "010-1234-5678", "KR-2026-0042"
LINES = [
    {"id": "c1", "text": f"제 번호는 {PHONE} 이고요", "agent": "김"},
    {"id": "c2", "text": f"계약번호 {CONTRACT}번 확인해 주세요"},
    {"id": "c3", "text": ""},
    {"id": "c4", "text": f"다시 말씀드리면 {PHONE}로 문자 주세요", "entities": [{"text": PHONE}]},
]


def write_input(tmp_path: Path) -> Path:
    raw = [json.dumps(line, ensure_ascii=False).encode("utf8") for line in LINES]
    raw.insert(2, b"{\"text\": 42}")
    path = tmp_path / "calls.jsonl"
    path.write_bytes(b"\n".join(raw * 5) + b"\n")
    return path


def read_jsonl(path: Path):
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def test_tag_style_hides_the_numbers_and_the_audit_holds_no_value(tmp_path, cli_pipeline):
    source = write_input(tmp_path)
    out = tmp_path / "redacted.jsonl"
    run_cli("redact", source, out, "--model", cli_pipeline, "--style", "tag", "--batch-size", 3, "--no-progress")
    written = read_jsonl(out)
    assert len(written) == 20 and [w["line"] for w in written] == sorted(w["line"] for w in written)
    first = written[0]
    assert list(first) == ["id", "text", "agent", "line"] and first["agent"] == "김"
    assert first["text"] == "제 번호는 [PHONE] 이고요"
    assert all("entities" not in w for w in written)
    raw_text = out.read_text(encoding="utf8")
    assert PHONE not in raw_text and CONTRACT not in raw_text
    audit_bytes = Path(f"{out}.audit.jsonl").read_bytes()
    audit = read_jsonl(Path(f"{out}.audit.jsonl"))
    assert [a["line"] for a in audit] == [w["line"] for w in written]
    for surface in (PHONE, CONTRACT, "01012345678", "1234-5678", "2026-0042"):
        assert surface.encode("utf8") not in audit_bytes
    assert {r["label"] for a in audit for r in a["redactions"]} >= {"PHONE", "CONTRACT"}
    assert all(r["style"] == "tag" for a in audit for r in a["redactions"])
    assert [r["reason"] for r in read_jsonl(Path(f"{out}.rejects.jsonl"))] == ["text_not_a_string"] * 5


def test_hash_tokens_join_the_same_number_and_a_resume_gives_the_same_files(tmp_path, cli_pipeline, monkeypatch):
    source = write_input(tmp_path)
    out = tmp_path / "hashed.jsonl"
    monkeypatch.setenv("CALLNER_TEST_KEY", "a secret key")
    args = ("redact", source, out, "--model", cli_pipeline, "--style", "hash", "--key-env", "CALLNER_TEST_KEY",
            "--batch-size", 3, "--no-progress")
    run_cli(*args)
    texts = [w["text"] for w in read_jsonl(out)]
    phone_tokens = {texts[0].split()[2], texts[3].split()[2][:-1]}
    assert len(phone_tokens) == 1 and phone_tokens.pop().startswith("[PHONE:")
    full_out, full_audit = out.read_bytes(), Path(f"{out}.audit.jsonl").read_bytes()
    full_rejects = Path(f"{out}.rejects.jsonl").read_bytes()
    # as a kill leaves them: the side files written ahead of the output, which stops mid-line
    out.write_bytes(b"".join(full_out.splitlines(keepends=True)[:7]) + full_out[:20])
    Path(f"{out}.audit.jsonl").write_bytes(b"".join(full_audit.splitlines(keepends=True)[:9]) + full_audit[:9])
    Path(f"{out}.rejects.jsonl").write_bytes(full_rejects)
    run_cli(*args, "--resume")
    assert out.read_bytes() == full_out
    assert Path(f"{out}.audit.jsonl").read_bytes() == full_audit
    assert Path(f"{out}.rejects.jsonl").read_bytes() == full_rejects
