"""Redaction for people: evaluation.md's "Redaction" part of each set and its console table.

Kept apart from `redaction`, which computes `..quality_reports.RedactionScores`; these views
read only the report, so they render the same from evaluation.json.
"""
from typing import List, Optional

from wasabi import msg

from ..quality_reports import LabelRedaction, RedactionOutcome, RedactionScores
from ..reporting import markdown_table, percent

HEADER = ["label", "gold", "recall (redaction threshold)", "residual PII (redaction threshold)",
          "recall (pipeline thresholds)", "residual PII (pipeline thresholds)"]


def _residual(outcome: RedactionOutcome, gold_chars: int) -> str:
    rate = "–" if outcome.residual_rate is None else f"{100 * outcome.residual_rate:.2f}"
    return f"{rate} ({outcome.residual_chars}/{gold_chars} chars)"


def _recall(outcome: RedactionOutcome, n_gold: int) -> str:
    return f"{percent(outcome.recall)} ({outcome.n_covered}/{n_gold})"


def redaction_rows(redaction: RedactionScores) -> List[list]:
    """One row per redacted label and one for all of them: recall and residual PII (%) per setting."""
    def row(name: str, scores: LabelRedaction) -> list:
        return [name, scores.n_gold,
                _recall(scores.redaction_threshold, scores.n_gold),
                _residual(scores.redaction_threshold, scores.gold_chars),
                _recall(scores.pipeline_thresholds, scores.n_gold),
                _residual(scores.pipeline_thresholds, scores.gold_chars)]

    rows = [row(label, scores) for label, scores in redaction.per_label.items()]
    return rows + ([row("*all*", redaction.total)] if len(rows) > 1 else [])


def redaction_markdown(redaction: Optional[RedactionScores]) -> List[str]:
    """A set's "Redaction" part of evaluation.md."""
    out = ["### Redaction", ""]
    if redaction is None:
        return out + ["Not measured: this report was written before redaction was evaluated.", ""]
    candidates = ("doc.ents plus the candidates scoring at least "
                  f"{redaction.threshold:g}" if redaction.candidates
                  else "doc.ents alone (the pipeline keeps no scored candidates)")
    out += [f"`redact()` of {', '.join(redaction.labels)} on the predicted docs: at the redaction threshold it "
            f"replaces {candidates}; at the pipeline's thresholds, doc.ents alone. Recall: gold entities whose "
            "every non-space character is replaced; residual PII: gold non-space characters left visible "
            "(%, tag and hash styles; a mask shows its prefix, last digits and format by design).", "",
            markdown_table(HEADER, redaction_rows(redaction)), ""]
    return out


def print_redaction_summary(redaction: Optional[RedactionScores]) -> None:
    """The console view of a set's redaction recall and residual PII."""
    if redaction is None:
        msg.info("Redaction: not measured")
        return
    msg.table(redaction_rows(redaction), header=HEADER, aligns=("l",) + ("r",) * (len(HEADER) - 1))
