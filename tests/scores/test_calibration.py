"""The calibration data: monotone curves, constants, and their round trip through plain data."""
from spacy_callner.scores.calibration import (FALLBACK, NER, REGEX, UNFITTED_SCORE, Curve, ScoreCalibration,
                                              group_name)


def test_a_curve_interpolates_between_knots_and_clips_outside():
    curve = Curve([0.2, 0.8], [0.1, 0.9])
    assert curve(0.5) == 0.5
    assert curve(0.0) == 0.1
    assert curve(1.0) == 0.9


def test_unfitted_calibration_passes_ner_probabilities_and_says_unknown_for_the_rest():
    calibration = ScoreCalibration()
    assert not calibration.is_fitted
    assert calibration.score(NER, "PHONE", 0.73) == 0.73
    assert calibration.score(REGEX, "PHONE") == UNFITTED_SCORE
    assert calibration.score(FALLBACK, "MONEY") == UNFITTED_SCORE


def test_fitted_groups_are_used_and_survive_a_round_trip():
    calibration = ScoreCalibration(curves={group_name(NER, "MONEY"): Curve([0.0, 1.0], [0.2, 0.6])},
                                   constants={group_name(REGEX, "PHONE"): 0.97},
                                   thresholds={"MONEY": 0.4})
    restored = ScoreCalibration.from_dict(calibration.to_dict())
    assert restored == calibration
    assert restored.score(NER, "MONEY", 0.5) == 0.4
    assert restored.score(REGEX, "PHONE") == 0.97
    assert restored.score(NER, "PHONE", 0.3) == 0.3
