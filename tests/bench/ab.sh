#!/usr/bin/env bash
# Side-by-side benchmark of two builds of leakmut (a script, not a test):
# ROUNDS alternating rounds of `generate` over the same INPUT into fresh
# repositories, A then B, then B then A, and so on; prints each round's
# times, peak memory (max RSS) and branch counts, and the median ratio B/A.
# The two must write the same refs and the same truth.jsonl, or the
# comparison means nothing: it stops when they differ.  Extra options after -- go to both generates
# (say --no-compile to leave the compile check's python out).
# The machine is shared and noisy: read the ratio, not the absolute figures.
# Usage: tests/bench/ab.sh LEAKMUT-A LEAKMUT-B INPUT [ROUNDS] [-- OPTION...]
set -euo pipefail
if [ $# -lt 3 ]; then
	echo "usage: tests/bench/ab.sh LEAKMUT-A LEAKMUT-B INPUT [ROUNDS] [-- OPTION...]" >&2
	exit 2
fi
a=$1
b=$2
input=$3
shift 3
rounds=3
if [ $# -ge 1 ] && [ "$1" != -- ]; then
	rounds=$1
	shift
fi
[ "${1:-}" = -- ] && shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

now() { date +%s.%N; }

opts=("$@")
for r in $(seq 1 "$rounds"); do
	if [ $((r % 2)) = 1 ]; then order="A B"; else order="B A"; fi
	for x in $order; do
		if [ "$x" = A ]; then bin=$a; else bin=$b; fi
		rm -rf "$tmp/$x.git"
		t0=$(now)
		/usr/bin/time -f %M -o "$tmp/mem" "$bin" generate "${opts[@]}" -o "$tmp/$x.git" \
			"$input" >/dev/null 2>"$tmp/$x.err" || true
		t1=$(now)
		echo "$(python3 -c "print(f'{$t1 - $t0:.2f}')") $(tail -1 "$tmp/mem")" >>"$tmp/$x"
		# The mutants' refs and the truth's records; truth.sarif's layout
		# may differ between versions.
		{
			git -C "$tmp/$x.git" for-each-ref --format='%(refname) %(objectname)' |
				grep -v '^refs/heads/leakmut/truth ' || true
			git -C "$tmp/$x.git" rev-parse leakmut/truth:truth.jsonl 2>/dev/null || true
		} >"$tmp/$x.refs"
	done
	if ! cmp -s "$tmp/A.refs" "$tmp/B.refs"; then
		echo "ab: A and B wrote different refs ($(wc -l <"$tmp/A.refs") and $(wc -l <"$tmp/B.refs")); not comparable" >&2
		exit 1
	fi
	echo "round $r: A $(sed -n "${r}p" "$tmp/A" | awk '{print $1 " s, " $2 " KiB"}')," \
		"B $(sed -n "${r}p" "$tmp/B" | awk '{print $1 " s, " $2 " KiB"}')," \
		"$(wc -l <"$tmp/A.refs") refs"
done
python3 - "$tmp/A" "$tmp/B" <<'PY'
import statistics, sys
a = [list(map(float, l.split())) for l in open(sys.argv[1])]
b = [list(map(float, l.split())) for l in open(sys.argv[2])]
t = statistics.median(y[0] / x[0] for x, y in zip(a, b))
m = statistics.median(y[1] / x[1] for x, y in zip(a, b))
print(f"median B/A: time {t:.3f}, peak memory {m:.3f}")
PY
