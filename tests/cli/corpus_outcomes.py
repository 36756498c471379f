"""Compare the scorer's outcomes with the hand-checked ones.

corpus_outcomes.py EXPECTED.json SCORE.json REPO.git
Each entry is found by (operator, path, qualname, acquisition) in the
repository's truth (exactly one mutant), and each detector's outcome must be
the reasoned one, or, where the entry records a disagreement (`scorer`), what
the scorer is known to say; every disagreement is printed.
"""
import json
import subprocess
import sys

expected = json.load(open(sys.argv[1]))["mutants"]
score = json.load(open(sys.argv[2]))
truth = [json.loads(l) for l in subprocess.run(
    ["git", "-C", sys.argv[3], "show", "leakmut/truth:truth.jsonl"], check=True,
    capture_output=True, text=True).stdout.splitlines() if l.strip()]
outcome = {(m["detector"], m["id"]): m["outcome"] for m in score["mutants"]}
detectors = [d["name"] for d in score["detectors"]]
assert len(expected) >= 20, len(expected)
bad, disagreements = [], []
for e in expected:
    key = (e["operator"], e["path"], e["qualname"], e["acquisition"])
    found = [r for r in truth if r["result_kind"] == "fail" and
             (r["operator"], r["path"], r["qualname"], r["acquisition"]) == key]
    if len(found) != 1:
        bad.append(f"{key}: {len(found)} mutants match")
        continue
    mid = found[0]["id"]
    for d in detectors:
        reasoned = e[d]
        known = e.get("scorer", {}).get(d)
        got = outcome[(d, mid)]
        if got != (known or reasoned):
            bad.append(f"{mid} {e['operator']} {e['path']} {e['qualname']}: {d} gave {got}, "
                       f"expected {known or reasoned} ({e['why']})")
        elif known:
            disagreements.append(f"{mid} {e['operator']} {e['qualname']}: {d} reasoned "
                                 f"{reasoned}, scorer {got}: {e['scorer']['why']}")
for line in bad:
    print("MISMATCH", line)
for line in disagreements:
    print("known disagreement:", line)
print(f"{len(expected)} mutants x {len(detectors)} detectors: {len(bad)} mismatches, "
      f"{len(disagreements)} known disagreements")
sys.exit(1 if bad else 0)
