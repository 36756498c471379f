#!/usr/bin/env bash
# Benchmark of `leakmut score` (a script, not a test): on a mutant repository
# (default: build/corpus-mutants.git, as .ci/demo writes it), time
#   - leakmut score --detector ruff --detector pylint --detector ast-grep, end
#     to end (the report files included);
#   - the detectors alone, run by hand the way score runs them, over the same
#     files (the layout `leakmut score --materialise` writes: base whole; each
#     mutant's and control's changed files side by side): ruff's WebAssembly
#     runner on base, on the mutants, and on the mutants with noqa stripped;
#     pylint on base and on the mutants; ast-grep with leakmut's rule on base
#     and on the mutants;
# in ROUNDS alternating rounds, and print each round and the median ratio.
# The machine is shared and noisy: read the ratios, not the absolute figures.
# Usage: tests/bench/score.sh [LEAKMUT] [REPO.git] [ROUNDS]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
lm=${1:-$here/build/leakmut}
repo=${2:-$here/build/corpus-mutants.git}
rounds=${3:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C
export NODE_PATH=$here/build/node/node_modules

now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$(now)"; }

"$lm" score --materialise "$tmp/mat" "$repo" >/dev/null
ln -s mat/base "$tmp/base"
ln -s mat/mutants "$tmp/mutants"
nmut=$(find "$tmp/mutants/" -mindepth 1 -maxdepth 1 -type d | wc -l)
nbase=$(find "$tmp/base/" -name '*.py' | wc -l)
ast_grep=("$here/build/node/node_modules/.bin/ast-grep" scan --rule
	"$here/src/detectors/ast-grep-open-never-closed.yml" --json=compact --no-ignore hidden
	--no-ignore vcs --no-ignore dot --no-ignore parent .)
echo "repository: $repo ($nbase base files, $nmut mutants and controls)"

pylint_on() { # DIR: the files sorted, as score lists them
	(cd "$1" && find . -name '*.py' | LC_ALL=C sort | sed 's|^\./||' |
		xargs -n 400 pylint --disable=all --enable=consider-using-with,syntax-error \
			--output-format=json --jobs=2 >/dev/null 2>&1 || true)
}

results=()
for r in $(seq 1 "$rounds"); do
	t0=$(now)
	"$lm" score --detector ruff --detector pylint --detector ast-grep -o "$tmp/report" \
		"$repo" >/dev/null
	score=$(since "$t0")
	t0=$(now)
	(cd "$tmp/base" && node "$here/src/detectors/ruff-wasm.cjs" . >/dev/null)
	(cd "$tmp/mutants" && node "$here/src/detectors/ruff-wasm.cjs" . >/dev/null)
	(cd "$tmp/mutants" && node "$here/src/detectors/ruff-wasm.cjs" --strip-noqa . >/dev/null)
	ruff=$(since "$t0")
	t0=$(now)
	pylint_on "$tmp/base"
	pylint_on "$tmp/mutants"
	pylint=$(since "$t0")
	t0=$(now)
	(cd "$tmp/base/" && "${ast_grep[@]}" >/dev/null)
	(cd "$tmp/mutants/" && "${ast_grep[@]}" >/dev/null)
	astg=$(since "$t0")
	echo "round $r: leakmut score ${score} s; ruff alone ${ruff} s; pylint alone ${pylint} s;" \
		"ast-grep alone ${astg} s"
	results+=("$score $ruff $pylint $astg")
done
printf '%s\n' "${results[@]}" | python3 -c '
import statistics, sys
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
s, r, p, a = (statistics.median(c) for c in zip(*rows))
d = r + p + a
print(f"median: score {s:.2f} s, ruff {r:.2f} s, pylint {p:.2f} s, ast-grep {a:.2f} s,"
      f" detectors {d:.2f} s; score / detectors = {s / d:.2f}, leakmut own time {s - d:.2f} s"
      f" ({100 * (s - d) / s:.0f}% of score)")'
