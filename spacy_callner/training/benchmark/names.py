"""The names of the benchmarked systems and the defaults of a run, shared by every step of the benchmark."""

KO_CALLNER = "ko_callner"
SAME_BUDGET = "ko_callner_same_budget"
BASELINE = "hf_baseline"
SPACY_SYSTEM = "spacy"
HF_SYSTEM = "hf"

DEFAULT_TRAIN_EXAMPLES = 200
DEFAULT_BATCH_SIZE = 64
DEFAULT_N_LATENCY = 200
DEFAULT_WARMUP = 10
DEFAULT_DEV_LIMIT = 100
THROUGHPUT_TARGET = 1.5
