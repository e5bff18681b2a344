"""The run report: derived totals and cost, and reading a saved report back."""
import json
from collections import Counter

from spacy_callner.training.llm.report import GenerationReport


def test_unknown_model_cost_is_unknown():
    report = GenerationReport(model="some-new-model", target=1, input_tokens=10)
    assert report.to_json()["estimated_cost_usd"] == "unknown"


def test_saved_report_reads_back(tmp_path):
    report = GenerationReport(
        model="claude-haiku-4-5", target=10, output_path="llm.jsonl", already_in_file=2, accepted=5,
        rejected=Counter({"surface_not_found": 2, "bad_shape": 1}), duplicates=1, requests_sent=3,
        responses=3, input_tokens=3000, output_tokens=900, fixes=Counter({"particle_cut": 4}),
        status="complete", samples={"bad_shape": ["MONEY needs an amount"]},
    )
    path = tmp_path / "report.json"
    report.save(path)
    saved = json.loads(path.read_text(encoding="utf8"))
    assert saved["in_file"] == 7 and saved["rejected"] == 3
    assert GenerationReport.from_json(saved) == report
    assert json.loads(json.dumps(GenerationReport.from_json(saved).to_json())) == saved
