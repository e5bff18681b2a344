"""Runtime pieces of entity scoring: the NER's own action probabilities and their calibration.

The ``callner_scores`` component (``spacy_callner.components.scores``) puts them together.
"""
