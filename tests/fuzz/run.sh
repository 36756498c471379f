#!/usr/bin/env bash
# Build the libFuzzer target into build-fuzz/ (clang, ASan + UBSan + LSan) and
# run it:
#
#   tests/fuzz/run.sh SECONDS [CORPUS-DIR] [LIBFUZZER-OPTION...]
#
# SECONDS bounds the run; options such as -runs=N -seed=S bound it by count
# and make it reproducible (.ci/test does so).
# The seeds are the .py files of corpus/, tests/golden/ (without the golden
# cases' expected mutants, near copies of their inputs) and
# tests/fuzz/regressions/ (findings of the target's own checks); the inputs the
# fuzzer finds go to CORPUS-DIR (default build-fuzz/fuzz-corpus; keep one
# outside the build to go on where a run stopped).  A crash, an invariant
# violation (abort), a leak or a timeout leaves its input in
# build-fuzz/crashes/ and makes the script fail.  Prints the executions,
# the speed, the coverage (cov: edges, ft: features) and the target's
# sha256 at the end.
#
# -jobs=N -workers=N runs N fuzzing processes side by side on one corpus
# (the long runs in the README: LEAKMUT_FUZZ_ASAN=OFF, -jobs=2 -workers=2).
# libFuzzer writes each one's log, fuzz-JOB.log, into the folder it runs in:
# build-fuzz/jobs/, emptied first.  The executions printed are then the sum
# of each log's last count, the coverage the largest.
set -euo pipefail
cd "$(dirname "$0")/../.."
export LC_ALL=C
if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
	echo "usage: tests/fuzz/run.sh SECONDS [CORPUS-DIR] [LIBFUZZER-OPTION...]" >&2
	exit 2
fi
seconds=$1
shift
corpus=build-fuzz/fuzz-corpus
if [ $# -ge 1 ] && [ "${1#-}" = "$1" ]; then
	corpus=$1
	shift
fi

# LEAKMUT_FUZZ_ASAN=OFF builds without ASan and LSan (UBSan and the
# invariants stay) into build-fuzz-noasan/: several times faster, for long runs.
bin=build-fuzz
if [ "${LEAKMUT_FUZZ_ASAN:-ON}" = OFF ]; then
	bin=build-fuzz-noasan
fi
CC=clang bash .ci/build "$bin" -DLEAKMUT_FUZZ=ON -DLEAKMUT_FUZZ_ASAN="${LEAKMUT_FUZZ_ASAN:-ON}" \
	-DLEAKMUT_TESTS=OFF >/dev/null

# Seeds: one file each, named after its path, refreshed every run.
seeds=build-fuzz/fuzz-seeds
rm -rf "$seeds"
mkdir -p "$seeds" "$corpus" build-fuzz/crashes
find corpus tests/golden tests/fuzz/regressions -name '*.py' ! -name '*.mutant-*' -print0 | sort -z | while IFS= read -r -d '' f; do
	cp "$f" "$seeds/$(printf '%s' "$f" | tr '/' '_')"
done

jobs=
for a in "$@"; do
	case $a in
	-jobs=*) jobs=${a#-jobs=} ;;
	esac
done
root=$(pwd)
run=.
logs=build-fuzz/fuzz.log
if [ -n "$jobs" ]; then
	run=build-fuzz/jobs
	rm -rf "$run"
	mkdir -p "$run"
fi
case $corpus in
/*) ;;
*) corpus=$root/$corpus ;;
esac

log=build-fuzz/fuzz.log
rc=0
# A small quarantine and short allocation stacks double the speed; run the
# binary on a crash file alone to see a finding with full stacks.
start=$(date +%s)
(cd "$run" && UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=32:malloc_context_size=4 \
	"$root/$bin"/tests/fuzz/fuzz_engine -max_len=4096 -timeout=20 -rss_limit_mb=2048 \
	-dict="$root"/tests/fuzz/python.dict -max_total_time="$seconds" -print_final_stats=1 \
	-artifact_prefix="$root"/build-fuzz/crashes/ "$@" "$corpus" "$root/$seeds") >"$log" 2>&1 || rc=$?
took=$(($(date +%s) - start))
if [ -n "$jobs" ]; then
	logs=$(find "$run" -name 'fuzz-*.log' | sort)
fi

# Each log's last status line (#N ... cov: E ft: F): executions add up over
# the jobs, coverage is the largest any job reached.
execs=0
cov=0
ft=0
for l in $logs; do
	last=$(grep -aE '^#[0-9]+' "$l" | tail -1 || true)
	n=$(printf '%s' "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
	c=$(printf '%s' "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	f=$(printf '%s' "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	execs=$((execs + ${n:-0}))
	if [ "${c:-0}" -gt "$cov" ]; then cov=$c; fi
	if [ "${f:-0}" -gt "$ft" ]; then ft=$f; fi
done
speed=$((execs / (took > 0 ? took : 1)))
# The target's own hash: executions add up across runs of one binary only.
target=$(sha256sum "$bin"/tests/fuzz/fuzz_engine | cut -c1-16)
echo "fuzz: $execs executions in $took s ($speed/s${jobs:+, $jobs jobs}), cov $cov, ft $ft," \
	"corpus $(find "$corpus" -type f | wc -l) inputs in $corpus, target sha256 $target..."
if [ "$rc" != 0 ]; then
	# $logs: paths under build-fuzz/, without spaces
	grep -aE 'fuzz_engine:|ERROR:|SUMMARY:|runtime error|Test unit written' $logs | head -20 >&2
	echo "fuzz: the fuzzer failed (exit $rc); full log in $(echo $logs)" >&2
	exit 1
fi
