"""``annotate`` on a Ray cluster: Ray Data reads the files, an actor pool runs the pipeline, a sink writes.

A contact center's day of calls outgrows one machine, and users should not need a job
system of ours: Ray Data schedules the work, keeps one loaded pipeline per actor (GPUs per
actor when asked), re-runs the batches of an actor that died, and reads and writes local
disks and object stores. What a line becomes is not decided here: each actor parses the
raw lines with ``io.InputReader.parse`` (the local rules and reject reasons) and runs them
through ``bulk.annotate_stream`` with ``bulk.annotation_line``, so a record is the local
``annotate``'s record, byte for byte.

Three steps, each usable alone by people who already have a Ray pipeline:

* ``read_lines(input)``: a dataset of numbered raw lines (columns ``source_file``,
  ``line``, ``format``, ``raw``). A JSONL or text file is split on newlines with 1-based
  physical line numbers, as locally; a Parquet row is its 1-based row number in its
  file, its columns as a JSON object. ``source_file`` (the path under the input
  directory) is set for directory inputs only; one file reads like the local path.
* ``annotate_dataset(ds, model)``: one dataset of results (``annotated_schema()``): ``kind``
  is ``record``, ``reject`` or ``blank``, ``json`` the output or reject line as the local
  command writes it. Any other dataset (rows with a text column) is taken as JSON objects,
  its ``line`` column (if any) as the line number. ``split_annotated`` gives the records
  and the rejects as two datasets.
* ``annotate_files(input, output, model)``: both, then one streaming write of the
  records (JSONL or Parquet partitions) and the rejects (JSONL partitions) beside them,
  and a ``BulkSummary`` of the run.

``ray`` is an optional extra: it is imported when a function here runs.
"""
import json
import os
import socket
import time
import warnings
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

from .bulk import Annotated, BulkSummary, annotate_stream, annotation_line
from .io import INPUT_FORMATS, LINE_KEY, InputReader, Reject, json_line

RECORD, REJECT, BLANK = "record", "reject", "blank"
SOURCE_KEY = "source_file"
"""The key naming an output or reject line's file under an input directory (set for directory inputs only)."""
LINES_COLUMNS = (SOURCE_KEY, LINE_KEY, "format", "raw")
"""The columns of ``read_lines``' dataset: what a worker parses."""
PARQUET = "parquet"
OUTPUT_FORMATS = ("jsonl", PARQUET)
IO_CPUS = 0
"""CPUs reserved by the read and write tasks: light next to the pipeline, and with every CPU given to a
worker (2 workers on 2 cores) they would otherwise wait for ever."""
LINES_BLOCK_BYTES = 16 * 1024
"""Blocks of raw lines this small (a few dozen utterances) spread one file's lines over the workers (Ray
bundles them up to ``batch_size`` rows per call); a repartition step instead would be a task that wants a
CPU of its own and waits for ever when the workers hold them all."""
ROWS_PER_PART = 20_000
"""Rows a write task gathers (``Datasink.min_rows_per_write``): output files of this size, not one per block."""
MAX_ACTOR_RESTARTS = 4
MAX_TASK_RETRIES = 4
"""A killed worker is restarted and its lost batches re-run up to these counts; a batch that kills every
worker it meets (out of memory, say) fails the job instead of looping."""
PROBE_TIMEOUT_S = 5.0
INSTALL_HINT = "Ray is not installed: pip install spacy-callner[ray]"


class NoClusterError(RuntimeError):
    """No Ray cluster at the address given."""


def import_ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as err:
        raise ImportError(INSTALL_HINT) from err
    return ray


def connect(address: Optional[str] = None, **init_args: Any) -> None:
    """Join the cluster at ``address`` (``auto``, ``HOST:PORT``, ``ray://...``); None starts a local one.

    Already connected: nothing to do. Nothing there: ``NoClusterError`` with one sentence.
    """
    ray = import_ray()
    if ray.is_initialized():
        return
    if address is None:
        init_args.setdefault("include_dashboard", False)
    elif address != "auto":
        probe(address)
    try:
        ray.init(address=address, log_to_driver=False, **init_args)
    except (ConnectionError, TimeoutError, RuntimeError) as err:
        if address is None:
            raise
        raise NoClusterError(f"No Ray cluster reachable at {address!r}: start one with `ray start --head` "
                             f"or pass the address of a running cluster ({type(err).__name__})") from err


def probe(address: str, timeout_s: float = PROBE_TIMEOUT_S) -> None:
    """``NoClusterError`` unless something listens at ``HOST:PORT`` (``ray://`` too): ``ray.init``
    itself retries an address where nothing listens for minutes before it gives up."""
    host_port = address.split("://", 1)[-1].rstrip("/")
    host, _, port = host_port.rpartition(":")
    if not host or not port.isdigit():
        raise NoClusterError(f"Ray address {address!r} is not auto, HOST:PORT or ray://HOST:PORT")
    try:
        socket.create_connection((host, int(port)), timeout=timeout_s).close()
    except OSError as err:
        raise NoClusterError(f"No Ray cluster reachable at {address!r}: nothing answers there "
                             f"({err.strerror or err}); start one with `ray start --head` "
                             "or pass the address of a running cluster") from err


def annotated_schema():
    """The rows ``annotate_dataset`` returns (see the module doc)."""
    import pyarrow as pa

    return pa.schema([("kind", pa.string()), (SOURCE_KEY, pa.string()), (LINE_KEY, pa.int64()),
                      ("json", pa.string()), ("reason", pa.string()), ("words", pa.int64()),
                      ("labels", pa.list_(pa.string()))])


def file_format(path: str, input_format: Optional[str]) -> str:
    """``parquet`` for a ``.parquet`` file, else ``io.input_format_for`` (text for ``.txt``, JSONL otherwise)."""
    from .io import input_format_for

    if input_format == PARQUET or (input_format is None and path.lower().endswith(".parquet")):
        return PARQUET
    return input_format_for(Path(path), input_format)


def split_file(row: Dict[str, Any], *, base: Optional[str], input_format: Optional[str]) -> Iterator[Dict[str, Any]]:
    """The numbered raw lines of one file read by ``read_binary_files`` (``path``, ``bytes``)."""
    path = row["path"]
    source = os.path.relpath(path, base) if base is not None else None
    fmt = file_format(path, input_format)
    if fmt == PARQUET:
        import io as stdio

        import pyarrow.parquet as pq

        for number, obj in enumerate(pq.read_table(stdio.BytesIO(row["bytes"])).to_pylist(), start=1):
            yield {SOURCE_KEY: source, LINE_KEY: number, "format": "jsonl", "raw": row_json(obj)}
        return
    for number, raw in enumerate(physical_lines(row["bytes"]), start=1):
        yield {SOURCE_KEY: source, LINE_KEY: number, "format": fmt, "raw": raw}


def physical_lines(data: bytes) -> List[bytes]:
    """The lines a binary file iterates over: split after each ``\\n`` only (a lone ``\\r`` stays inside)."""
    lines = [line + b"\n" for line in data.split(b"\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def row_json(obj: Dict[str, Any]) -> bytes:
    """A table row as the JSON object line the local reader would parse (dates, decimals, bytes as text)."""
    return json.dumps(obj, ensure_ascii=False, default=str).encode("utf8", "surrogatepass")


def read_lines(input_path: str, input_format: Optional[str] = None):
    """The numbered raw lines of a JSONL/text/Parquet file or of a directory of them (see the module doc)."""
    ray = import_ray()
    import pyarrow.fs

    if input_format not in (None, PARQUET, *INPUT_FORMATS):
        raise ValueError(f"input format {input_format!r} is not one of {(PARQUET, *INPUT_FORMATS)}")
    filesystem, stripped = pyarrow.fs.FileSystem.from_uri(str(input_path)) if "://" in str(input_path) else (
        pyarrow.fs.LocalFileSystem(), os.path.abspath(input_path))
    is_dir = filesystem.get_file_info(stripped).type == pyarrow.fs.FileType.Directory
    context = ray.data.DataContext.get_current()
    default_block_size, context.target_max_block_size = context.target_max_block_size, LINES_BLOCK_BYTES
    try:  # a dataset keeps the context it was made in
        files = ray.data.read_binary_files(str(input_path), include_paths=True, filesystem=filesystem,
                                           num_cpus=IO_CPUS)
        return files.flat_map(split_file, num_cpus=IO_CPUS,
                              fn_kwargs={"base": stripped if is_dir else None, "input_format": input_format})
    finally:
        context.target_max_block_size = default_block_size


def rows_as_lines(batch) -> Dict[str, List[Any]]:
    """A batch of any rows (one a JSON object each) as raw lines; a row's int ``line`` is its number."""
    rows = batch.to_pylist()
    lines = [row.get(LINE_KEY) if isinstance(row.get(LINE_KEY), int) else None for row in rows]
    return {SOURCE_KEY: [None] * len(rows), LINE_KEY: lines, "format": ["jsonl"] * len(rows),
            "raw": [row_json(row) for row in rows]}


class PipelineWorker:
    """One Ray actor: loads the pipeline once, then turns batches of raw lines into ``annotated_schema`` rows."""

    def __init__(self, model: str, text_field: str, use_gpu: bool, pipe_batch_size: int):
        from .cli.streaming import load_pipeline

        self.nlp = load_pipeline(model, 0 if use_gpu else -1)
        self.readers = {fmt: InputReader(Path(os.devnull), fmt, text_field) for fmt in INPUT_FORMATS}
        self.pipe_batch_size = pipe_batch_size

    def __call__(self, batch) -> Any:
        import pyarrow as pa

        out, parsed = [], []
        for row in batch.to_pylist():
            item = self.readers[row["format"]].parse(row[LINE_KEY], row["raw"])
            if item is None:
                out.append(result_row(BLANK, row[SOURCE_KEY], row[LINE_KEY], None))
            else:
                parsed.append((row[SOURCE_KEY], item))
        stream = annotate_stream(self.nlp, (item for _, item in parsed), annotation_line,
                                 batch_size=self.pipe_batch_size)
        out += [annotated_row(result, source) for (source, _), result in zip(parsed, stream)]
        return pa.Table.from_pylist(out, schema=annotated_schema())


def result_row(kind: str, source: Optional[str], line: Optional[int], obj: Optional[Dict[str, Any]],
               **counts: Any) -> Dict[str, Any]:
    """One ``annotated_schema`` row; ``json`` is ``obj`` as the local command writes it, ``source_file`` first."""
    if obj is not None and source is not None:
        obj = {SOURCE_KEY: source, **{key: value for key, value in obj.items() if key != SOURCE_KEY}}
    text = json_line(obj)[:-1].decode("utf8") if obj is not None else None
    return {"kind": kind, SOURCE_KEY: source, LINE_KEY: line, "json": text, "reason": None, "words": 0,
            "labels": [], **counts}


def annotated_row(item: Union[Annotated, Reject], source: Optional[str]) -> Dict[str, Any]:
    """A record's or a reject's row; words and labels counted by ``BulkSummary``'s own rules."""
    if isinstance(item, Reject):
        return result_row(REJECT, source, item.line, item.to_json(), reason=item.reason)
    counted = BulkSummary("", "", "")
    counted.count_doc(item.doc)
    labels = [label for label, count in counted.entities.items() for _ in range(count)]
    return result_row(RECORD, source, item.record.line, item.output, words=counted.words, labels=labels)


def annotate_dataset(ds, model: str, *, text_field: str = "text", workers: int = 1, gpus_per_worker: float = 0.0,
                     cpus_per_worker: float = 1.0, batch_size: int = 64):
    """``ds`` annotated by ``workers`` actors, each with the pipeline loaded once (see the module doc).

    ``ds`` is ``read_lines``' dataset, or any dataset whose rows are JSON objects with ``text_field``
    (a worker takes whole blocks: blocks of about ``batch_size`` rows spread the work over the workers).
    A worker that dies is restarted and its batches re-run (``MAX_ACTOR_RESTARTS``, ``MAX_TASK_RETRIES``).
    """
    import_ray()
    schema = ds.schema(fetch_if_missing=False) or ds.schema()
    if set(LINES_COLUMNS) - set(schema.names if schema is not None else ()):
        ds = ds.map_batches(rows_as_lines, batch_format="pyarrow", num_cpus=IO_CPUS)
    return annotate_lines(ds, model, text_field=text_field, workers=workers, gpus_per_worker=gpus_per_worker,
                          cpus_per_worker=cpus_per_worker, batch_size=batch_size)


def annotate_lines(lines, model: str, *, text_field: str, workers: int, gpus_per_worker: float,
                   cpus_per_worker: float, batch_size: int):
    """``annotate_dataset`` of a dataset known to be ``read_lines``' (no schema look-up)."""
    ray = import_ray()
    from ray.util.annotations import RayDeprecationWarning

    with warnings.catch_warnings():
        # Ray 2.60 deprecates extra remote args but names no parameter for the restart counts
        warnings.simplefilter("ignore", RayDeprecationWarning)
        return lines.map_batches(
            PipelineWorker, fn_constructor_args=(model, text_field, gpus_per_worker > 0, batch_size),
            batch_size=batch_size, batch_format="pyarrow", compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=cpus_per_worker, num_gpus=gpus_per_worker or None,
            max_restarts=MAX_ACTOR_RESTARTS, max_task_retries=MAX_TASK_RETRIES,
        )


def split_annotated(annotated) -> Tuple[Any, Any]:
    """The records and the rejects of ``annotate_dataset``'s result, two datasets (``source_file``, ``line``,
    ``json``). Each is computed from ``annotated``: materialize it first to annotate once."""
    columns = [SOURCE_KEY, LINE_KEY, "json"]
    return tuple(annotated.filter(expr=f"kind == '{kind}'").select_columns(columns) for kind in (RECORD, REJECT))


def write_part(filesystem, directory: str, name: str, lines: List[str]) -> None:
    with filesystem.open_output_stream(f"{directory}/{name}") as stream:
        stream.write("".join(line + "\n" for line in lines).encode("utf8"))


def write_parquet_part(filesystem, directory: str, name: str, rows: List[Dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({SOURCE_KEY: pa.array([row[SOURCE_KEY] for row in rows], pa.string()),
                      LINE_KEY: pa.array([row[LINE_KEY] for row in rows], pa.int64()),
                      "record": pa.array([row["json"] for row in rows], pa.string())})
    pq.write_table(table, f"{directory}/{name}", filesystem=filesystem)


def count_rows(rows: List[Dict[str, Any]]) -> Dict[str, Any]:
    """What a write task saw, in ``BulkSummary``'s terms, for the driver to add up."""
    counts: Dict[str, Any] = {"lines_read": len(rows), "blank_lines": 0, "annotated": 0, "words": 0,
                              "rejected": {}, "entities": {}}
    for row in rows:
        if row["kind"] == BLANK:
            counts["blank_lines"] += 1
        elif row["kind"] == REJECT:
            counts["rejected"][row["reason"]] = counts["rejected"].get(row["reason"], 0) + 1
        else:
            counts["annotated"] += 1
            counts["words"] += row["words"]
            for label in row["labels"]:
                counts["entities"][label] = counts["entities"].get(label, 0) + 1
    return counts


def add_counts(summary: BulkSummary, counts: Dict[str, Any]) -> None:
    for key in ("lines_read", "blank_lines", "annotated", "words"):
        setattr(summary, key, getattr(summary, key) + counts[key])
    for key in ("rejected", "entities"):
        for name, count in counts[key].items():
            getattr(summary, key)[name] = getattr(summary, key).get(name, 0) + count


_SINK_CLASS = None


def annotated_sink(out: str, rejects: str, output_format: str, summary: BulkSummary):
    """A Ray ``Datasink`` writing each write task's records and rejects as ``part-NNNNN`` files.

    A file is named by its task's index, so a re-run task rewrites its own file and leaves
    no duplicate; the tasks' counts are added to ``summary`` on the driver.
    """
    global _SINK_CLASS
    if _SINK_CLASS is None:
        from ray.data import Datasink
        from ray.data.block import BlockAccessor

        class AnnotatedSink(Datasink):
            def __init__(self, out: str, rejects: str, output_format: str, summary: BulkSummary):
                self.out, self.rejects, self.output_format, self.summary = out, rejects, output_format, summary

            @property
            def min_rows_per_write(self) -> int:
                return ROWS_PER_PART

            def write(self, blocks, ctx) -> Dict[str, Any]:
                rows = [row for block in blocks for row in BlockAccessor.for_block(block).to_arrow().to_pylist()]
                records = [row for row in rows if row["kind"] == RECORD]
                rejected = [row["json"] for row in rows if row["kind"] == REJECT]
                (out_fs, out_dir), (rejects_fs, rejects_dir) = filesystem_of(self.out), filesystem_of(self.rejects)
                part = f"part-{ctx.task_idx:05d}"
                if records and self.output_format == PARQUET:
                    write_parquet_part(out_fs, out_dir, f"{part}.parquet", records)
                elif records:
                    write_part(out_fs, out_dir, f"{part}.jsonl", [row["json"] for row in records])
                if rejected:
                    write_part(rejects_fs, rejects_dir, f"{part}.jsonl", rejected)
                return count_rows(rows)

            def on_write_complete(self, write_result) -> None:
                for counts in write_result.write_returns:
                    add_counts(self.summary, counts)

        _SINK_CLASS = AnnotatedSink
    return _SINK_CLASS(out, rejects, output_format, summary)


def filesystem_of(path: str):
    """pyarrow's file system for a local path or a URI (``s3://``, ``gs://``...) and the path inside it."""
    import pyarrow.fs

    if "://" in str(path):
        return pyarrow.fs.FileSystem.from_uri(str(path))
    return pyarrow.fs.LocalFileSystem(), os.path.abspath(path)


def prepare_output_dir(path: str) -> None:
    """Create an output directory; one that already holds files is refused (old parts would mix in)."""
    import pyarrow.fs

    filesystem, inner = filesystem_of(path)
    info = filesystem.get_file_info(inner)
    if info.type == pyarrow.fs.FileType.File:
        raise FileExistsError(f"{path} is a file; the Ray engine writes a directory of partitions")
    if info.type == pyarrow.fs.FileType.Directory and filesystem.get_file_info(
            pyarrow.fs.FileSelector(inner, recursive=False)):
        raise FileExistsError(f"{path} already holds files: remove it or pick another output directory")
    filesystem.create_dir(inner, recursive=True)


def default_rejects_path(output: str) -> str:
    return str(output).rstrip("/") + ".rejects"


def annotate_files(input_path: str, output: str, model: str, *, rejects: Optional[str] = None,
                   input_format: Optional[str] = None, output_format: str = "jsonl", text_field: str = "text",
                   workers: int = 1, gpus_per_worker: float = 0.0, cpus_per_worker: float = 1.0,
                   batch_size: int = 64, address: Optional[str] = None) -> BulkSummary:
    """Annotate a file or directory into ``output``'s partitions, rejects into ``rejects`` (default
    ``OUTPUT.rejects``); joins the cluster at ``address`` first (``connect``)."""
    if output_format not in OUTPUT_FORMATS:
        raise ValueError(f"output format {output_format!r} is not one of {OUTPUT_FORMATS}")
    rejects = rejects or default_rejects_path(output)
    connect(address)
    for directory in (output, rejects):
        prepare_output_dir(directory)
    summary = BulkSummary(str(input_path), str(output), str(rejects))
    start = time.perf_counter()
    annotated = annotate_lines(read_lines(input_path, input_format), model, text_field=text_field,
                               workers=workers, gpus_per_worker=gpus_per_worker, cpus_per_worker=cpus_per_worker,
                               batch_size=batch_size)
    annotated.write_datasink(annotated_sink(str(output), str(rejects), output_format, summary),
                             ray_remote_args={"num_cpus": IO_CPUS})
    summary.seconds = time.perf_counter() - start
    return summary
