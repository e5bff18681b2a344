"""nlp.pipe(texts, n_process=2) on a trained transformer pipeline finishes instead of hanging.

The pipeline is loaded the way users load it (no import of ours before spacy.load, the
runtime comes in through the entry points), and the parent runs torch before the workers
fork, which is what made the workers hang. A hang shows as the subprocess timing out.
"""
import subprocess
import sys


PROBE = """
import sys, spacy
nlp = spacy.load(sys.argv[1])
texts = ["계약번호 KR-2026-001번 확인하고 010-1234-5678로 문자 주세요 " * 3] * 48
expected = [[(e.text, e.label_) for e in doc.ents] for doc in nlp.pipe(texts[:8])]
docs = list(nlp.pipe(texts, n_process=2, batch_size=8))
assert len(docs) == len(texts)
assert [[(e.text, e.label_) for e in doc.ents] for doc in docs[:8]] == expected
print("done", len(docs))
"""


def test_pipe_with_two_forked_processes_finishes(tiny_trf_pipeline, tmp_path):
    completed = subprocess.run([sys.executable, "-c", PROBE, str(tiny_trf_pipeline)], cwd=tmp_path,
                               capture_output=True, text=True, timeout=240)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "done 48" in completed.stdout


def test_the_hook_only_touches_a_forked_child():
    probe = ("import os, sys, spacy_callner, torch; torch.set_num_threads(2);"
             "pid = os.fork()\n"
             "if pid == 0:\n    os._exit(0 if torch.get_num_threads() == 1 else 3)\n"
             "_, status = os.waitpid(pid, 0); assert os.waitstatus_to_exitcode(status) == 0;"
             "assert torch.get_num_threads() == 2; print('ok')")
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0 and "ok" in completed.stdout, completed.stderr[-2000:]
