#!/bin/sh
# Tests of the report files `leakmut score` writes (mutation-report*.json,
# index.html), on tests/fixtures/verify plus a module whose path and text
# need escaping.  index.html is opened in headless Chromium; its DOM dump,
# its screenshot and the report are kept in ARTIFACTS.
# The module's last line ends in a non-ASCII character, so a column counted in
# bytes rather than code points would not rebuild its close-happy-path mutant.
# Usage: report.sh LEAKMUT SCHEMA.json ARTIFACTS [RUNNER]   (run from tests/)
set -u
LEAKMUT=$1
SCHEMA=$2
ARTIFACTS=$3
shift 3
RUNNER="$*"
export LC_ALL=C
here=$(pwd)
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

# Headless Chromium on a file, with a profile of its own; --no-sandbox only
# as root, where Chromium refuses to start without it.
chrome() {
	profile=$(mktemp -d "$tmp/profile-XXXXXX")
	sandbox=
	[ "$(id -u)" = 0 ] && sandbox=--no-sandbox
	timeout 120 chromium --headless $sandbox --disable-gpu --no-first-run \
		--user-data-dir="$profile" --enable-logging=stderr --v=0 "$@"
}

cp -r fixtures/verify "$tmp/tree"
cat >"$tmp/tree/pkg/odd<&'\">.py" <<'PYEOF'
"""A module whose name and text need escaping: <b>&amp;</b>."""


def dump(path, a, b):
    with open(path, "w") as fh:
        fh.write("</script><img id=injected src=x>" if a < b and a & b else '"<!--é')
PYEOF

lm generate -o "$tmp/r.git" "$tmp/tree"
check generate '[ "$(rc)" = 0 ]' "generate the test tree"
lm score --detector ruff --detector pylint -o "$tmp/report" "$tmp/r.git"
check score '[ "$(rc)" = 0 ] && for f in score.json mutation-report.json \
	mutation-report-ruff.json mutation-report-pylint.json index.html; do
	[ -s "$tmp/report/$f" ] || exit 1; done' "score writes every report file"

check stryker 'python3 cli/report_check.py stryker "$tmp/report" "$tmp/r.git" "$SCHEMA" \
	>"$tmp/out" 2>"$tmp/err"' \
	"mutation-report*.json: valid (draft-07 schema), statuses as mapped, mutants rebuilt"

# A detector's report file carries its name as it is (a dot too); two names
# that would share one (a score.json made by hand: a/b and a_b) are refused,
# never one file written over the other.
rename() { # from to, in score.json: the detector and its rows
	python3 - "$tmp/renamed/score.json" "$@" <<'EOF'
import json, sys
path, old, new = sys.argv[1:]
s = json.load(open(path))
for d in s["detectors"]:
    if d["name"] == old:
        d["name"] = new
for m in s["mutants"]:
    if m["detector"] == old:
        m["detector"] = new
json.dump(s, open(path, "w"))
EOF
}
rm -rf "$tmp/renamed" && mkdir "$tmp/renamed" && cp "$tmp/report/score.json" "$tmp/renamed/"
rename ruff ruff.v2
lm report -o "$tmp/renamed" "$tmp/r.git"
check report-name-dot '[ "$(rc)" = 0 ] && [ -s "$tmp/renamed/mutation-report-ruff.v2.json" ] &&
	[ -s "$tmp/renamed/mutation-report-pylint.json" ]' "a detector named ruff.v2 has mutation-report-ruff.v2.json"
rm -rf "$tmp/renamed" && mkdir "$tmp/renamed" && cp "$tmp/report/score.json" "$tmp/renamed/"
rename ruff a/b
rename pylint a_b
lm report -o "$tmp/renamed" "$tmp/r.git"
check report-name-clash '[ "$(rc)" = 1 ] &&
	[ "$(cat "$tmp/err")" = "leakmut: $tmp/renamed/score.json: detector '"'a_b'"' and another would share the report file mutation-report-a_b.json" ]' \
	"two detector names that give one report file are refused"
cat "$tmp/out"

rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
cp "$tmp/report/"* "$ARTIFACTS/"
chrome --dump-dom "file://$ARTIFACTS/index.html" >"$ARTIFACTS/index.dom.html" \
	2>"$ARTIFACTS/chromium.log"
check render 'python3 cli/report_check.py dom "$ARTIFACTS/index.dom.html" \
	"$ARTIFACTS/chromium.log" "$tmp/report" "$tmp/r.git" >"$tmp/out" 2>"$tmp/err"' \
	"index.html renders its charts, heat map and rows with no error"
cat "$tmp/out"
chrome --window-size=1400,2200 --screenshot="$ARTIFACTS/index.png" \
	"file://$ARTIFACTS/index.html" >/dev/null 2>&1
check screenshot '[ "$(head -c 8 "$ARTIFACTS/index.png" | od -An -tx1 | tr -d " ")" = \
	89504e470d0a1a0a ] && [ "$(wc -c <"$ARTIFACTS/index.png")" -gt 20000 ]' \
	"a PNG screenshot of the page"
echo "screenshot: $ARTIFACTS/index.png"

# A detector that failed on every mutant has rows with mutants and no
# recall: the page shows them without a point or a heat map colour.
lm score --detector ruff --detector "bad=python3 $here/cli/fake_sarif.py --exit 3 {files}" \
	-o "$tmp/failed" "$tmp/r.git"
check score-failed '[ "$(rc)" = 0 ] && grep -q "warning: detector bad: " "$tmp/out"' \
	"a score with a detector that fails"
chrome --dump-dom "file://$tmp/failed/index.html" >"$tmp/failed.dom" 2>"$tmp/failed.log"
check render-failed 'python3 cli/report_check.py dom "$tmp/failed.dom" "$tmp/failed.log" \
	"$tmp/failed" "$tmp/r.git" >"$tmp/out" 2>"$tmp/err"' \
	"index.html renders a detector without a recall (every row TOOL_ERROR) with no error"

# The error checks can fail: a page whose script throws is caught by both.
sed 's/JSON\.parse(document/JSON.parsX(document/' "$ARTIFACTS/index.html" >"$tmp/broken.html"
chrome --dump-dom "file://$tmp/broken.html" >"$tmp/broken.dom" 2>"$tmp/broken.log"
check broken-page 'python3 cli/report_check.py dom "$tmp/broken.dom" "$tmp/broken.log" \
	"$tmp/report" "$tmp/r.git" --expect-errors >"$tmp/out" 2>"$tmp/err"' \
	"a script error shows in the page's error box and on the console"

# `leakmut report` rewrites the same files from score.json.
# Each file is written aside (NAME.tmpPID) and renamed: what a killed run
# left is removed when its process is gone, a live one's kept.
mkdir "$tmp/again"
cp "$tmp/report/score.json" "$tmp/again/"
sh -c 'exit 0' &
dead=$!
wait "$dead"
echo part >"$tmp/again/index.html.tmp$dead"
echo part >"$tmp/again/index.html.tmp$$"
lm report -o "$tmp/again" "$tmp/r.git"
check report-command '[ "$(rc)" = 0 ] && cmp -s "$tmp/again/index.html" "$tmp/report/index.html" &&
	cmp -s "$tmp/again/mutation-report.json" "$tmp/report/mutation-report.json" &&
	[ ! -e "$tmp/again/index.html.tmp$dead" ] && [ -e "$tmp/again/index.html.tmp$$" ]' \
	"leakmut report gives the same files as score, and removes what a dead run left aside"

# A score restricted by --validated-only says so under the summary.
mkdir "$tmp/valid"
python3 -c 'import json, sys
s = json.load(open(sys.argv[1])); s["validated_only"] = True
json.dump(s, open(sys.argv[2], "w"))' "$tmp/report/score.json" "$tmp/valid/score.json"
lm report -o "$tmp/valid" "$tmp/r.git"
chrome --dump-dom "file://$tmp/valid/index.html" >"$tmp/valid.dom" 2>/dev/null
check validated-only '[ "$(rc)" = 0 ] && grep -q "recall - FPR. Every row counts only the mutants" "$tmp/valid.dom" &&
	! grep -q "recall - FPR. Every row" "$ARTIFACTS/index.dom.html"' \
	"a report of validated mutants only says so; the others do not"

# Bad input: a clear error naming the file.
mkdir "$tmp/empty"
lm report -o "$tmp/empty" "$tmp/r.git"
check no-score '[ "$(rc)" = 1 ] &&
	[ "$(cat "$tmp/err")" = "leakmut: $tmp/empty/score.json: No such file or directory (\`leakmut score -o $tmp/empty\` writes it)" ]' \
	"a missing score.json is named, with the command that writes it"
head -c 100 "$tmp/report/score.json" >"$tmp/empty/score.json"
lm report -o "$tmp/empty" "$tmp/r.git"
check bad-score '[ "$(rc)" = 1 ] && grep -q "empty/score.json: line [0-9]" "$tmp/err"' \
	"a truncated score.json is named with its line"
sed 's/"id": "[0-9a-f]*"/"id": "000000000000"/' "$tmp/report/score.json" >"$tmp/empty/score.json"
lm report -o "$tmp/empty" "$tmp/r.git"
check other-score '[ "$(rc)" = 1 ] && grep -q "000000000000 is not in the repository" "$tmp/err"' \
	"a score of another repository is refused"
lm report -o "$tmp/report" "$tmp/nope.git"
check no-repo '[ "$(rc)" = 1 ] && grep -q "nope.git: not a git repository" "$tmp/err"' \
	"a missing repository is named"

cd "$here" || exit 1
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
