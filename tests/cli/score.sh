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
    assert det["rule_map_version"] == 2 and det["command"]
    assert det["argv"] and det["argv"][0] in ("node", "pylint"), det["argv"]
    assert len(det["config_sha256"]) == 64 and det["seconds"] > 0
    lo, hi = o["recall_wilson95"]
    assert lo <= o["recall"] <= hi
    assert abs(o["youden_j"] - (o["recall"] - o["fpr"])) < 1e-9
print(len(got), "mutant outcomes as expected")
PYEOF' "each outcome is the hand-checked one; controls are FP or TN; metrics are consistent"

lm score --detector nope "$tmp/s.git"
check unknown-detector '[ "$(rc)" = 1 ] && grep -q "unknown detector .nope." "$tmp/err"' \
	"an unknown detector is a clear error"

# ---- a SARIF-writing detector of the user's: argv, mapping, outcomes ----------------
fake="$(pwd)/cli/fake_sarif.py"
lm score --detector "fake=python3 $fake --log $tmp/log --note 'a b'\ c --out {sarif} {files}" \
	--detector "fakeout=python3 $fake {files}" -o "$tmp/fake" "$tmp/s.git"
check fake-detector '[ "$(rc)" = 0 ] && grep -q "^fake 1.2.3: 0 leak alerts" "$tmp/out" &&
	python3 - "$tmp/fake/score.json" "$tmp/truth.jsonl" "$tmp/log" "$tmp" >"$tmp/out" 2>"$tmp/err" <<PYEOF
import json, sys
score = json.load(open(sys.argv[1]))
truth = {r["id"]: r for r in map(json.loads, open(sys.argv[2]))}
runs = [json.loads(l) for l in open(sys.argv[3])]
# Two runs (base, mutants); the quoted word arrives whole; {sarif} is a file
# under /tmp; {files} is every materialised file, relative to the run folder.
assert len(runs) == 2, runs
base_run, mut_run = runs
for run in runs:
    assert run[:4] == ["--log", sys.argv[3], "--note", "a b c"], run
    assert run[4] == "--out" and run[5].startswith("/tmp/"), run
want = sorted(r["id"] + "/" + f for r in truth.values() for f in r.get("files", [r["path"]]))
assert sorted(mut_run[6:]) == want, (mut_run[6:], want)
assert all(not p.startswith("/") and "/" in p for p in base_run[6:]), base_run
# The fake reports NAME = open( lines: those of drop-with, never those of inline-open.
for m in score["mutants"]:
    r = truth[m["id"]]
    if r["result_kind"] == "pass":
        assert m["outcome"] in ("FP", "TN"), m
        continue
    if r["operator"] == "drop-with" and "gzip" not in r["acquisition"]:
        assert m["outcome"] == "DETECTED" and m["tier"] in (0, 1), m
    if r["operator"] == "inline-open":
        assert m["outcome"] == "MISSED", m
dets = {d["name"]: d for d in score["detectors"]}
assert set(dets) == {"fake", "fakeout"}
assert dets["fake"]["argv"][:3] == ["python3", dets["fake"]["argv"][1], "--log"]
assert dets["fake"]["version"] == "1.2.3" and len(dets["fake"]["config_sha256"]) == 64
assert dets["fake"]["error"] is None and dets["fake"]["seconds"] > 0
# stdout or {sarif}: the same outcomes.
rows = {}
for m in score["mutants"]:
    rows.setdefault(m["id"], {})[m["detector"]] = m["outcome"]
assert all(v["fake"] == v["fakeout"] for v in rows.values())
print("fake detector as expected")
PYEOF' "a SARIF-writing command: argv expanded, findings mapped back to mutants, outcomes"

lm score --detector "bad=python3 $fake --exit 3 {files}" -o "$tmp/bad" "$tmp/s.git"
check exit-nonzero '[ "$(rc)" = 0 ] && grep -q "warning: detector bad: python3 exited with status 3" "$tmp/out" &&
	python3 -c "import json,sys; s=json.load(open(sys.argv[1]))
assert {m[\"outcome\"] for m in s[\"mutants\"]} == {\"TOOL_ERROR\"}
assert \"status 3\" in s[\"detectors\"][0][\"error\"]" "$tmp/bad/score.json"' \
	"a detector exiting non-zero makes every row TOOL_ERROR, said on the table"
lm score --detector "bad=python3 $fake --garbage {files}" -o "$tmp/bad2" "$tmp/s.git"
check garbage-sarif '[ "$(rc)" = 0 ] && grep -q "detector bad: its standard output: not SARIF" "$tmp/out" &&
	grep -q TOOL_ERROR "$tmp/bad2/score.json"' "output that is not SARIF is a TOOL_ERROR naming where it came from"
lm score --detector "bad=no-such-tool-xyz {files}" "$tmp/s.git"
# posix_spawnp reports a missing program itself, or (under valgrind, which
# forks and execs) the child exits with 127.
check no-tool '[ "$(rc)" = 0 ] && grep -Eq "detector bad: no-such-tool-xyz: cannot run|detector bad: no-such-tool-xyz exited with status 127" "$tmp/out"' \
	"a command that cannot start is a TOOL_ERROR naming it"
lm score --detector "bad=python3 '{files}" "$tmp/s.git"
check bad-quote '[ "$(rc)" = 1 ] && grep -q "detector bad: unclosed . in the command" "$tmp/err"' \
	"an unclosed quote is a clear error"

# ---- precomputed SARIF over the materialised layout ------------------------------------
lm score --materialise "$tmp/mat" "$tmp/s.git"
check materialise '[ "$(rc)" = 0 ] && [ -d "$tmp/mat/base/pkg" ] && python3 -c "import json,os,sys
for r in map(json.loads, open(sys.argv[1])):
    for f in r.get(\"files\", [r[\"path\"]]):
        assert os.path.isfile(os.path.join(sys.argv[2], \"mutants\", r[\"id\"], f)), (r[\"id\"], f)
" "$tmp/truth.jsonl" "$tmp/mat"' "--materialise writes DIR/base/<path> and DIR/mutants/<id>/<path>"
(cd "$tmp/mat" && python3 "$fake" --out "$tmp/pre.sarif" $(find base mutants -name "*.py" | sort))
lm score --sarif "pre=$tmp/pre.sarif" --detector "fakeout=python3 $fake {files}" -o "$tmp/pre" "$tmp/s.git"
check sarif-file '[ "$(rc)" = 0 ] && python3 -c "import json,sys
s=json.load(open(sys.argv[1])); rows={}
for m in s[\"mutants\"]: rows.setdefault(m[\"id\"],{})[m[\"detector\"]]=(m[\"outcome\"],m[\"tier\"])
assert rows and all(v[\"pre\"]==v[\"fakeout\"] for v in rows.values()), rows
assert sum(v[\"pre\"][0]==\"DETECTED\" for v in rows.values()) > 0
d=[d for d in s[\"detectors\"] if d[\"name\"]==\"pre\"][0]; assert d[\"version\"]==\"1.2.3\" and len(d[\"config_sha256\"])==64
" "$tmp/pre/score.json"' "--sarif NAME=FILE scores a log made elsewhere like the same tool run here"
lm score --sarif "pre=$tmp/missing.sarif" "$tmp/s.git"
check sarif-missing '[ "$(rc)" = 1 ] && grep -q "sarif pre=$tmp/missing.sarif: No such file" "$tmp/err"' \
	"a missing SARIF file is a clear error naming it"
echo '{"runs": 3' >"$tmp/broken.sarif"
lm score --sarif "pre=$tmp/broken.sarif" "$tmp/s.git"
check sarif-malformed '[ "$(rc)" = 1 ] && grep -q "sarif pre=$tmp/broken.sarif: not SARIF" "$tmp/err"' \
	"a malformed SARIF file is a clear error naming it"
echo '{"runs": {}}' >"$tmp/broken.sarif"
lm score --sarif "pre=$tmp/broken.sarif" "$tmp/s.git"
check sarif-no-runs '[ "$(rc)" = 1 ] && grep -q "broken.sarif: not SARIF: no .runs. array" "$tmp/err"' \
	"SARIF without a runs array is a clear error naming the file"
printf '%s\n' '{"runs": [{"results": [{"ruleId": "x", "locations": [{"physicalLocation":' \
	'{"artifactLocation": {"uri": "file:///elsewhere/x.py"}, "region": {"startLine": 1}}}]}]}]}' \
	>"$tmp/abs.sarif"
lm score --sarif "pre=$tmp/abs.sarif" "$tmp/s.git"
check sarif-absolute '[ "$(rc)" = 1 ] && grep -q "sarif pre=$tmp/abs.sarif: result path /elsewhere/x.py is absolute" "$tmp/err"' \
	"an absolute path outside the layout is a clear error naming the file"
lm score --materialise "$tmp/mat" "$tmp/s.git"
check materialise-nonempty '[ "$(rc)" = 1 ] && grep -q "materialise $tmp/mat: exists and is not empty" "$tmp/err"' \
	"--materialise refuses a folder that is not empty"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
