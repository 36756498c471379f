#!/bin/sh
# Tests of `leakmut score` on tests/fixtures/verify, with ruff (WebAssembly
# build from npm) and pylint (Debian).  Each expected outcome below was
# checked by hand against what the rule is documented to flag.
# Usage: score.sh LEAKMUT SARIF_SCHEMA [RUNNER]   (run from tests/)
set -u
LEAKMUT=$1
SCHEMA=$2
shift 2
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
# A control counts, once, for each operator it is the twin of (paired_with).
twins = {}
for r in truth.values():
    if r["result_kind"] == "pass":
        ops = {truth[p]["operator"] for p in r.get("paired_with", []) if p in truth}
        twins[r["id"]] = ops or {r["operator"]}
assert any(len(v) > 1 for v in twins.values()), twins  # not vacuous
for det in score["detectors"]:
    rows = [m for m in score["mutants"] if m["detector"] == det["name"] and m["id"] in twins]
    for op, t in det["per_operator"].items():
        mine = [m for m in rows if op in twins[m["id"]]]
        assert t["controls"] == len(mine), (det["name"], op, t["controls"], len(mine))
        assert t["fp"] == sum(m["outcome"] == "FP" for m in mine), (det["name"], op)
    assert det["overall"]["controls"] == len(rows)
    # Youden J macro: the mean of the J of each operator with mutants and controls.
    js = [t["youden_j"] for t in det["per_operator"].values() if t["mutants"] and t["controls"]]
    assert len(js) > 1 and abs(det["youden_j_macro"] - sum(js) / len(js)) < 1e-9, det
    for t in det["per_operator"].values():
        assert (t["fpr"] is None) == (t["controls"] == 0), t
        assert (t["recall"] is None) == (t["recall_wilson95"] is None) == (t["mutants"] == 0), t
        assert (t["youden_j"] is None) == (t["controls"] == 0 or t["mutants"] == 0), t
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

# REPORT_DIR/<detector>.sarif: valid SARIF 2.1.0 whose annotations agree with score.json.
sarif_agrees() { # report dir, detectors...
	/usr/bin/python3 - "$SCHEMA" "$tmp/truth.jsonl" "$@" >"$tmp/out" 2>"$tmp/err" <<PYEOF
import collections, json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
truth = {r["id"]: r for r in map(json.loads, open(sys.argv[2]))}
report = sys.argv[3]
score = json.load(open(report + "/score.json"))
for name in sys.argv[4:]:
    log = json.load(open(report + "/" + name + ".sarif"))
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(log))
    assert not errors, (name, [e.message for e in errors[:3]])
    run, = log["runs"]
    det = [d for d in score["detectors"] if d["name"] == name][0]
    assert run["tool"]["driver"]["name"] == name and run["tool"]["driver"]["version"] == det["version"]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert run["columnKind"] == "unicodeCodePoints"
    by_outcome = collections.defaultdict(set)
    base = 0
    for res in run["results"]:
        a = res["properties"]["leakmut"]
        assert rules[res["ruleIndex"]] == res["ruleId"]
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        if a["outcome"] == "base":
            base += 1
            assert a["branch"] == "base" and a["id"] is None, a
            continue
        r = truth[a["id"]]
        assert a["branch"] == r["branch"] and a["branch"][:2] == ("c/" if a["control"] else "m/")
        assert uri in r.get("files", [r["path"]]), (uri, r)
        by_outcome[a["outcome"]].add(a["id"])
        if a["outcome"] in ("DETECTED", "FP"):
            assert a["tier"] in (0, 1, 2) and a["leak_rule"] and not a["on_base"], a
    rows = collections.defaultdict(set)
    for m in score["mutants"]:
        if m["detector"] == name:
            rows[m["outcome"]].add(m["id"])
    for o in ("DETECTED", "DETECTED_FUNC", "NOT_DISCRIMINATED", "SUPPRESSED", "FP"):
        assert by_outcome[o] == rows[o], (name, o, by_outcome[o] ^ rows[o])
    assert rows["DETECTED"], name  # not vacuous
    assert det["base_alerts"] <= base, (det["base_alerts"], base)
    print(name, {o: len(v) for o, v in by_outcome.items()}, base, "on base")
PYEOF
}
check sarif-out 'sarif_agrees "$tmp/report" ruff pylint' \
	"each detector's SARIF is valid 2.1.0 and its outcome annotations agree with score.json"

# The base comparison's fingerprint holds the enclosing function: a seeded
# `f = open(p)` in load() is new, though other() has the same line on base.
mkdir "$tmp/scope"
cat >"$tmp/scope/m.py" <<'PYEOF'
def load(p):
    with open(p) as f:
        data = f.read()
    return data


def other(p):
    f = open(p)
    return f
PYEOF
lm generate --operators drop-with -o "$tmp/scope.git" "$tmp/scope"
lm score --detector ruff -o "$tmp/scope-report" "$tmp/scope.git"
check scope-fingerprint '[ "$(rc)" = 0 ] && grep -q "^ruff 0.17.4: 1 leak alerts on base" "$tmp/out" &&
	python3 -c "import json, sys
rows = json.load(open(sys.argv[1]))[\"mutants\"]
assert [m[\"outcome\"] for m in rows if m[\"operator\"] == \"drop-with\"] == [\"DETECTED\"], rows" \
	"$tmp/scope-report/score.json"' "a finding is new against base when its enclosing function differs"

# The occurrence in the fingerprint: load() has `f = open(p)` on base once;
# its drop-with mutant has that text twice in load(). The first is on base,
# the second (the seeded one) is new: DETECTED, not NOT_DISCRIMINATED.
mkdir "$tmp/occ"
cat >"$tmp/occ/m.py" <<'PYEOF'
def load(p):
    f = open(p)
    data = f.read()
    with open(p) as f:
        return data + f.read()
PYEOF
lm generate --operators drop-with -o "$tmp/occ.git" "$tmp/occ"
lm score --detector "fake=python3 $(pwd)/cli/fake_sarif.py {files}" -o "$tmp/occ-report" "$tmp/occ.git"
check occurrence '[ "$(rc)" = 0 ] && grep -q "^fake 1.2.3: 1 leak alerts on base" "$tmp/out" &&
	python3 -c "import json, sys
rows = json.load(open(sys.argv[1]))[\"mutants\"]
assert [m[\"outcome\"] for m in rows] == [\"DETECTED\"], rows
res = json.load(open(sys.argv[2]))[\"runs\"][0][\"results\"]
on = sorted(r[\"properties\"][\"leakmut\"][\"on_base\"] for r in res if r[\"properties\"][\"leakmut\"][\"branch\"] != \"base\")
assert on == [False, True], on" "$tmp/occ-report/score.json" "$tmp/occ-report/fake.sarif"' \
	"a line that is on base once and twice in the mutant: the second is new"

# Base alerts per KLOC count a last line without its newline: 1 alert in 5
# lines is 200 per KLOC (it was 250).
mkdir "$tmp/kloc"
printf 'def load(p):\n    f = open(p)\n    data = f.read()\n    with open(p) as f:\n        return data + f.read()' \
	>"$tmp/kloc/m.py"
lm generate --operators drop-with -o "$tmp/kloc.git" "$tmp/kloc"
lm score --detector "fake=python3 $(pwd)/cli/fake_sarif.py {files}" -o "$tmp/kloc-report" "$tmp/kloc.git"
check kloc '[ "$(rc)" = 0 ] && python3 -c "import json, sys
d, = json.load(open(sys.argv[1]))[\"detectors\"]
assert d[\"base_alerts\"] == 1 and d[\"base_alerts_per_kloc\"] == 200, d" "$tmp/kloc-report/score.json"' \
	"base alerts per KLOC: a last line without its newline counts"

# T1 is the statement holding the anchor: inline-open puts open() on the
# third line of a `json.dump(` statement, and in a list comprehension's
# `for` clause; a finding on the statement's first line is T1 (DETECTED),
# one on the `def` line T3 (DETECTED_FUNC).
mkdir "$tmp/stmt"
cat >"$tmp/stmt/m.py" <<'PYEOF'
import json


def save(data, path):
    with open(path, "w") as fh:
        json.dump(
            data,
            fh,
        )


def lines(path):
    with open(path) as fh:
        return [
            line.strip()
            for line in fh
            if line
        ]
PYEOF
lm generate --operators inline-open -o "$tmp/stmt.git" "$tmp/stmt"
lm score --materialise "$tmp/stmt-mat" "$tmp/stmt.git"
python3 - "$tmp/stmt-mat" "$tmp" <<'PYEOF'
import json, os, sys
mat, out = sys.argv[1], sys.argv[2]
found = {"stmt": [], "def": []}
for mid in os.listdir(mat + "/mutants"):
    uri = "mutants/%s/m.py" % mid
    text = open(mat + "/" + uri).read().split("\n")
    # The mutant's own function: the one whose with is gone.
    fn = "save" if "    json.dump(" in text else "lines"
    first = text.index("    json.dump(" if fn == "save" else "    return [") + 1
    found["stmt"].append((uri, first))
    found["def"].append((uri, text.index("def %s(%s):" % (fn, "data, path" if fn == "save" else "path")) + 1))
assert len(found["stmt"]) == 2, found
for name, places in found.items():
    res = [{"ruleId": "open-never-closed", "message": {"text": "x"}, "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": uri},
                                  "region": {"startLine": line, "startColumn": 5}}}]}
           for uri, line in places]
    log = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}, "results": res}]}
    json.dump(log, open("%s/%s.sarif" % (out, name), "w"))
PYEOF
lm score --sarif "stmt=$tmp/stmt.sarif" --sarif "def=$tmp/def.sarif" -o "$tmp/stmt-report" "$tmp/stmt.git"
check statement-tier '[ "$(rc)" = 0 ] && python3 -c "import json, sys
rows = sorted((m[\"detector\"], m[\"outcome\"], m[\"tier\"]) for m in json.load(open(sys.argv[1]))[\"mutants\"])
assert rows == [(\"def\", \"DETECTED_FUNC\", 3)] * 2 + [(\"stmt\", \"DETECTED\", 1)] * 2, rows" \
	"$tmp/stmt-report/score.json"' "a finding on the anchor's statement is T1, elsewhere in its function T3"

# --validated-only: every row (per operator, per kind, all) counts the
# validated mutants alone; controls stay.
cp -R "$tmp/s.git" "$tmp/v.git"
$RUNNER "$LEAKMUT" verify --jobs 2 --timeout 60 "$tmp/v.git" >/dev/null 2>&1
git -C "$tmp/v.git" show leakmut/truth:truth.jsonl >"$tmp/vtruth.jsonl"
lm score --detector pylint --validated-only -o "$tmp/vreport" "$tmp/v.git"
check validated-only '[ "$(rc)" = 0 ] && grep -q "^pylint .*; validated mutants only$" "$tmp/out" &&
	grep -Eq "^  [a-z0-9-]+ +0 +0 +- +0 " "$tmp/out" &&
	python3 - "$tmp/vreport/score.json" "$tmp/vtruth.jsonl" >"$tmp/out" 2>"$tmp/err" <<PYEOF
import json, sys
score = json.load(open(sys.argv[1]))
truth = {r["id"]: r for r in map(json.loads, open(sys.argv[2]))}
assert score["validated_only"] is True
det, = score["detectors"]
rows = [m for m in score["mutants"] if truth[m["id"]]["result_kind"] == "fail"]
valid = [m for m in rows if truth[m["id"]]["validation"]["witness"] == "validated"]
assert 0 < len(valid) < len(rows), (len(valid), len(rows))  # not vacuous
for key, table in (("operator", det["per_operator"]), ("kind", det["per_kind"])):
    for name, t in table.items():
        mine = [m for m in valid if m[key] == name]
        assert t["mutants"] == len(mine), (key, name, t["mutants"], len(mine))
        assert t["outcomes"]["DETECTED"] == sum(m["outcome"] == "DETECTED" for m in mine)
assert det["overall"]["mutants"] == len(valid)
# A row left without mutants (no validated one) has no recall, interval or J.
empty = [t for table in (det["per_operator"], det["per_kind"]) for t in table.values() if not t["mutants"]]
assert empty  # not vacuous
for t in empty:
    assert t["recall"] is None and t["recall_wilson95"] is None and t["youden_j"] is None, t
    assert t["validated_only"]["recall"] is None and t["validated_only"]["recall_wilson95"] is None, t
assert det["overall"]["controls"] == len(rows and [m for m in score["mutants"] if m not in rows])
print(len(valid), "of", len(rows), "mutants validated")
PYEOF' "--validated-only restricts every row to validated mutants and says so"

lm score --detector nope "$tmp/s.git"
check unknown-detector '[ "$(rc)" = 1 ] && grep -q "unknown detector .nope." "$tmp/err"' \
	"an unknown detector is a clear error"
# A detector's name names its files (REPORT_DIR/NAME.sarif, and
# mutation-report-NAME.json): a slash, a backslash, a control character or
# a leading dot is refused, as is a name given twice.
for name in "a/b" 'a\b' "$(printf 'a\001b')" ".hidden" "twice"; do
	extra=
	[ "$name" = twice ] && extra="--sarif twice=$tmp/none.sarif"
	# shellcheck disable=SC2086
	lm score --sarif "$name=$tmp/none.sarif" $extra "$tmp/s.git"
	if [ "$name" = twice ]; then
		want="leakmut: detector name 'twice' given twice"
	else
		want="leakmut: detector name '$name' cannot name a file (it names REPORT_DIR/NAME.sarif)"
	fi
	check detector-name-refused '[ "$(rc)" = 1 ] && [ "$(cat "$tmp/err")" = "$want" ]' \
		"detector name '$name' refused: $want"
done

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
check sarif-out-command 'sarif_agrees "$tmp/fake" fake fakeout' \
	"a command detector's SARIF is valid and agrees with score.json"

# A SARIF detector's suppressed results (result.suppressions) are silent
# natively and found with suppressions ignored, as ruff's noqa'd findings
# are: SUPPRESSED where the plain run is DETECTED on the anchor, and a
# control's FP becomes TN. A suppression under review or rejected
# suppresses nothing, and a result of kind "pass" is no finding.
lm score --detector "plain=python3 $fake {files}" \
	--detector "accepted=python3 $fake --suppress accepted {files}" \
	--detector "nostatus=python3 $fake --suppress none {files}" \
	--detector "review=python3 $fake --suppress underReview --pass {files}" \
	--detector "rejected=python3 $fake --suppress rejected --pass {files}" \
	-o "$tmp/supp" "$tmp/s.git"
check sarif-suppressions '[ "$(rc)" = 0 ] && python3 - "$tmp/supp/score.json" >"$tmp/out" 2>"$tmp/err" <<PYEOF
import json, sys
s = json.load(open(sys.argv[1]))
out = {}
for m in s["mutants"]:
    out.setdefault(m["detector"], {})[m["id"]] = (m["outcome"], m["tier"])
plain = out["plain"]
assert sum(o == ("DETECTED", 0) for o in plain.values()) >= 3, plain  # not vacuous
assert "FP" in {o for o, _ in plain.values()}, plain
for name in ("accepted", "nostatus"):
    for i, (o, t) in plain.items():
        got = out[name][i][0]
        if (o, t) == ("DETECTED", 0):
            assert got == "SUPPRESSED", (name, i, o, got)
        elif o == "DETECTED":
            assert got in ("SUPPRESSED", "MISSED"), (name, i, o, got)
        elif o == "FP":
            assert got == "TN", (name, i, o, got)
        else:
            assert got == o, (name, i, o, got)
for name in ("review", "rejected"):
    assert out[name] == plain, name
# The annotated log shows the finding of each SUPPRESSED outcome, marked as seen
# with suppressions ignored.
log = json.load(open(sys.argv[1].replace("score.json", "accepted.sarif")))
marked = {r["properties"]["leakmut"]["id"] for r in log["runs"][0]["results"]
          if r["properties"]["leakmut"]["outcome"] == "SUPPRESSED" and r["properties"]["leakmut"]["noqa_stripped"]}
assert marked == {i for i, (o, _) in out["accepted"].items() if o == "SUPPRESSED"}, marked
print("suppressions as expected")
PYEOF' "SARIF results the tool suppressed count as SUPPRESSED; under review, rejected and kind pass as specified"
check sarif-suppressions-log 'sarif_agrees "$tmp/supp" plain review' \
	"the annotated logs of detectors with suppressions agree with score.json"

# {files} longer than one run's arguments can hold (the stack limit makes
# ARG_MAX 128 KiB here; 600 mutants' files of about 280 bytes each): the
# command runs once per part of them, and every mutant is scored. It used
# to fail to start (E2BIG), making every row TOOL_ERROR.
deep=$tmp/long/a-folder-whose-name-is-long-$(printf '%0150d' 0)/and-another-$(printf '%060d' 0)
mkdir -p "$deep"
for i in $(seq 1 60); do
	for k in $(seq 1 10); do
		printf 'def read_%s(p):\n    with open(p) as f:\n        return f.read()\n\n\n' "$k"
	done >"$deep/module_with_a_long_name_$i.py"
done
lm generate --operators drop-with -o "$tmp/long.git" "$tmp/long"
rm -f "$tmp/blog"
(
	ulimit -s 512
	lm score --detector "fake=python3 $fake --log $tmp/blog {files}" -o "$tmp/long-report" "$tmp/long.git"
)
check files-in-parts '[ "$(rc)" = 0 ] && ! grep -q "warning" "$tmp/out" && python3 -c "import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
s = json.load(open(sys.argv[2]))
assert len(runs) >= 3, len(runs)  # base in one run, the mutants in several
mut = [f for r in runs for f in r[2:] if not f.startswith(\"a-folder\")]
assert len(mut) == len(set(mut)) == 600, len(mut)
assert s[\"detectors\"][0][\"error\"] is None
assert [m[\"outcome\"] for m in s[\"mutants\"]] == [\"DETECTED\"] * 600" "$tmp/blog" "$tmp/long-report/score.json"' \
	"a command detector whose {files} exceed one run's arguments runs in parts and scores every mutant"

lm score --detector "bad=python3 $fake --exit 3 {files}" -o "$tmp/bad" "$tmp/s.git"
check exit-nonzero '[ "$(rc)" = 0 ] && grep -q "warning: detector bad: python3 exited with status 3" "$tmp/out" &&
	python3 -c "import json,sys; s=json.load(open(sys.argv[1]))
assert {m[\"outcome\"] for m in s[\"mutants\"]} == {\"TOOL_ERROR\"}
assert \"status 3\" in s[\"detectors\"][0][\"error\"]
# A control the detector failed on is no true negative: out of the FPR.
for t in [s[\"detectors\"][0][\"overall\"]] + list(s[\"detectors\"][0][\"per_operator\"].values()):
    assert t[\"controls\"] == 0 and t[\"fp\"] == 0, t
    assert t[\"fpr\"] is None and t[\"youden_j\"] is None, t
assert s[\"detectors\"][0][\"overall\"][\"control_tool_errors\"] > 0
assert s[\"detectors\"][0][\"youden_j_macro\"] is None
# Nor is a mutant it failed on a miss: no recall, no interval.
for t in [s[\"detectors\"][0][\"overall\"]] + list(s[\"detectors\"][0][\"per_operator\"].values()):
    assert t[\"recall\"] is None and t[\"recall_wilson95\"] is None, t
    assert t[\"mutants\"] == t[\"outcomes\"][\"TOOL_ERROR\"], t
    assert t[\"validated_only\"][\"recall\"] is None, t
assert s[\"detectors\"][0][\"overall\"][\"mutants\"] > 0" "$tmp/bad/score.json" &&
	grep -Eq "^  all +[1-9][0-9]* +0 +- +0 +0 +0 +0 +[1-9][0-9]* +\| +0 +0 +- +-$" "$tmp/out"' \
	"a detector exiting non-zero makes every row TOOL_ERROR, said on the table; no recall, and its controls leave the FPR, which is none"
lm score --detector "bad=python3 $fake --garbage {files}" -o "$tmp/bad2" "$tmp/s.git"
check garbage-sarif '[ "$(rc)" = 0 ] && grep -q "detector bad: its standard output: not SARIF" "$tmp/out" &&
	grep -q TOOL_ERROR "$tmp/bad2/score.json"' "output that is not SARIF is a TOOL_ERROR naming where it came from"
lm score --detector "bad=no-such-tool-xyz {files}" "$tmp/s.git"
# posix_spawnp reports a missing program itself, or (under valgrind, which
# forks and execs) the child exits with 127.
check no-tool '[ "$(rc)" = 0 ] && grep -Eq "detector bad: no-such-tool-xyz: cannot run|detector bad: no-such-tool-xyz exited with status 127" "$tmp/out"' \
	"a command that cannot start is a TOOL_ERROR naming it"
# A built-in detector that fails is a TOOL_ERROR too, and the others go on:
# pylint that exits with a fatal status, ruff whose runner is missing.
mkdir -p "$tmp/fakebin"
printf '#!/bin/sh\n[ "$1" = --version ] && { echo "pylint 9.9"; exit 0; }\necho boom >&2\nexit 32\n' \
	>"$tmp/fakebin/pylint"
chmod +x "$tmp/fakebin/pylint"
PATH="$tmp/fakebin:$PATH" LEAKMUT_RUFF_SCRIPT=/nonexistent/ruff.cjs \
	lm score --detector pylint --detector ruff --detector ast-grep -o "$tmp/crash" "$tmp/s.git"
check builtin-crash '[ "$(rc)" = 0 ] && grep -q "warning: detector pylint: pylint failed" "$tmp/out" &&
	grep -q "warning: detector ruff: ruff" "$tmp/out" && python3 -c "import json,sys
s = json.load(open(sys.argv[1]))
err = {d[\"name\"]: d[\"error\"] for d in s[\"detectors\"]}
assert \"status 32\" in err[\"pylint\"] and err[\"ruff\"] and err[\"ast-grep\"] is None, err
out = {(m[\"detector\"], m[\"outcome\"]) for m in s[\"mutants\"]}
assert {o for d, o in out if d != \"ast-grep\"} == {\"TOOL_ERROR\"}, out
assert \"TOOL_ERROR\" not in {o for d, o in out if d == \"ast-grep\"}, out" "$tmp/crash/score.json"' \
	"a built-in detector that fails makes its rows TOOL_ERROR; the other detectors are scored"
every_row_tool_error() { # score.json of one detector, what its error says
	python3 -c "import json,sys
s = json.load(open(sys.argv[1]))
assert {m[\"outcome\"] for m in s[\"mutants\"]} == {\"TOOL_ERROR\"}
assert sys.argv[2] in s[\"detectors\"][0][\"error\"]" "$@"
}
# ruff's second run (noqa comments removed: it tells SUPPRESSED from
# MISSED) failing alone makes every ruff row TOOL_ERROR, said; it used to
# pass unseen, every suppressed mutant then MISSED.
printf 'if (process.argv.includes("--strip-noqa")) process.exit(3);\nrequire("%s");\n' \
	"$(cd .. && pwd)/src/detectors/ruff-wasm.cjs" >"$tmp/ruff-halfway.cjs"
LEAKMUT_RUFF_SCRIPT=$tmp/ruff-halfway.cjs lm score --detector ruff -o "$tmp/halfway" "$tmp/s.git"
check ruff-stripped-run-fails '[ "$(rc)" = 0 ] &&
	grep -q "^warning: detector ruff: ruff (.*) failed on .* (its run with noqa comments removed) (every row is TOOL_ERROR)$" "$tmp/out" &&
	every_row_tool_error "$tmp/halfway/score.json" "noqa comments removed"' \
	"ruff failing only on its noqa-stripped run makes its rows TOOL_ERROR, said"
# A mutant the detector failed on alone (ruff could not lint its file) is a
# TOOL_ERROR left out of the recall, as a control it failed on is left out
# of the FPR: the recall is over the mutants it ran on. A wrapper of the
# runner reports the files listed in $tmp/unlinted (paths under the root of
# its run) as not linted; here one mutant's file, detected in the first
# score.
python3 -c "import json,sys
s = json.load(open(sys.argv[1]))
truth = {r[\"id\"]: r for r in map(json.loads, open(sys.argv[2]))}
m = next(m for m in s[\"mutants\"] if m[\"detector\"] == \"ruff\" and m[\"outcome\"] == \"DETECTED\")
print(m[\"id\"] + \"/\" + truth[m[\"id\"]][\"path\"])" "$tmp/report/score.json" "$tmp/truth.jsonl" >"$tmp/unlinted"
cat >"$tmp/ruff-unlinted.cjs" <<JSEOF
const fs = require('fs');
const targets = fs.readFileSync('$tmp/unlinted', 'utf8').split('\\n').filter((t) => fs.existsSync(t));
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (text, ...rest) => {
	const doc = JSON.parse(text);
	doc.findings = doc.findings.filter((f) => !targets.includes(f.path));
	for (const t of targets)
		doc.errors.push({ path: t, message: 'not linted (a test)' });
	return write(JSON.stringify(doc) + '\\n', ...rest);
};
require('$(cd .. && pwd)/src/detectors/ruff-wasm.cjs');
JSEOF
LEAKMUT_RUFF_SCRIPT=$tmp/ruff-unlinted.cjs lm score --detector ruff -o "$tmp/unlinted-report" "$tmp/s.git"
check tool-error-left-out '[ "$(rc)" = 0 ] && python3 -c "import json,sys
before = json.load(open(sys.argv[1]))
after = json.load(open(sys.argv[2]))
target = open(sys.argv[3]).read().strip()
op = {m[\"id\"]: m[\"operator\"] for m in before[\"mutants\"]}
rows = {m[\"id\"]: m[\"outcome\"] for m in after[\"mutants\"]}
old = {m[\"id\"]: m[\"outcome\"] for m in before[\"mutants\"] if m[\"detector\"] == \"ruff\"}
gone = target.split(\"/\")[0]
assert rows[gone] == \"TOOL_ERROR\" and old[gone] == \"DETECTED\", (rows[gone], old[gone])
assert {i: o for i, o in rows.items() if i != gone} == {i: o for i, o in old.items() if i != gone}
b = [d for d in before[\"detectors\"] if d[\"name\"] == \"ruff\"][0]
a = after[\"detectors\"][0]
for x, y in [(b[\"overall\"], a[\"overall\"]), (b[\"per_operator\"][op[gone]], a[\"per_operator\"][op[gone]])]:
    n, d = x[\"mutants\"], x[\"outcomes\"][\"DETECTED\"]
    assert y[\"mutants\"] == n and y[\"outcomes\"][\"TOOL_ERROR\"] == 1, y
    assert y[\"outcomes\"][\"DETECTED\"] == d - 1, y
    assert abs(y[\"recall\"] - (d - 1) / (n - 1)) < 1e-9, (y[\"recall\"], d, n)
    assert y[\"youden_j\"] is None or abs(y[\"youden_j\"] - (y[\"recall\"] - y[\"fpr\"])) < 1e-9, y
print(\"^  %s +[0-9]+ +%d +%.2f .* +1 +[|]\" % (op[gone], d - 1, (d - 1) / (n - 1)))" \
	"$tmp/report/score.json" "$tmp/unlinted-report/score.json" "$tmp/unlinted" >"$tmp/row" &&
	grep -Eq "$(cat "$tmp/row")" "$tmp/out"' \
	"a mutant the detector failed on is a TOOL_ERROR left out of the recall, in score.json and on the table"
# Its outcome rests on every file it changes and on base: a failure on
# any is a TOOL_ERROR. With base's drivers/drive_textio.py not linted,
# the mutants and controls that change it (return-handle's callers) are
# TOOL_ERROR, the others as before; so with one such mutant's copy of it.
lm generate -o "$tmp/all.git" "$fixture"
: >"$tmp/unlinted"
LEAKMUT_RUFF_SCRIPT=$tmp/ruff-unlinted.cjs lm score --detector ruff -o "$tmp/all-report" "$tmp/all.git"
check all-score '[ "$(rc)" = 0 ]' "score the fixture's every operator"
git -C "$tmp/all.git" show leakmut/truth:truth.jsonl >"$tmp/all-truth.jsonl"
python3 -c "import json,sys
m = [r for r in map(json.loads, open(sys.argv[1])) if r[\"operator\"] == \"return-handle\"][0]
print(m[\"id\"] + \"/drivers/drive_textio.py\")" "$tmp/all-truth.jsonl" >"$tmp/one-caller"
unlinted_rows() { # score.json before, after; "base" or the failing mutant
	python3 -c "import json,sys
before = {m[\"id\"]: m[\"outcome\"] for m in json.load(open(sys.argv[1]))[\"mutants\"]}
after = {m[\"id\"]: m[\"outcome\"] for m in json.load(open(sys.argv[2]))[\"mutants\"]}
truth = {r[\"id\"]: r for r in map(json.loads, open(sys.argv[3]))}
which = sys.argv[4]
hit = {i for i, r in truth.items()
       if \"drivers/drive_textio.py\" in (r.get(\"files\") or [r[\"path\"]]) and
       (which == \"base\" or which.startswith(i + \"/\"))}
assert hit and len(hit) < len(truth), hit
assert {i for i, o in after.items() if o == \"TOOL_ERROR\"} == hit, after
assert {i: o for i, o in after.items() if i not in hit} == {i: o for i, o in before.items() if i not in hit}
assert \"TOOL_ERROR\" not in before.values(), before
print(len(hit), \"of\", len(truth))" "$1" "$2" "$tmp/all-truth.jsonl" "$3"
}
echo drivers/drive_textio.py >"$tmp/unlinted"
LEAKMUT_RUFF_SCRIPT=$tmp/ruff-unlinted.cjs lm score --detector ruff -o "$tmp/base-unlinted" "$tmp/all.git"
check tool-error-base-file '[ "$(rc)" = 0 ] &&
	grep -q "^warning: detector ruff failed on 1 file of base and 0 of the mutants (drivers/drive_textio.py: not linted (a test)); each mutant or control that changes one is a TOOL_ERROR$" "$tmp/out" &&
	unlinted_rows "$tmp/all-report/score.json" "$tmp/base-unlinted/score.json" base >"$tmp/out" 2>"$tmp/err"' \
	"a file of base the detector failed on makes the mutants and controls that change it TOOL_ERROR"
cp "$tmp/one-caller" "$tmp/unlinted"
LEAKMUT_RUFF_SCRIPT=$tmp/ruff-unlinted.cjs lm score --detector ruff -o "$tmp/caller-unlinted" "$tmp/all.git"
check tool-error-other-file '[ "$(rc)" = 0 ] &&
	unlinted_rows "$tmp/all-report/score.json" "$tmp/caller-unlinted/score.json" "$(cat "$tmp/one-caller")" >"$tmp/out" 2>"$tmp/err"' \
	"a multi-file mutant whose other file the detector failed on is a TOOL_ERROR"
lm score --detector "bad=python3 '{files}" "$tmp/s.git"
check bad-quote '[ "$(rc)" = 1 ] && grep -q "detector bad: unclosed . in the command" "$tmp/err"' \
	"an unclosed quote is a clear error"
# An empty argument ("" or '') arrives as one: it used to stop the score
# with "out of memory".
rm -f "$tmp/elog"
lm score --detector "empty=python3 $fake --log $tmp/elog --note \"\" --note '' {files}" "$tmp/s.git"
check empty-argument '[ "$(rc)" = 0 ] && python3 -c "import json,sys
runs = [json.loads(l) for l in open(sys.argv[1])]
assert len(runs) == 2 and all(r[:5] == [\"--log\", sys.argv[1], \"--note\", \"\", \"--note\"] and r[5] == \"\" for r in runs), runs" "$tmp/elog"' \
	"an empty quoted argument reaches the detector as an empty word"

# A SARIF detector says it failed on a file with a tool execution
# notification of level "error" there: the rows that change the file are
# TOOL_ERROR (one of no level, a warning, changes nothing); an invocation
# that did not complete (executionSuccessful false) makes every row one.
lm score --detector "fake=python3 $fake {files}" -o "$tmp/n-plain" "$tmp/all.git"
lm score --detector "fake=python3 $fake --fail-on drivers/drive_textio.py {files}" \
	-o "$tmp/n-fail" "$tmp/all.git"
check sarif-notification-error '[ "$(rc)" = 0 ] &&
	grep -q "^warning: detector fake failed on 1 file of base and [1-9][0-9]* of the mutants (drivers/drive_textio.py: cannot analyse); " "$tmp/out" &&
	unlinted_rows "$tmp/n-plain/score.json" "$tmp/n-fail/score.json" base >"$tmp/out" 2>"$tmp/err"' \
	"a file a SARIF detector says it failed on makes the rows that change it TOOL_ERROR"
lm score --detector "fake=python3 $fake --fail-on no-such-file.py {files}" -o "$tmp/n-warn" "$tmp/all.git"
check sarif-notification-warning '[ "$(rc)" = 0 ] && ! grep -q "^warning" "$tmp/out" && python3 -c "import json,sys
a, b = ({m[\"id\"]: m[\"outcome\"] for m in json.load(open(f))[\"mutants\"]} for f in sys.argv[1:])
assert a == b and \"DETECTED\" in a.values(), (a, b)" "$tmp/n-plain/score.json" "$tmp/n-warn/score.json"' \
	"notifications of no level (warnings) change nothing"
lm score --detector "fake=python3 $fake --unsuccessful {files}" -o "$tmp/n-unsuccessful" "$tmp/all.git"
check sarif-unsuccessful '[ "$(rc)" = 0 ] &&
	grep -q "^warning: detector fake: its standard output: run 0: invocation 0 did not complete (executionSuccessful is false) (every row is TOOL_ERROR)$" "$tmp/out" &&
	every_row_tool_error "$tmp/n-unsuccessful/score.json" executionSuccessful' \
	"an invocation that did not complete makes every row TOOL_ERROR, said"
lm score --materialise "$tmp/mat-all" "$tmp/all.git"
(cd "$tmp/mat-all" && python3 "$fake" --fail-on drivers/drive_textio.py --out "$tmp/pre-fail.sarif" \
	$(find base mutants -name "*.py" | sort))
lm score --sarif "pre=$tmp/pre-fail.sarif" -o "$tmp/pre-fail" "$tmp/all.git"
check sarif-log-notification-error '[ "$(rc)" = 0 ] &&
	grep -q "^warning: detector pre failed on 1 file of base and [1-9][0-9]* of the mutants (drivers/drive_textio.py: cannot analyse); " "$tmp/out" &&
	unlinted_rows "$tmp/n-plain/score.json" "$tmp/pre-fail/score.json" base >"$tmp/out" 2>"$tmp/err"' \
	"--sarif: a file the log says the tool failed on (base/ or mutants/) makes the rows that change it TOOL_ERROR"

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
# A leak rule known by its CWE alone, however the log says it: the rule's
# tags in an extension, its relationship to the CWE taxonomy (by name or by
# index into the run's taxonomies), the result's own taxa; CWE-79 is none.
python3 - "$tmp/truth.jsonl" >"$tmp/cwe.sarif" <<'PYEOF'
import json, sys
truth = [r for r in map(json.loads, open(sys.argv[1]))
         if r["operator"] == "drop-with" and r["result_kind"] == "fail"]
by_fn = {r["qualname"]: r for r in truth}
def at(fn):
    r = by_fn[fn]
    return [{"physicalLocation": {"artifactLocation": {"uri": "mutants/%s/%s" % (r["id"], r["path"])},
             "region": {"startLine": r["line"], "startColumn": r["col"]}}}]
cwe = lambda n, **tc: {"target": {"id": n, "toolComponent": tc}, "kinds": ["superset"]}
rules = [{"id": "by-name", "relationships": [cwe("775", name="CWE")]},
         {"id": "by-index", "relationships": [cwe("CWE-772", index=0)]},
         {"id": "xss", "relationships": [cwe("79", name="CWE")]},
         {"id": "plain"}]
results = [
    {"ruleId": "ext-tagged", "rule": {"id": "ext-tagged", "index": 0, "toolComponent": {"index": 0}},
     "locations": at("read_text")},
    {"ruleId": "by-name", "ruleIndex": 0, "locations": at("write_text")},
    {"ruleId": "by-index", "ruleIndex": 1, "locations": at("checked_write")},
    {"ruleId": "plain", "taxa": [{"id": "404", "toolComponent": {"name": "CWE"}}],
     "locations": at("never_called")},
    {"ruleId": "xss", "ruleIndex": 2, "locations": at("read_gz")},
]
for r in results:
    r["message"] = {"text": "x"}
print(json.dumps({"version": "2.1.0", "runs": [{
    "tool": {"driver": {"name": "t", "rules": rules},
             "extensions": [{"name": "pack", "rules": [
                 {"id": "ext-tagged", "properties": {"tags": ["external/cwe/cwe-772"]}}]}]},
    "taxonomies": [{"name": "CWE", "taxa": [{"id": "772"}]}],
    "results": results}]}))
PYEOF
lm score --sarif "cwe=$tmp/cwe.sarif" -o "$tmp/cwe" "$tmp/s.git"
check sarif-cwe '[ "$(rc)" = 0 ] && python3 - "$tmp/cwe/score.json" "$tmp/truth.jsonl" >"$tmp/out" 2>"$tmp/err" <<PYEOF
import json, sys
truth = {r["id"]: r for r in map(json.loads, open(sys.argv[2]))}
got = {truth[m["id"]]["qualname"]: m["outcome"] for m in json.load(open(sys.argv[1]))["mutants"]
       if truth[m["id"]]["operator"] == "drop-with"}
want = {"read_text": "DETECTED", "write_text": "DETECTED", "checked_write": "DETECTED",
        "never_called": "DETECTED", "read_gz": "MISSED"}
assert got == want, got
PYEOF' "a rule tagged with a leak CWE in an extension, by a taxonomy relationship or by the result's taxa is a leak rule"
lm score --sarif "pre=$tmp/missing.sarif" "$tmp/s.git"
check sarif-missing '[ "$(rc)" = 1 ] && grep -q "sarif pre=$tmp/missing.sarif: No such file" "$tmp/err"' \
	"a missing SARIF file is a clear error naming it"
# A run that fails after one detector's log was written: the report folder
# keeps what it held, and no part of the new log is left in it.
mkdir -p "$tmp/kept" && echo old >"$tmp/kept/cwe.sarif" && echo old >"$tmp/kept/score.json"
lm score --sarif "cwe=$tmp/cwe.sarif" --sarif "pre=$tmp/missing.sarif" -o "$tmp/kept" "$tmp/s.git"
check failed-run-keeps '[ "$(rc)" = 1 ] && [ "$(cat "$tmp/kept/cwe.sarif" "$tmp/kept/score.json")" = "old
old" ] && [ "$(ls -A "$tmp/kept" | tr "\n" " ")" = "cwe.sarif score.json " ]' \
	"a failed run leaves the report folder as it was"
lm score --sarif "cwe=$tmp/cwe.sarif" --sarif "pre=$tmp/missing.sarif" -o "$tmp/fresh" "$tmp/s.git"
check failed-run-no-folder '[ "$(rc)" = 1 ] && [ ! -e "$tmp/fresh" ]' \
	"a failed run makes no report folder"
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
printf '%s\n' '{"runs": [{"results": [], "invocations": [{"executionSuccessful": true,' \
	'"toolExecutionNotifications": [{"level": "error", "message": {"text": "x"}, "locations":' \
	'[{"physicalLocation": {"artifactLocation": {"uri": "/elsewhere/y.py"}}}]}]}]}]}' >"$tmp/abs2.sarif"
lm score --sarif "pre=$tmp/abs2.sarif" "$tmp/s.git"
check sarif-absolute-notification '[ "$(rc)" = 1 ] && grep -q "sarif pre=$tmp/abs2.sarif: notification path /elsewhere/y.py is absolute" "$tmp/err"' \
	"a notification at an absolute path outside the layout is a clear error naming the file"
lm score --materialise "$tmp/mat" "$tmp/s.git"
check materialise-nonempty '[ "$(rc)" = 1 ] && grep -q "materialise $tmp/mat: exists and is not empty" "$tmp/err"' \
	"--materialise refuses a folder that is not empty"

# ---- SARIF column units: UTF-16 code units by default, or code points ---------------
# Four snakes (each one code point, two UTF-16 units) stand before the closing
# parenthesis of the open() call, the anchor's last character.
mkdir -p "$tmp/emo/pkg"
printf 'def write_tag(path):\n    with open(path + "\360\237\220\215\360\237\220\215\360\237\220\215\360\237\220\215.txt", "w") as fh:\n        fh.write("x")\n' \
	>"$tmp/emo/pkg/e.py"
lm generate --operators drop-with -o "$tmp/e.git" "$tmp/emo"
lm score --materialise "$tmp/emat" "$tmp/e.git"
python3 - "$tmp/emat" "$tmp" <<PYEOF
import json, os, sys
mat, out = sys.argv[1], sys.argv[2]
(mid,) = os.listdir(mat + "/mutants")
uri = "mutants/%s/pkg/e.py" % mid
line = open(mat + "/" + uri, encoding="utf-8").read().split("\n")[1]
cp = line.rindex(")") + 1                               # 1-based, code points
u16 = len(line[: cp - 1].encode("utf-16-le")) // 2 + 1  # 1-based, UTF-16 units
def log(kind, col):
    run = {"tool": {"driver": {"name": "t"}}, "results": [{"ruleId": "open-never-closed",
           "message": {"text": "x"}, "locations": [{"physicalLocation": {
           "artifactLocation": {"uri": uri},
           "region": {"startLine": 2, "startColumn": col, "endColumn": col + 1}}}]}]}
    if kind:
        run["columnKind"] = kind
    json.dump({"version": "2.1.0", "runs": [run]}, open(out + "/" + kind + str(col) + ".sarif", "w"))
log("", u16)                   # the default: UTF-16, converted
log("utf16CodeUnits", u16)
log("unicodeCodePoints", cp)
log("unicodeCodePoints", u16)  # UTF-16 numbers taken as code points: past the anchor
open(out + "/cols", "w").write("%d %d" % (cp, u16))
PYEOF
read -r cp u16 <"$tmp/cols"
lm score --sarif "dflt=$tmp/$u16.sarif" --sarif "u16=$tmp/utf16CodeUnits$u16.sarif" \
	--sarif "cp=$tmp/unicodeCodePoints$cp.sarif" --sarif "wrong=$tmp/unicodeCodePoints$u16.sarif" \
	-o "$tmp/erep" "$tmp/e.git"
check column-kind '[ "$(rc)" = 0 ] && [ "$u16" = $((cp + 4)) ] &&
	python3 - "$tmp/erep" "$cp" >"$tmp/out" 2>"$tmp/err" <<PYEOF
import json, sys
rep, cp = sys.argv[1], int(sys.argv[2])
tiers = {m["detector"]: (m["outcome"], m["tier"]) for m in json.load(open(rep + "/score.json"))["mutants"]}
# Converted, the finding lies on the anchor (T0); left in UTF-16 units it
# falls after the end of the anchor, on its line only (T1).
assert tiers == {"dflt": ("DETECTED", 0), "u16": ("DETECTED", 0), "cp": ("DETECTED", 0),
                 "wrong": ("DETECTED", 1)}, tiers
for name in ("dflt", "u16", "cp"):
    (res,) = json.load(open(rep + "/" + name + ".sarif"))["runs"][0]["results"]
    region = res["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (cp, cp + 1), (name, region)
print("columns", cp)
PYEOF' "SARIF columns in UTF-16 units (the default) or code points are mapped to code points"
sed 's/"unicodeCodePoints"/"bytes"/' "$tmp/unicodeCodePoints$cp.sarif" >"$tmp/badkind.sarif"
lm score --sarif "pre=$tmp/badkind.sarif" "$tmp/e.git"
check column-kind-bad '[ "$(rc)" = 1 ] && grep -q "badkind.sarif: run 0: columnKind \"bytes\" is neither" "$tmp/err"' \
	"an unknown columnKind is a clear error naming the file"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
