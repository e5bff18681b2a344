"""Formatting helpers shared by the reports."""
import pytest

from spacy_callner.training.reporting import markdown_table, percent, timed_step


def test_percent():
    assert percent(0.9674) == "96.7"
    assert percent(None) == "–"


def test_markdown_table_escapes_cells():
    table = markdown_table(["a", "b"], [["x|y", "line\nbreak"]])
    assert table.splitlines() == ["| a | b |", "| --- | --- |", "| x\\|y | line break |"]
    assert markdown_table(["a"], []).splitlines() == ["| a |", "| --- |"], "no empty row"


def test_timed_step_reports_even_on_failure(capsys):
    @timed_step("demo")
    def fails(value: int) -> int:
        raise RuntimeError(value)

    with pytest.raises(RuntimeError):
        fails(3)
    assert "demo took" in capsys.readouterr().out
    assert fails.__wrapped__.__name__ == "fails"
