"""Self-checks: a wrong answer is called wrong, a right one right, each with its reason."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mnist_helpers import self_check
from mnist_helpers.selfcheck import answer_key

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ASKED = re.compile(r"""mh\.self_check\(\s*["'](\d\d\.\d+)["']""")


def asked(path: Path) -> list[str]:
    """The question ids a notebook's code cells check."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return ASKED.findall(text)


def test_a_right_answer_is_called_right_and_a_wrong_one_wrong(capsys):
    entry = answer_key()["01.1"]
    self_check("01.1", entry["answer"].upper())
    assert capsys.readouterr().out.startswith("Right. " + entry["choices"][entry["answer"]])
    wrong = next(letter for letter in entry["choices"] if letter != entry["answer"])
    self_check("01.1", f"({wrong})")
    out = capsys.readouterr().out
    assert out.startswith("Not quite: " + entry["choices"][wrong]) and "Right" not in out


def test_an_empty_answer_says_how_to_answer_and_a_stray_one_is_refused(capsys):
    self_check("01.1", "")
    assert capsys.readouterr().out.startswith("Write your answer (a, b, c) between the quotes")
    with pytest.raises(ValueError, match="answer with one of a, b, c, got 'd'"):
        self_check("01.1", "d")
    with pytest.raises(ValueError, match="no self-check '09.9'"):
        self_check("09.9", "a")


def test_every_entry_has_its_answer_among_its_choices_and_a_reason_for_each():
    for question, entry in answer_key().items():
        assert re.fullmatch(r"\d\d\.\d+", question), question
        assert entry["answer"] in entry["choices"] and len(entry["choices"]) >= 2, question
        assert all(len(why) > 20 for why in entry["choices"].values()), question


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_each_notebook_asks_its_own_questions_and_the_course_answers_them(path):
    ids = asked(path)
    assert len(ids) >= 2, f"{path.name} ends without self-checks (mh.self_check cells)"
    assert all(i.startswith(path.name[:2] + ".") for i in ids), ids
    missing = sorted(set(ids) - set(answer_key()))
    assert not missing, f"no answers in mnist_helpers/data/self_checks.json for {missing}"


def test_every_answer_belongs_to_a_question_a_notebook_asks():
    every = {i for path in NOTEBOOKS for i in asked(path)}
    assert set(answer_key()) <= every, sorted(set(answer_key()) - every)
