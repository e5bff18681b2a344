"""The encoder guard: threads get the sequential answers, and slicing the windows changes nothing."""
import pickle
from concurrent.futures import ThreadPoolExecutor

import spacy
import srsly

from spacy_callner.encoder import GuardedPredict, forward_in_slices, guard_encoder

from .conftest import REAL_DEV_PATH


def _entities(doc):
    return [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]


def test_threads_get_the_sequential_answers(tiny_trf_pipeline):
    nlp = spacy.load(tiny_trf_pipeline)
    assert isinstance(nlp.get_pipe("transformer").predict, GuardedPredict), "the config's callback ran at load"
    texts = [record["text"] for record in srsly.read_jsonl(REAL_DEV_PATH)][:96]
    expected = [_entities(nlp(text)) for text in texts]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda text: _entities(nlp(text)), texts * 4))
    assert [i for i, ents in enumerate(got) if ents != expected[i % len(texts)]] == []


def test_only_the_named_components_are_wrapped_once(tiny_trf_pipeline):
    nlp = spacy.load(tiny_trf_pipeline)
    wrapped = nlp.get_pipe("transformer").predict
    guard_encoder(nlp, components=("transformer", "no_such_component"))
    assert nlp.get_pipe("transformer").predict is wrapped
    assert not isinstance(nlp.get_pipe("ner").predict, GuardedPredict)


def test_the_wrapper_pickles_with_a_fresh_lock():
    wrapper = GuardedPredict(None, len, lock=None, max_windows=4)
    copy = pickle.loads(pickle.dumps(wrapper))
    assert copy([1, 2]) == 2 and copy.lock is not None and copy.max_windows == 4


def test_sliced_forward_equals_one_batch():
    import torch
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    model = BertModel(BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                                 intermediate_size=32), add_pooling_layer=False).eval()
    input_ids = torch.randint(0, 50, (11, 9))
    attention_mask = torch.ones_like(input_ids)
    attention_mask[3, 5:] = 0
    sliced = forward_in_slices(model.forward, max_windows=4)
    with torch.no_grad():
        whole = model(input_ids=input_ids, attention_mask=attention_mask)
        pieces = sliced(input_ids=input_ids, attention_mask=attention_mask)
    assert type(pieces) is type(whole)
    assert torch.allclose(pieces.last_hidden_state, whole.last_hidden_state, atol=1e-6)
    calls = []
    counting = forward_in_slices(lambda **kw: calls.append(kw["input_ids"].shape[0]) or kw["input_ids"], 4)
    with torch.no_grad():
        counting(input_ids=input_ids, attention_mask=attention_mask)
    assert calls == [4, 4, 3]
    calls.clear()
    counting(input_ids=input_ids, attention_mask=attention_mask)
    assert calls == [11], "with gradients recorded (training) the batch is left whole"


def test_a_long_doc_gets_the_same_entities_in_slices(tiny_trf_pipeline):
    texts = [record["text"] for record in srsly.read_jsonl(REAL_DEV_PATH)]
    long_text = " ".join(texts[:120])
    whole = spacy.load(tiny_trf_pipeline, config={"nlp": {"after_pipeline_creation": {
        "max_windows": 100000, "max_doc_tokens": 0}}})
    sliced = spacy.load(tiny_trf_pipeline, config={"nlp": {"after_pipeline_creation": {
        "max_windows": 2, "max_doc_tokens": 0}}})
    doc_whole, doc_sliced = whole(long_text), sliced(long_text)
    assert len(doc_whole._.trf_data.tensors[0]) > 2, "the doc has more windows than one slice"
    assert _entities(doc_sliced) == _entities(doc_whole)


def test_docs_over_the_token_limit_are_not_encoded(tiny_trf_pipeline):
    nlp = spacy.load(tiny_trf_pipeline, config={"nlp": {"after_pipeline_creation": {"max_doc_tokens": 10}}})
    transformer = nlp.get_pipe("transformer")
    assert transformer.predict.max_doc_tokens == 10
    docs = [nlp.make_doc(text) for text in ("네 확인했습니다", "번호는 " * 12, "", "감사합니다 고객님")]
    doc_data = transformer.predict(docs).doc_data
    assert [data is None for data in doc_data] == [False, True, False, False]
    without_long = transformer.predict([docs[0], docs[2], docs[3]]).doc_data
    for got, expected in zip([doc_data[0], doc_data[2], doc_data[3]], without_long):
        assert len(got.tensors) == len(expected.tensors)
        assert all((a == b).all() for a, b in zip(got.tensors, expected.tensors)), "short docs' features unchanged"


def test_no_limit_and_no_listening_ner_leave_every_doc_encoded(tiny_trf_pipeline):
    nlp = spacy.load(tiny_trf_pipeline, config={"nlp": {"after_pipeline_creation": {"max_doc_tokens": 0}}})
    assert nlp.get_pipe("transformer").predict.max_doc_tokens is None
    nlp.remove_pipe("ner")
    guard_encoder(nlp, components=("transformer",), max_doc_tokens=10)
    assert nlp.get_pipe("transformer").predict.max_doc_tokens is None, "no listener would get the long docs"
    assert nlp("번호는 " * 12)._.trf_data is not None
