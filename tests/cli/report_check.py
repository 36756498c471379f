"""Checks of the report files of `leakmut score` (used by tests/cli/report.sh).

report_check.py stryker REPORT_DIR REPO.git SCHEMA.json
    mutation-report*.json are valid against the schema, hold every leak
    mutant once with the status its outcomes map to, and each mutant's
    location and replacement rebuild the mutant's file from base.
report_check.py dom DOM.html CHROME_STDERR REPORT_DIR REPO.git [--expect-errors]
    the page Chromium rendered has its charts, heat map cells and one row per
    mutant and control, no recorded error and no console message (or, with
    --expect-errors, at least one of each).
"""
import html.parser
import json
import subprocess
import sys

STATUS = {"DETECTED": "Killed", "MISSED": "Survived", "DETECTED_FUNC": "Survived",
          "NOT_DISCRIMINATED": "Survived", "SUPPRESSED": "Ignored",
          "TOOL_ERROR": "RuntimeError"}
ORDER = ["Killed", "Survived", "Ignored", "RuntimeError"]
RULE = {"ruff": "SIM115", "pylint": "R1732"}


def git_show(repo, spec):
    return subprocess.run(["git", "-C", repo, "show", spec], check=True,
                          capture_output=True).stdout.decode("utf-8")


def truth_of(repo):
    return [json.loads(l) for l in git_show(repo, "leakmut/truth:truth.jsonl").splitlines()
            if l.strip()]


def offset(text, line, col):
    """Index in `text` of 1-based line and code-point column."""
    lines = text.split("\n")
    assert 1 <= line <= len(lines), (line, len(lines))
    return sum(len(l) + 1 for l in lines[:line - 1]) + col - 1


def stryker(report_dir, repo, schema_path):
    import jsonschema
    schema = json.load(open(schema_path))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#", schema["$schema"]
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    score = json.load(open(f"{report_dir}/score.json"))
    truth = truth_of(repo)
    leaks = {r["id"]: r for r in truth if r["result_kind"] == "fail"}
    outcomes = {}
    for m in score["mutants"]:
        outcomes.setdefault(m["id"], {})[m["detector"]] = m["outcome"]
    detectors = [d["name"] for d in score["detectors"]]
    rebuilt = 0
    for only in [None] + detectors:
        name = "mutation-report.json" if only is None else f"mutation-report-{only}.json"
        report = json.load(open(f"{report_dir}/{name}"))
        errors = list(validator.iter_errors(report))
        assert not errors, (name, [e.message for e in errors[:3]])
        # The validator is not vacuous: a status outside the enum is refused.
        broken = json.loads(json.dumps(report))
        next(iter(broken["files"].values()))["mutants"][0]["status"] = "Dead"
        assert list(validator.iter_errors(broken)), "the schema accepted a bad status"
        seen = {}
        for path, f in report["files"].items():
            base = git_show(repo, f"base:{path}")
            assert f["source"] == base and f["language"] == "python", path
            for m in f["mutants"]:
                r = leaks[m["id"]]  # KeyError: a control or an unknown id
                assert m["id"] not in seen and r["path"] == path, m["id"]
                seen[m["id"]] = m
                assert m["mutatorName"] == r["operator"]
                got = {d: o for d, o in outcomes[m["id"]].items() if only in (None, d)}
                want = min((STATUS[o] for o in got.values()), key=ORDER.index)
                assert m["status"] == want, (name, m["id"], m["status"], got)
                assert sorted(m["killedBy"]) == sorted(
                    f"{d}:{RULE[d]}" for d, o in got.items() if o == "DETECTED"), m
                assert all(f"{d}:{RULE[d]}" in m["statusReason"] for d in got), m
                # Base with the replacement at the location is the mutant's file.
                loc = m["location"]
                a = offset(base, loc["start"]["line"], loc["start"]["column"])
                b = offset(base, loc["end"]["line"], loc["end"]["column"])
                assert a <= b
                mutant = git_show(repo, f"{r['branch']}:{path}")
                assert base[:a] + m["replacement"] + base[b:] == mutant, m["id"]
                rebuilt += 1
        assert set(seen) == set(leaks), (name, set(leaks) ^ set(seen))
        tests = {t["id"] for tf in report["testFiles"].values() for t in tf["tests"]}
        assert tests == {f"{d}:{RULE[d]}" for d in detectors if only in (None, d)}, tests
    print(f"{len(leaks)} mutants in {1 + len(detectors)} reports, {rebuilt} rebuilt from base")


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.elements, self.cells = [], [], []
        self.in_td = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag == "td":
            self.in_td = []

    def handle_endtag(self, tag):
        if tag == "td" and self.in_td is not None:
            self.cells.append("".join(self.in_td))
            self.in_td = None

    def handle_data(self, data):
        if self.in_td is not None:
            self.in_td.append(data)


def dom(dom_path, stderr_path, report_dir, repo, expect_errors=False):
    d = Dom()
    d.feed(open(dom_path, encoding="utf-8").read())
    console = [l for l in open(stderr_path, errors="replace") if ":CONSOLE" in l]
    errors_div = [a for t, a in d.elements if a.get("id") == "errors"]
    assert len(errors_div) == 1
    recorded = int(errors_div[0]["data-count"])
    if expect_errors:
        assert recorded > 0 and console, (recorded, console)
        print(f"a broken page: {recorded} errors recorded, {len(console)} console lines")
        return
    assert recorded == 0, f"{recorded} errors recorded in the page"
    assert not console, console
    body = [a for t, a in d.elements if t == "body"][0]
    assert body.get("data-rendered") == "ok", body
    score = json.load(open(f"{report_dir}/score.json"))
    truth = truth_of(repo)
    dets = [x["name"] for x in score["detectors"]]
    charts = [a for t, a in d.elements if t == "svg" and "chart" in a.get("class", "")]
    assert [a["data-detector"] for a in charts] == dets, charts
    ops = {op for x in score["detectors"] for op, s in x["per_operator"].items() if s["mutants"]}
    # One point per row with a recall (a mutant the detector ran on), the
    # operators' and the overall one, in each chart.
    circles = [a for t, a in d.elements if t == "circle"]
    assert len(circles) == sum(
        (x["overall"]["recall"] is not None) +
        sum(s["recall"] is not None for s in x["per_operator"].values())
        for x in score["detectors"]), len(circles)
    cells = [a for t, a in d.elements if "heat-cell" in a.get("class", "")]
    assert len(cells) == len(ops) * len(dets), len(cells)
    assert {(a["data-operator"], a["data-detector"]) for a in cells} == {
        (o, x) for o in ops for x in dets}
    rows = [a for t, a in d.elements if t == "tr" and "mutant-row" in a.get("class", "")]
    assert sorted(a["data-id"] for a in rows) == sorted(r["id"] for r in truth), len(rows)
    # Paths and code went in as text: shown as written, never as markup.
    assert not [a for t, a in d.elements if a.get("id") == "injected"], "markup was injected"
    for r in truth:
        assert f"{r['path']}:{r['line']}:{r['col']}" in d.cells, r["path"]
    print(f"{len(charts)} charts, {len(circles)} points, {len(cells)} heat map cells, "
          f"{len(rows)} rows; no error, no console message")


if __name__ == "__main__":
    if sys.argv[1] == "stryker":
        stryker(*sys.argv[2:5])
    else:
        dom(*sys.argv[2:6], expect_errors="--expect-errors" in sys.argv)
