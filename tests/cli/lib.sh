# The CLI tests' shared harness, sourced after LEAKMUT and RUNNER are set:
# a scratch folder removed at exit, and
#   lm ARGS...              run leakmut (under RUNNER), output in $tmp/out, $tmp/err
#   check NAME COND MESSAGE count COND (shell) as passed or failed, showing the output
#   rc                      the last lm's exit status
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
