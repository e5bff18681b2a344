"""One loaded transformer pipeline called from several threads gives the entities sequential calls give."""
import pickle
from concurrent.futures import ThreadPoolExecutor

import spacy
import srsly

from spacy_callner.threads import SerialisedPredict, serialise_predict

from .conftest import REAL_DEV_PATH


def _entities(doc):
    return [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]


def test_threads_get_the_sequential_answers(tiny_trf_pipeline):
    nlp = spacy.load(tiny_trf_pipeline)
    assert isinstance(nlp.get_pipe("transformer").predict, SerialisedPredict), "the config's callback ran at load"
    texts = [record["text"] for record in srsly.read_jsonl(REAL_DEV_PATH)][:96]
    expected = [_entities(nlp(text)) for text in texts]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda text: _entities(nlp(text)), texts * 4))
    assert [i for i, ents in enumerate(got) if ents != expected[i % len(texts)]] == []


def test_only_the_named_components_are_wrapped_once(tiny_trf_pipeline):
    nlp = spacy.load(tiny_trf_pipeline)
    wrapped = nlp.get_pipe("transformer").predict
    serialise_predict(nlp, components=("transformer", "no_such_component"))
    assert nlp.get_pipe("transformer").predict is wrapped
    assert not isinstance(nlp.get_pipe("ner").predict, SerialisedPredict)


def test_the_wrapper_pickles_with_a_fresh_lock():
    wrapper = SerialisedPredict(len, lock=None)
    copy = pickle.loads(pickle.dumps(wrapper))
    assert copy([1, 2]) == 2 and copy.lock is not None
