"""What one generation run did: written, rejected by reason, duplicates, failures, tokens, cost.

The report is a dataclass the generator fills while it runs; `to_json` is the
`<output>.report.json` file, `from_json` reads it back, `print` is the console
summary.
"""
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

from wasabi import msg

from .client import estimate_cost, price_per_mtok

SAMPLES_PER_REASON = 5
CUT_LINE_SHOWN_CHARS = 36


@dataclass
class GenerationReport:
    """Counts of one run: what was written, rejected and why, and what it cost."""

    model: str
    target: int
    output_path: str = ""
    already_in_file: int = 0
    cut_last_line: str = ""
    accepted: int = 0
    rejected: Counter = field(default_factory=Counter)
    duplicates: int = 0
    few_shot_copies: int = 0
    surplus: int = 0
    malformed_responses: int = 0
    salvaged_responses: int = 0
    failed_requests: int = 0
    requests_sent: int = 0
    responses: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    fixes: Counter = field(default_factory=Counter)
    status: str = "running"
    stop_message: str = ""
    samples: Dict[str, List[str]] = field(default_factory=dict)

    @property
    def in_file(self) -> int:
        return self.already_in_file + self.accepted

    @property
    def cost_usd(self) -> Optional[float]:
        return estimate_cost(self.model, self.input_tokens, self.output_tokens)

    def add_sample(self, kind: str, text: str) -> None:
        bucket = self.samples.setdefault(kind, [])
        if len(bucket) < SAMPLES_PER_REASON:
            bucket.append(text)

    def to_json(self) -> Dict[str, Any]:
        cost = self.cost_usd
        return {
            "model": self.model,
            "output": self.output_path,
            "status": self.status,
            "stop_message": self.stop_message,
            "target": self.target,
            "in_file": self.in_file,
            "already_in_file": self.already_in_file,
            "cut_last_line": self.cut_last_line,
            "accepted": self.accepted,
            "rejected": sum(self.rejected.values()),
            "rejected_by_reason": dict(self.rejected.most_common()),
            "duplicates": self.duplicates,
            "few_shot_copies": self.few_shot_copies,
            "surplus": self.surplus,
            "malformed_responses": self.malformed_responses,
            "salvaged_responses": self.salvaged_responses,
            "failed_requests": self.failed_requests,
            "requests_sent": self.requests_sent,
            "responses": self.responses,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "estimated_cost_usd": round(cost, 4) if cost is not None else "unknown",
            "price_per_mtok_usd": price_per_mtok(self.model),
            "fixes": dict(self.fixes.most_common()),
            "samples": self.samples,
        }

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "GenerationReport":
        """The report `to_json` wrote; derived fields (totals, cost) are recomputed."""
        counts = (
            "already_in_file", "accepted", "duplicates", "few_shot_copies", "surplus", "malformed_responses",
            "salvaged_responses", "failed_requests", "requests_sent", "responses", "input_tokens", "output_tokens",
        )
        return cls(
            model=data["model"],
            target=data["target"],
            output_path=data.get("output", ""),
            rejected=Counter(data.get("rejected_by_reason", {})),
            fixes=Counter(data.get("fixes", {})),
            status=data.get("status", "running"),
            stop_message=data.get("stop_message", ""),
            cut_last_line=data.get("cut_last_line", ""),
            samples={kind: list(texts) for kind, texts in data.get("samples", {}).items()},
            **{name: data.get(name, 0) for name in counts},
        )

    def save(self, path: Path) -> None:
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"
        # a sample may quote a reply's lone surrogate; it is written escaped rather than failing the save
        Path(path).write_text(text, encoding="utf8", errors="backslashreplace")

    def print(self) -> None:
        msg.divider(f"LLM generation: {self.status}")
        cost = self.cost_usd
        rows = [
            ("model", self.model),
            ("records in file / target", f"{self.in_file} / {self.target}"),
            ("accepted this run", self.accepted),
            ("rejected", sum(self.rejected.values())),
        ]
        rows += [(f"  {reason}", count) for reason, count in self.rejected.most_common()]
        rows += [
            ("duplicates (incl. few-shot copies)", f"{self.duplicates} ({self.few_shot_copies})"),
            ("surplus past the target", self.surplus),
            ("malformed responses", self.malformed_responses),
            ("failed requests", self.failed_requests),
            ("requests sent / answered", f"{self.requests_sent} / {self.responses}"),
            ("input / output tokens", f"{self.input_tokens:,} / {self.output_tokens:,}"),
            ("estimated cost (USD)", f"{cost:.4f}" if cost is not None else "unknown (no price for this model)"),
        ]
        if self.cut_last_line:
            rows.append(("cut incomplete last line", repr(self.cut_last_line[:CUT_LINE_SHOWN_CHARS])))
        if self.fixes:
            rows.append(("spans fixed", ", ".join(f"{kind} {n}" for kind, n in self.fixes.most_common())))
        msg.table(rows, widths=(34, 40))
        if self.stop_message:
            msg.warn(self.stop_message)
