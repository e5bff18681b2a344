"""A training logger that also says how long training took and how fast it went.

spaCy's console logger prints no time or words/sec; on a 2-core CPU those are
what decides the step budget, so every evaluation row is followed by them.
"""
import sys
from typing import IO, Callable, Dict, Optional, Tuple

import srsly
from spacy.language import Language
from spacy.util import registry


@registry.loggers("callner.ConsoleLogger.v1")
def console_logger_with_speed(progress_bar: bool = False, output_file: Optional[str] = None) -> Callable:
    """spaCy's ConsoleLogger.v3, plus elapsed time and training words/sec; with `output_file`,
    the training time, steps and words are also written there as JSON (the benchmark's
    equal-wall-clock budget reads it)."""
    spacy_console_logger = registry.loggers.get("spacy.ConsoleLogger.v3")(
        progress_bar="eval" if progress_bar else None
    )

    def setup_printer(nlp: Language, stdout: IO = sys.stdout, stderr: IO = sys.stderr) -> Tuple[Callable, Callable]:
        log_step, finalize = spacy_console_logger(nlp, stdout, stderr)
        last: Dict[str, Optional[Dict]] = {"info": None}

        def log_step_with_speed(info: Optional[Dict]) -> None:
            log_step(info)
            if info is None:
                return
            last["info"] = info
            seconds = max(info["seconds"], 1)
            stdout.write(f"     elapsed {info['seconds']} s, {info['words'] / seconds:,.0f} training words/s\n")

        def finalize_with_total() -> None:
            finalize()
            info = last["info"]
            if info is not None:
                stdout.write(
                    f"Training took {info['seconds']} s for {info['step']} steps "
                    f"({info['words']:,} words, {info['words'] / max(info['seconds'], 1):,.0f} words/s)\n"
                )
                if output_file:
                    srsly.write_json(output_file, {"seconds": info["seconds"], "steps": info["step"],
                                                   "words": info["words"]})

        return log_step_with_speed, finalize_with_total

    return setup_printer
