#!/usr/bin/env bash
# How `leakmut sites --no-compile` grows with one module's size (a script,
# not a test): for each shape, a module of N and of 10*N top-level lines
# around one site, run side by side (small, big, big, small); prints the user
# CPU times and their ratio big/small.  Linear work gives a ratio near 10
# (less while fixed costs dominate); a loop over a module's children by
# index (ts_node_named_child(root, i), which starts from the first child
# each time) gives near 100.  Shapes: comment lines, plain statements.
# The machine is shared and noisy: read the ratio, not the absolute times.
# Usage: tests/bench/scaling.sh [LEAKMUT] [N]
set -euo pipefail
bin=${1:-build/leakmut}
n=${2:-5000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

make_module() { # SHAPE LINES FILE
	python3 - "$1" "$2" "$3" <<'PY'
import sys
shape, lines, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
line = "# a comment\n" if shape == "comments" else "x = 1\n"
site = "def f(p):\n    with open(p) as fh:\n        return fh.read()\n"
with open(path, "w") as out:
    out.write(line * (lines // 2) + site + line * (lines - lines // 2))
PY
}

user_time() { # FILE -> user CPU seconds of one run
	/usr/bin/time -f %U -o "$tmp/t" "$bin" sites --no-compile "$1" >/dev/null 2>&1 || true
	cat "$tmp/t"
}

printf '%-10s %8s %8s %10s %10s %7s\n' shape small big small_s big_s ratio
for shape in comments statements; do
	make_module "$shape" "$n" "$tmp/small.py"
	make_module "$shape" $((n * 10)) "$tmp/big.py"
	s1=$(user_time "$tmp/small.py")
	b1=$(user_time "$tmp/big.py")
	b2=$(user_time "$tmp/big.py")
	s2=$(user_time "$tmp/small.py")
	python3 - "$shape" "$n" "$s1" "$s2" "$b1" "$b2" <<'PY'
import sys
shape, n = sys.argv[1], int(sys.argv[2])
s = (float(sys.argv[3]) + float(sys.argv[4])) / 2
b = (float(sys.argv[5]) + float(sys.argv[6])) / 2
print("%-10s %8d %8d %10.2f %10.2f %7.1f" % (shape, n, n * 10, s, b, b / max(s, 0.01)))
PY
done
