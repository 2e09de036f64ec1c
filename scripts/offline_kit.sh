#!/usr/bin/env bash
# The workshop's offline kit: every package of the learner's environment (requirements.txt), as
# wheel files, so a room with no internet (or one slow link) can install from a USB stick or a
# shared folder. The test and lint tools (requirements-dev.txt) stay out: a room runs the
# notebooks, not the tests, and the check below needs none of them.
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

started=$SECONDS
"$PYTHON" -m venv "$venv"
"${offline[@]}" "$venv/bin/python" -m pip install --quiet --no-index -r requirements.txt
"${offline[@]}" "$venv/bin/python" -m pip install --quiet --no-index --no-deps \
    --no-build-isolation -e "$ROOT"
"${offline[@]}" "$venv/bin/python" -m pip check
# the data loads (and passes its checksums), and the course's own command line reads a photo
quiet=(env TF_CPP_MIN_LOG_LEVEL=3 TF_ENABLE_ONEDNN_OPTS=0)
"${offline[@]}" "${quiet[@]}" "$venv/bin/python" -c "import mnist_helpers as m; m.load_mnist()"
read_as=$("${offline[@]}" "${quiet[@]}" "$venv/bin/python" -m mnist_helpers predict \
    images/digits/7_marker.jpg)
echo "$read_as"
[[ "$read_as" == "images/digits/7_marker.jpg: 7 "* ]] || { echo "expected a 7" >&2; exit 1; }

# what WORKSHOP.md quotes ("Tested here"); a test keeps the two in step
{
    echo "date: $(date +%F)"
    echo "platform: $(uname -s) $(uname -m), $("$PYTHON" --version)"
    echo "wheels: $(ls "$KIT/wheels" | wc -l)"
    echo "megabytes: $(du -sm "$KIT/wheels" | cut -f1)"
    echo "network: $([[ ${offline[0]} == unshare ]] && echo off || echo on)"
    echo "seconds: $((SECONDS - started))"
    echo "read: $read_as"
    # which requirements.txt the kit was made from (benchmarks/stale.py compares it)
    echo "requirements_sha256: $( (sha256sum || shasum -a 256) <requirements.txt | cut -d' ' -f1)"
} | tee benchmarks/offline_kit.txt
