#!/usr/bin/env bash
# Benchmark of `leakmut generate` (a script, not a test): on the Python
# standard library, on the same mutants, print
#   - leakmut's end-to-end rate (parse, mutate, validate, compile, write);
#   - git fast-import writing the same mutant files (fed from leakmut export);
#   - git plumbing commands one mutant at a time (a sample, extrapolated);
#   - leakmut's peak memory at two sizes of N.
# Like for like: generate writes mutants (m/<id>) and controls (c/<id>);
# `export --format dir`, which feeds fast-import, holds both; every rate
# counts both.  (Before stop 11 the rates counted only m/ branches on both
# sides: the ratio held, the absolute rates were about half.)
# The machine is shared and noisy, and leakmut runs on every core where
# fast-import runs on one: the two alternate, ROUNDS times (default 3), each
# round into fresh repositories with the same stream, and the median of the
# rounds' ratios is the figure; every round must write the same refs.
# Read the ratios, not the absolute figures.
# Usage: tests/bench/generate.sh [LEAKMUT] [INPUT] [ROUNDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lm=${1:-$here/../../build/leakmut}
input=${2:-$(python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')}
rounds=${3:-3}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "generate.sh: ROUNDS must be a positive number" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

now() { date +%s.%N; }
rate() { python3 -c "import sys; n, t = float(sys.argv[1]), float(sys.argv[2]); print(f'{n / t:,.0f}')" "$@"; }
secs() { python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$@"; }
refs() { git -C "$1" for-each-ref --format='%(refname) %(objectname)' refs/heads/m/ refs/heads/c/; }

echo "input: $input"

# leakmut end to end (a fresh OUT each time), its peak memory in mem-full.
run_leakmut() {
	local t0 t1
	rm -rf "$tmp/lm.git"
	t0=$(now)
	/usr/bin/time -f %M -o "$tmp/mem-full" "$lm" generate -o "$tmp/lm.git" "$input" 2>"$tmp/gen.err" || true
	t1=$(now)
	secs "$t0" "$t1"
}

# git fast-import of the prepared stream into a fresh repository holding base.
run_fast_import() {
	local t0 t1
	rm -rf "$tmp/fi.git"
	git init -q --bare "$tmp/fi.git"
	git -C "$tmp/fi.git" fetch -q "$tmp/lm.git" base:refs/heads/base
	t0=$(now)
	git -C "$tmp/fi.git" fast-import --quiet <"$tmp/stream"
	t1=$(now)
	secs "$t0" "$t1"
}

# 1. A first leakmut run makes the mutants; the stream for fast-import is
# prepared from its export (not timed).
lm_secs=$(run_leakmut)
refs "$tmp/lm.git" >"$tmp/refs.first"
n=$(wc -l <"$tmp/refs.first")
"$lm" export --format dir -o "$tmp/dir" "$tmp/lm.git" 2>/dev/null
base=$(git -C "$tmp/lm.git" rev-parse base)
python3 - "$tmp/dir" "$base" >"$tmp/stream" <<'PY'
import os, sys
root, base = sys.argv[1], sys.argv[2]
out = sys.stdout.buffer
for mid in sorted(os.listdir(root)):
    out.write(b"commit refs/heads/m/%s\n" % mid.encode())
    out.write(b"committer leakmut <leakmut@localhost> 946684800 +0000\n")
    out.write(b"data 7\nchange\n")
    out.write(b"from %s\n" % base.encode())
    for dirpath, _, files in os.walk(os.path.join(root, mid)):
        for f in files:
            full = os.path.join(dirpath, f)
            rel = os.path.relpath(full, os.path.join(root, mid)).encode()
            data = open(full, "rb").read()
            out.write(b"M 100644 inline %s\ndata %d\n" % (rel, len(data)) + data + b"\n")
PY

# 2. Rounds: fast-import, then leakmut again (the first round reuses the
# run above), each timed alone.
ratios=()
for r in $(seq 1 "$rounds"); do
	if [ "$r" -gt 1 ]; then
		lm_secs=$(run_leakmut)
		refs "$tmp/lm.git" >"$tmp/refs.again"
		cmp -s "$tmp/refs.first" "$tmp/refs.again" ||
			{ echo "generate.sh: round $r wrote other refs than round 1" >&2; exit 1; }
	fi
	fi_secs=$(run_fast_import)
	ratio=$(python3 -c "import sys; print(f'{float(sys.argv[2]) / float(sys.argv[1]):.3f}')" "$lm_secs" "$fi_secs")
	ratios+=("$ratio")
	echo "round $r: leakmut generate $n branches (mutants and controls) in $(printf %.2f "$lm_secs") s:" \
		"$(rate "$n" "$lm_secs") branches/s; git fast-import (same files, stream prepared" \
		"beforehand) $(printf %.2f "$fi_secs") s: $(rate "$n" "$fi_secs") branches/s; ratio $ratio"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -g | python3 -c "import sys; v = [float(x) for x in sys.stdin]; print(f'{v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2:.2f}')")

# 3. git plumbing, one mutant at a time, on a sample.
sample=$(ls "$tmp/dir" | head -50 || true)
k=0
export GIT_DIR=$tmp/fi.git GIT_INDEX_FILE=$tmp/plumb.index
t0=$(now)
for mid in $sample; do
	git read-tree base
	for f in $(cd "$tmp/dir/$mid" && find . -type f | sed 's|^\./||'); do
		blob=$(git hash-object -w "$tmp/dir/$mid/$f")
		git update-index --cacheinfo "100644,$blob,$f"
	done
	tree=$(git write-tree)
	commit=$(echo change | GIT_AUTHOR_DATE="946684800 +0000" GIT_COMMITTER_DATE="946684800 +0000" \
		GIT_AUTHOR_NAME=leakmut GIT_AUTHOR_EMAIL=leakmut@localhost \
		GIT_COMMITTER_NAME=leakmut GIT_COMMITTER_EMAIL=leakmut@localhost git commit-tree "$tree" -p base)
	git update-ref "refs/heads/p/$mid" "$commit"
	k=$((k + 1))
done
t1=$(now)
unset GIT_DIR GIT_INDEX_FILE
pl_secs=$(python3 -c "print($t1 - $t0)")
echo "git plumbing, one mutant at a time ($k sampled): $(rate "$k" "$pl_secs") mutants/s"

# 4. Peak memory at a smaller N (a quarter of the run, by shard).
/usr/bin/time -f %M -o "$tmp/mem-quarter" "$lm" generate --shard 1/4 -o "$tmp/q.git" "$input" 2>/dev/null || true
nq=$(git -C "$tmp/q.git" for-each-ref refs/heads/m/ refs/heads/c/ | wc -l)
mf=$(tail -n 1 "$tmp/mem-full")
mq=$(tail -n 1 "$tmp/mem-quarter")

python3 - "$n" "$lm_secs" "$median" "$rounds" "$k" "$pl_secs" "$nq" "$mq" "$mf" <<'PY'
import sys
n, lm, median, rounds, k, pl, nq, mq, mf = sys.argv[1:]
n, lm, median, rounds, k, pl = int(n), float(lm), float(median), int(rounds), int(k), float(pl)
nq, mq, mf = int(nq), int(mq), int(mf)
print()
print(f"ratio leakmut / git fast-import (branches/s), median of {rounds} rounds: {median:.2f}")
print(f"ratio leakmut / git plumbing   (mutants/s, last round): {(n / lm) / (k / pl):.1f}")
print(f"peak memory: {nq} mutants {mq / 1024:.0f} MiB, {n} mutants {mf / 1024:.0f} MiB "
      f"(ratio {mf / mq:.2f} for {n / max(nq, 1):.1f}x the mutants)")
PY
