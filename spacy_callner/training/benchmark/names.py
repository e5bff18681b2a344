"""The names of the benchmarked systems, the files each step leaves behind, and the defaults of a run."""

HF_RECIPE = "hf_recipe"
HF_EQUAL_TIME = "hf_equal_time"
SPACY_SAME_DATA = "spacy_1000"
KO_CALLNER = "ko_callner"

SPACY_SYSTEM = "spacy"
HF_SYSTEM = "hf"

# each trained system's directory holds its model and its training record
MODEL_DIR = "model"
TRAINING_RECORD = "training.json"

DEFAULT_TRAIN_PAIRS = 1000
DEFAULT_BATCH_SIZE = 64
DEFAULT_N_LATENCY = 200
DEFAULT_WARMUP = 10
