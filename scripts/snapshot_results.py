"""Copy the committed runs' results ledger into the package, for fresh checkouts to compare with.

Run after ``make notebooks`` (which records every model in ``notebooks/runs/results.json``):

    python scripts/snapshot_results.py

Only full (not quick) runs are kept. ``tests/test_notebooks.py`` checks that every figure in the
snapshot appears in its notebook's committed outputs, so a stale snapshot fails the tests.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mnist_helpers.ledger import COURSE_RESULTS, load_results  # noqa: E402


def main(source: Path = ROOT / "notebooks" / "runs" / "results.json") -> int:
    rows = [r for r in load_results(source) if not r.get("quick")]
    if not rows:
        print(f"no full-run results in {source}: run `make notebooks` first", file=sys.stderr)
        return 1
    rows.sort(key=lambda r: r["notebook"])
    COURSE_RESULTS.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} results to {COURSE_RESULTS.name}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:]:
        sys.exit("usage: python scripts/snapshot_results.py")
    sys.exit(main())
