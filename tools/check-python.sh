#!/bin/sh
# The first thing `make` does: check the Python it builds the venvs with.
#
#   sh tools/check-python.sh PYTHON VENV...
#
# The version needed has one home, requires-python in pyproject.toml (">=X.Y"). When PYTHON cannot
# run or is older, prints one line saying what was found and what is needed, and exits 1 (the
# Makefile stops with that line). A venv made by another Python than PYTHON is removed, saying so on
# stderr, so that make builds it again: a venv left by an older Python would otherwise fail the
# same way on every rerun.
python=$1
shift

needed=$(sed -n 's/^requires-python *= *">= *\([0-9][0-9]*\.[0-9][0-9]*\)".*/\1/p' pyproject.toml)
if [ -z "$needed" ]; then
    echo "pyproject.toml: requires-python is not of the form \">=X.Y\"; cannot check the Python version"
    exit 1
fi

found=$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null)
case $found in
    [0-9]*.[0-9]*.[0-9]*) ;;
    *)
        echo "PYTHON=$python cannot be run; eks-platform needs Python $needed or newer (requires-python in pyproject.toml): install it and run make PYTHON=python$needed"
        exit 1
        ;;
esac

major_minor() { echo "$1" | cut -d. -f1-2; }
older() {  # older A B: version A is older than version B (major.minor)
    a_major=${1%%.*} a_minor=$(echo "$1" | cut -d. -f2)
    b_major=${2%%.*} b_minor=$(echo "$2" | cut -d. -f2)
    [ "$a_major" -lt "$b_major" ] || { [ "$a_major" -eq "$b_major" ] && [ "$a_minor" -lt "$b_minor" ]; }
}

if older "$found" "$needed"; then
    echo "PYTHON=$python is Python $found; eks-platform needs Python $needed or newer (requires-python in pyproject.toml): install it and run make PYTHON=python$needed"
    exit 1
fi

for venv in "$@"; do
    [ -f "$venv/pyvenv.cfg" ] || continue
    made_by=$(sed -n 's/^version *= *\([0-9][0-9.]*\).*/\1/p' "$venv/pyvenv.cfg")
    if [ "$(major_minor "$made_by")" != "$(major_minor "$found")" ]; then
        echo "make: $venv/ was made by Python ${made_by:-unknown}, not by $python (Python $found): removing it to build it again" >&2
        rm -rf "$venv"
    fi
done
