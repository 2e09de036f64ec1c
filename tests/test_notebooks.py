"""Every notebook follows the course template and is stored executed, clean and small.

(nbval runs the notebooks themselves; this file checks how they are stored and laid out.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import load_script

from mnist_helpers.config import TF_STARTUP_NOISE
from mnist_helpers.course import REPOSITORY, badges_markdown, binder_url, colab_url, install_url
from mnist_helpers.ledger import course_results

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MAX_BYTES = 3_000_000
FENCED = re.compile(r"```.*?```", re.DOTALL)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def markdown(nb: dict) -> str:
    """All markdown prose, with fenced code (exercise solutions) removed."""
    text = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    return FENCED.sub("", text)


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code" and source(c).strip()]


def test_the_course_has_its_notebooks():
    assert NOTEBOOKS, "no notebooks/NN_*.ipynb found"
    assert NOTEBOOKS[0].name == "01_data_exploration.ipynb"


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def nb_path(request) -> Path:
    return request.param


def test_title_and_launch_badges(nb_path):
    nb = load(nb_path)
    first = source(nb["cells"][0])
    assert nb["cells"][0]["cell_type"] == "markdown" and first.startswith("# "), "no H1 title"
    titles = [line for line in markdown(nb).splitlines() if line.startswith("# ")]
    assert len(titles) == 1, f"one H1 title per notebook, found {titles}"
    assert badges_markdown(nb_path.name) in first, (
        "badges missing or out of date: run `python scripts/sync_badges.py`"
    )


def test_the_colab_install_fetches_the_courses_ref(nb_path):
    """``@main``, or a workshop's tag once pinned: what Colab installs is what the badge opened."""
    setup = source(code_cells(load(nb_path))[0])
    assert f'@ {install_url()}"' in setup, "run `python scripts/sync_badges.py`"


def test_learning_goals_time_and_prerequisites(nb_path):
    text = markdown(load(nb_path))
    goals = re.search(r"\*\*You will learn\*\*.*?\n((?:\s*[-*] .+\n)+)", text)
    assert goals, "a **You will learn** list is missing"
    assert 3 <= len(re.findall(r"^\s*[-*] ", goals.group(1), re.M)) <= 6
    assert re.search(r"\*\*Time\*\*[^\n]*\d+\s*min", text), "a **Time** estimate in minutes"
    assert "**Prerequisites**" in text


def test_sections_setup_recap_exercises_with_solutions(nb_path):
    nb = load(nb_path)
    text = markdown(nb)
    headings = re.findall(r"^## (.+)$", text, re.M)
    for required in ("Setup", "Recap", "Exercises"):
        assert any(h.strip().startswith(required) for h in headings), f"no '## {required}'"
    assert headings.index(next(h for h in headings if h.startswith("Setup"))) == 0
    exercises = text.split("## Exercises", 1)[1]
    assert exercises.count("<details>") >= 3, "at least three exercises with hidden solutions"
    assert exercises.count("<details>") == exercises.count("</details>")


def setup_lines(setup: str) -> list[str]:
    """The Setup cell's statements: no blank or comment lines, nothing of the Colab branch."""
    lines, in_colab = [], False
    for line in setup.splitlines():
        if line.startswith('if "google.colab" in sys.modules'):
            in_colab = True
            continue
        if in_colab and (not line.strip() or line.startswith((" ", "\t"))):
            continue
        in_colab = False
        if line.strip() and not line.lstrip().startswith("#"):
            lines.append(line)
    return lines


def test_setup_is_one_package_call_and_a_few_imports(nb_path):
    setup = source(code_cells(load(nb_path))[0])
    assert "import mnist_helpers as mh" in setup, "the package is imported once, as mh"
    call = r"^QUICK = mh\.setup\(seed=SEED(, needs_mib=[\d_]+)?, quick=None\)"
    assert re.search(call, setup, re.M), (
        "mh.setup(seed=SEED, ..., quick=None): one call, and quick= the switch a learner flips"
    )
    assert "TF_CPP_MIN_LOG_LEVEL" not in setup, "mh.setup sets the log level, no cell does"
    assert '"google.colab" in sys.modules' in setup, "installs belong in a Colab-only branch"
    assert f"git+https://github.com/{REPOSITORY}" in setup, "run `python scripts/sync_badges.py`"
    lines = setup_lines(setup)
    assert len(lines) <= 13, f"Setup should be a few lines, has {len(lines)}:\n" + "\n".join(lines)


def test_the_setup_line_count_skips_only_the_colab_branch():
    cell = (
        'import sys\n\nif "google.colab" in sys.modules:\n    %pip install x\n\n    y()\nimport a\n'
    )
    assert setup_lines(cell) == ["import sys", "import a"]


def test_notebooks_import_the_package_one_way(nb_path):
    """``mh.NAME`` everywhere: a reader tells the course's helpers from Keras at a glance."""
    for cell in code_cells(load(nb_path)):
        for line in source(cell).splitlines():
            if "from mnist_helpers" in line and "import REPOSITORY" not in line:
                raise AssertionError(f"import from mnist_helpers outside `mh`: {line.strip()}")


#: A conditional expression inside an f-string's braces: ``{'rose' if d > 0 else 'fell'}``.
ENGLISH_IN_FSTRING = re.compile(r"""\bf(["']).*?\{[^{}]*\bif\b[^{}]*\belse\b[^{}]*\}""")


def test_no_notebook_decides_english_in_an_f_string(nb_path):
    """Words that depend on the run live in Markdown a teacher can reword; code prints figures."""
    found = [
        line.strip()
        for cell in code_cells(load(nb_path))
        for line in source(cell).splitlines()
        if ENGLISH_IN_FSTRING.search(line)
    ]
    assert not found, "English decided in an f-string (print figures; words go to Markdown):\n" + (
        "\n".join(found)
    )


def test_the_f_string_check_catches_a_decided_word():
    assert ENGLISH_IN_FSTRING.search("""say(f"it {'rose' if d > 0 else 'fell'} by {d}")""")
    assert ENGLISH_IN_FSTRING.search("""print(f'{n} epoch{"" if n == 1 else "s"}')""")
    assert not ENGLISH_IN_FSTRING.search("""print(f"{n:,} digits")  # 6,000 if QUICK else""")
    assert not ENGLISH_IN_FSTRING.search("""N = 6_000 if QUICK else 60_000""")


def test_stored_executed_in_order_without_errors(nb_path):
    cells = code_cells(load(nb_path))
    counts = [c["execution_count"] for c in cells]
    assert counts == list(range(1, len(cells) + 1)), "re-run top to bottom in a fresh kernel"
    for c in cells:
        for out in c["outputs"]:
            assert out["output_type"] != "error", f"stored error in:\n{source(c)[:200]}"


def test_stored_outputs_are_free_of_noise(nb_path):
    for c in code_cells(load(nb_path)):
        checked = "# NBVAL_CHECK_OUTPUT" in source(c)
        for out in c["outputs"]:
            if out.get("name") == "stderr":
                text = "".join(out["text"])
                assert not TF_STARTUP_NOISE.search(text), f"TensorFlow log noise: {text[:200]}"
                assert "Warning" not in text, f"a warning in a stored output: {text[:300]}"
                assert not checked, "a checked cell must not write to stderr"
            plain = "".join(out.get("data", {}).get("text/plain", ""))
            assert not re.search(r"at 0x[0-9a-f]+>", plain), "a repr with a memory address"


def test_checks_results_and_outputs(nb_path):
    cells = [source(c) for c in code_cells(load(nb_path))]
    assert any("# NBVAL_CHECK_OUTPUT" in s for s in cells), "mark deterministic cells"
    assert any(re.search(r"^\s*assert ", s, re.M) for s in cells), "assert the key results"


def test_small_enough_for_github(nb_path):
    assert nb_path.stat().st_size < MAX_BYTES


def test_readme_lists_every_notebook_with_its_launch_links():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f"(notebooks/{path.name})" in readme, f"README does not link {path.name}"
        assert f"({colab_url(path.name)})" in readme, f"README lacks the Colab link of {path.name}"
        assert f"({binder_url(path.name)})" in readme, (
            f"README lacks the Binder link of {path.name}"
        )


def test_every_launch_link_in_the_readme_names_this_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    owners = re.findall(
        r"(?:colab\.research\.google\.com/github|mybinder\.org/v2/gh"
        r"|kaggle\.com/kernels/welcome\?src=https://github\.com)/([\w.-]+/[\w.-]+)",
        readme,
    )
    assert owners and set(owners) == {REPOSITORY}, "run `python scripts/sync_badges.py`"


def stored_text(nb: dict) -> str:
    """Everything the notebook's code cells printed when it was executed."""
    parts = []
    for c in code_cells(nb):
        for out in c["outputs"]:
            parts.append("".join(out.get("text", "")))
            parts.append("".join(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def test_readme_figures_come_from_the_committed_outputs():
    """Accuracies (98.58%) and parameter counts (669,706) in a notebook's README row must be
    what that notebook printed in its committed run."""
    rows = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    for path in NOTEBOOKS:
        row = next(r for r in rows if r.startswith("|") and f"(notebooks/{path.name})" in r)
        cells = row.split("|")
        figures = re.findall(r"\d+\.\d+%|\d{1,3}(?:,\d{3})+", "|".join(cells[4:-2]))
        printed = stored_text(load(path))
        for figure in figures:
            assert figure in printed, f"README says {figure} for {path.name}; its outputs do not"


def test_shipped_course_results_come_from_the_committed_outputs():
    """The snapshot notebook 05 falls back on (``course_results``) must match what each notebook
    printed in its committed run: accuracy as 98.58% and the parameter count as 669,706."""
    for row in course_results():
        path = next(p for p in NOTEBOOKS if p.name.startswith(row["notebook"] + "_"))
        printed = stored_text(load(path))
        for figure in (f"{row['test_accuracy']:.2%}", f"{row['params']:,d}"):
            assert figure in printed, (
                f"course_results.json says {figure} for {row['model']!r}; {path.name}'s outputs "
                "do not: run `python scripts/snapshot_results.py` after `make notebooks`"
            )


#: The one-line text description a figure carries, the last line of the Markdown cell before it:
#: the site's build reads it as the figure's alt text, and refuses a figure without one.
SITE = load_script("build_site")


def test_every_figure_has_a_text_description(nb_path):
    """Readers who cannot see a figure, and the site's alt text, get it in words."""
    cells = load(nb_path)["cells"]
    bare = [
        source(cell).strip().splitlines()[0][:80]
        for before, cell in zip(cells, cells[1:], strict=False)
        if SITE.shows_a_figure(cell) and not SITE.figure_text(before)
    ]
    assert not bare, "figures without a '*Figure: …*' line in the Markdown before them:\n" + (
        "\n".join(bare)
    )


def test_the_figure_description_check_reads_the_cell_before():
    png = {"output_type": "display_data", "data": {"image/png": "x"}, "metadata": {}}
    plot = {"cell_type": "code", "source": ["plt.show()"], "outputs": [png]}
    text = ["Intro.\n", "*Figure: the loss per epoch, two lines.*"]
    said = {"cell_type": "markdown", "source": text}
    assert SITE.shows_a_figure(plot) and SITE.figure_text(said) == "the loss per epoch, two lines."
    assert SITE.figure_text({"cell_type": "markdown", "source": ["*Figure: short*"]}) is None
    assert SITE.figure_text({"cell_type": "code", "source": text}) is None
