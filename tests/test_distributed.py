"""``spacy_callner.distributed`` on a local Ray cluster (2 CPUs, no dashboard) with real files in and out:
2,000 utterances equal to the local ``annotate`` byte for byte, a worker SIGKILLed mid-job, rejects, a
directory of JSONL and Parquet through the CLI's ``--engine ray``, a dataset in and out, no cluster."""
import json
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from spacy_callner.io import REJECT_REASONS

from .cli.conftest import cli_command, cli_env, cli_pipeline, run_cli  # noqa: F401  (cli_pipeline: a fixture)
from .cli.test_annotate import BAD_LINES

ray = pytest.importorskip("ray")
distributed = pytest.importorskip("spacy_callner.distributed")

N_UTTERANCES = 2000
WORKER_TITLE = b"ray::MapWorker(MapBatches(PipelineWorker))"
"""The process title Ray gives our actors (``/proc/PID/cmdline``)."""


@pytest.fixture(scope="module")
def ray_cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Generated utterances with ids and nested fields, each bad-line kind and blank lines mixed in."""
    from spacy_callner.training.synthetic import generate_examples

    lines, bad = [], list(BAD_LINES.values())
    for n, example in enumerate(generate_examples(N_UTTERANCES, seed=16)):
        record = {"id": f"call-{n}", "text": example["text"], "meta": {"n": n, "tags": ["a", None, 1.5]}}
        lines.append(json.dumps(record, ensure_ascii=False).encode("utf8"))
        if n % 400 == 200:
            lines += [bad[(n // 400) % len(bad)], b""]
    lines += bad
    path = tmp_path_factory.mktemp("distributed") / "calls.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.fixture(scope="module")
def local_run(corpus, cli_pipeline):  # noqa: F811
    """The local ``annotate`` of the corpus: the reference every Ray run must equal."""
    out = corpus.parent / "local.jsonl"
    run_cli("annotate", corpus, out, "--model", cli_pipeline, "--batch-size", 16, "--no-progress")
    summary = json.loads(Path(f"{out}.summary.json").read_text(encoding="utf8"))
    return out.read_bytes().splitlines(), Path(f"{out}.rejects.jsonl").read_bytes().splitlines(), summary


@pytest.fixture(scope="module")
def ray_run(corpus, cli_pipeline, ray_cluster):  # noqa: F811
    out = corpus.parent / "ray_out"
    summary = distributed.annotate_files(str(corpus), str(out), str(cli_pipeline), workers=2, batch_size=16)
    return out, summary


def part_lines(directory: Path) -> list:
    return [line for part in sorted(Path(directory).glob("part-*.jsonl")) for line in part.read_bytes().splitlines()]


def by_line(lines: list) -> list:
    return sorted(lines, key=lambda line: json.loads(line)["line"])


def test_ray_records_equal_local_annotate_byte_for_byte(local_run, ray_run):
    local_out, local_rejects, _ = local_run
    out, _ = ray_run
    ray_out = part_lines(out)
    assert len(ray_out) == len(local_out) == N_UTTERANCES
    assert by_line(ray_out) == local_out
    assert by_line(part_lines(Path(f"{out}.rejects"))) == local_rejects


def test_ray_summary_counts_what_the_local_summary_counts(local_run, ray_run):
    _, local_rejects, local_summary = local_run
    _, summary = ray_run
    report = summary.to_json()
    for key in ("lines_read", "blank_lines", "annotated", "rejected", "rejected_total", "entities", "words"):
        assert report[key] == local_summary[key], key
    assert set(report["rejected"]) == set(BAD_LINES) == set(REJECT_REASONS)
    assert report["words_per_second"] > 0


def working_worker_pids() -> list:
    """Our actors that have loaded the pipeline (while loading, the title ends in ``.__init__``)."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            title = (proc / "cmdline").read_bytes().rstrip(b"\0") if proc.name.isdigit() else b""
        except OSError:
            continue
        if title.startswith(WORKER_TITLE) and not title.endswith(b".__init__"):
            pids.append(int(proc.name))
    return pids


def test_a_worker_killed_mid_job_loses_and_duplicates_nothing(corpus, cli_pipeline,  # noqa: F811
                                                               local_run, ray_cluster):
    local_out, local_rejects, _ = local_run
    out = corpus.parent / "killed_out"
    result = {}

    def job():
        result["summary"] = distributed.annotate_files(str(corpus), str(out), str(cli_pipeline), workers=2,
                                                       batch_size=8)

    thread = threading.Thread(target=job)
    thread.start()
    killed = None
    while thread.is_alive() and killed is None:
        pids = working_worker_pids()
        if pids:
            os.kill(pids[0], signal.SIGKILL)
            killed = pids[0]
        time.sleep(0.1)
    thread.join()
    assert killed is not None, "the job ended before a worker could be killed"
    assert "summary" in result
    ray_out = part_lines(out)
    lines = [json.loads(line)["line"] for line in ray_out]
    assert len(lines) == len(set(lines)) == N_UTTERANCES
    assert by_line(ray_out) == local_out
    assert by_line(part_lines(Path(f"{out}.rejects"))) == local_rejects
    assert result["summary"].annotated == N_UTTERANCES


@pytest.fixture(scope="module")
def mixed_directory(corpus, tmp_path_factory) -> Path:
    """A directory with the corpus's first 40 lines as JSONL and 30 more utterances as Parquet (one null text)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    directory = tmp_path_factory.mktemp("mixed") / "calls"
    directory.mkdir()
    lines = corpus.read_bytes().split(b"\n")
    (directory / "a.jsonl").write_bytes(b"\n".join(lines[:40]) + b"\n")
    rows = [json.loads(line) for line in lines[40:70] if line.startswith(b"{\"id\"")]
    table = pa.table({"id": [row["id"] for row in rows] + ["null-text"],
                      "text": pa.array([row["text"] for row in rows] + [None], pa.string())})
    pq.write_table(table, directory / "b.parquet")
    return directory


def test_cli_ray_engine_reads_a_directory_of_jsonl_and_parquet_into_parquet(mixed_directory, cli_pipeline,  # noqa: F811
                                                                            local_run, ray_cluster):
    import pyarrow.parquet as pq

    local_by_id = {json.loads(line)["id"]: json.loads(line) for line in local_run[0]}
    out = mixed_directory.parent / "out.parquet"
    completed = run_cli("annotate", mixed_directory, out, "--engine", "ray", "--address", ray_cluster,
                        "--model", cli_pipeline, "--workers", 1, "--batch-size", 8)
    assert "annotated" in completed.stdout
    table = pq.read_table(out)
    assert table.column_names == ["source_file", "line", "record"]
    records = {json.loads(row["record"])["id"]: row for row in table.to_pylist()}
    parquet_ids = pq.read_table(mixed_directory / "b.parquet").column("id").to_pylist()
    for number, call_id in enumerate(parquet_ids[:-1], start=1):
        row = records.pop(call_id)
        record = json.loads(row["record"])
        assert (row["source_file"], row["line"]) == ("b.parquet", number)
        assert record == {"source_file": "b.parquet", "id": call_id, "text": local_by_id[call_id]["text"],
                          "line": number, "entities": local_by_id[call_id]["entities"]}
    for row in records.values():
        record = json.loads(row["record"])
        assert row["source_file"] == "a.jsonl"
        assert record == {"source_file": "a.jsonl", **local_by_id[record["id"]]}
    rejects = [json.loads(line) for line in part_lines(Path(f"{out}.rejects"))]
    assert {"source_file": "b.parquet", "line": len(parquet_ids), "reason": "text_not_a_string",
            "message": "'text' is a JSON NoneType, not a string"} in rejects
    summary = json.loads(Path(f"{out}.summary.json").read_text(encoding="utf8"))
    assert summary["engine"] == "ray" and summary["annotated"] == table.num_rows


def test_annotate_dataset_takes_and_returns_ray_datasets(cli_pipeline, ray_cluster):  # noqa: F811
    rows = [{"id": "a", "text": "010-1234-5678로 전화 주세요", "line": 7}, {"id": "b", "text": None, "line": 8}]
    annotated = distributed.annotate_dataset(ray.data.from_items(rows), str(cli_pipeline), batch_size=2).materialize()
    records, rejects = distributed.split_annotated(annotated)
    [record] = [json.loads(row["json"]) for row in records.take_all()]
    assert list(record) == ["id", "text", "line", "entities"] and record["line"] == 7
    assert [json.loads(row["json"]) for row in rejects.take_all()] == [
        {"line": 8, "reason": "text_not_a_string", "message": "'text' is a JSON NoneType, not a string"}]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_no_cluster_at_the_address_is_one_message_and_exit_code_1(corpus, tmp_path):
    address = f"127.0.0.1:{free_port()}"
    completed = subprocess.run(cli_command("annotate", corpus, tmp_path / "out", "--engine", "ray",
                                           "--address", address), env=cli_env(), capture_output=True, text=True,
                               timeout=120)
    assert completed.returncode == 1
    output = completed.stdout + completed.stderr
    assert f"No Ray cluster reachable at '{address}'" in output
    assert "Traceback" not in output
    assert not (tmp_path / "out").exists()
