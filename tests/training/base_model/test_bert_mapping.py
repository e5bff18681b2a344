"""Mapping e5-small-q4.bin tensors onto transformers.BertModel."""
import numpy as np

from spacy_callner.training import base_model as bm


def test_tensor_name_mapping():
    assert bm.bert_key("emb.word") == "embeddings.word_embeddings.weight"
    assert bm.bert_key("l3.q.w") == "encoder.layer.3.attention.self.query.weight"
    assert bm.bert_key("l11.ao.b") == "encoder.layer.11.attention.output.dense.bias"
    assert bm.bert_key("l0.aln.w") == "encoder.layer.0.attention.output.LayerNorm.weight"
    assert bm.bert_key("l0.fi.w") == "encoder.layer.0.intermediate.dense.weight"
    assert bm.bert_key("l0.fo.b") == "encoder.layer.0.output.dense.bias"
    assert bm.bert_key("l0.oln.b") == "encoder.layer.0.output.LayerNorm.bias"


def test_fewer_layers_in_memory(e5):
    import torch

    state = bm.bert_state_dict(e5, rows=list(range(8)), num_layers=2)
    model = bm.load_bert(bm.bert_config(e5.header, vocab_size=8, num_layers=2), state)
    assert len(model.encoder.layer) == 2
    with torch.no_grad():
        out = model(input_ids=torch.tensor([[0, 5, 6, 2]])).last_hidden_state
    assert tuple(out.shape) == (1, 4, 384)
    assert bm.parameter_count(e5.header, vocab_rows=8, num_layers=2) == sum(p.numel() for p in model.parameters())


def test_embedding_rows_follow_pieces(hf, e5):
    model, tokenizer = hf
    source_id = {p: i for i, p in enumerate(e5.pieces)}
    piece = "▁확인"
    expected = e5.tensor("emb.word", rows=[source_id[piece]])[0]
    actual = model.embeddings.word_embeddings.weight[tokenizer.convert_tokens_to_ids(piece)].detach().numpy()
    np.testing.assert_array_equal(actual, expected)
