"""Self-checks: a learner answers a notebook's question and is told right or wrong, and why.

The questions themselves are Markdown in the notebooks, where a teacher can reword them; their
answers and explanations live in ``data/self_checks.json``, one entry per question id, so a
learner does not see the answer in the cell that asks for it. ``tests/test_selfcheck.py`` keeps the
two in step: every question a notebook asks has an entry, with an explanation for each choice.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

#: Answers and explanations, keyed by question id ("02.1": notebook 02, question 1).
ANSWERS = Path(__file__).parent / "data" / "self_checks.json"


@cache
def answer_key(path: Path = ANSWERS) -> dict[str, dict]:
    """Every question's entry: ``choices`` (letter → why that choice is right or wrong) and
    ``answer`` (the right letter).

    >>> answer_key()["02.1"]["answer"]
    'b'
    """
    return json.loads(Path(path).read_text(encoding="utf-8"))


def self_check(question: str, answer: str) -> None:
    """Print whether ``answer`` (a choice's letter) is right for ``question``, and why.

    An empty answer prints how to answer instead, so a notebook can be run top to bottom before
    anyone has answered.

    >>> self_check("02.1", "b")
    Right. ...
    """
    key = answer_key()
    if question not in key:
        raise ValueError(f"no self-check {question!r}; the course has {', '.join(sorted(key))}")
    entry = key[question]
    letters = sorted(entry["choices"])
    given = str(answer).strip().lower().strip("()")
    if not given:
        print(f"Write your answer ({', '.join(letters)}) between the quotes and run this cell.")
        return
    if given not in entry["choices"]:
        raise ValueError(f"answer with one of {', '.join(letters)}, got {answer!r}")
    if given == entry["answer"]:
        print(f"Right. {entry['choices'][given]}")
    else:
        print(f"Not quite: {entry['choices'][given]} Think again, or read the section again.")
