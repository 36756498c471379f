#!/usr/bin/env python3
"""A stand-in SARIF detector for tests/cli/score.sh.

Usage: fake_sarif.py [--out FILE] [--note WORD] [--exit N] [--garbage] [--log FILE]
                     [--suppress STATUS] [--pass] [--fail-on SUFFIX] [--unsuccessful]
                     FILE...

Reports rule open-never-closed at each line of each FILE that assigns the
result of open(...) (``NAME = open(``), with a region starting at NAME.
--log appends its argument vector (one JSON list per line), --exit N exits
with N after writing, --garbage writes text that is not SARIF.
--suppress gives each result a suppression in source with that status
(accepted, underReview, rejected, or none: no status); --pass adds a result
of kind "pass" at each ``with open(`` line (a check that passed: no finding).
--fail-on: each FILE ending in SUFFIX has no results and a tool execution
notification of level "error" at it (the tool failed on the file); every
other FILE one of no level (a warning, the default: it changes nothing).
--unsuccessful: the invocation says executionSuccessful false.
"""
import json
import re
import sys

args = sys.argv[1:]
out = log = None
status = 0
garbage = False
suppress = None
passes = False
fail_on = None
unsuccessful = False
files = []
while args:
    a = args.pop(0)
    if a == "--out":
        out = args.pop(0)
    elif a == "--log":
        log = args.pop(0)
    elif a == "--exit":
        status = int(args.pop(0))
    elif a == "--note":
        args.pop(0)  # only logged: shows how a quoted word arrives
    elif a == "--garbage":
        garbage = True
    elif a == "--suppress":
        suppress = args.pop(0)
    elif a == "--pass":
        passes = True
    elif a == "--fail-on":
        fail_on = args.pop(0)
    elif a == "--unsuccessful":
        unsuccessful = True
    else:
        files.append(a)
if log:
    with open(log, "a", encoding="utf-8") as f:
        f.write(json.dumps(sys.argv[1:]) + "\n")
results = []
notes = []
pattern = re.compile(r"^(\s*)(\w+) = open\(")
safe = re.compile(r"^(\s*)with open\(")
for path in files:
    if fail_on is not None:
        note = {"message": {"text": "cannot analyse" if path.endswith(fail_on) else "analysed"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": path}}}]}
        if path.endswith(fail_on):
            note["level"] = "error"
            notes.append(note)
            continue
        notes.append(note)
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = pattern.match(line) or (passes and safe.match(line))
            if m:
                col = len(m.group(1)) + 1
                result = {
                    "ruleId": "open-never-closed",
                    "message": {"text": "never closed"},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": {"uri": path},
                        "region": {"startLine": n, "startColumn": col,
                                   "endLine": n, "endColumn": len(line.rstrip()) + 1}}}],
                }
                if not pattern.match(line):
                    result["kind"] = "pass"
                if suppress:
                    result["suppressions"] = [{"kind": "inSource"}]
                    if suppress != "none":
                        result["suppressions"][0]["status"] = suppress
                results.append(result)
log_doc = {"version": "2.1.0", "runs": [{
    "tool": {"driver": {"name": "fake", "version": "1.2.3"}}, "results": results}]}
if fail_on is not None or unsuccessful:
    log_doc["runs"][0]["invocations"] = [{"executionSuccessful": not unsuccessful,
                                          "toolExecutionNotifications": notes}]
text = "this is not { SARIF" if garbage else json.dumps(log_doc)
if out:
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
else:
    sys.stdout.write(text)
sys.exit(status)
