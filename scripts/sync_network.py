"""Write ``mnist_helpers/network.py`` from notebook 05's code cells: the one copy of its network.

Notebook 05 teaches the course's best model in full: the ``RandomStrokeWidth`` layer, the
``augmentation`` layers and ``best_cnn``. The package needs the same code, so that the shipped
model file loads wherever the course does (the layer's class must be registered) and so that an
older Keras can read the shipped weights into ``best_cnn``. Rather than a second hand-kept copy,
this script copies the notebook's definitions, word for word, into a generated module.

Run it after changing one of those cells of notebook 05::

    python scripts/sync_network.py          # rewrite mnist_helpers/network.py
    python scripts/sync_network.py --check  # exit 1 if it is out of date (what the tests ask)
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = next((ROOT / "notebooks").glob("05_*.ipynb"))
TARGET = ROOT / "mnist_helpers" / "network.py"
#: What the package needs of notebook 05, in the order the generated module defines them.
NAMES = ("RandomStrokeWidth", "augmentation", "conv_bn", "best_cnn")

HEADER = '''"""Notebook 05's best CNN and its stroke-width layer, as the package ships them.

GENERATED from notebook 05's code cells by ``python scripts/sync_network.py``: do not edit this
file. Change the notebook, then run the script (a test fails while the two differ).

The shipped model file holds ``RandomStrokeWidth``, which Keras rebuilds only once its class is
registered, so ``load_course_model`` imports this module first (outside the course, do the same
before ``keras.models.load_model``); ``best_cnn`` builds the same network in code, for a Keras too
old to rebuild the file from its config. Importing this module imports Keras.
"""

import keras
from keras import layers, ops
'''


def cell_code(cell: dict) -> str:
    """A code cell's text as Python: IPython's %magics and !commands become ``pass``."""
    return "\n".join(
        line[: len(line) - len(line.lstrip())] + "pass"
        if line.lstrip().startswith(("%", "!"))
        else line
        for line in "".join(cell["source"]).splitlines()
    )


def definitions(notebook: Path = NOTEBOOK) -> dict[str, str]:
    """Each of ``NAMES`` as notebook 05's code cells define it, decorators included."""
    found: dict[str, str] = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        text = cell_code(cell)
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in NAMES:
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                found[node.name] = "\n".join(text.splitlines()[first - 1 : node.end_lineno])
    missing = [name for name in NAMES if name not in found]
    if missing:
        raise SystemExit(f"{notebook.name} no longer defines {', '.join(missing)}")
    return found


def generated(notebook: Path = NOTEBOOK) -> str:
    """The text ``network.py`` should hold for ``notebook``."""
    code = definitions(notebook)
    return HEADER + "".join(f"\n\n{code[name]}\n" for name in NAMES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is up to date")
    args = parser.parse_args(argv)
    text = generated()
    if args.check:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run python scripts/sync_network.py")
            return 1
        print(f"{TARGET.relative_to(ROOT)} matches {NOTEBOOK.name}")
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} from {NOTEBOOK.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
