#!/usr/bin/env bash
# The workshop's offline kit: every package of the learner's environment (requirements.txt), as
# wheel files, so a room with no internet (or one slow link) can install from a USB stick or a
# shared folder. The test and lint tools (requirements-dev.txt) stay out: a room runs the
# notebooks, not the tests, and the check below needs none of them.
#
#   scripts/offline_kit.sh [KIT]          download this machine's wheels into KIT/TARGET-pyX.Y
#                                         (default KIT: offline-kit; e.g. linux-x86_64-py3.11)
#   scripts/offline_kit.sh --for TARGET --python X.Y [KIT]
#                                         the same for the learners' laptops: TARGET is
#                                         windows-x86_64, macos-arm64 or linux-x86_64; repeat
#                                         --for and --python for a room's mix (one folder each)
#   scripts/offline_kit.sh --check [--for TARGET --python X.Y] [KIT]
#                                         this machine's kit: install it into a new virtual
#                                         environment with the package index switched off (and,
#                                         where `unshare` works, no network at all), then read a
#                                         digit with the course's model to prove the install
#                                         works. Another platform's kit: resolve requirements.txt
#                                         from it alone, as pip would on that platform
#
# The wheels come through scripts/kit_pip.py, which makes pip evaluate the environment markers
# (requirements.txt's and every package's) for the target, not this machine, and picks wheels
# for the oldest system the target names (glibc 2.28, macOS 12) and Python X.Y.0: a kit made on
# a new machine still installs on the learners' older ones.
# The data and the trained model are not in the wheelhouse: they ship inside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-python3}

check=0
targets=()
pythons=()
KIT=offline-kit
while (($#)); do
    case $1 in
        --check) check=1 ;;
        --for) targets+=("${2:?--for needs a target: windows-x86_64, macos-arm64 or linux-x86_64}")
            shift ;;
        --python) pythons+=("${2:?--python needs a version such as 3.12}"); shift ;;
        -*) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
        *) KIT=$1 ;;
    esac
    shift
done
read -r host_target host_python < <("$PYTHON" scripts/kit_pip.py --host)
[[ -n ${host_python:-} ]] || { echo "$PYTHON could not run scripts/kit_pip.py --host" >&2; exit 2; }
((${#targets[@]})) || targets=("$host_target")
((${#pythons[@]})) || pythons=("$host_python")
known=$("$PYTHON" scripts/kit_pip.py --targets)
for target in "${targets[@]}"; do
    [[ " $known " == *" $target "* || $target == "$host_target" ]] || {
        echo "--for $target: a kit is for one of $known" >&2
        exit 2
    }
done
supported=$(sed -n 's/^SUPPORTED_PYTHONS := //p' Makefile)
for python in "${pythons[@]}"; do
    [[ " $supported " == *" $python "* ]] || {
        echo "Python $python: the pins resolve on $supported only (Makefile)" >&2
        exit 2
    }
done
mkdir -p "$KIT"
KIT=$(cd "$KIT" && pwd)

if unshare --net true 2>/dev/null; then
    no_network=(unshare --net)  # a new network namespace: nothing can be reached
    network=off
else
    no_network=(env)  # a no-op prefix
    network=on
fi

# No pip configuration (it may name other indexes), no index, only the kit's wheels ($1).
set_offline() {
    offline=("${no_network[@]}" env PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 "PIP_FIND_LINKS=$1")
}

# Another platform's kit: does requirements.txt resolve from its wheels alone, for that platform?
check_foreign() {
    local target=$1 python=$2 report count
    set_offline "$3"
    report=$(mktemp)
    "${offline[@]}" "$PYTHON" scripts/kit_pip.py "$target" "$python" install --quiet --dry-run \
        --ignore-installed --report "$report" -r requirements.txt
    count=$("$PYTHON" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["install"]))' \
        "$report")
    rm -f "$report"
    echo "$target, Python $python: requirements.txt resolves from the kit alone, $count" \
        "packages (network $network, no index)"
}

# This machine's kit: install it with no index (and no network), then read a digit with it.
check_here() {
    local wheels=$1 read_as started
    set_offline "$wheels"
    if [[ $network == off ]]; then
        echo "network: switched off (unshare --net)"
    else
        echo "network: left on (unshare is not allowed here), but pip uses no index"
    fi
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    started=$SECONDS
    "$PYTHON" -m venv "$scratch/venv"
    local venv_python="$scratch/venv/bin/python"
    "${offline[@]}" "$venv_python" -m pip install --quiet --no-index -r requirements.txt
    "${offline[@]}" "$venv_python" -m pip install --quiet --no-index --no-deps --no-build-isolation \
        -e "$ROOT"
    "${offline[@]}" "$venv_python" -m pip check
    # the data loads (and passes its checksums), and the course's own command line reads a photo
    local quiet=(env TF_CPP_MIN_LOG_LEVEL=3 TF_ENABLE_ONEDNN_OPTS=0)
    "${offline[@]}" "${quiet[@]}" "$venv_python" -c "import mnist_helpers as m; m.load_mnist()"
    read_as=$("${offline[@]}" "${quiet[@]}" "$venv_python" -m mnist_helpers predict \
        images/digits/7_marker.jpg)
    echo "$read_as"
    [[ "$read_as" == "images/digits/7_marker.jpg: 7 "* ]] || { echo "expected a 7" >&2; exit 1; }

    # what WORKSHOP.md quotes ("Tested here"); a test keeps the two in step
    {
        echo "date: $(date +%F)"
        echo "platform: $(uname -s) $(uname -m), $("$PYTHON" --version)"
        echo "wheels: $(ls "$wheels" | wc -l | tr -d ' ')"
        echo "megabytes: $(du -sm "$wheels" | cut -f1)"
        echo "network: $network"
        echo "seconds: $((SECONDS - started))"
        echo "read: $read_as"
        # which requirements.txt the kit was made from (benchmarks/stale.py compares it)
        echo "requirements_sha256: $( (sha256sum || shasum -a 256) <requirements.txt | cut -d' ' -f1)"
    } | tee benchmarks/offline_kit.txt
}

for target in "${targets[@]}"; do
    for python in "${pythons[@]}"; do
        wheels="$KIT/$target-py$python"
        here=0
        [[ $target == "$host_target" && $python == "$host_python" ]] && here=1
        if [[ $check == 1 && ! -d "$wheels" ]]; then
            echo "no kit at $wheels: run $0 --for $target --python $python first" >&2
            exit 2
        elif [[ $check == 1 && $here == 1 ]]; then
            check_here "$wheels"
        elif [[ $check == 1 ]]; then
            check_foreign "$target" "$python" "$wheels"
        elif [[ " $known " == *" $target "* ]]; then
            # this machine's kit too: wheels for the oldest system and Python release of the kind
            mkdir -p "$wheels"
            "$PYTHON" scripts/kit_pip.py "$target" "$python" download --quiet \
                -r requirements.txt -d "$wheels"
        else
            mkdir -p "$wheels"  # a machine kit_pip.py does not know: its own wheels
            "$PYTHON" -m pip download --quiet --only-binary=:all: -r requirements.txt -d "$wheels"
        fi
        if [[ $check == 0 ]]; then
            echo "$target, Python $python: $(ls "$wheels" | wc -l | tr -d ' ') wheels," \
                "$(du -sh "$wheels" | cut -f1), in $wheels"
        fi
    done
done
