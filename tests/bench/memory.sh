#!/usr/bin/env bash
# How generate's peak memory grows with the number of mutants (a benchmark,
# not a test): the bundled corpus's package copied K1 and K2 times (default
# 4 and 16) into one input folder, `generate --no-compile --jobs 1` over each
# with each build given, side by side; prints each run's maximum resident
# set and branch count, the growth per extra branch, and with two builds the
# ratio B/A at each size.  Both builds must write the same refs and the same
# truth.jsonl.
# Usage: tests/bench/memory.sh LEAKMUT-A [LEAKMUT-B] [-- K1 K2]
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ $# -lt 1 ]; then
	echo "usage: tests/bench/memory.sh LEAKMUT-A [LEAKMUT-B] [-- K1 K2]" >&2
	exit 2
fi
builds=("$1")
shift
if [ $# -ge 1 ] && [ "$1" != -- ]; then
	builds+=("$1")
	shift
fi
sizes=(4 16)
if [ "${1:-}" = -- ]; then
	shift
	sizes=("$@")
fi
[ ${#sizes[@]} = 2 ] || { echo "memory.sh: give two sizes after --" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

for k in "${sizes[@]}"; do
	for i in $(seq -w 1 "$k"); do
		mkdir -p "$tmp/in$k/c$i"
		cp -r corpus/agentkit "$tmp/in$k/c$i/"
	done
done

declare -A rss branches
for k in "${sizes[@]}"; do
	for b in "${!builds[@]}"; do
		rm -rf "$tmp/out.git"
		/usr/bin/time -f %M -o "$tmp/mem" "${builds[$b]}" generate --no-compile --jobs 1 \
			-o "$tmp/out.git" "$tmp/in$k" >/dev/null 2>"$tmp/err" || true
		rss[$b,$k]=$(tail -1 "$tmp/mem")
		branches[$b,$k]=$(git -C "$tmp/out.git" for-each-ref refs/heads/m refs/heads/c | wc -l)
		{
			git -C "$tmp/out.git" for-each-ref --format='%(refname) %(objectname)' \
				refs/heads/m refs/heads/c refs/heads/base
			git -C "$tmp/out.git" rev-parse leakmut/truth:truth.jsonl
		} >"$tmp/refs.$b"
		echo "build $((b + 1)) (${builds[$b]}), $k copies: ${branches[$b,$k]} branches," \
			"${rss[$b,$k]} KiB max RSS"
	done
	if [ ${#builds[@]} = 2 ] && ! cmp -s "$tmp/refs.0" "$tmp/refs.1"; then
		echo "memory.sh: the two builds wrote different mutants; not comparable" >&2
		exit 1
	fi
done
k1=${sizes[0]}
k2=${sizes[1]}
for b in "${!builds[@]}"; do
	echo "build $((b + 1)): $(((rss[$b,$k2] - rss[$b,$k1]) * 1024 / (branches[$b,$k2] - branches[$b,$k1])))" \
		"bytes of peak memory per extra branch"
done
if [ ${#builds[@]} = 2 ]; then
	for k in "${sizes[@]}"; do
		echo "$k copies: peak memory B/A $(python3 -c "print(f'{${rss[1,$k]} / ${rss[0,$k]}:.3f}')")"
	done
fi
