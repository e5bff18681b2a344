"""The calibration a ``callner_scores`` component applies: data, saved with the component.

A candidate entity belongs to one group, by where its evidence comes from:

- ``ner:LABEL``: the ``ner`` found it and its move probabilities are known; the score is the
  product of those probabilities mapped through a monotone piecewise-linear curve (isotonic
  regression knots, fitted by ``spacy_callner.training.calibration``);
- ``regex:LABEL``: ``callner_regex_ner`` made or confirmed it; the score is a constant, the
  precision of that label's regex spans on the fitting data;
- ``fallback:LABEL``: a ``ner`` entity whose move probabilities are unknown (a long doc run in
  pieces has no encoder output left to replay); the score is the precision of that label's
  ``ner`` entities on the fitting data.

An unfitted calibration (``ScoreCalibration()``) passes ``ner`` probabilities through unchanged
and gives the other groups ``UNFITTED_SCORE``: a placeholder saying "unknown", not a measurement.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy

NER, REGEX, FALLBACK = "ner", "regex", "fallback"
UNFITTED_SCORE = 0.5


def group_name(source: str, label: str) -> str:
    return f"{source}:{label}"


@dataclass
class Curve:
    """A monotone map from raw probability to calibrated probability: knots ``x`` → ``y``."""

    x: List[float]
    y: List[float]

    def __call__(self, value: float) -> float:
        if not self.x:
            return float(value)
        return float(numpy.clip(numpy.interp(value, self.x, self.y), 0.0, 1.0))


@dataclass
class ScoreCalibration:
    """Curves for ``ner`` groups, constants for ``regex`` and ``fallback`` groups (see the module)."""

    curves: Dict[str, Curve] = field(default_factory=dict)
    constants: Dict[str, float] = field(default_factory=dict)
    thresholds: Dict[str, float] = field(default_factory=dict)
    """The thresholds chosen when fitting (best F1 per label); the component's config decides."""
    method: str = "identity"
    """How the ``ner`` curves were fitted (``spacy_callner.training.calibration.METHODS``), for the record."""

    def score(self, source: str, label: str, raw_probability: Optional[float] = None) -> float:
        name = group_name(source, label)
        if source == NER and raw_probability is not None:
            curve = self.curves.get(name)
            return curve(raw_probability) if curve is not None else float(min(max(raw_probability, 0.0), 1.0))
        return float(self.constants.get(name, UNFITTED_SCORE))

    @property
    def is_fitted(self) -> bool:
        return bool(self.curves or self.constants)

    def to_dict(self) -> dict:
        return {
            "curves": {name: {"x": curve.x, "y": curve.y} for name, curve in self.curves.items()},
            "constants": dict(self.constants),
            "thresholds": dict(self.thresholds),
            "method": self.method,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ScoreCalibration":
        return cls(
            curves={name: Curve([float(v) for v in curve["x"]], [float(v) for v in curve["y"]])
                    for name, curve in data.get("curves", {}).items()},
            constants={name: float(value) for name, value in data.get("constants", {}).items()},
            thresholds={label: float(value) for label, value in data.get("thresholds", {}).items()},
            method=str(data.get("method", "identity")),
        )
