"""The course's command line: ``python -m mnist_helpers predict IMAGE [IMAGE ...]`` and ``check``.

Each image goes through the MNIST-style preprocessing of notebook 06 (``to_mnist``) and the
course's trained model (notebook 05's). One line per image; a bad image gets a one-line error on
standard error, the other images are still predicted, and the exit status is 1. A model that
cannot be loaded (a bad ``--model`` or ``$MNIST_MODEL``, a damaged file) is checked before any
image: one ``error:`` line and exit status 2. No input makes it print a traceback.

    python -m mnist_helpers predict images/digits/*.jpg
    python -m mnist_helpers predict --top 3 --json photo.png

``check`` says whether this computer is ready for the course, one line a check
(``mnist_helpers.check``): exit status 0 when everything the course needs works, 1 otherwise.

    python -m mnist_helpers check
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence

from mnist_helpers.config import quiet_stderr
from mnist_helpers.course import REPOSITORY


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
    check = commands.add_parser(
        "check",
        help="check that this computer is ready for the course",
        description="Check the Python, the packages, the data, the model, a photo, the training "
        "speed and quick mode, one line each: ok, warn, FAIL (with how to fix it) or skip.",
    )
    check.add_argument("--quick", action="store_true", help="skip the training-speed test")
    return parser


def predict_command(args: argparse.Namespace) -> int:
    from mnist_helpers.external import to_mnist
    from mnist_helpers.model import ModelLoadError, check_model_file

    if not 1 <= args.top <= 10:
        print(f"error: --top should be between 1 and 10, got {args.top}", file=sys.stderr)
        return 2
    if args.model == "":
        print("error: --model is empty: expected the path of a .keras model file", file=sys.stderr)
        return 2
    try:  # first, and without starting Keras: a bad model is reported even if no image is good
        model_file = check_model_file(args.model)
    except (FileNotFoundError, ModelLoadError, ValueError) as err:  # ValueError: a NUL byte
        print(f"error: {err}", file=sys.stderr)
        return 2
    results, digits = [], []
    for name in args.images:
        try:
            digits.append(to_mnist(name))
            results.append({"file": name})
        except (ValueError, OSError) as err:
            results.append({"file": name, "error": str(err)})
        except Exception as err:  # not a known bad input: still one line, and the rest are read
            results.append({"file": name, "error": f"cannot be read ({type(err).__name__}: {err})"})
    ok = [r for r in results if "error" not in r]
    if ok:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        from mnist_helpers.model import load_course_model, predict_digits

        try:
            with quiet_stderr():  # TensorFlow's start-up notices
                model = load_course_model(model_file)
        except (FileNotFoundError, ModelLoadError) as err:
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
            shown = r["file"] if r["file"].isprintable() else repr(r["file"])  # a NUL, a tab…
            where = "" if not shown or shown in r["error"] else f"{shown}: "
            print(f"error: {where}{r['error']}", file=sys.stderr)
        elif not args.json:
            guesses = " · ".join(f"{t['digit']} ({t['probability']:.1%})" for t in r["top"])
            print(f"{r['file']}: {guesses}")
    return 1 if len(ok) < len(results) else 0


def check_command(args: argparse.Namespace) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from mnist_helpers.check import HEADER, run_checks, summary

    with contextlib.suppress(AttributeError, ValueError):  # a Windows console that lacks a glyph
        sys.stdout.reconfigure(errors="replace")
    print(HEADER, flush=True)
    checks = []
    for check in run_checks(timing=not args.quick):
        print(check.line, flush=True)
        checks.append(check)
    line, status = summary(checks)
    print(line)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return check_command(args) if args.command == "check" else predict_command(args)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a bug, not a bad input: one line all the same, never a traceback
        print(
            f"error: unexpected {type(err).__name__}: {err} (please report it at "
            f"https://github.com/{REPOSITORY}/issues)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
