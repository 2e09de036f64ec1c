"""The course's command line: ``python -m mnist_helpers predict IMAGE [IMAGE ...]``.

Each image goes through the MNIST-style preprocessing of notebook 06 (``to_mnist``) and the
course's trained model (notebook 05's). One line per image; a bad file gets a one-line error on
standard error, the other images are still predicted, and the exit status is 1.

    python -m mnist_helpers predict images/digits/*.jpg
    python -m mnist_helpers predict --top 3 --json photo.png
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from mnist_helpers.config import quiet_stderr


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mnist_helpers", description="The handwritten-digit course's tools."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    predict = commands.add_parser(
        "predict",
        help="read the digit in each image with the course's trained model",
        description="Read the digit in each image (a photo, scan or drawing of one digit).",
    )
    predict.add_argument("images", nargs="+", metavar="IMAGE", help="image files (PNG, JPEG, …)")
    predict.add_argument("--top", type=int, default=1, metavar="K", help="show the K likeliest")
    predict.add_argument("--json", action="store_true", help="print one JSON list instead")
    predict.add_argument("--model", metavar="PATH", help="a .keras model instead of the course's")
    return parser


def predict_command(args: argparse.Namespace) -> int:
    from mnist_helpers.external import to_mnist

    if not 1 <= args.top <= 10:
        print(f"error: --top should be between 1 and 10, got {args.top}", file=sys.stderr)
        return 2
    results, digits = [], []
    for name in args.images:
        try:
            digits.append(to_mnist(name))
            results.append({"file": name})
        except (ValueError, OSError) as err:
            results.append({"file": name, "error": str(err)})
    ok = [r for r in results if "error" not in r]
    if ok:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        from mnist_helpers.model import load_course_model, predict_digits

        try:
            with quiet_stderr():  # TensorFlow's start-up notices
                model = load_course_model(args.model)
        except (FileNotFoundError, ValueError, OSError) as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        import numpy as np

        for result, top in zip(ok, predict_digits(model, np.stack(digits), args.top), strict=True):
            result["digit"], result["confidence"] = top[0]
            result["top"] = [{"digit": d, "probability": round(p, 6)} for d, p in top]
            result["confidence"] = round(result["confidence"], 6)
    if args.json:
        print(json.dumps(results, indent=1))
    for r in results:
        if "error" in r:
            where = "" if r["file"] in r["error"] else f"{r['file']}: "
            print(f"error: {where}{r['error']}", file=sys.stderr)
        elif not args.json:
            guesses = " · ".join(f"{t['digit']} ({t['probability']:.1%})" for t in r["top"])
            print(f"{r['file']}: {guesses}")
    return 1 if len(ok) < len(results) else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return predict_command(args)


if __name__ == "__main__":
    sys.exit(main())
