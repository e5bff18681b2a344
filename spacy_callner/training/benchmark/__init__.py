"""ko_callner against the Hugging Face recipe, measured in one run on one machine.

The claim to support is that ko_callner is at least as accurate as the recipe
the project grew from (see `hf_baseline`) and faster. Numbers from different
runs or machines do not support it, so one command trains the baseline on the
same training data and base encoder, scores both systems on the same sets with
the same matching, and times both on the same texts with the same threads.

Accuracy (`accuracy`): exact character-offset matching of (start, end, label),
plus seqeval strict IOB2 over the gold tokens (the view `evaluation` uses, with
spaCy's scorer beside it as a check). A baseline span that does not fall on
token boundaries can only be wrong by character offsets; for the IOB2 view it
is expanded to whole tokens, and the report counts how many there were.

Training time (`training`, `budget`): the assembled model given to the
benchmark was trained earlier, on data and for steps the benchmark does not
control. So, unless told not to, the benchmark also trains ko_callner in this
run with spaCy's own loop, on the same (possibly capped) training set and for
the same number of passes over it as the baseline, assembles it with the regex
post-processor and scores it too: that pair (same data, same budget) is the fair
accuracy comparison, and its training times are the ones compared. Speed, size
and memory are measured on the given model.

Speed and memory (`speed_worker`): each system runs in its own child process,
which reports its peak resident memory. Top-level imports in this package are
light, so the baseline's child never loads spaCy and its memory is its own.

`run` orders the steps, `comparison` puts the numbers side by side, and
`rendering` writes benchmark.json and benchmark.md.
"""
from .accuracy import hf_accuracy, is_over_unknown_annotation, score_char_spans, set_accuracy, spacy_accuracy
from .budget import config_batches_per_pass, scaled_warmup_steps, spacy_max_steps_for_passes
from .comparison import comparisons, metric_rows, targets
from .names import (
    BASELINE, DEFAULT_BATCH_SIZE, DEFAULT_DEV_LIMIT, DEFAULT_N_LATENCY, DEFAULT_TRAIN_EXAMPLES, DEFAULT_WARMUP,
    HF_SYSTEM, KO_CALLNER, SAME_BUDGET, SPACY_SYSTEM, THROUGHPUT_TARGET,
)
from .rendering import METRIC_NAMES, print_report, render_markdown, write_report
from .run import machine_info, run_benchmark
from .settings import BenchmarkSettings
from .speed_worker import dir_size_bytes, measure_speed, measure_speed_in_subprocess, peak_rss_mb, time_batches
from .training import train_same_budget_pipeline, train_spacy_same_budget
from ..speed import time_single_calls

__all__ = [
    "BASELINE", "BenchmarkSettings", "DEFAULT_BATCH_SIZE", "DEFAULT_DEV_LIMIT", "DEFAULT_N_LATENCY",
    "DEFAULT_TRAIN_EXAMPLES", "DEFAULT_WARMUP", "HF_SYSTEM", "KO_CALLNER", "METRIC_NAMES", "SAME_BUDGET",
    "SPACY_SYSTEM", "THROUGHPUT_TARGET", "comparisons", "config_batches_per_pass", "dir_size_bytes",
    "hf_accuracy", "is_over_unknown_annotation", "machine_info", "measure_speed", "measure_speed_in_subprocess",
    "metric_rows", "peak_rss_mb", "print_report", "render_markdown", "run_benchmark", "scaled_warmup_steps",
    "score_char_spans", "set_accuracy", "spacy_accuracy", "spacy_max_steps_for_passes", "targets",
    "time_batches", "time_single_calls", "train_same_budget_pipeline", "train_spacy_same_budget", "write_report",
]
