#!/bin/sh
# scripts/deps.sh - check what building and testing pf needs and, on
# Debian, install what is missing.  Run by `make deps` (and so by
# `make check` and `make demo`) from the top of the tree.
#
# Needed: a C compiler (cc) with libc headers, make, pkg-config, libdw,
# libelf, capstone and zlib (through pkg-config), prove (perl), and numba
# for some Python 3 ($PF_PYTHON, python3 on PATH or /usr/bin/python3);
# with --tests (make check) also go (the tests read pprof profiles with
# go tool pprof), jupyter-nbconvert and Debian's ipykernel (a notebook
# runs the %pf magic), chromium (it renders the HTML report), Open MPI
# and mpi4py (an MPI job).
# Optional: gdb, for tests/0100-fixture-gdb.t.
#
# Prints nothing when everything is there.  Otherwise installs the
# Debian packages with apt-get when run as root or with a password-less
# sudo, or prints the command to run and exits 1.

set -u

for_tests=0	# --tests: also what only the tests need
[ "${1:-}" = "--tests" ] && for_tests=1
missing=""	# Debian packages, each once
what=""		# the failed checks, for the message

# need PACKAGE DESCRIPTION
need() {
	case " $missing " in
	*" $1 "*) ;;
	*) missing="${missing:+$missing }$1" ;;
	esac
	what="${what:+$what, }$2"
}

have() {
	command -v "$1" >/dev/null 2>&1
}

# The interpreter search of the tests (scripts/numba-python).
numba_python() {
	sh "${0%/*}/numba-python" >/dev/null
}

# devlib PKG-CONFIG-NAME DEBIAN-PACKAGE: without pkg-config, ask dpkg.
devlib() {
	if have pkg-config; then
		pkg-config --exists "$1" && return 0
	elif have dpkg-query &&
	     dpkg-query -W -f '${Status}\n' "$2" 2>/dev/null |
	     grep -q ' installed$'; then
		return 0
	fi
	need "$2" "$1 (pkg-config $1)"
}

check() {
	missing=""
	what=""
	if ! have cc; then
		need build-essential "a C compiler (cc)"
	elif ! printf 'int main(void) { return 0; }\n' |
	     cc -x c -o /dev/null - >/dev/null 2>&1; then
		need build-essential "a C compiler that can build programs (cc)"
	fi
	have make || need build-essential "make"
	have pkg-config || need pkg-config "pkg-config"
	devlib libdw libdw-dev
	devlib libelf libelf-dev
	devlib capstone libcapstone-dev
	devlib zlib zlib1g-dev
	have prove || need perl "prove (perl)"
	if [ "$for_tests" = 1 ]; then
		have go || need golang-go "go (go tool pprof, for the tests)"
		have jupyter-nbconvert ||
			need jupyter-nbconvert "jupyter-nbconvert (the notebook test)"
		# Debian's package serves Debian's Python only.
		py=$(sh "${0%/*}/numba-python") &&
		case $py in /usr/bin/python3*)
			"$py" -c 'import ipykernel' >/dev/null 2>&1 ||
				need python3-ipykernel "ipykernel for $py (the notebook test)" ;;
		esac
		have chromium ||
			need chromium "chromium (the HTML report test, headless)"
		have mpirun || need openmpi-bin "mpirun (the MPI test)"
		case $py in /usr/bin/python3*)
			"$py" -c 'import mpi4py' >/dev/null 2>&1 ||
				need python3-mpi4py "mpi4py for $py (the MPI test)" ;;
		esac
	fi
	if ! numba_python; then
		need python3-numba "numba for python3 (/usr/bin/python3 -c 'import numba')"
		need python3-numpy "numpy"
	fi
}

# apt_install COMMAND-PREFIX...: apt-get install $missing, updating the
# package lists first if the install fails (a fresh machine has none).
apt_install() {
	echo "pf: installing $missing" >&2
	# shellcheck disable=SC2086 # $missing is a list of words
	if ! "$@" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	     --no-install-recommends $missing; then
		"$@" apt-get update -q || return 1
		# shellcheck disable=SC2086
		"$@" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends $missing || return 1
	fi
}

check
if [ -n "$missing" ]; then
	if ! have apt-get; then
		echo "pf: missing: $what" >&2
		echo "pf: no apt-get (not a Debian system): install the equivalents of the Debian packages: $missing" >&2
		exit 1
	fi
	if [ "$(id -u)" -eq 0 ]; then
		apt_install
	elif have sudo && sudo -n true >/dev/null 2>&1; then
		apt_install sudo -n
	else
		echo "pf: missing: $what" >&2
		echo "pf: install them with:" >&2
		echo "    sudo apt-get install -y $missing" >&2
		exit 1
	fi
	check
	if [ -n "$missing" ]; then
		echo "pf: still missing after apt-get install: $what" >&2
		exit 1
	fi
fi
have gdb ||
	echo "pf: note: no gdb, tests/0100-fixture-gdb.t will be skipped (apt-get install gdb)" >&2
exit 0
