"""How long a training will take here, said early enough to change one's mind.

A learner's laptop may train several times slower than the machine the course was measured on,
and a workshop block is short. ``time_estimate`` is a Keras callback that times the first steps
of ``fit`` and prints what the whole training will take at that pace, with the way to quick mode
when it is long.
"""

from __future__ import annotations

import time
from typing import Any

#: A training longer than this (minutes) gets the hint to switch quick mode on.
LONG_MINUTES = 3.0
#: Seconds of steps to time before estimating (the very first steps, which build the graph, are
#: left out: they are much slower than the rest).
MEASURE_SECONDS = 2.0


def minutes_text(seconds: float) -> str:
    """A duration for a learner: ``'40 s'``, ``'3.5 min'``, ``'12 min'``.

    >>> minutes_text(212)
    '3.5 min'
    """
    if seconds < 90:
        return f"{seconds:.0f} s"
    minutes = seconds / 60
    return f"{minutes:.1f} min" if minutes < 10 else f"{minutes:.0f} min"


def time_estimate(
    *, quick: bool, long_minutes: float = LONG_MINUTES, measure_seconds: float = MEASURE_SECONDS
) -> Any:
    """A Keras callback that prints, early in ``fit``, how long the whole training will take here.

    It times the training steps after the first few (which trace the graph), multiplies by the
    steps still to come (epochs × steps per epoch; validation adds a little), and prints one line.
    When the estimate is over ``long_minutes`` and ``quick`` is False, a second line says how to
    switch quick mode on. Pass the notebook's ``QUICK``. ``measure_seconds`` is how long to time
    the steps before saying anything. With ``steps_per_execution``, Keras
    reports progress every that many steps, so short epochs are timed whole instead: the second
    one, since the first also traces the graph.

    >>> model.fit(x, y, epochs=15, callbacks=[time_estimate(quick=QUICK)], verbose=2)
    estimated training time here: about 11 min (15 epochs of 422 steps, 0.10 s a step)
    """
    import keras

    class TimeEstimate(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.said = False
            self.start: tuple[float, int] | None = None

        def on_train_begin(self, logs: Any = None) -> None:
            self.said, self.start, self.epochs_done = False, None, []

        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            self.epoch_began = time.perf_counter()

        def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
            if self.said:
                return
            now = time.perf_counter()
            if self.start is None:  # the first report includes tracing: time from here on
                self.start = (now, batch)
                return
            began, first = self.start
            if now - began >= measure_seconds and batch > first:
                self._say((now - began) / (batch - first) * self.params.get("steps", 1))

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            # epochs shorter than Keras's reports (steps_per_execution): time the second epoch
            # whole, validation included; the first one also traces the graph
            self.epochs_done.append(time.perf_counter() - self.epoch_began)
            if not self.said and (epoch == 1 or self.params.get("epochs") == 1):
                first = self.epochs_done[:-1]  # the epoch that traced, timed as it was
                self._say(self.epochs_done[-1], spent=sum(first), done=len(first))

        def _say(self, per_epoch: float, spent: float = 0.0, done: int = 0) -> None:
            self.said = True
            epochs, steps = self.params.get("epochs") or 1, self.params.get("steps") or 1
            total = spent + per_epoch * (epochs - done)
            print(
                f"estimated training time here: about {minutes_text(total)} "
                f"({epochs} epochs of {steps:,} steps, {per_epoch / steps:.3f} s a step)"
            )
            if total > long_minutes * 60 and not quick:
                print(
                    "that is long for a workshop: set quick=True in mh.setup (Setup cell) "
                    "and run all cells again for smaller, faster runs"
                )

    return TimeEstimate()
