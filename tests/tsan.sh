#!/usr/bin/env bash
# generate's worker threads under ThreadSanitizer: the bundled corpus with a
# few bad files among the good ones, read from a folder and from a git
# revision, scanned by 1 and by 4 threads of a build with -fsanitize=thread
# (build-tsan/).  Passes when TSan reports nothing and every run writes the
# same refs and the same messages, in the same order.
#
# Usage: tests/tsan.sh [BUILD-DIR]   (default build-tsan, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C
build=${1:-build-tsan}
bash .ci/build "$build" -DLEAKMUT_TSAN=ON -DLEAKMUT_TESTS=OFF >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/in"
cp -R corpus/. "$tmp/in/"
printf 'def f(:\n' >"$tmp/in/agentkit/aa_broken.py"
printf 'x = "\377"\n' >"$tmp/in/agentkit/m_latin1.py"
ln -s loop "$tmp/in/agentkit/loop"
git -C "$tmp/in" init -q
git -C "$tmp/in" add -A
git -C "$tmp/in" -c user.name=t -c user.email=t@t commit -qm input

failed=0
for input in dir rev; do
	set -- "$tmp/in"
	[ $input = rev ] && set -- --rev HEAD "$tmp/in"
	for jobs in 1 4; do
		rc=0
		TSAN_OPTIONS=halt_on_error=1:exitcode=66 "$build/leakmut" generate --jobs $jobs \
			-o "$tmp/$input-$jobs.git" "$@" 2>"$tmp/$input-$jobs.err" || rc=$?
		if [ $rc -gt 1 ] || grep -q ThreadSanitizer "$tmp/$input-$jobs.err"; then
			echo "FAIL $input --jobs $jobs: exit $rc" >&2
			head -60 "$tmp/$input-$jobs.err" >&2
			failed=1
		fi
		git -C "$tmp/$input-$jobs.git" for-each-ref --format='%(refname) %(objectname)' \
			>"$tmp/$input-$jobs.refs"
	done
	if ! cmp -s "$tmp/$input-1.refs" "$tmp/$input-4.refs" ||
		! cmp -s "$tmp/$input-1.err" "$tmp/$input-4.err"; then
		echo "FAIL $input: --jobs 4 differs from --jobs 1" >&2
		diff "$tmp/$input-1.err" "$tmp/$input-4.err" >&2 || true
		failed=1
	fi
	echo "$input: $(wc -l <"$tmp/$input-4.refs") refs, $(wc -l <"$tmp/$input-4.err") lines on stderr, same for 1 and 4 threads"
done
[ $failed = 0 ] && echo "ThreadSanitizer: no report"
exit $failed
