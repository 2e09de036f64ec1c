"""The course's pages state facts that hold, whatever their wording: every ``make`` command is a
Makefile target, every link and repository path leads to something that exists, and the Python
versions they name are the ones the Makefile accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ["README.md", "WORKSHOP.md", "HANDOUT.md", "MAINTAINING.md", "CHANGES.md"]
#: Paths a run makes and git ignores: the docs may name them before they exist.
RUN_ARTEFACTS = ("notebooks/runs/",)
#: A path into the repository as the docs write one: `benchmarks/notebooks.json`, `Makefile`.
REPO_PATH = re.compile(
    r"(?<![\w./\\-])((?:\.ci|\.github|benchmarks|binder|images|mnist_helpers|notebooks|scripts|site|"
    r"tests)/[\w./-]*[\w/]|requirements(?:-dev|-site)?\.txt|pyproject\.toml|Makefile|LICENSE|"
    r"[A-Z]+\.md)"
)
#: A Markdown link's target: [text](target).
LINK = re.compile(r"\]\(([^)\s]+)\)")
#: Python versions named together: "Python 3.11 to 3.13", "Python 3.11, 3.12 or 3.13".
PYTHONS = re.compile(r"Python (3\.\d+(?:(?:,\s*|\s+or\s+|\s+to\s+|\s*–\s*)3\.\d+)+)")


def text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def code(markdown: str) -> list[str]:
    """The inline code spans and fenced blocks of a page: where its commands are written."""
    fenced = re.findall(r"^\s*```[^\n]*\n(.*?)^\s*```", markdown, re.M | re.S)
    inline = re.findall(
        r"`([^`\n]+)`", re.sub(r"^\s*```.*?^\s*```", "", markdown, flags=re.M | re.S)
    )
    return fenced + inline


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(name: str) -> set[str]:
    return {slug(h) for h in re.findall(r"^#+ (.+)$", text(name), re.M)}


def makefile_targets() -> set[str]:
    return set(re.findall(r"^([\w-]+)\s*:(?!=)", text("Makefile"), re.M))


@pytest.mark.parametrize("name", DOCS)
def test_every_make_command_is_a_makefile_target(name):
    targets = makefile_targets()
    for block in code(text(name)):
        for target in re.findall(r"(?<![\w-])make ([a-z][\w-]*)", block):
            assert target in targets, (
                f"{name} says `make {target}`; the Makefile has no such target"
            )


@pytest.mark.parametrize("name", DOCS)
def test_every_link_leads_somewhere(name):
    for target in LINK.findall(text(name)):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        path = path or name
        assert (ROOT / path).exists(), f"{name} links to {path}, which does not exist"
        if anchor and path.endswith(".md"):
            assert anchor in anchors(path), f"{name} links to {target}: no such heading"


@pytest.mark.parametrize("name", DOCS)
def test_every_path_named_exists(name):
    named = set(REPO_PATH.findall(text(name)))
    missing = sorted(
        p for p in named if not p.startswith(RUN_ARTEFACTS) and not (ROOT / p).exists()
    )
    assert not missing, f"{name} names what does not exist: {', '.join(missing)}"


def test_the_docs_name_the_pythons_the_makefile_supports():
    supported = re.search(r"^SUPPORTED_PYTHONS := (.+)$", text("Makefile"), re.M).group(1).split()
    minors = {int(v.split(".")[1]) for v in supported}
    for name in DOCS:
        for named in PYTHONS.findall(text(name)):
            ends = [int(v) for v in re.findall(r"3\.(\d+)", named)]
            stated = set(range(ends[0], ends[-1] + 1)) if re.search("to|–", named) else set(ends)
            assert stated == minors, f"{name} says Python {named}; the Makefile, {supported}"
    assert PYTHONS.search(text("README.md")), (
        "the README should say which Pythons the course runs on"
    )


def test_the_readme_stays_short():
    """The learner's page is read top to bottom: what no learner needs lives elsewhere."""
    size = len(text("README.md").encode("utf-8"))
    assert size < 6000, f"README.md is {size:,} bytes; keep it under 6,000"
