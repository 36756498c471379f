#!/bin/sh
# Tests of `leakmut score` on tests/fixtures/verify, with ruff (WebAssembly
# build from npm) and pylint (Debian).  Each expected outcome below was
# checked by hand against what the rule is documented to flag.
# Usage: score.sh LEAKMUT [RUNNER]   (run from tests/)
set -u
LEAKMUT=$1
shift
RUNNER="$*"
export LC_ALL=C
fixture=$(cd fixtures/verify && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

lm() {
	# shellcheck disable=SC2086
	$RUNNER "$LEAKMUT" "$@" >"$tmp/out" 2>"$tmp/err"
	echo $? >"$tmp/rc"
}

check() { # name, condition (shell), message
	if eval "$2"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $1: $3"
		sed 's/^/  stdout: /' "$tmp/out" | head -30
		sed 's/^/  stderr: /' "$tmp/err" | head -20
	fi
}

rc() { cat "$tmp/rc"; }

lm generate --operators drop-with,close-happy-path,inline-open,control -o "$tmp/s.git" "$fixture"
lm score --detector ruff --detector pylint -o "$tmp/report" "$tmp/s.git"
check score '[ "$(rc)" = 0 ] && grep -q "^ruff 0.17.4: 0 leak alerts on base" "$tmp/out" &&
	grep -q "^pylint 2\." "$tmp/out" && [ -f "$tmp/report/score.json" ]' "score runs both detectors"
git -C "$tmp/s.git" show leakmut/truth:truth.jsonl >"$tmp/truth.jsonl"
check outcomes 'python3 - "$tmp/report/score.json" "$tmp/truth.jsonl" >"$tmp/out" 2>"$tmp/err" <<PYEOF
import json, sys
score = json.load(open(sys.argv[1]))
truth = {r["id"]: r for r in map(json.loads, open(sys.argv[2]))}
# (detector, operator, function): outcome, and why.
want = {
    # ruff SIM115 flags a file opened outside a with, also gzip.open since 0.5.
    ("ruff", "drop-with", "read_text"): "DETECTED",        # fh = open(...): never closed
    ("ruff", "drop-with", "write_text"): "DETECTED",
    ("ruff", "drop-with", "checked_write"): "DETECTED",
    ("ruff", "drop-with", "never_called"): "DETECTED",     # static: runs or not, same finding
    ("ruff", "drop-with", "read_gz"): "DETECTED",          # gzip.open is in the SIM115 list
    ("ruff", "close-happy-path", "write_text"): "DETECTED",  # open outside with, closed by hand
    ("ruff", "close-happy-path", "checked_write"): "DETECTED",
    ("ruff", "inline-open", "write_text"): "DETECTED",     # open(...).write(text) statement
    ("ruff", "inline-open", "read_text"): "MISSED",        # return open(...).read(): not flagged
    ("ruff", "inline-open", "never_called"): "MISSED",     # the same shape
    ("ruff", "inline-open", "read_gz"): "MISSED",          # the same shape, gzip
    # pylint R1732 consider-using-with: open() assigned outside a with.
    ("pylint", "drop-with", "read_text"): "DETECTED",
    ("pylint", "drop-with", "write_text"): "DETECTED",
    ("pylint", "drop-with", "checked_write"): "DETECTED",
    ("pylint", "drop-with", "never_called"): "DETECTED",
    ("pylint", "drop-with", "read_gz"): "MISSED",          # gzip.open is not in its list
    ("pylint", "close-happy-path", "write_text"): "DETECTED",
    ("pylint", "close-happy-path", "checked_write"): "DETECTED",
    ("pylint", "inline-open", "write_text"): "DETECTED",
    ("pylint", "inline-open", "read_text"): "MISSED",      # a returned open() is left to the caller
    ("pylint", "inline-open", "never_called"): "MISSED",
    ("pylint", "inline-open", "read_gz"): "MISSED",
}
got, controls = {}, []
for m in score["mutants"]:
    r = truth[m["id"]]
    if r["result_kind"] == "pass":
        controls.append((m["detector"], r["operator"], r["qualname"], m["outcome"]))
    else:
        got[(m["detector"], r["operator"], r["qualname"])] = m["outcome"]
bad = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
assert not bad and set(got) == set(want), (bad, set(got) ^ set(want))
assert all(o in ("FP", "TN") for *_, o in controls), controls
for det in score["detectors"]:
    o = det["overall"]
    assert det["rule_map_version"] == 1 and det["command"]
    lo, hi = o["recall_wilson95"]
    assert lo <= o["recall"] <= hi
    assert abs(o["youden_j"] - (o["recall"] - o["fpr"])) < 1e-9
print(len(got), "mutant outcomes as expected")
PYEOF' "each outcome is the hand-checked one; controls are FP or TN; metrics are consistent"

lm score --detector nope "$tmp/s.git"
check unknown-detector '[ "$(rc)" = 1 ] && grep -q "unknown detector .nope." "$tmp/err"' \
	"an unknown detector is a clear error"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
