"""benchmarks/stale.py reports each record that no longer describes the shipped files, only those.

Every test works on a small course tree in a temporary folder (records, model, requirements and a
copy of mnist_helpers/external.py), never on the package itself.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import load_script

ROOT = Path(__file__).resolve().parents[1]
stale = load_script("stale")
seeds = load_script("best_model_seeds")

SEEDS_ROW = {
    "model": seeds.LEDGER_NAME,
    "notebook": "05",
    "val_accuracy": 0.9955,
    "test_accuracy": 0.9952,
    "test_loss": 0.0146,
    "train_seconds": 690.2,
    "history": {"val_loss": [0.03, 0.0177]},
}


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


@pytest.fixture
def tree(tmp_path) -> Path:
    """A course tree whose every record describes its files."""
    root = tmp_path / "course"
    (root / "mnist_helpers" / "data").mkdir(parents=True)
    shutil.copy(ROOT / "mnist_helpers" / "external.py", root / stale.PREPROCESSING)
    shutil.copy(ROOT / "requirements.txt", root / "requirements.txt")
    (root / stale.MODEL).write_bytes(b"a trained model")
    write_json(root / stale.RESULTS, [SEEDS_ROW])
    (root / "notebooks").mkdir()
    for name in ("01_data.ipynb", "02_dnn.ipynb"):
        (root / "notebooks" / name).write_text("{}")

    model = stale.file_sha256(root / stale.MODEL)
    machine = dict(stale.pinned(root), cores=2)
    bench = root / "benchmarks"
    write_json(
        bench / "robustness.json",
        {
            "course_model.keras · test · 2000": {
                "model_sha256": model,
                "to_mnist_code_sha256": stale.code_sha256(root / stale.PREPROCESSING),
            },
            "another model · test · 2000": {"model_sha256": "0" * 64},
        },
    )
    write_json(bench / "best_model_seeds.json", {"runs": [seeds.committed_run([SEEDS_ROW])]})
    write_json(bench / "compat.json", {"model_sha256": model, "stacks": {}})
    requirements = stale.file_sha256(root / "requirements.txt")
    (bench / "offline_kit.txt").write_text(f"wheels: 137\nrequirements_sha256: {requirements}\n")
    runs = {"full": {"seconds": 1.0}, "quick": {"seconds": 1.0}}
    write_json(
        bench / "notebooks.json",
        {"machine": machine, "notebooks": {"01_data.ipynb": runs, "02_dnn.ipynb": runs}},
    )
    write_json(bench / "speed_levers.json", {"machine": machine, "models": {}})
    return root


def problems(root: Path) -> dict[str, list[str]]:
    return {name: found for name, found in stale.stale(root).items() if found}


def test_a_tree_whose_records_match_its_files_has_nothing_stale(tree, capsys):
    assert problems(tree) == {}
    assert stale.main([], root=tree) == 0
    assert capsys.readouterr().out.count("ok     benchmarks/") == len(stale.CHECKS)


def test_a_comment_or_docstring_in_external_py_changes_no_key(tree):
    external = tree / stale.PREPROCESSING
    text = external.read_text(encoding="utf-8")
    start = text.index('"""') + 3
    reworded = text[:start] + "Re-worded. " + text[start:]  # the module's docstring
    reworded = reworded.replace("\ndef ", "\n# a new comment\n\n\ndef ", 1)
    assert reworded != text
    external.write_text(reworded, encoding="utf-8")
    assert problems(tree) == {}


def test_a_code_change_in_external_py_is_reported_with_what_to_run(tree, capsys):
    external = tree / stale.PREPROCESSING
    text = external.read_text(encoding="utf-8")
    external.write_text(text + "\nNEW_RULE = 2\n", encoding="utf-8")
    assert list(problems(tree)) == ["robustness.json"]
    assert stale.main([], root=tree) == 1
    out = capsys.readouterr().out
    assert "STALE  benchmarks/robustness.json: 'course_model.keras · test · 2000'" in out
    assert "measure it again: python benchmarks/robustness.py" in out


def test_a_record_with_a_wrong_key_is_reported(tree):
    path = tree / "benchmarks" / "robustness.json"
    record = json.loads(path.read_text())
    record["course_model.keras · test · 2000"]["to_mnist_code_sha256"] = "0" * 64
    write_json(path, record)
    assert list(problems(tree)) == ["robustness.json"]


def test_another_shipped_model_makes_robustness_and_compat_stale(tree):
    (tree / stale.MODEL).write_bytes(b"a model trained again")
    found = problems(tree)
    assert sorted(found) == ["compat.json", "robustness.json"]
    assert found["robustness.json"] == [
        "no run of the shipped model (another model file is shipped now)"
    ]


def test_a_new_committed_run_of_notebook_05_makes_the_seeds_record_stale(tree):
    write_json(tree / stale.RESULTS, [{**SEEDS_ROW, "test_accuracy": 0.9949}])
    assert list(problems(tree)) == ["best_model_seeds.json"]
    write_json(tree / stale.RESULTS, [])
    assert "no run of notebook 05's best model" in problems(tree)["best_model_seeds.json"][0]


def test_other_requirements_make_the_offline_kit_stale_and_other_pins_the_timings(tree):
    requirements = tree / "requirements.txt"
    requirements.write_text(requirements.read_text() + "# a comment changes the file\n")
    assert list(problems(tree)) == ["offline_kit.txt"]
    text = requirements.read_text()
    requirements.write_text(text.replace(f"keras=={stale.pinned(tree)['keras']}", "keras==9.9.9"))
    found = problems(tree)
    assert sorted(found) == ["notebooks.json", "offline_kit.txt", "speed_levers.json"]
    assert found["speed_levers.json"] == [
        f"measured with keras {stale.pinned(ROOT)['keras']}, and requirements.txt pins 9.9.9"
    ]


def test_a_notebook_not_measured_and_a_missing_record_are_reported(tree):
    (tree / "notebooks" / "03_cnn.ipynb").write_text("{}")
    (tree / "benchmarks" / "compat.json").unlink()
    found = problems(tree)
    assert found["notebooks.json"] == [
        "03_cnn.ipynb: not measured in full mode",
        "03_cnn.ipynb: not measured in quick mode",
    ]
    assert found["compat.json"] == ["missing"]


def test_the_code_hash_leaves_out_positions_and_empty_fields(tmp_path):
    """Python 3.12 and 3.13 write ``ast.dump`` differently for the same code (empty fields):
    the hash must not follow them, nor move with a blank line."""
    one, two = tmp_path / "one.py", tmp_path / "two.py"
    one.write_text('"""Doc."""\n\n\ndef f(x):\n    """Doc."""\n    return x + 1\n')
    two.write_text("def f(x):\n\n    return x + 1  # one more\n")
    assert stale.code_sha256(one) == stale.code_sha256(two)
    dumped = stale._dump(stale.ast.parse(two.read_text()))
    assert "lineno" not in dumped and "=[]" not in dumped and "=None" not in dumped
    two.write_text("def f(x):\n    return x + 2\n")
    assert stale.code_sha256(one) != stale.code_sha256(two)
