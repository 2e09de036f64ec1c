"""Rewrite every launch link and Colab/Kaggle install line from ``mnist_helpers.course``.

    python scripts/sync_badges.py              after changing REPOSITORY or BRANCH by hand
    python scripts/sync_badges.py --ref TAG    pin the course to a tag for a workshop
    python scripts/sync_badges.py --ref main   and back to main afterwards

``--ref`` first writes REF as ``BRANCH`` in mnist_helpers/course.py. Then, in each notebook: the
badge line of the first cell (the line starting ``[![Open In Colab]``), the
``git+https://github.com/OWNER/NAME@REF`` address of the Colab/Kaggle install in Setup and any
``git clone --branch REF https://github.com/OWNER/NAME``; in README.md: every Colab, Kaggle and
Binder link to a notebook or to the notebooks folder, and the address of the course's website.
The tests fail when any of them is out of date.

Pin to a tag, not a commit: a commit cannot name itself, so the notebooks of the commit a link
opens would still install main. Run ``--ref TAG`` first, commit, then tag that commit (WORKSHOP.md).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
COURSE = Path("mnist_helpers") / "course.py"

MARK = "[![Open In Colab]"
GIT_URL = re.compile(r"git\+https://github\.com/[\w.-]+/[\w.-]+(?:@[\w.-]+)?")
#: A ``git clone --branch REF https://github.com/OWNER/NAME`` of the course (notebook 06's photos).
CLONE = re.compile(r"--branch [\w.-]+ https://github\.com/[\w.-]+/[\w.-]+")
#: A launch link of the README, with the notebook it opens (none: the notebooks folder).
README_LINKS = {
    "colab_url": re.compile(
        r"https://colab\.research\.google\.com/github/[\w.-]+/[\w.-]+/blob/[\w.-]+/notebooks/"
        r"([\w.-]+\.ipynb)"
    ),
    "kaggle_url": re.compile(
        r"https://kaggle\.com/kernels/welcome\?src=https://github\.com/[\w.-]+/[\w.-]+/blob/"
        r"[\w.-]+/notebooks/([\w.-]+\.ipynb)"
    ),
    "binder_url": re.compile(
        r"https://mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/[\w.-]+\?urlpath=lab%2Ftree%2Fnotebooks"
        r"(?:%2F([\w.-]+\.ipynb))?"
    ),
    # the course's website (make site, published on GitHub Pages), with the page it opens
    "site_url": re.compile(r"https://[\w-]+\.github\.io/[\w.-]+/((?:notebooks/)?[\w.-]+\.html)?"),
}
#: A branch or tag name the launch links can carry (no slash: Binder reads the path).
REF = re.compile(r"[A-Za-z0-9][\w.-]*")
#: What a commit's hash looks like: a pin needs a tag (see the module's docstring).
COMMIT = re.compile(r"[0-9a-f]{7,40}")
BRANCH_LINE = re.compile(r'^BRANCH = "[^"\n]*"$', re.M)


def load_course(root: Path = ROOT) -> ModuleType:
    """``ROOT/mnist_helpers/course.py`` as it is on disk now (after ``set_ref`` too)."""
    spec = importlib.util.spec_from_file_location("_course_on_disk", root / COURSE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def set_ref(course_py: Path, ref: str) -> bool:
    """Write ``BRANCH = "REF"`` into course.py; False if it already said so."""
    if not REF.fullmatch(ref) or ref.endswith((".", ".lock")):
        raise ValueError(f"a branch or tag name of letters, digits, '.', '_' and '-', got {ref!r}")
    if COMMIT.fullmatch(ref):
        raise ValueError(
            f"{ref!r} looks like a commit: pin to a tag, since the notebooks of a commit made "
            "before the pin install main (see WORKSHOP.md)"
        )
    text = course_py.read_text(encoding="utf-8")
    fixed, count = BRANCH_LINE.subn(f'BRANCH = "{ref}"', text)
    if count != 1:
        raise ValueError(f'{course_py}: expected one line `BRANCH = "..."`, found {count}')
    if fixed == text:
        return False
    course_py.write_text(fixed, encoding="utf-8")
    return True


def sync(path: Path, course: ModuleType | None = None) -> bool:
    """Rewrite one notebook's badge line and Colab install; False if both were up to date."""
    course = course or load_course()
    nb = json.loads(path.read_text(encoding="utf-8"))
    lines = "".join(nb["cells"][0]["source"]).split("\n")
    new = [course.badges_markdown(path.name) if line.startswith(MARK) else line for line in lines]
    changed = new != lines
    nb["cells"][0]["source"] = "\n".join(new).splitlines(keepends=True)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            code = "".join(cell["source"])
            fixed = GIT_URL.sub(course.install_url(), code)
            clone = f"--branch {course.BRANCH} https://github.com/{course.REPOSITORY}"
            fixed = CLONE.sub(clone, fixed)
            if fixed != code:
                cell["source"] = fixed.splitlines(keepends=True)
                changed = True
    if not changed:
        return False
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return True


def sync_readme(path: Path, course: ModuleType | None = None) -> bool:
    """Rewrite every launch link of the README; False if all were up to date."""
    course = course or load_course()
    text = fixed = path.read_text(encoding="utf-8")
    for function, link in README_LINKS.items():
        url_of = getattr(course, function)
        fixed = link.sub(lambda m, url_of=url_of: url_of(m.group(1)), fixed)
    if fixed == text:
        return False
    path.write_text(fixed, encoding="utf-8")
    return True


def tag_exists(root: Path, ref: str) -> bool:
    found = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--quiet", "--verify", f"refs/tags/{ref}"],
        capture_output=True,
        check=False,
    )
    return found.returncode == 0


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", help="write this tag (or main) into course.py first")
    args = parser.parse_args(argv)
    if args.ref:
        try:
            set_ref(root / COURSE, args.ref)
        except ValueError as error:
            parser.error(str(error))
    course = load_course(root)
    for nb_path in sorted((root / "notebooks").glob("*.ipynb")):
        print(("updated " if sync(nb_path, course) else "ok      ") + nb_path.name)
    print(("updated " if sync_readme(root / "README.md", course) else "ok      ") + "README.md")
    if args.ref and args.ref != "main":
        print(
            f"\nEvery link now names {args.ref}. Commit, then tag that commit and push both:\n"
            f'  git commit -m "Pin the course to {args.ref}" -- {COURSE.as_posix()} README.md '
            f"notebooks\n  git tag {args.ref}\n  git push origin HEAD {args.ref}"
        )
        if tag_exists(root, args.ref):
            print(
                f"Tag {args.ref} exists already: after the commit, move it there "
                f"(git tag -f {args.ref}; git push -f origin {args.ref}), or its notebooks "
                "install what they did when it was made.",
                file=sys.stderr,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
