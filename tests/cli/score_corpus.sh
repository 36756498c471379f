#!/bin/sh
# `leakmut score` on the bundled corpus: ast-grep with leakmut's rule
# (src/detectors/ast-grep-open-never-closed.yml), and a SARIF log written
# here by hand over the materialised layout, scoring multi-file mutants on
# their related locations (tier T2).
# Usage: score_corpus.sh LEAKMUT CORPUS [RUNNER]   (run from tests/)
set -u
LEAKMUT=$1
CORPUS=$2
shift 2
RUNNER="$*"
export LC_ALL=C
. ./cli/lib.sh

lm generate --operators drop-with,inline-open,close-happy-path,return-handle -o "$tmp/c.git" "$CORPUS"
git -C "$tmp/c.git" show leakmut/truth:truth.jsonl >"$tmp/truth.jsonl"
lm score --detector ast-grep --materialise "$tmp/mat" -o "$tmp/r1" "$tmp/c.git"
rule=$(cd .. && pwd)/src/detectors/ast-grep-open-never-closed.yml
sha=$(sha256sum "$rule" | cut -d' ' -f1)
check ast-grep '[ "$(rc)" = 0 ] && grep -q "^ast-grep 0.39.6: 0 leak alerts on base" "$tmp/out" &&
	python3 - "$tmp/r1/score.json" "$tmp/truth.jsonl" "$sha" >"$tmp/out" 2>"$tmp/err" <<PYEOF
import json, sys
score = json.load(open(sys.argv[1]))
truth = {r["id"]: r for r in map(json.loads, open(sys.argv[2]))}
got = {}
for m in score["mutants"]:
    r = truth[m["id"]]
    got.setdefault((r["operator"], r["path"], r["qualname"], r["result_kind"]), []).append(m)
def one(op, path, fn):
    (m,) = got[(op, path, fn, "fail")]
    return m["outcome"], m["tier"]
# with tarfile.open(...) as tar -> tar = tarfile.open(...): assigned, never closed.
assert one("drop-with", "agentkit/archives.py", "list_tar") == ("DETECTED", 0)
# return tarfile.open(archive).getnames(): no name is assigned, the rule sees nothing.
assert one("inline-open", "agentkit/archives.py", "list_tar") == ("MISSED", -1)
# A handle closed on the happy path has a close() call: the rule accepts it.
# A Popen released by wait() has none: the rule flags it (supervisor.py).
chp = {k: [m["outcome"] for m in ms] for k, ms in got.items()
       if k[0] == "close-happy-path" and k[3] == "fail"}
popen = {k for k in chp if k[1] == "agentkit/supervisor.py" and k[2].startswith("run_")}
assert len(popen) == 3 and all(chp[k] == ["DETECTED"] for k in popen), chp
assert all(o == "MISSED" for k, os in chp.items() if k not in popen for o in os), chp
# The leak leaves the function (returned): outside what the rule looks at.
assert all(m["outcome"] == "MISSED" for k, ms in got.items() if k[0] == "return-handle"
           and k[3] == "fail" for m in ms)
(d,) = score["detectors"]
assert d["name"] == "ast-grep" and d["version"] == "0.39.6" and d["config_sha256"] == sys.argv[3]
assert d["argv"][1:4] == ["scan", "--rule", d["argv"][3]] and d["argv"][3].endswith(".yml")
assert d["seconds"] > 0 and d["error"] is None
assert d["overall"]["outcomes"]["DETECTED"] > 0 and d["overall"]["outcomes"]["MISSED"] > 0
print("ast-grep as expected")
PYEOF' "ast-grep with leakmut's rule: DETECTED and MISSED as reasoned"

# A hand-made SARIF log over the layout: for return-handle mutants, which
# change the producer and its callers' files, findings in a caller's file.
python3 - "$tmp/truth.jsonl" "$tmp/mat" >"$tmp/hand.sarif" <<'PYEOF'
import json, sys
truth = {r["id"]: r for r in map(json.loads, open(sys.argv[1]))}
by_fn = {r["qualname"]: r for r in truth.values()
         if r["operator"] == "return-handle" and r["result_kind"] == "fail"}
results = []
def result(rule, uri, line):
    results.append({"ruleId": rule, "message": {"text": "x"}, "locations": [{"physicalLocation": {
        "artifactLocation": {"uri": uri}, "region": {"startLine": line, "startColumn": 1}}}]})
def consumer(r):
    return [x for x in r["related"] if x["role"] == "consumer" and x["path"] != r["path"]][0]
# list_tar: a finding on a consumer line in the driver: T2.
r = by_fn["list_tar"]; c = consumer(r)
result("py/file-not-closed", "mutants/%s/%s" % (r["id"], c["path"]), c["line"])
# gunzip_text: a leak rule known only by its CWE tag, on a consumer: T2.
r = by_fn["gunzip_text"]; c = consumer(r)
result("my-leak", "mutants/%s/%s" % (r["id"], c["path"]), c["line"])
# base: a finding at the line number of list_tar's consumer, whose text the
# mutant changed: by the line-independent fingerprint, it is not the same spot.
r = by_fn["list_tar"]; c = consumer(r)
result("py/file-not-closed", "base/%s" % c["path"], c["line"])
# load_json: a rule that is no leak rule, on a consumer: MISSED.
r = by_fn["load_json"]; c = consumer(r)
result("style", "mutants/%s/%s" % (r["id"], c["path"]), c["line"])
# load_compressed_json: a leak finding in the driver off every related line: MISSED.
r = by_fn["load_compressed_json"]; c = consumer(r)
result("py/file-not-closed", "mutants/%s/%s" % (r["id"], c["path"]), 1)
rules = [{"id": "my-leak", "properties": {"tags": ["external/cwe/cwe-772"]}},
         {"id": "style", "properties": {"tags": ["CWE-7720"]}}]
print(json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {
    "name": "hand", "version": "0.1", "rules": rules}}, "results": results}]}))
PYEOF
lm score --sarif "hand=$tmp/hand.sarif" -o "$tmp/r2" "$tmp/c.git"
check related-tier '[ "$(rc)" = 0 ] && python3 - "$tmp/r2/score.json" "$tmp/truth.jsonl" >"$tmp/out" 2>"$tmp/err" <<PYEOF
import json, sys
score = json.load(open(sys.argv[1]))
truth = {r["id"]: r for r in map(json.loads, open(sys.argv[2]))}
got = {truth[m["id"]]["qualname"]: (m["outcome"], m["tier"]) for m in score["mutants"]
       if truth[m["id"]]["operator"] == "return-handle" and truth[m["id"]]["result_kind"] == "fail"}
assert got["list_tar"] == ("DETECTED", 2), got
assert got["gunzip_text"] == ("DETECTED", 2), got
assert got["load_json"] == ("MISSED", -1), got
assert got["load_compressed_json"] == ("MISSED", -1), got
(d,) = score["detectors"]
assert d["overall"]["tiers"]["T2"] == 2 and d["base_alerts"] == 1, d["overall"]
# The mutation report gives each outcome its tier: T2 named as T0, T1, T3 are.
report = json.load(open(sys.argv[1].replace("score.json", "mutation-report.json")))
reasons = {m["id"]: m["statusReason"] for f in report["files"].values() for m in f["mutants"]}
t2 = [m["id"] for m in score["mutants"] if truth[m["id"]]["operator"] == "return-handle" and
      truth[m["id"]]["result_kind"] == "fail" and truth[m["id"]]["qualname"] in ("list_tar", "gunzip_text")]
assert len(t2) == 2 and all(reasons[i].endswith("DETECTED (T2: on a related location)") for i in t2), \
    [reasons.get(i) for i in t2]
# The report page shows every file a multi-file mutant changes in its diff.
page = open(sys.argv[1].replace("score.json", "index.html"), encoding="utf-8").read()
start = page.index("<script type=\"application/json\" id=\"data\">") + 42
data = json.loads(page[start:page.index("</script>", start)])
multi = [m for m in data["mutants"] if len(truth[m["id"]].get("files", [])) > 1]
assert multi  # not vacuous
for m in multi:
    shown = sorted(l.split(" b/", 1)[1] for l in m["diff"].splitlines() if l.startswith("diff --git "))
    assert shown == sorted(truth[m["id"]]["files"]), (m["id"], shown)
print("related locations as expected")
PYEOF' "multi-file mutants: findings on related locations are T2, checked against base"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
