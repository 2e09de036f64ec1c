"""scripts/sync_badges.py rewrites stale launch links from mnist_helpers.course (the fork story),
and pins every link to a workshop's tag and back (``--ref``)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import load_script

from mnist_helpers.course import (
    REPOSITORY,
    badges_markdown,
    colab_url,
    install_url,
    kaggle_url,
    site_url,
)

ROOT = Path(__file__).resolve().parents[1]
sync_badges = load_script("sync_badges")

OLD = "someone/old-fork"
TAG = "workshop-2026-12-05"
#: The ref a launch link or install address names: blob/REF/ (Colab, Kaggle), /gh/O/R/REF
#: (Binder), @REF (pip).
REF_OF_LINK = re.compile(r"(?:github/|/gh/|github\.com/)[\w.-]+/[\w.-]+(?:/blob/|/|@)([\w.-]+)")
#: The ref a clone of the course checks out (notebook 06 on Colab and Kaggle).
REF_OF_CLONE = re.compile(r"--branch ([\w.-]+) https://github\.com/")


def test_the_colab_install_names_the_branch():
    assert install_url() == f"git+https://github.com/{REPOSITORY}@main"


def test_kaggle_opens_the_notebook_from_github():
    assert kaggle_url("01_a.ipynb") == (
        "https://kaggle.com/kernels/welcome?src="
        f"https://github.com/{REPOSITORY}/blob/main/notebooks/01_a.ipynb"
    )
    assert f"]({kaggle_url('01_a.ipynb')})" in badges_markdown("01_a.ipynb")


def test_sync_rewrites_a_stale_notebook(tmp_path):
    path = tmp_path / "05_demo.ipynb"
    stale_badges = badges_markdown("05_demo.ipynb").replace(REPOSITORY, OLD)
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": f"# Title\n\n{stale_badges}\n"},
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": 1,
                "outputs": [],
                "source": f'%pip install "mnist-helpers @ git+https://github.com/{OLD}"\n'
                f"!git clone --depth 1 --branch v0 https://github.com/{OLD} ~/course\n",
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb))
    assert sync_badges.sync(path) is True
    fixed = json.loads(path.read_text())
    assert badges_markdown("05_demo.ipynb") in "".join(fixed["cells"][0]["source"])
    assert f'@ {install_url()}"' in "".join(fixed["cells"][1]["source"])
    assert f"--branch main https://github.com/{REPOSITORY} ~/course" in path.read_text()
    assert OLD not in path.read_text()
    assert sync_badges.sync(path) is False  # already in sync: nothing to write


def test_sync_rewrites_stale_readme_links(tmp_path):
    readme = tmp_path / "README.md"
    links = f"[x]({colab_url('01_a.ipynb')}) [k]({kaggle_url('01_a.ipynb')})\n"
    readme.write_text(links.replace(REPOSITORY, OLD).replace("/main/", "/v1/"))
    assert sync_badges.sync_readme(readme) is True
    assert readme.read_text() == links
    assert sync_badges.sync_readme(readme) is False


def test_sync_points_the_readme_at_this_repositorys_website(tmp_path):
    readme = tmp_path / "README.md"
    links = f"[site]({site_url()}) [05]({site_url('notebooks/05_a.html')})\n"
    readme.write_text(links.replace("handwritten-digits.github.io", "someone.github.io"))
    assert sync_badges.sync_readme(readme) is True
    assert readme.read_text() == links
    assert site_url() == f"https://{REPOSITORY.split('/')[0]}.github.io/{REPOSITORY.split('/')[1]}/"


@pytest.fixture
def course_copy(tmp_path):
    """README, the notebooks and course.py copied, then synced on main: the state to return to."""
    for name in ["README.md", "mnist_helpers/course.py"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "notebooks").mkdir()
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        shutil.copy(path, tmp_path / "notebooks" / path.name)
    clone = f"!git clone --depth 1 --branch main https://github.com/{REPOSITORY} ~/course\n"
    cells = [
        {
            "cell_type": "markdown",
            "metadata": {},
            "source": ["# Demo\n", "\n", "[![Open In Colab]()"],
        },
        {"cell_type": "code", "metadata": {}, "outputs": [], "source": [clone]},
    ]
    demo = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "notebooks" / "99_clone_demo.ipynb").write_text(json.dumps(demo))
    assert sync_badges.main(["--ref", "main"], root=tmp_path) == 0
    return tmp_path


def refs_in(text: str) -> list[str]:
    """Every ref that a launch link, an install or a clone of the course names in ``text``."""
    return REF_OF_LINK.findall(text) + REF_OF_CLONE.findall(text)


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_pinning_names_the_tag_everywhere_and_unpinning_restores_main(course_copy, capsys):
    on_main = snapshot(course_copy)
    assert sync_badges.main(["--ref", TAG], root=course_copy) == 0
    assert f"git tag {TAG}" in capsys.readouterr().out  # the next steps, in their order
    pinned = snapshot(course_copy)
    assert f'BRANCH = "{TAG}"' in pinned["mnist_helpers/course.py"].decode()
    for name, content in pinned.items():
        if name.endswith((".md", ".ipynb")):
            refs = refs_in(content.decode())
            assert refs and set(refs) == {TAG}, f"{name} names {sorted(set(refs))}"
            assert len(refs) == len(refs_in(on_main[name].decode()))
    assert f"--branch {TAG} https://" in pinned["notebooks/99_clone_demo.ipynb"].decode()
    for name in (n for n in pinned if n.endswith(".ipynb") and "99_clone" not in n):
        kaggle = kaggle_url(Path(name).name).replace("/main/", f"/{TAG}/")
        assert kaggle in pinned[name].decode(), f"{name} has no Kaggle badge for {TAG}"
    assert sync_badges.main(["--ref", "main"], root=course_copy) == 0
    assert snapshot(course_copy) == on_main  # byte for byte


@pytest.mark.parametrize(
    "ref", ["0123abc", "3f2a9c1d4e5b6a7980112233445566778899aabb", "a/b", "-x"]
)
def test_a_commit_or_an_odd_name_is_refused(course_copy, ref):
    before = snapshot(course_copy)
    with pytest.raises(SystemExit):
        sync_badges.main(["--ref", ref], root=course_copy)
    assert snapshot(course_copy) == before


def test_an_existing_tag_gets_a_warning(course_copy, capsys):
    git = ["git", "-C", str(course_copy), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(course_copy)], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    subprocess.run([*git, "tag", TAG], check=True)
    sync_badges.main(["--ref", TAG], root=course_copy)
    assert f"git tag -f {TAG}" in capsys.readouterr().err
