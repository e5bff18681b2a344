"""Memory a user pays: peak RSS for one long transcript, and RSS over many short docs.

A day of calls holds 500,000-character transcripts and millions of short turns.
`long_transcript` runs one text of N characters in a fresh process (so its peak
RSS is its own) and checks that its entities are the ones the same text gets in
50,000-character pieces; `rss_over_docs` follows RSS and the StringStore over a
stream of docs, with and without `nlp.memory_zone()`.
"""
import contextlib
import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from itertools import cycle, islice
from typing import Iterable, List, Sequence, Tuple

from .reports import JsonReport

PIECE_CHARS = 50_000
Entity = Tuple[int, int, str]


def rss_mb() -> float:
    """Resident set size of this process now, in MB (Linux /proc)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> bool:
    """Count the peak RSS again from the current RSS (Linux `clear_refs`); False where that is unsupported.

    Loading the pipeline peaks above what it keeps (the weights pass through a second buffer),
    so a text's own peak is only visible once the loading peak is forgotten.
    """
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def long_text(texts: Sequence[str], n_chars: int) -> str:
    """Utterances joined by spaces, repeated until the text has `n_chars` characters."""
    parts, length = [], 0
    for text in cycle(texts):
        if length >= n_chars:
            break
        parts.append(text)
        length += len(text) + 1
    return " ".join(parts)[:n_chars].rstrip()


def pieces(text: str, size: int = PIECE_CHARS) -> List[Tuple[int, str]]:
    """`text` cut at the last space before every `size` characters, as (offset, piece)."""
    out, start = [], 0
    while start < len(text):
        end = len(text) if len(text) - start <= size else text.rfind(" ", start, start + size) + 1 or start + size
        out.append((start, text[start:end]))
        start = end
    return out


def entities(doc) -> List[Entity]:
    return [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]


def entities_in_pieces(nlp, text: str, size: int = PIECE_CHARS) -> List[Entity]:
    """The entities of `text` processed piece by piece, in `text`'s offsets."""
    found = []
    for offset, piece in pieces(text, size):
        found += [(start + offset, end + offset, label) for start, end, label in entities(nlp(piece))]
    return found


@dataclass
class LongTranscript(JsonReport):
    chars: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    """The process's peak: loading and the whole text."""
    load_peak_rss_mb: float = 0.0
    """The peak while loading the pipeline."""
    text_peak_rss_mb: float = 0.0
    """The peak while the whole text ran, counted from the RSS after loading (the process's peak where the
    count cannot be reset)."""
    entities: int = 0
    same_as_pieces: int = 0
    """Entities found both whole and in 50,000-character pieces."""
    only_whole: int = 0
    only_pieces: int = 0


def measure_long_transcript(model: str, texts: Sequence[str], n_chars: int) -> LongTranscript:
    """Run in a fresh process: one text of `n_chars` characters, then the same text in pieces."""
    import spacy

    nlp = spacy.load(model)
    nlp.max_length = max(nlp.max_length, n_chars + 1)
    load_peak = peak_rss_mb()
    text = long_text(texts, n_chars)
    reset_peak_rss()
    started = time.perf_counter()
    whole = set(entities(nlp(text)))
    seconds = time.perf_counter() - started
    text_peak = peak_rss_mb()
    in_pieces = set(entities_in_pieces(nlp, text))
    return LongTranscript(chars=len(text), seconds=round(seconds, 2), peak_rss_mb=round(max(load_peak, text_peak), 1),
                          load_peak_rss_mb=round(load_peak, 1), text_peak_rss_mb=round(text_peak, 1),
                          entities=len(whole), same_as_pieces=len(whole & in_pieces),
                          only_whole=len(whole - in_pieces), only_pieces=len(in_pieces - whole))


def long_transcript(model: str, texts_path: str, n_chars: int, *, python: str = sys.executable) -> LongTranscript:
    """`measure_long_transcript` in a subprocess, so the peak is that text's alone."""
    completed = subprocess.run([python, "-m", __name__, model, texts_path, str(n_chars)],
                               capture_output=True, text=True, check=True)
    return LongTranscript.from_json(json.loads(completed.stdout.strip().splitlines()[-1]))


@dataclass
class RssSample(JsonReport):
    docs: int = 0
    rss_mb: float = 0.0
    strings: int = 0


@dataclass
class RssOverDocs(JsonReport):
    memory_zone: bool = False
    samples: List[RssSample] = field(default_factory=list)


def rss_over_docs(nlp, texts: Iterable[str], n_docs: int, *, every: int = 2000,
                  memory_zone: bool = True, batch_size: int = 64) -> RssOverDocs:
    """RSS and StringStore size every `every` docs over `n_docs` docs cycled from `texts`."""
    report = RssOverDocs(memory_zone=memory_zone, samples=[RssSample(0, round(rss_mb(), 1), len(nlp.vocab.strings))])
    stream = iter(islice(cycle(list(texts)), n_docs))
    done = 0
    while done < n_docs:
        chunk = list(islice(stream, every))
        with nlp.memory_zone() if memory_zone else contextlib.nullcontext():
            for doc in nlp.pipe(chunk, batch_size=batch_size):
                entities(doc)
        done += len(chunk)
        report.samples.append(RssSample(done, round(rss_mb(), 1), len(nlp.vocab.strings)))
    return report


def _read_texts(path: str) -> List[str]:
    import srsly

    return [record["text"] for record in srsly.read_jsonl(path)]


if __name__ == "__main__":
    model_arg, path_arg, chars_arg = sys.argv[1:4]
    print(json.dumps(measure_long_transcript(model_arg, _read_texts(path_arg), int(chars_arg)).to_json()))
