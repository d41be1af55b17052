#!/usr/bin/env bash
# make_fixture.sh - regenerate tests/scripts/plots/fixture.csv (+ .meta.json): a
# small real ptbench run that covers what the plot scripts draw (the seed
# workloads in every model, pools in both submission modes, create with a
# --parent-mb sweep).  Three runs, concatenated under one header; the meta
# is the first run's with the other command lines added.  Not run by the
# tests (they must not depend on timing); run it by hand when the CSV
# format changes:   tests/scripts/plots/make_fixture.sh [build/ptbench]
set -euo pipefail

ptbench="${1:-build/ptbench}"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$ptbench" run -q -w cpu,copy,counter -m all -n 1,2 -r 3 --warmup 0 \
	--steps 2e7 --files 4 --file-size 256k --iters 1000 --lock mutex,none \
	-o "$tmp/a.csv" >/dev/null
"$ptbench" run -q -w cpu -m threadpool,procpool -n 1,2 -r 3 --warmup 0 \
	--steps 2e7 --submit sync -o "$tmp/b.csv" >/dev/null
"$ptbench" run -q -w create -m all -n 1 -r 3 --warmup 0 --count 20 \
	--parent-mb 0,32,128 -o "$tmp/c.csv" >/dev/null

"${PYTHON:-python3}" - "$tmp" "$here" <<'PY'
import json, sys
tmp, here = sys.argv[1], sys.argv[2]
lines, commands = [], []
for i, name in enumerate("abc"):
    with open(f"{tmp}/{name}.csv") as f:
        body = f.read().splitlines(True)
    lines += body if i == 0 else body[1:]
    with open(f"{tmp}/{name}.meta.json") as f:
        meta = json.load(f)
    if i == 0:
        first = meta
    commands.append("ptbench " + meta["command_line"].split(" -o ")[0])
first["csv"] = "tests/scripts/plots/fixture.csv"
first["rows"] = len(lines) - 1
first["command_line"] = " && ".join(commands)
first["fixture_note"] = "three real runs concatenated by tests/scripts/plots/make_fixture.sh"
with open(f"{here}/fixture.csv", "w") as f:
    f.writelines(lines)
with open(f"{here}/fixture.meta.json", "w") as f:
    json.dump(first, f, indent=2)
    f.write("\n")
PY
echo "make_fixture: $(($(wc -l <"$here/fixture.csv") - 1)) rows in $here/fixture.csv"
