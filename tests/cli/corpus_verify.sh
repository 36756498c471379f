#!/bin/sh
# `leakmut verify` on the bundled corpus: every mutant of a kind that warns
# is validated (but those listed in cli/expected/corpus-reached.txt, each
# with its reason), every control is confirmed, none failed.  CI runs it on
# the whole corpus (about 6 minutes on 2 shared cores); SAMPLE and SEED make
# a quicker deterministic sample (SAMPLE records of each operator).
# Usage: corpus_verify.sh LEAKMUT CORPUS [SAMPLE SEED]   (run from tests/)
set -u
LEAKMUT=$1
CORPUS=$2
SAMPLE=${3:-}
SEED=${4:-1}
export LC_ALL=C
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -n "$SAMPLE" ]; then
	set -- --sample "$SAMPLE" --seed "$SEED"
else
	set --
fi
if ! "$LEAKMUT" generate "$@" -o "$tmp/c.git" "$CORPUS" >"$tmp/out" 2>&1; then
	echo "FAIL: generate on $CORPUS"
	cat "$tmp/out"
	exit 1
fi
"$LEAKMUT" verify --jobs 2 --timeout 120 "$tmp/c.git" >"$tmp/out" 2>&1
rc=$?
tail -3 "$tmp/out"
git -C "$tmp/c.git" show leakmut/truth:truth.jsonl >"$tmp/truth.jsonl" || exit 1
python3 - "$tmp/truth.jsonl" cli/expected/corpus-reached.txt "$rc" "$SAMPLE" <<'PY' || exit 1
import json, sys

truth, known_path, rc, sample = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
known = {}
for line in open(known_path, encoding="utf-8"):
    if line.strip() and not line.startswith("#"):
        op, path, qual, reason = line.rstrip("\n").split("\t")
        assert reason.strip(), f"{known_path}: {op} {path} {qual} gives no reason"
        known[(op, path, qual)] = reason
bad, seen, n = [], set(), 0
for line in open(truth, encoding="utf-8"):
    r = json.loads(line)
    n += 1
    w = r["validation"]["witness"]
    key = (r["operator"], r["path"], r["qualname"])
    what = f'{r["branch"]} {r["operator"]} {r["api"]} {r["path"]}:{r["line"]} {r["qualname"]}: {w}'
    if r["result_kind"] == "pass":
        if w != "confirmed":
            bad.append(what + " (a control must be confirmed)")
    elif w == "unwitnessed":
        if "never warns" not in r["validation"].get("witness_detail", ""):
            bad.append(what + " (unwitnessed other than by its kind: no driver?)")
    elif w == "reached" and key in known:
        seen.add(key)
    elif w != "validated":
        bad.append(what + " " + r["validation"].get("witness_detail", ""))
if not sample:
    for key in sorted(set(known) - seen):
        bad.append("listed in %s but not reached: %s" % (known_path, " ".join(key)))
if rc != 0:
    bad.append(f"verify exited {rc}")
for b in bad:
    print("FAIL", b)
print(f"{n} records, {len(bad)} problems")
sys.exit(1 if bad or n == 0 else 0)
PY
