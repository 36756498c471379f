"""The bundled corpus holds every operator x resource kind at least N times.

corpus_coverage.py LEAKMUT CORPUS [N]

An operator's kinds are the ones `leakmut operators --json` lists for it; a
site counts when `leakmut sites --json --operators all` reports it without a
skip reason, under the kind its API belongs to in src/kinds.def.  Controls
count like the leaky operators.  Prints the table, marks the short cells, and
fails when one is short or a site's API belongs to no kind.
"""
import collections
import json
import os
import re
import subprocess
import sys

leakmut, corpus = sys.argv[1], sys.argv[2]
need = int(sys.argv[3]) if len(sys.argv) > 3 else 3
here = os.path.dirname(os.path.abspath(__file__))

api_kind = {}
with open(os.path.join(here, "..", "..", "src", "kinds.def"), encoding="utf-8") as f:
    for line in f:
        m = re.match(r'\s*LM_KIND\((\w+),\s*"([^"]+)"', line)
        if m:
            api_kind[m.group(2)] = m.group(1)
assert len(api_kind) >= 20, "kinds.def not read"


def lines(*args):
    out = subprocess.run([leakmut, *args], check=False, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"FAIL: leakmut {' '.join(args)}: exit {out.returncode}\n{out.stderr}")
    return [json.loads(l) for l in out.stdout.splitlines() if l.strip()]


operators = lines("operators", "--json")
count = collections.Counter()
unknown = set()
for site in lines("sites", "--json", "--operators", "all", corpus):
    if site.get("type") != "site" or site.get("reason"):
        continue
    kind = api_kind.get(site["api"])
    if kind is None:
        unknown.add(site["api"])
        continue
    count[(site["operator"], kind)] += 1

short, cells_total = [], 0
for op in operators:
    kinds = op["kinds"] if isinstance(op["kinds"], list) else op["kinds"].split(",")
    cells = []
    cells_total += len(kinds)
    for kind in kinds:
        n = count[(op["id"], kind)]
        cells.append(f"{kind} {n}" + ("" if n >= need else " (short)"))
        if n < need:
            short.append(f"{op['id']} x {kind}: {n}")
    print(f"{op['id']}: " + ", ".join(cells))
for api in sorted(unknown):
    print(f"FAIL: a site's API {api} is in no kind of src/kinds.def")
for cell in short:
    print(f"FAIL: {cell} sites, fewer than {need}")
print(f"{cells_total} operator x kind cells, {len(short)} short")
sys.exit(1 if short or unknown else 0)
