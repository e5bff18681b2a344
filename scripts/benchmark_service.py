"""The HTTP service under load at concurrency 1, 8 and 32, beside in-process calls.

    python scripts/benchmark_service.py MODEL --texts corpus/real_dev.jsonl --output metrics/service_load.json
"""
import tempfile
from pathlib import Path
from typing import Optional

import srsly
import typer
from wasabi import msg

from spacy_callner.training.benchmark.service_load import run_service_load
from spacy_callner.training.reporting import timed_step
from spacy_callner.training.speed import read_texts


@timed_step("benchmark-service")
def main(
    model: str = typer.Argument(..., help="Pipeline directory or installed package name"),
    texts: Path = typer.Option(..., "--texts", exists=True, dir_okay=False, help="JSONL utterances to send"),
    concurrency: str = typer.Option("1,8,32", help="Concurrent clients per level, comma-separated"),
    requests: int = typer.Option(500, help="Requests per level (one utterance each)"),
    warmup: int = typer.Option(100, help="Requests sent before RSS is first read"),
    endpoint: str = typer.Option("/v1/annotate", help="/v1/annotate or /v1/redact"),
    output: Optional[Path] = typer.Option(None, "--output", help="Write the result as JSON"),
):
    utterances = read_texts(texts)
    levels = [int(value) for value in concurrency.split(",")]
    with tempfile.TemporaryDirectory(prefix="service_load_") as work_dir:
        report = run_service_load(model, utterances, Path(work_dir), concurrencies=levels, n_requests=requests,
                                  warmup_requests=warmup, endpoint=endpoint)
    msg.table([[lv.concurrency, lv.requests, lv.errors, lv.requests_per_s, lv.p50_ms, lv.p95_ms, lv.p99_ms,
                lv.rss_start_mb, lv.rss_end_mb] for lv in report.levels],
              header=["concurrency", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "RSS start MB",
                      "RSS end MB"], divider=True)
    inproc, transport = report.in_process, report.transport
    for thread, figures in inproc.items():
        msg.info(f"in-process doc_to_record(nlp(text)), one at a time on the {thread.replace('_', ' ')}: "
                 f"{figures['calls_per_s']} calls/s, p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms")
    msg.info(f"{transport['requests']} sequential requests: client p50 {transport['http_p50_ms']} ms, "
             f"inside the server p50 {transport['server_p50_ms']} ms; HTTP and JSON add "
             f"{transport['transport_p50_ms']} ms (median)")
    msg.info(f"server RSS after warm-up {report.rss_after_warmup_mb} MB, at the end {report.rss_final_mb} MB "
             f"({100 * report.rss_growth:+.1f} %)")
    errors = sum(level.errors for level in report.levels)
    (msg.good if errors == 0 else msg.fail)(f"{errors} errors")
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        srsly.write_json(output, report.to_json())
        msg.good(f"Wrote {output}")


if __name__ == "__main__":
    typer.run(main)
