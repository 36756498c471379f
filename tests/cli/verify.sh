#!/bin/sh
# Tests of `leakmut verify` on tests/fixtures/verify, a module with a driver.
# Usage: verify.sh LEAKMUT [RUNNER]   (run from tests/)
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
		sed 's/^/  stdout: /' "$tmp/out" | head -20
		sed 's/^/  stderr: /' "$tmp/err" | head -20
	fi
}

rc() { cat "$tmp/rc"; }

lm generate --operators drop-with,close-happy-path,control -o "$tmp/v.git" "$fixture"
check generate '[ "$(rc)" = 0 ]' "generate on the fixture"
check driver-not-mutated '! git -C "$tmp/v.git" diff --name-only base --branches | grep -q drivers/' \
	"drivers are in base and never mutated"
lm verify --jobs 2 --timeout 60 "$tmp/v.git"
check verify '[ "$(rc)" = 0 ] && grep -q "^mutants: 4 validated, 1 reached, 1 not reached, 1 unwitnessed, 0 failed" "$tmp/out"' \
	"verify's summary"
check statuses 'git -C "$tmp/v.git" show leakmut/truth:truth.jsonl | python3 -c "
import json, sys
want = {
    (\"drop-with\", \"read_text\"): \"validated\",
    (\"drop-with\", \"write_text\"): \"validated\",
    (\"drop-with\", \"checked_write\"): \"validated\",
    (\"drop-with\", \"read_gz\"): \"unwitnessed\",      # gzip never warns on 3.11
    (\"drop-with\", \"never_called\"): \"not-reached\",
    (\"close-happy-path\", \"checked_write\"): \"validated\",  # the driver makes the body raise
    (\"close-happy-path\", \"write_text\"): \"reached\",       # ... and not this one
}
got, controls = {}, []
for line in sys.stdin:
    r = json.loads(line)
    w = r[\"validation\"][\"witness\"]
    if r[\"result_kind\"] == \"pass\":
        controls.append((r[\"operator\"], r[\"qualname\"], w))
    else:
        got[(r[\"operator\"], r[\"qualname\"])] = w
assert got == want, got
assert controls and all(w == \"confirmed\" for _, _, w in controls), controls
" >"$tmp/out" 2>"$tmp/err"' "each mutant's witness status is recorded in the truth; controls stay silent"

# A driver that fails on base already proves nothing: said so, not counted.
mkdir -p "$tmp/broken/pkg" "$tmp/broken/drivers"
cp "$fixture/pkg/textio.py" "$fixture/pkg/__init__.py" "$tmp/broken/pkg/"
{ cat "$fixture/drivers/drive_textio.py"; echo 'raise SystemExit(3)'; } >"$tmp/broken/drivers/drive_textio.py"
lm generate --operators drop-with -o "$tmp/b.git" "$tmp/broken"
lm verify "$tmp/b.git"
check base-failed '[ "$(rc)" = 0 ] &&
	grep -q "^mutants: 0 validated, 0 reached, 0 not reached, 1 unwitnessed, 0 failed, 4 with a failing base" "$tmp/out"' \
	"a driver failing on base makes its mutants base-failed"

# A Popen left running warns from Popen.__del__ with the Popen as source;
# CPython 3.11's tracemalloc has no allocation traceback for it, so verify
# locates it by where the Popen(...) call was made.
mkdir -p "$tmp/procs/pkg" "$tmp/procs/drivers"
: >"$tmp/procs/pkg/__init__.py"
cat >"$tmp/procs/pkg/hooks.py" <<'PY'
import subprocess


def run_hook(argv):
    with subprocess.Popen(argv) as proc:
        if proc.pid <= 0:
            raise RuntimeError("no child")
    return proc.returncode
PY
cat >"$tmp/procs/drivers/drive_hooks.py" <<'PY'
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pkg import hooks  # noqa: E402

hooks.run_hook([sys.executable, "-c", "import time; time.sleep(1)"])
PY
lm generate --operators drop-with -o "$tmp/h.git" "$tmp/procs"
lm verify "$tmp/h.git"
check popen '[ "$(rc)" = 0 ] && grep -q "^mutants: 1 validated, 0 reached" "$tmp/out" &&
	grep -q "still running (located by where the Popen was created)" "$tmp/out"' \
	"a Popen left running is located by where it was created"

# A tree without drivers degrades to unwitnessed: nothing is claimed.
mkdir -p "$tmp/plain"
cp "$fixture/pkg/textio.py" "$tmp/plain/"
lm generate --operators drop-with -o "$tmp/p.git" "$tmp/plain"
lm verify "$tmp/p.git"
check no-drivers '[ "$(rc)" = 0 ] && grep -q "^mutants: 0 validated, 0 reached, 0 not reached, 5 unwitnessed" "$tmp/out"' \
	"without drivers, every mutant is unwitnessed"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
