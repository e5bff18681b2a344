"""A Trainer callback that stops training at a wall-clock budget.

The equal-time comparison gives the recipe exactly the training time
ko_callner's default takes; transformers has step and epoch limits but no time
limit, so this callback asks the Trainer to stop after the first optimiser step
that ends at or past the budget (the model saved is the one at that step).
"""
import time
from typing import Optional

from transformers import TrainerCallback


class WallClockBudget(TrainerCallback):
    """Stop once `max_seconds` of training have passed since `on_train_begin`."""

    def __init__(self, max_seconds: float):
        if max_seconds < 0:
            raise ValueError(f"max_seconds must be ≥ 0, not {max_seconds}")
        self.max_seconds = max_seconds
        self.started: Optional[float] = None
        self.stopped = False
        self.elapsed_at_stop: Optional[float] = None

    def on_train_begin(self, args, state, control, **kwargs):
        self.started = time.perf_counter()
        return control

    def on_step_end(self, args, state, control, **kwargs):
        elapsed = time.perf_counter() - self.started
        if elapsed >= self.max_seconds:
            control.should_training_stop = True
            self.stopped = True
            self.elapsed_at_stop = elapsed
        return control
