"""Small formatting helpers shared by the evaluation, benchmark and model-card reports."""
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

from wasabi import MarkdownRenderer


def percent(value: Optional[float]) -> str:
    """A 0–1 score as a percentage with one decimal, or a dash when unknown."""
    return "–" if value is None else f"{100 * value:.1f}"


def markdown_cell(text: object) -> str:
    """Cell text that cannot break a Markdown table row."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]],
                   aligns: Optional[Sequence[str]] = None) -> str:
    """wasabi's Markdown table, with any cell text made safe for it (see `markdown_cell`)."""
    body = [[markdown_cell(cell) for cell in row] for row in rows]
    return MarkdownRenderer().table(body, [str(name) for name in header], aligns).rstrip("\n")


def save_figure(fig, path: Union[str, Path]) -> Path:
    """Save a matplotlib figure, creating its folder, and free it."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def timed_step(name: str):
    """Decorate a workflow step's CLI so it ends by printing how long it took."""
    import functools
    import time

    from wasabi import msg

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            started = time.time()
            try:
                return func(*args, **kwargs)
            finally:
                msg.info(f"{name} took {time.time() - started:.1f} s")

        return wrapper

    return decorate
