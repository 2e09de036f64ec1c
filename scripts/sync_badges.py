"""Rewrite every Colab/Binder link and Colab install line from ``mnist_helpers.course``.

    python scripts/sync_badges.py

In each notebook: the badge line of the first cell (the line starting ``[![Open In Colab]``) and
the ``git+https://github.com/OWNER/NAME`` address of the Colab install in Setup. In README.md: the
OWNER/NAME part of every Colab and Binder link. The tests fail when any of them is out of date.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mnist_helpers.course import REPOSITORY, badges_markdown  # noqa: E402

MARK = "[![Open In Colab]"
GIT_URL = re.compile(r"git\+https://github\.com/[\w.-]+/[\w.-]+")
LAUNCH_URL = re.compile(
    r"(colab\.research\.google\.com/github/|mybinder\.org/v2/gh/)[\w.-]+/[\w.-]+"
)


def sync(path: Path) -> bool:
    nb = json.loads(path.read_text(encoding="utf-8"))
    lines = "".join(nb["cells"][0]["source"]).split("\n")
    new = [badges_markdown(path.name) if line.startswith(MARK) else line for line in lines]
    changed = new != lines
    nb["cells"][0]["source"] = "\n".join(new).splitlines(keepends=True)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            code = "".join(cell["source"])
            fixed = GIT_URL.sub(f"git+https://github.com/{REPOSITORY}", code)
            if fixed != code:
                cell["source"] = fixed.splitlines(keepends=True)
                changed = True
    if not changed:
        return False
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return True


def sync_readme(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    fixed = LAUNCH_URL.sub(lambda m: m.group(1) + REPOSITORY, text)
    if fixed == text:
        return False
    path.write_text(fixed, encoding="utf-8")
    return True


if __name__ == "__main__":
    for nb_path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        print(("updated " if sync(nb_path) else "ok      ") + nb_path.name)
    print(("updated " if sync_readme(ROOT / "README.md") else "ok      ") + "README.md")
