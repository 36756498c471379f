#!/usr/bin/env bash
# Benchmark of how `leakmut score` grows with the findings per file (a script,
# not a test): for each N in SIZES, a tree of FILES modules of N functions,
# each `with open(...)`, its drop-with mutants (N per module, each file
# holding N open() calls), and a SARIF log over the materialised layout that
# flags every open() line on base and on every mutant, as a detector that
# reports much would.  LEAKMUT and BASELINE (another build, say the previous
# commit's) score it in ROUNDS alternating rounds; the script prints each
# time, the median ratio BASELINE / LEAKMUT per size, and checks that both
# wrote the same score.json (times aside).  Doubling N doubles the findings
# per file: a matcher linear in them takes about twice the time, one that
# compares each finding with the others of its file four times or more.
# The machine is shared and noisy: read the ratios, not the absolute figures.
# Usage: tests/bench/score_scale.sh LEAKMUT BASELINE [SIZES] [FILES] [ROUNDS]
set -euo pipefail
lm=$1
baseline=$2
sizes=${3:-"10 20 40"}
files=${4:-10}
rounds=${5:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$(now)"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

for n in $sizes; do
	d="$tmp/n$n"
	mkdir -p "$d/tree/pkg"
	python3 - "$d/tree/pkg" "$n" "$files" <<'PYEOF'
import sys
folder, n, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for f in range(files):
    with open("%s/m%d.py" % (folder, f), "w") as out:
        for k in range(n):
            out.write("def read_%d(path):\n    with open(path) as fh:\n"
                      "        return fh.read() + %d\n\n\n" % (k, k))
PYEOF
	"$lm" generate --operators drop-with -o "$d/m.git" "$d/tree" >/dev/null 2>&1
	"$lm" score --materialise "$d/mat" "$d/m.git" >/dev/null
	python3 - "$d/mat" >"$d/log.sarif" <<'PYEOF'
import json, os, re, sys
os.chdir(sys.argv[1])
pattern, results = re.compile(r"\bopen\("), []
for top in ("base", "mutants"):
    for folder, _, names in sorted(os.walk(top)):
        for name in sorted(names):
            path = os.path.join(folder, name)
            for i, line in enumerate(open(path, encoding="utf-8").read().split("\n")):
                m = pattern.search(line)
                if m:
                    results.append({"ruleId": "open-never-closed", "message": {"text": "x"},
                                    "locations": [{"physicalLocation": {
                                        "artifactLocation": {"uri": path},
                                        "region": {"startLine": i + 1,
                                                   "startColumn": m.start() + 1}}}]})
print(json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "flagall"}},
                  "columnKind": "unicodeCodePoints", "results": results}]}))
PYEOF
	nfind=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$d/log.sarif")
	echo "N=$n: $files modules, $((n * files)) mutants, $nfind findings ($n per mutant file)"
	ratios=()
	for r in $(seq "$rounds"); do
		rm -rf "$d/new" "$d/old"
		t=$(now)
		"$lm" score --sarif "flagall=$d/log.sarif" -o "$d/new" "$d/m.git" >/dev/null
		tn=$(since "$t")
		t=$(now)
		"$baseline" score --sarif "flagall=$d/log.sarif" -o "$d/old" "$d/m.git" >/dev/null
		to=$(since "$t")
		python3 - "$d/new/score.json" "$d/old/score.json" <<'PYEOF'
import json, sys
def clean(x):
    if isinstance(x, dict):
        return {k: clean(v) for k, v in x.items() if k not in ("seconds", "seconds_per_run")}
    return [clean(v) for v in x] if isinstance(x, list) else x
a, b = (clean(json.load(open(p))) for p in sys.argv[1:3])
assert a == b, "the two builds wrote different score.json"
PYEOF
		ratio=$(python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$to" "$tn")
		echo "  round $r: leakmut ${tn}s, baseline ${to}s, baseline/leakmut $ratio"
		ratios+=("$ratio")
	done
	echo "  N=$n median baseline/leakmut: $(median "${ratios[@]}")"
done
