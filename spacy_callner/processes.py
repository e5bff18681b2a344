"""`nlp.pipe(texts, n_process=N)` on a transformer pipeline works under fork.

torch's OpenMP thread pool does not survive `fork()`: a worker that runs a
parallel torch op after the parent already used one hangs for ever (STACK_NOTES:
`ko_callner` with `n_process=2`). spaCy forks its workers on Linux, so this module,
imported with the runtime package (every `spacy.load` of our pipeline imports it
through the component's entry point), registers an after-fork hook: a forked
child uses one torch thread — the N processes are the parallelism — and the
fast tokenizers are told not to start their own pool. The parent is not changed,
and torch is not imported by this hook when the process has not imported it.
"""
import os
import sys


def one_torch_thread_in_child() -> None:
    """After-fork hook: single-threaded torch and tokenizers in the child process."""
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=one_torch_thread_in_child)
