"""``callner_release_tensors``: the last component drops the transformer's tensors from each doc.

``doc._.trf_data`` holds the wordpieces and hidden states the ``transformer`` made for the
``ner`` (and the scores component's replay of it). Once those ran, nothing reads them, but
they travel with the doc: on the packaged pipeline a 47-character doc's ``to_bytes()`` (what
``nlp.pipe(n_process=N)`` workers send back) is 45 KB with them and 2.7 KB without, its
``trf_data`` pickled 43 KB against 585 bytes. (Most of the ~465 KB of a pickled doc is the
vocab's strings, which ``pickle.dumps(doc)`` takes along for any doc, even ``make_doc``'s.)
This component, added last by the assemble step, sets ``doc._.trf_data`` to
``TransformerData.empty()`` (what spacy-transformers itself gives a doc without tokens; a
doc the transformer did not encode keeps its ``None``) and ``doc.tensor`` to an empty array.

Who wants the tensors (to train on top of them, or to inspect them) keeps them with
``spacy.load("ko_callner", config={"components": {"callner_release_tensors":
{"keep_trf_data": True}}})``, or ``exclude=["callner_release_tensors"]``; the bulk
commands write JSON and never need them, so they have no flag for it.
"""
import numpy
from spacy.language import Language
from spacy.tokens import Doc
from spacy_transformers.data_classes import TransformerData

RELEASE_TENSORS_FACTORY = "callner_release_tensors"


@Language.factory(
    RELEASE_TENSORS_FACTORY,
    default_config={"keep_trf_data": False},
    assigns=["doc._.trf_data", "doc.tensor"],
)
def make_release_tensors(nlp: Language, name: str, keep_trf_data: bool) -> "ReleaseTensors":
    """keep_trf_data: leave ``doc._.trf_data`` and ``doc.tensor`` as the pipeline made them."""
    return ReleaseTensors(name, keep_trf_data=keep_trf_data)


class ReleaseTensors:
    """Empties ``doc._.trf_data`` and ``doc.tensor`` unless told to keep them."""

    def __init__(self, name: str = RELEASE_TENSORS_FACTORY, *, keep_trf_data: bool = False):
        self.name = name
        self.keep_trf_data = bool(keep_trf_data)

    def __call__(self, doc: Doc) -> Doc:
        if self.keep_trf_data:
            return doc
        if Doc.has_extension("trf_data") and doc._.trf_data is not None:
            doc._.trf_data = TransformerData.empty()
        doc.tensor = numpy.zeros((0,), dtype="float32")
        return doc
