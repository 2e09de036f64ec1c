"""Sentences about *this* run: figures rendered from the variables, and lessons checked in the run.

A learner's run differs from the course's: another CPU gives other floating-point rounding, quick
mode trains less, a later Keras changes the details. So a notebook never states a figure of its
run in a markdown cell; it prints it, and a lesson drawn from a comparison is stated with
``lesson``, which says which way the comparison went *here* and keeps a machine-readable record of
it (the tests read that record to check that every lesson holds in quick mode too).
``spread`` and ``reference`` read the course's own measurements: the seed-to-seed spread
notebook 04 measures, and the figures of the course's reference run.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

from mnist_helpers.evaluation import history_dict

#: The key under which ``lesson`` stores its record in the output's metadata.
LESSON_KEY = "mnist_helpers.lesson"


def _show(text: str, metadata: dict | None = None) -> None:
    """Render ``text`` as Markdown in Jupyter (plain text elsewhere, e.g. in a terminal)."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # no IPython at all
        print(text)
        return
    if get_ipython() is None:
        print(text)
        return
    display({"text/markdown": text, "text/plain": text}, raw=True, metadata=metadata)


def lesson(claim: str, held: bool, evidence: str, *, otherwise: str = "") -> None:
    """State whether a lesson held in this run, with the evidence, and record the outcome.

    ``claim`` is what usually happens ("dropout keeps the validation loss from climbing"),
    ``held`` whether this run shows it, ``evidence`` the figures that decided it. When the run
    went the other way, the sentence says so, followed by ``otherwise`` (why that can happen).
    The outcome is stored in the output's metadata under ``LESSON_KEY`` so a test can check it.
    (It returns nothing, so a notebook cell that ends with it shows only the sentence.)

    >>> lesson("the CNN beats the dense network", acc_cnn > acc_dnn,
    ...        f"{acc_cnn:.2%} against {acc_dnn:.2%}")
    """
    if not claim or not evidence:
        raise ValueError("a lesson needs a claim and the evidence that decided it")
    held = bool(held)
    if held:
        text = f"**As expected: {claim}** — in this run, {evidence}."
    else:
        text = f"**Not this time: usually {claim}, but in this run {evidence}.**"
        if otherwise:
            text += " " + otherwise
    _show(text, metadata={LESSON_KEY: {"claim": claim, "held": held}})


def points(difference: float) -> str:
    """A difference of two accuracies (fractions) in percentage points, e.g. ``'0.21 points'``.

    >>> points(0.9923 - 0.9902)
    '0.21 points'
    """
    value = abs(float(difference)) * 100
    return f"{value:.2f} point" + ("" if round(value, 2) == 1 else "s")


def best_epoch(history: Mapping | object, key: str = "val_loss") -> int:
    """The epoch (counted from 1) with the lowest ``key`` in a Keras ``History`` or its dict.

    >>> best_epoch(history)   # the epoch whose validation loss was lowest
    4
    """
    values = _series(history, key)
    return min(range(len(values)), key=values.__getitem__) + 1


def _series(history: Mapping | object, key: str) -> list[float]:
    return history_dict(history, key)[key]


def spread(accuracies: Sequence[float] | Mapping) -> dict:
    """Seed-to-seed statistics of several runs' accuracies: min, max, range, mean and std.

    ``accuracies`` is a list of fractions, or a mapping seed → fraction (as the results ledger
    stores it). The range (max − min) is the figure the course quotes as "the spread".

    >>> spread([0.9875, 0.9861, 0.9890])["range"]
    0.0029
    """
    values = list(accuracies.values()) if isinstance(accuracies, Mapping) else list(accuracies)
    values = [float(v) for v in values]
    if len(values) < 2:
        raise ValueError(f"a spread needs at least two runs, got {len(values)}")
    if not all(0.0 <= v <= 1.0 for v in values):
        raise ValueError(f"accuracies are fractions between 0 and 1, got {values}")
    return {
        "n": len(values),
        "min": min(values),
        "max": max(values),
        "range": round(max(values) - min(values), 6),
        "mean": statistics.fmean(values),
        "std": statistics.stdev(values),
    }


def measured_spread(results: Sequence[dict]) -> tuple[dict, dict]:
    """The seed-to-seed spread measured in notebook 04, from ``results`` or else the course's.

    Returns ``(spread, row)``: the statistics of ``spread``, plus ``spread["where"]``, which
    names the run they were measured in ("your run of notebook 04", "the course's reference run
    of notebook 04", "… in quick mode"), and the ledger row of the runs.

    >>> s, row = measured_spread(load_results())
    """
    from mnist_helpers.ledger import course_results

    for source, whose in ((results, "your run"), (course_results(), "the course's reference run")):
        rows = [r for r in source if r.get("seeds")]
        if rows:
            stats = spread(rows[-1]["seeds"])
            quick = " in quick mode" if rows[-1].get("quick") else ""
            stats["where"] = f"{whose} of notebook 04{quick}"
            return stats, rows[-1]
    raise ValueError("no seed-to-seed measurement recorded: run notebook 04 first")


def reference(model: str) -> dict:
    """The course's reference run of ``model``: its row in the shipped results.

    Quick runs are too short for some lessons (overfitting over many epochs, a plateau that
    makes a callback act); a notebook then shows the reference run's figures instead.

    >>> reference("DNN 128-64 (tutorial baseline)")["history"]["val_loss"]
    """
    from mnist_helpers.ledger import course_results

    rows = [r for r in course_results() if r.get("model") == model]
    if not rows:
        names = ", ".join(repr(r.get("model")) for r in course_results())
        raise ValueError(f"the course's reference run has no model {model!r}; it has {names}")
    return rows[0]


def callback_story(
    history: Mapping | object, epochs: int, *, stop_patience: int = 3, lr_patience: int = 2
) -> list[str]:
    """What ``EarlyStopping``, ``ReduceLROnPlateau`` and ``ModelCheckpoint`` did, read from a run.

    Works from the per-epoch curves alone (``val_loss``, and ``learning_rate`` when the history
    recorded it), so it tells the story of your run or of the course's reference run, whose
    curves the results ledger keeps. ``epochs`` is what ``fit`` was asked for; the patiences are
    the callbacks' (``monitor="val_loss"``, ``save_best_only=True``). Returns Markdown bullets.

    >>> print("\\n".join(callback_story(history, epochs=10)))
    """
    val = _series(history, "val_loss")
    if int(epochs) < len(val):
        raise ValueError(f"epochs={epochs} is fewer than the {len(val)} epochs the history holds")
    best = min(range(len(val)), key=val.__getitem__) + 1
    improved = [e + 1 for e in range(len(val)) if val[e] == min(val[: e + 1])]
    longest = max(b - a for a, b in zip(improved, [*improved[1:], len(val) + 1], strict=True)) - 1
    lines = [f"the validation loss was lowest at epoch {best} of {len(val)} ({val[best - 1]:.4f})"]
    if len(val) < int(epochs):
        lines.append(
            f"`EarlyStopping` stopped training after epoch {len(val)} of {epochs}: "
            f"{stop_patience} epochs without a new best, and it put back epoch {best}'s weights"
        )
    else:
        why = (
            f"the longest stretch without a new best was {longest} epoch"
            + ("" if longest == 1 else "s")
            + f", short of its patience of {stop_patience}"
        )
        if len(val) <= stop_patience:
            why = f"{len(val)} epochs leave no room for {stop_patience} without a new best"
        lines.append(f"`EarlyStopping` never fired: {why}; all {len(val)} epochs ran")
    rates = history_dict(history, "val_loss").get("learning_rate", [])
    cuts = [e for e in range(1, len(rates)) if rates[e] < rates[e - 1]]
    if cuts:
        lines += [
            f"`ReduceLROnPlateau` cut the learning rate from {rates[e - 1]:.0e} to {rates[e]:.0e} "
            f"for epoch {e + 1}, after {lr_patience} epochs without a new best; the validation "
            f"loss went from {val[e - 1]:.4f} to {val[e]:.4f}"
            for e in cuts
        ]
    elif rates:
        lines.append(
            "`ReduceLROnPlateau` never cut the learning rate: no plateau lasted "
            f"{lr_patience} epochs"
        )
    saves = ", ".join(map(str, improved))
    lines.append(f"`ModelCheckpoint` saved at each new best: after epochs {saves}")
    return [f"- {line}" for line in lines]
