#!/usr/bin/env bash
# Creates the Python virtual environment target/venvs/NAME from a pinned requirements file, e.g.
#   tools/python/venv.sh fakesnow tools/python/fakesnow.requirements.txt
# The build runs it in process-test-resources (skip with -Dvenvs.skip). It rebuilds the venv only
# when the requirements file or the interpreter changed: their hash is kept in the venv, written
# last, so a venv whose install failed half-way is rebuilt on the next run.
# The interpreter is $PYTHON, else python3 on PATH.
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 NAME REQUIREMENTS_FILE" >&2
    exit 2
fi
name=$1
requirements=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
venv="$root/target/venvs/$name"
python=${PYTHON:-python3}

if ! command -v "$python" >/dev/null; then
    echo "venv $name: no $python on PATH; install Python 3 (Debian: apt-get install -y python3 python3-venv)" >&2
    exit 1
fi
if [ ! -f "$requirements" ]; then
    echo "venv $name: requirements file $requirements not found" >&2
    exit 1
fi

stamp="$(sha256sum "$requirements" | cut -d' ' -f1) $("$python" -c 'import sys; print(sys.version.split()[0])')"
if [ -f "$venv/.requirements.sha256" ] && [ "$(cat "$venv/.requirements.sha256")" = "$stamp" ]; then
    echo "venv $name: up to date ($venv)"
    exit 0
fi

# Debian's own python3 lacks venv/ensurepip until python3-venv is installed: say so, not a traceback.
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
    echo "venv $name: $python has no venv/ensurepip module (Debian: apt-get install -y python3-venv)" >&2
    exit 1
fi

echo "venv $name: creating $venv with $("$python" --version 2>&1) from $requirements:"
grep -v '^\s*#' "$requirements" | sed '/^\s*$/d; s/^/  /'
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements"
echo "$stamp" > "$venv/.requirements.sha256"
echo "venv $name: ready"
