#!/usr/bin/env bash
# The workshop's offline kit: every package the course installs, as wheel files, so a room with
# no internet (or one slow link) can install from a USB stick or a shared folder.
#
#   scripts/offline_kit.sh [KIT]          download the wheels into KIT/wheels (default offline-kit)
#   scripts/offline_kit.sh --check [KIT]  install them into a new virtual environment with the
#                                         package index switched off (and, where `unshare` works,
#                                         no network at all), then read a digit with the course's
#                                         model to prove the install works
#
# The wheels are for the platform that runs the download (see WORKSHOP.md for other platforms).
# The data and the trained model are not in the wheelhouse: they ship inside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-python3}

check=0
if [[ "${1:-}" == "--check" ]]; then
    check=1
    shift
fi
KIT=$(realpath -m "${1:-offline-kit}")

if [[ $check == 0 ]]; then
    mkdir -p "$KIT/wheels"
    "$PYTHON" -m pip download --quiet --only-binary=:all: -r requirements.txt -d "$KIT/wheels"
    echo "$(ls "$KIT/wheels" | wc -l) wheels, $(du -sh "$KIT/wheels" | cut -f1), in $KIT/wheels"
    exit 0
fi

[[ -d "$KIT/wheels" ]] || { echo "no wheelhouse at $KIT/wheels: run $0 $KIT first" >&2; exit 2; }
venv=$(mktemp -d)/venv
trap 'rm -rf "$(dirname "$venv")"' EXIT

# No pip configuration (it may name other indexes), no index, only the kit's wheels.
offline=(env PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_FIND_LINKS="$KIT/wheels")
if unshare --net true 2>/dev/null; then
    offline=(unshare --net "${offline[@]}")  # a new network namespace: nothing can be reached
    echo "network: switched off (unshare --net)"
else
    echo "network: left on (unshare is not allowed here), but pip uses no index"
fi

"$PYTHON" -m venv "$venv"
"${offline[@]}" "$venv/bin/python" -m pip install --quiet --no-index -r requirements.txt
"${offline[@]}" "$venv/bin/python" -m pip install --quiet --no-index --no-deps \
    --no-build-isolation -e "$ROOT"
"${offline[@]}" "$venv/bin/python" -m pip check
"${offline[@]}" env TF_CPP_MIN_LOG_LEVEL=3 TF_ENABLE_ONEDNN_OPTS=0 "$venv/bin/python" - <<'EOF'
from mnist_helpers import load_mnist
from mnist_helpers.model import load_course_model, predict_digits
from mnist_helpers.external import to_mnist

(x, y), (xt, yt) = load_mnist()
model = load_course_model()
digit, probability = predict_digits(model, to_mnist("images/digits/7_marker.jpg")[None])[0][0]
assert digit == 7, digit
print(f"offline install works: {len(x):,} training digits, the photo of a 7 read as {digit}")
EOF
