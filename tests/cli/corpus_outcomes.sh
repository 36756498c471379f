#!/bin/sh
# The scorer's outcomes on the bundled corpus against the hand-checked ones
# (tests/cli/expected/corpus-outcomes.json), and the report files of that
# score against the Stryker schema.  Runs what .ci/demo runs: generate on
# corpus/, score with ruff and pylint.
# Usage: corpus_outcomes.sh LEAKMUT CORPUS SCHEMA.json [RUNNER]   (run from tests/)
set -u
LEAKMUT=$1
CORPUS=$2
SCHEMA=$3
shift 3
RUNNER="$*"
export LC_ALL=C
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# shellcheck disable=SC2086
if ! $RUNNER "$LEAKMUT" generate -o "$tmp/c.git" "$CORPUS" >"$tmp/out" 2>&1 ||
	! $RUNNER "$LEAKMUT" score --detector ruff --detector pylint -o "$tmp/report" \
		"$tmp/c.git" >"$tmp/out" 2>&1; then
	echo "FAIL: generate or score on $CORPUS"
	cat "$tmp/out"
	exit 1
fi
python3 cli/corpus_outcomes.py cli/expected/corpus-outcomes.json "$tmp/report/score.json" \
	"$tmp/c.git" || status=1
python3 cli/report_check.py stryker "$tmp/report" "$tmp/c.git" "$SCHEMA" || status=1
exit $status
