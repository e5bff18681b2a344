"""The streaming engine of the bulk commands: numbered input lines through ``nlp.pipe`` to JSONL files.

``annotate_stream`` is generic over what a processed line becomes (``make_output(doc,
record)``), so ``annotate`` and ``redact`` share it; ``run_bulk`` drives it from an input
file to the output file and its line-keyed side files (rejects, a redaction audit).

Memory stays constant: the input is read lazily, ``nlp.pipe`` holds a few batches, and
each doc is dropped once its lines are written. A reject travels through ``nlp.pipe`` as
an empty text with the reject as its context, so everything comes out in input order,
also with ``n_process`` > 1 (``nlp.pipe`` keeps order). Files are flushed every
``batch_size`` lines, so a kill loses at most the batch in flight; ``resume`` truncates
what that batch left and goes on after the output's last line, which makes the final
files equal to an uninterrupted run's, byte for byte.
"""
import dataclasses
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any, Callable, Dict, Iterable, Iterator, List, Optional, Union

from spacy.language import Language
from spacy.tokens import Doc
from tqdm import tqdm

from .io import LINE_KEY, InputReader, InputRecord, Reject, count_lines, json_line, last_line_number
from .io import truncate_after_line
from .records import INTENT_KEY, doc_to_record

ENTITIES_KEY = "entities"
OUT = "out"
REJECTS = "rejects"
STDERR_REJECTS = 20
"""Rejects told on stderr one by one; after that only the rejects file and the summary have them."""


@dataclasses.dataclass(frozen=True)
class Annotated:
    """One input line after the pipeline: its record, its doc and what ``make_output`` made of them."""

    record: InputRecord
    doc: Doc
    output: Any


def annotate_stream(
    nlp: Language,
    items: Iterable[Union[InputRecord, Reject]],
    make_output: Callable[[Doc, InputRecord], Any],
    *,
    batch_size: int = 64,
    n_process: int = 1,
) -> Iterator[Union[Annotated, Reject]]:
    """Each record annotated (``Annotated``) and each reject passed on, in input order."""
    pairs = ((item.text, item) if isinstance(item, InputRecord) else ("", item) for item in items)
    for doc, item in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process):
        if isinstance(item, Reject):
            yield item
        else:
            yield Annotated(item, doc, make_output(doc, item))


def annotation_line(doc: Doc, record: InputRecord) -> Dict[str, Any]:
    """The input's fields unchanged, then ``"line"``, the ``doc_to_record`` entities and, from a
    pipeline that classifies the call intent, its ``"intent"``.

    ``"line"`` and ``"entities"`` are ours: an input field of either name (a file annotated
    before) is replaced, and comes last like in any other line. An input ``"intent"`` is
    replaced only when the pipeline predicts one; a NER-only pipeline passes it through.
    """
    annotated = doc_to_record(doc)
    ours = {LINE_KEY: record.line, ENTITIES_KEY: annotated[ENTITIES_KEY]}
    if INTENT_KEY in annotated:
        ours[INTENT_KEY] = annotated[INTENT_KEY]
    fields = {key: value for key, value in record.fields.items() if key not in ours}
    return {**fields, **ours}


@dataclasses.dataclass
class BulkFiles:
    """Where a bulk run reads and writes; ``side_paths`` are extra line-keyed outputs by name (``audit``)."""

    input_path: Path
    out_path: Path
    rejects_path: Path
    side_paths: Dict[str, Path] = dataclasses.field(default_factory=dict)

    def outputs(self) -> Dict[str, Path]:
        return {OUT: Path(self.out_path), REJECTS: Path(self.rejects_path), **self.side_paths}


@dataclasses.dataclass
class StreamSettings:
    input_format: str = "jsonl"
    text_field: str = "text"
    batch_size: int = 64
    n_process: int = 1
    resume: bool = False
    progress: bool = True


@dataclasses.dataclass
class BulkSummary:
    """What one run did; counts are of this run (after ``resumed_after_line`` when resuming)."""

    input: str
    output: str
    rejects: str
    resumed_after_line: int = 0
    lines_read: int = 0
    blank_lines: int = 0
    annotated: int = 0
    rejected: Dict[str, int] = dataclasses.field(default_factory=dict)
    entities: Dict[str, int] = dataclasses.field(default_factory=dict)
    words: int = 0
    seconds: float = 0.0

    @property
    def words_per_second(self) -> Optional[float]:
        return self.words / self.seconds if self.seconds > 0 else None

    def count_doc(self, doc: Doc) -> None:
        self.annotated += 1
        self.words += sum(1 for token in doc if not token.is_space)
        for ent in doc.ents:
            self.entities[ent.label_] = self.entities.get(ent.label_, 0) + 1

    def count_reject(self, reject: Reject) -> None:
        self.rejected[reject.reason] = self.rejected.get(reject.reason, 0) + 1

    def to_json(self) -> Dict[str, Any]:
        data = dataclasses.asdict(self)
        data["rejected_total"] = sum(self.rejected.values())
        data["words_per_second"] = self.words_per_second
        return data


def resume_point(files: BulkFiles) -> int:
    """The input line to go on after: the output's last line; side files cut back to it."""
    after = last_line_number(files.out_path)
    for name, path in files.outputs().items():
        if name != OUT:
            truncate_after_line(path, after)
    return after


def run_bulk(
    nlp: Language,
    files: BulkFiles,
    settings: StreamSettings,
    make_lines: Callable[[Doc, InputRecord], Dict[str, Dict[str, Any]]],
) -> BulkSummary:
    """Annotate ``files.input_path`` into the output files; ``make_lines`` gives each line's
    line per output name (``{"out": ...}``, plus ``"audit"`` etc. for side files)."""
    after = resume_point(files) if settings.resume else 0
    reader = InputReader(Path(files.input_path), settings.input_format, settings.text_field, after_line=after)
    summary = BulkSummary(str(files.input_path), str(files.out_path), str(files.rejects_path), resumed_after_line=after)
    total = max(0, count_lines(files.input_path) - after)
    mode = "ab" if settings.resume else "wb"
    with ExitStack() as stack:
        batch = BatchWriter({name: stack.enter_context(path.open(mode)) for name, path in files.outputs().items()})
        bar = stack.enter_context(tqdm(total=total, unit="line", file=sys.stderr, disable=not settings.progress,
                                       dynamic_ncols=True))
        start = time.perf_counter()
        done_line = after
        stream = annotate_stream(nlp, reader, make_lines, batch_size=settings.batch_size,
                                 n_process=settings.n_process)
        for item in stream:
            if isinstance(item, Reject):
                batch.add({REJECTS: item.to_json()})
                summary.count_reject(item)
                tell_reject(item, summary)
                line = item.line
            else:
                batch.add(item.output)
                summary.count_doc(item.doc)
                line = item.record.line
            bar.update(line - done_line)
            done_line = line
            if batch.size >= settings.batch_size:
                batch.flush()
        batch.flush()
        bar.update(max(0, total - bar.n))
        summary.seconds = time.perf_counter() - start
    summary.lines_read, summary.blank_lines = reader.lines_read, reader.blank_lines
    return summary


class BatchWriter:
    """Lines held for one batch, then written side files first and the output last, each flushed.

    The output's last line is where a resumed run goes on, so no side line (a reject, an
    audit record) of a line up to it may still be unwritten when it reaches the disk.
    """

    def __init__(self, handles: Dict[str, IO[bytes]]):
        self.handles = handles
        self.pending: Dict[str, List[bytes]] = {name: [] for name in handles}
        self.size = 0

    def add(self, lines: Dict[str, Dict[str, Any]]) -> None:
        for name, obj in lines.items():
            self.pending[name].append(json_line(obj))
        self.size += 1

    def flush(self) -> None:
        for name in sorted(self.handles, key=lambda name: name == OUT):
            if self.pending[name]:
                self.handles[name].write(b"".join(self.pending[name]))
                self.handles[name].flush()
                self.pending[name].clear()
        self.size = 0


def tell_reject(reject: Reject, summary: BulkSummary) -> None:
    """A short line on stderr for each of the first rejects (above the progress bar)."""
    told = sum(summary.rejected.values())
    if told <= STDERR_REJECTS:
        tqdm.write(f"line {reject.line}: {reject.reason}: {reject.message}", file=sys.stderr)
    if told == STDERR_REJECTS:
        tqdm.write("more rejects go to the rejects file only", file=sys.stderr)
