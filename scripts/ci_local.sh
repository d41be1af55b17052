#!/usr/bin/env bash
# ci_local.sh - run the GitHub workflows' steps here, in order, on a fresh
# clone of this repository's HEAD, so that the workflows and the scripts
# they call cannot drift apart unnoticed (GitHub itself is not reachable
# from every machine).  The steps are read from the YAML by
# scripts/ci_workflow.py (see its help for what runs and what is a local
# stand-in); nothing is copied from the workflows into this script.
#
#   scripts/ci_local.sh [--event EVENT] [--summary-dir DIR] [WORKFLOW.yml...]
#
#   --event        pull_request (default), push, schedule, workflow_dispatch:
#                  which if: branches run (schedule and workflow_dispatch
#                  add make table QUICK=1 to bench.yml)
#   --summary-dir  keep each job's summary ($GITHUB_STEP_SUMMARY) there
#   --series FILE  a github-action-benchmark data.js to put on a gh-pages
#                  branch of the jobs' origin as dev/bench/data.js, as the
#                  history job leaves it on GitHub (default: no gh-pages)
#   WORKFLOW.yml   default: .github/workflows/bench.yml and ci.yml (ci.yml
#                  runs .ci/run, the whole CI: several minutes)
#
# On a machine shared with other ptbench runs, REGRESS_ARGS=--no-leftovers
# (passed on to make regress) keeps their processes out of the check.
# Only committed work is cloned (a dirty tree is reported, not used).  The
# jobs run on this machine as the current user (not in debian:bookworm):
# their apt-get steps only install what is missing.  The clone, the
# workspaces and HOME of the steps live in one temporary directory, removed
# on exit, also on Ctrl-C.  Exit 0 when every job passed, 1 when one
# failed, 2 on bad input.
set -euo pipefail

root=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
python=${PYTHON:-/usr/bin/python3}
event=pull_request
summary_dir=
series=
workflows=()
while [ $# -gt 0 ]; do
	case "$1" in
	--event) event=${2:?--event needs a value}; shift 2 ;;
	--summary-dir) summary_dir=$(realpath -m "${2:?--summary-dir needs a directory}"); shift 2 ;;
	--series) series=$(realpath "${2:?--series needs a data.js}"); shift 2 ;;
	-h|--help) sed -n '2,/^set -e/p' "$0" | sed 's/^# \{0,1\}//; /^set -e/d'; exit 0 ;;
	-*) echo "ci_local: unknown option '$1' (allowed: --event, --summary-dir, --series)" >&2; exit 2 ;;
	*) workflows+=("$(realpath "$1")"); shift ;;
	esac
done
if [ ${#workflows[@]} -eq 0 ]; then
	workflows=(.github/workflows/bench.yml .github/workflows/ci.yml)
fi

commit=$(git -C "$root" rev-parse HEAD)
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
	echo "ci_local: the work tree has uncommitted changes; the run uses the commit $commit only"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ci-local.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The workflows as committed (a fresh clone), not as in the work tree.
git clone --quiet --no-checkout "$root" "$work/clone"
git -C "$work/clone" checkout --quiet --detach "$commit"
files=()
for w in "${workflows[@]}"; do
	rel=${w#"$root"/}
	if [ ! -f "$work/clone/$rel" ]; then
		echo "ci_local: '$rel' is not a committed workflow of $commit" >&2
		exit 2
	fi
	files+=("$work/clone/$rel")
done

if [ -n "$series" ]; then
	# gh-pages as the history job leaves it: one commit holding the series.
	pages="$work/pages"
	git -C "$work/clone" worktree add --quiet --detach "$pages"
	git -C "$pages" checkout --quiet --orphan gh-pages
	git -C "$pages" rm -rfq .
	mkdir -p "$pages/dev/bench"
	cp "$series" "$pages/dev/bench/data.js"
	git -C "$pages" add dev/bench/data.js
	git -C "$pages" -c user.name=ci-local -c user.email=ci-local@localhost \
		commit --quiet -m "the series given to ci_local.sh"
fi

mkdir "$work/run"
start=$(date +%s)
status=0
# The clone is also the jobs' origin: what a step pushes stays in $work.
"$python" "$work/clone/scripts/ci_workflow.py" run --source "$work/clone" --commit "$commit" \
	--work "$work/run" --event "$event" ${summary_dir:+--summary-dir "$summary_dir"} \
	"${files[@]}" || status=$?
echo "ci_local: $(( $(date +%s) - start )) s, exit $status"
exit "$status"
