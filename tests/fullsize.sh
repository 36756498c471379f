#!/usr/bin/env bash
# Hygiene at full size: one whole `leakmut generate` (every operator and
# control) over a large tree, by default the Python standard library, run
#
#   asan      built with ASan + UBSan + LSan (build-asan/), with a shim
#             (tests/fdcheck.c) listing at exit every descriptor leakmut or
#             the python it starts left open;
#   valgrind  the plain build under tests/valgrind.sh (memcheck: errors,
#             definite/indirect/possible leaks, descriptors left open).
#
# Each run must exit 0 or 1 (1: some input files were refused, each named on
# stderr), report nothing, leave no descriptor open, and write a repository
# that `git fsck --full` accepts and whose refs are exactly those of the plain
# build's run on the same input.  Not a CTest: under valgrind the whole
# standard-library folder took 17 minutes here (CI runs the same checks on
# the test inputs).
#
# Usage: tests/fullsize.sh asan|valgrind|both [INPUT|stdlib-proper]
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C
mode=${1:-}
case $mode in asan | valgrind | both) ;; *)
	echo "usage: tests/fullsize.sh asan|valgrind|both [INPUT|stdlib-proper]" >&2
	exit 2
	;;
esac
stdlib=$(python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')
input=${2:-$stdlib}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# `stdlib-proper`: the standard library without its site-packages (which
# holds most of the folder's files on some installations), copied aside.
if [ "$input" = stdlib-proper ]; then
	mkdir "$tmp/stdlib"
	(cd "$stdlib" && find . -name '*.py' -not -path './site-packages/*' -print0 |
		tar --null -T - -cf -) | tar -xf - -C "$tmp/stdlib"
	input=$tmp/stdlib
fi
failed=0

# Both builds first, copied aside: the run takes hours, the tree may change.
bash .ci/build build >/dev/null
cp build/leakmut "$tmp/leakmut"
if [ "$mode" != valgrind ]; then
	bash .ci/build build-asan -DLEAKMUT_SANITIZE=ON >/dev/null
	cp build-asan/leakmut "$tmp/leakmut-asan"
fi
cc -shared -fPIC -O1 -o "$tmp/fdcheck.so" tests/fdcheck.c
files=$(find "$input" -name '*.py' | wc -l)
echo "input: $input ($files .py files)"

secs() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.0f}')" "$@"; }

# The reference: the plain build, no instrumentation.
t0=$(date +%s.%N)
rc=0
"$tmp/leakmut" generate --python /usr/bin/python3 -o "$tmp/plain.git" "$input" >"$tmp/plain.out" 2>"$tmp/plain.err" || rc=$?
if [ "$rc" -gt 1 ]; then
	echo "fullsize: the plain build's generate failed (exit $rc)" >&2
	tail -5 "$tmp/plain.err" >&2
	exit 1
fi
git -C "$tmp/plain.git" for-each-ref --format='%(objectname) %(refname)' >"$tmp/plain.refs"
echo "plain: $(wc -l <"$tmp/plain.refs") refs in $(secs "$t0" "$(date +%s.%N)") s: $(tail -1 "$tmp/plain.err")"

# check NAME RC: exit status, descriptors, fsck, refs equal to the plain run's.
check() {
	local name=$1 rc=$2 bad=0
	if [ "$rc" -gt 1 ]; then
		echo "FAIL $name: exit $rc" >&2
		grep -E 'ERROR|runtime error|SUMMARY|valgrind:|definitely|Open |at 0x|by 0x|#[0-9]+ 0x' \
			"$tmp/$name.err" | head -40 >&2
		bad=1
	fi
	if [ -f "$tmp/$name.fd" ]; then
		local left
		left=$(awk -v base="$(grep -v '^exit' "$tmp/base.fd" | sort)" \
			'BEGIN { n = split(base, b, "\n"); for (i = 1; i <= n; i++) inh[b[i]] = 1 }
			/^exit / { next } !($0 in inh) { print }' "$tmp/$name.fd")
		if [ -n "$left" ] || ! grep -q '^exit' "$tmp/$name.fd"; then
			echo "FAIL $name: descriptors left open at exit: ${left:-(no exit record)}" >&2
			bad=1
		fi
	fi
	if ! git -C "$tmp/$name.git" fsck --full --no-progress >"$tmp/$name.fsck" 2>&1; then
		echo "FAIL $name: git fsck --full" >&2
		head -5 "$tmp/$name.fsck" >&2
		bad=1
	fi
	git -C "$tmp/$name.git" for-each-ref --format='%(objectname) %(refname)' >"$tmp/$name.refs"
	if ! cmp -s "$tmp/plain.refs" "$tmp/$name.refs"; then
		echo "FAIL $name: refs differ from the plain build's run" >&2
		diff "$tmp/plain.refs" "$tmp/$name.refs" | head -5 >&2
		bad=1
	fi
	if [ "$bad" = 0 ]; then
		echo "ok $name: $(wc -l <"$tmp/$name.refs") refs identical to the plain run, fsck clean," \
			"no report, no descriptor left open"
	fi
	return "$bad"
}

if [ "$mode" = asan ] || [ "$mode" = both ]; then
	FDCHECK_LOG="$tmp/base.fd" LD_PRELOAD="$tmp/fdcheck.so" /bin/true
	t0=$(date +%s.%N)
	rc=0
	FDCHECK_LOG="$tmp/asan.fd" LD_PRELOAD="$tmp/fdcheck.so" \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:verify_asan_link_order=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$tmp/leakmut-asan" generate --python /usr/bin/python3 -o "$tmp/asan.git" "$input" \
		>"$tmp/asan.out" 2>"$tmp/asan.err" || rc=$?
	echo "asan: $(secs "$t0" "$(date +%s.%N)") s, exit $rc"
	# ASan and UBSan report on stderr; a report with exit 1 would pass the
	# status check, so look for one.
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$tmp/asan.err"; then
		echo "FAIL asan: a sanitizer report" >&2
		grep -E 'ERROR|runtime error|SUMMARY|#[0-9]+ 0x' "$tmp/asan.err" | head -40 >&2
		failed=1
	fi
	check asan "$rc" || failed=1
fi

if [ "$mode" = valgrind ] || [ "$mode" = both ]; then
	t0=$(date +%s.%N)
	rc=0
	sh tests/valgrind.sh "$tmp/leakmut" generate --python /usr/bin/python3 -o "$tmp/valgrind.git" \
		"$input" >"$tmp/valgrind.out" 2>"$tmp/valgrind.err" || rc=$?
	echo "valgrind: $(secs "$t0" "$(date +%s.%N)") s, exit $rc"
	check valgrind "$rc" || failed=1
fi
exit $failed
