"""Docs as the statistical ner would leave them, for tests of the components that run after it."""


def with_model_entities(nlp, text, spans):
    """A doc as the statistical ner would leave it: ``spans`` are (substring, label)."""
    doc = nlp.make_doc(text)
    ents = []
    for substring, label in spans:
        start = text.index(substring)
        span = doc.char_span(start, start + len(substring), label=label)
        assert span is not None, f"{substring!r} does not align with {[t.text for t in doc]}"
        ents.append(span)
    doc.ents = ents
    return doc
