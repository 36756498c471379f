#!/bin/sh
# Tests of `leakmut generate`: the mutant repository and its ground truth.
# Usage: generate.sh LEAKMUT SARIF_SCHEMA [RUNNER]   (run from tests/)
set -u
LEAKMUT=$1
SCHEMA=$2
shift 2
RUNNER="$*"
export LC_ALL=C
corpus=$(cd ../corpus/agentkit && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
# Debian's interpreter, which has python3-jsonschema.
PY=/usr/bin/python3

lm() {
	# shellcheck disable=SC2086
	$RUNNER "$LEAKMUT" "$@" >"$tmp/out" 2>"$tmp/err"
	echo $? >"$tmp/rc"
}

check() { # name, condition (shell), message
	if eval "$2"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $1: $3"
		sed 's/^/  stdout: /' "$tmp/out" | head -20
		sed 's/^/  stderr: /' "$tmp/err" | head -20
	fi
}

rc() { cat "$tmp/rc"; }
refs() { git -C "$1" for-each-ref --format='%(refname) %(objectname)'; }

lm generate -o "$tmp/a.git" --truth "$tmp/truth.sarif" "$corpus"
check first-run '[ "$(rc)" = 0 ] && grep -q " new branches, 0 already there; 0 rejected, 0 files with errors" "$tmp/err"' \
	"generate writes the corpus's mutants"
n=$(git -C "$tmp/a.git" for-each-ref refs/heads/m/ | wc -l)
nc=$(git -C "$tmp/a.git" for-each-ref refs/heads/c/ | wc -l)
all=$((n + nc))
check some-mutants '[ "$n" -ge 40 ] && [ "$nc" -ge 20 ]' \
	"at least 40 mutant and 20 control branches (got $n and $nc)"
check fsck 'git -C "$tmp/a.git" fsck --full >"$tmp/out" 2>"$tmp/err"' "git fsck --full is clean"
# Objects go into packs; only the truth's five (three files, a tree, a commit) are loose.
check packed '[ "$(git -C "$tmp/a.git" count-objects -v | sed -n "s/^count: //p")" -le 5 ] &&
	[ "$(git -C "$tmp/a.git" count-objects -v | sed -n "s/^in-pack: //p")" -gt "$all" ]' \
	"the mutants' objects are written as packs, not one file each"
check head-is-base '[ "$(git -C "$tmp/a.git" symbolic-ref HEAD)" = refs/heads/base ]' "HEAD is base"

# Determinism: a second repository from the same input is identical.
lm generate -o "$tmp/b.git" "$corpus"
check deterministic '[ "$(rc)" = 0 ] && [ "$(refs "$tmp/a.git")" = "$(refs "$tmp/b.git")" ]' \
	"two runs give the same branches and commit ids"

# OUT/ (as shell completion writes it) names OUT: the repository is made
# beside it and renamed into place, not made inside it.  Before, the scratch
# went into OUT/, the rename failed, and OUT was left an empty folder.
mkdir "$tmp/small"
cp "$corpus/counter.py" "$corpus/tempfiles.py" "$tmp/small/"
lm generate -o "$tmp/small.git" "$tmp/small"
lm generate -o "$tmp/slash.git/" "$tmp/small"
check trailing-slash '[ "$(rc)" = 0 ] && [ -n "$(refs "$tmp/small.git")" ] &&
	[ "$(refs "$tmp/small.git")" = "$(refs "$tmp/slash.git")" ] &&
	[ -z "$(ls -A "$tmp" | grep -F .leakmut-init-)" ]' \
	"-o OUT/ writes the same repository as -o OUT, nothing left beside it"

# A run killed while it made OUT aside leaves OUT.leakmut-init-PID: the next
# run removes it when PID is gone, and keeps a live process's (another run
# making OUT now) and any other name.
sh -c 'exit 0' &
dead=$!
wait "$dead"
mkdir -p "$tmp/s.git.leakmut-init-$dead/objects" "$tmp/s.git.leakmut-init-$$" \
	"$tmp/s.git.leakmut-init-0$dead" "$tmp/s.git.leakmut-init-x" "$tmp/u.git.leakmut-init-$dead"
lm generate -o "$tmp/s.git" "$tmp/small"
check stale-init '[ "$(rc)" = 0 ] && [ "$(refs "$tmp/small.git")" = "$(refs "$tmp/s.git")" ] &&
	[ ! -e "$tmp/s.git.leakmut-init-$dead" ] && [ -d "$tmp/s.git.leakmut-init-$$" ] &&
	[ -d "$tmp/s.git.leakmut-init-0$dead" ] && [ -d "$tmp/s.git.leakmut-init-x" ] &&
	[ -d "$tmp/u.git.leakmut-init-$dead" ]' \
	"a dead run's scratch beside OUT is removed; a live one's and other names are kept"
rm -rf "$tmp"/*.leakmut-init-*

# What a run killed while it copied the truth (--truth FILE) or wrote a JSONL
# export leaves beside FILE: FILE.tmpPID, removed by the next run when PID is
# gone; a live process's and other names are kept.
for f in t.sarif.tmp$dead t.sarif.tmp$$ t.sarif.tmpx u.sarif.tmp$dead e.jsonl.tmp$dead e.jsonl.tmp$$; do
	echo part >"$tmp/$f"
done
mkdir "$tmp/e.jsonl.tmp1$dead" # a folder of that name is not ours
lm generate -o "$tmp/s.git" --truth "$tmp/t.sarif" "$tmp/small"
check stale-truth-copy '[ "$(rc)" = 0 ] && [ -s "$tmp/t.sarif" ] && [ ! -e "$tmp/t.sarif.tmp$dead" ] &&
	[ -e "$tmp/t.sarif.tmp$$" ] && [ -e "$tmp/t.sarif.tmpx" ] && [ -e "$tmp/u.sarif.tmp$dead" ]' \
	"a dead run's part of the --truth copy is removed; a live one's and other names are kept"
lm export --format jsonl -o "$tmp/e.jsonl" "$tmp/s.git"
check stale-jsonl-export '[ "$(rc)" = 0 ] && [ -s "$tmp/e.jsonl" ] && [ ! -e "$tmp/e.jsonl.tmp$dead" ] &&
	[ -e "$tmp/e.jsonl.tmp$$" ] && [ -d "$tmp/e.jsonl.tmp1$dead" ]' \
	"a dead run's part of a JSONL export is removed; a live one's and a folder are kept"
rm -rf "$tmp"/*.tmp*

# Threads: any --jobs writes the same repository and says the same things in
# the same order, bad files among good ones included (six corpus modules,
# enough to keep five workers busy, few enough for the valgrind leg).
mkdir -p "$tmp/mixed"
cp "$corpus"/apiclient.py "$corpus"/archives.py "$corpus"/bundles.py "$corpus"/cache.py \
	"$corpus"/owners.py "$corpus"/supervisor.py "$tmp/mixed/"
printf 'def f(:\n' >"$tmp/mixed/aa_broken.py"
printf 'x = "\377"\n' >"$tmp/mixed/m_latin1.py"
mkdir "$tmp/mixed/n_dir.py"
ln -s loop "$tmp/mixed/loop"
lm generate --jobs 1 -o "$tmp/j1.git" "$tmp/mixed"
cp "$tmp/err" "$tmp/err-j1"
echo "$(rc)" >"$tmp/rc-j1"
lm generate --jobs 5 -o "$tmp/j5.git" "$tmp/mixed"
check jobs '[ "$(rc)" = "$(cat "$tmp/rc-j1")" ] && [ "$(refs "$tmp/j1.git")" = "$(refs "$tmp/j5.git")" ] &&
	[ "$(refs "$tmp/j1.git")" != "" ] && cmp -s "$tmp/err-j1" "$tmp/err" &&
	grep -q aa_broken.py "$tmp/err" && grep -q m_latin1.py "$tmp/err" && grep -q "mixed/loop" "$tmp/err"' \
	"--jobs 5 writes what --jobs 1 writes, with the same messages in the same order"
lm generate --jobs 0 -o "$tmp/j0.git" "$corpus"
check jobs-zero '[ "$(rc)" = 2 ] && grep -q -- "--jobs takes a number" "$tmp/err" && [ ! -e "$tmp/j0.git" ]' \
	"--jobs 0 is refused"
(
	LEAKMUT_JOBS=many
	export LEAKMUT_JOBS
	lm generate -o "$tmp/jx.git" "$corpus"
)
check jobs-env '[ "$(rc)" = 2 ] && grep -q "LEAKMUT_JOBS takes a number" "$tmp/err" && [ ! -e "$tmp/jx.git" ]' \
	"a bad LEAKMUT_JOBS is refused"

# Rerunning adds nothing and changes nothing.
before=$(refs "$tmp/a.git")
lm generate -o "$tmp/a.git" "$corpus"
check rerun '[ "$(rc)" = 0 ] && grep -q ": 0 new branches, $all already there" "$tmp/err" &&
	[ "$(refs "$tmp/a.git")" = "$before" ]' "a rerun adds nothing and changes no ref"

# Each mutant: one commit on base, changing exactly the files its truth
# record lists (one, or several for an interprocedural operator), and
# nothing that gives the answer away in names or messages.
git -C "$tmp/a.git" show leakmut/truth:truth.jsonl >"$tmp/truth.jsonl"
bad=0
multi=0
for ref in $(git -C "$tmp/a.git" for-each-ref --format='%(refname:short)' refs/heads/m/ refs/heads/c/); do
	parent=$(git -C "$tmp/a.git" rev-parse "$ref^")
	files=$(git -C "$tmp/a.git" diff --name-only base "$ref" | tr '\n' ' ')
	want=$($PY -c "
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r['branch'] == sys.argv[2]:
        print(' '.join(sorted(r['files'])) + ' ')
" "$tmp/truth.jsonl" "$ref")
	changed=$(git -C "$tmp/a.git" diff base "$ref" | grep -c '^[-+][^-+]')
	if [ "$parent" != "$(git -C "$tmp/a.git" rev-parse base)" ] || [ "$files" != "$want" ] ||
		[ "$changed" -lt 1 ]; then
		echo "  bad mutant $ref: parent $parent, files '$files' (truth: '$want'), $changed lines changed"
		bad=$((bad + 1))
	fi
	[ "$(echo $files | wc -w)" -gt 1 ] && multi=$((multi + 1))
done
check one-change-each '[ "$bad" = 0 ] && [ "$multi" -ge 1 ]' \
	"every mutant is one commit on base changing the files its truth lists ($multi change several)"
check neutral '[ "$(git -C "$tmp/a.git" log --no-walk --format=%B --branches="m/*" --branches="c/*" | sort -u | tr -d "\n")" = change ]' \
	"mutant commits say nothing about the operator"
check fixed-signature '[ "$(git -C "$tmp/a.git" log --format="%an <%ae> %at %cn %ct" --branches="m/*" | sort -u)" = "leakmut <leakmut@localhost> 946684800 leakmut 946684800" ]' \
	"fixed author, committer and time"

# The truth: SARIF that validates, one result per branch, the same in --truth.
git -C "$tmp/a.git" show leakmut/truth:truth.sarif >"$tmp/branch.sarif"
check truth-file 'cmp -s "$tmp/branch.sarif" "$tmp/truth.sarif"' "--truth writes the same truth.sarif"
check truth-schema '$PY - "$SCHEMA" "$tmp/truth.sarif" "$tmp/a.git" >"$tmp/out" 2>"$tmp/err" <<PYEOF
import json, subprocess, sys
import jsonschema
with open(sys.argv[1]) as f:
    schema = json.load(f)
with open(sys.argv[2]) as f:
    doc = json.load(f)
errors = list(jsonschema.Draft4Validator(schema).iter_errors(doc))
assert not errors, [e.message for e in errors[:5]]
branches = subprocess.run(["git", "-C", sys.argv[3], "for-each-ref", "--format=%(refname:short)",
                           "refs/heads/m/", "refs/heads/c/"],
                          capture_output=True, text=True, check=True).stdout.split()
results = doc["runs"][0]["results"]
assert sorted(r["properties"]["branch"] for r in results) == sorted(branches)
ids = {r["properties"]["id"]: r for r in results}
for r in results:
    p = r["properties"]
    control = p["branch"].startswith("c/")
    assert r["ruleId"] == "leakmut/" + p["operator"]
    assert (r["kind"], r["level"]) == (("pass", "none") if control else ("fail", "error"))
    # A control is the safe twin of mutants at the same spot, and says so.
    if control:
        assert p["paired_with"], p
    for other in p["paired_with"]:
        assert ids[other]["kind"] != r["kind"]
        assert ids[other]["partialFingerprints"] == r["partialFingerprints"]
    assert p["commit"] == subprocess.run(["git", "-C", sys.argv[3], "rev-parse", p["branch"]],
                                         capture_output=True, text=True).stdout.strip()
    fp = r["partialFingerprints"]["leakmut/anchor/v1"]
    assert len(fp) == 32
    # The anchor, in the mutant, is the acquisition as written.
    text = subprocess.run(["git", "-C", sys.argv[3], "show", p["branch"] + ":" + p["path"]],
                          capture_output=True, text=True, check=True).stdout.split("\n")
    line = text[p["line"] - 1]
    anchor = line[p["col"] - 1:p["end_col"] - 1] if p["line"] == p["end_line"] else line[p["col"] - 1:]
    assert anchor and anchor.split("(")[0] in p["acquisition"], (anchor, p["acquisition"])
    assert {t["id"] for t in r["taxa"]} == {str(p["cwe"]), "404"}
print(len(results), "results")
PYEOF' "truth.sarif validates and matches the branches"
check truth-csv '[ "$(git -C "$tmp/a.git" show leakmut/truth:expected.csv | wc -l)" = $((all + 1)) ] &&
	[ "$(git -C "$tmp/a.git" show leakmut/truth:expected.csv | grep -c ",true,")" = "$n" ] &&
	[ "$(git -C "$tmp/a.git" show leakmut/truth:truth.jsonl | wc -l)" = "$all" ]' \
	"expected.csv and truth.jsonl have a row per mutant"
check truth-same-records '$PY - "$tmp/a.git" >"$tmp/out" 2>"$tmp/err" <<PYEOF
import json, subprocess, sys
def show(name):
    return subprocess.run(["git", "-C", sys.argv[1], "show", "leakmut/truth:" + name],
                          capture_output=True, text=True, check=True).stdout
records = [json.loads(l) for l in show("truth.jsonl").splitlines()]
props = [r["properties"] for r in json.loads(show("truth.sarif"))["runs"][0]["results"]]
assert props == records, "truth.sarif and truth.jsonl disagree"
keys = [(r["path"], r["line"], r["col"], r["operator"], r["id"]) for r in records]
assert keys == sorted(keys), "not sorted by path, line, column, operator, id"
assert any(len(r["paired_with"]) > 1 for r in records), "no record with several pairs"
print(len(records), "records")
PYEOF' "truth.sarif holds truth.jsonl's records, in its order, pairs and all"

# The anchor fingerprint has no line in it: moving the code down keeps it.
cp -r "$corpus" "$tmp/moved"
{ printf '# a new first line\n'; cat "$corpus/cache.py"; } >"$tmp/moved/cache.py"
lm generate -o "$tmp/moved.git" "$tmp/moved"
check fingerprint-stable '[ "$(rc)" = 0 ] && $PY - "$tmp/a.git" "$tmp/moved.git" >"$tmp/out" 2>"$tmp/err" <<PYEOF
import json, subprocess, sys
def records(repo):
    out = subprocess.run(["git", "-C", repo, "show", "leakmut/truth:truth.jsonl"],
                         capture_output=True, text=True, check=True).stdout
    return {r["anchor_fingerprint"]: r for r in map(json.loads, out.splitlines())
            if r["path"] == "cache.py"}
a, b = records(sys.argv[1]), records(sys.argv[2])
assert a and set(a) == set(b), (len(a), len(b))
for fp in a:
    assert b[fp]["line"] == a[fp]["line"] + 1 and b[fp]["id"] != a[fp]["id"]
PYEOF' "fingerprints survive a line shift (ids follow the blob, as designed)"

# --no-controls leaves the safe twins out.
lm generate --no-controls -o "$tmp/nc.git" "$corpus"
check no-controls '[ "$(rc)" = 0 ] && [ "$(git -C "$tmp/nc.git" for-each-ref refs/heads/c/ | wc -l)" = 0 ] &&
	[ "$(git -C "$tmp/nc.git" for-each-ref refs/heads/m/ | wc -l)" = "$n" ]' "--no-controls writes no c/ branch"

# --list plans and writes nothing.
lm generate --list -o "$tmp/listed.git" "$corpus"
check list '[ "$(rc)" = 0 ] && [ "$(wc -l <"$tmp/out")" = "$all" ] && [ ! -e "$tmp/listed.git" ] &&
	$PY -c "import json,sys; [json.loads(l) for l in open(sys.argv[1])]" "$tmp/out"' \
	"--list prints one JSON line per mutant and writes nothing"

# --label adds trailers (and so other commit ids).
lm generate --label -o "$tmp/l.git" "$corpus"
check label '[ "$(rc)" = 0 ] && [ "$(git -C "$tmp/l.git" log --format=%B --branches="m/*" --branches="c/*" | grep -c "^Leakmut-Operator: [a-z-]*/[0-9]*$")" = "$all" ]' \
	"--label adds Leakmut-* trailers"

# OUT that is not a leakmut repository is refused, and left alone.
mkdir "$tmp/notes" && echo keep >"$tmp/notes/file.txt"
lm generate -o "$tmp/notes" "$corpus"
check refuse-dir '[ "$(rc)" = 1 ] && grep -q "exists and is not a git repository; refusing" "$tmp/err" &&
	[ "$(ls "$tmp/notes")" = file.txt ]' "a non-empty folder is refused"
git init -q --bare "$tmp/other.git"
lm generate -o "$tmp/other.git" "$corpus"
check refuse-repo '[ "$(rc)" = 1 ] && grep -q "is not a leakmut repository" "$tmp/err"' \
	"a git repository that leakmut did not make is refused"

# A held lock stops a second run: here a process holds leakmut.lock with
# flock, as a run does, and a pid (this shell's) is written into it.
lock=$tmp/a.git/leakmut.lock
rm -f "$lock"
(
	exec 9<>"$lock"
	flock -n 9 && echo "$$" >&9 && exec sleep 30
) &
holder=$!
i=0
while [ ! -s "$lock" ] && [ $i -lt 500 ]; do
	sleep 0.01
	i=$((i + 1))
done
lm generate -o "$tmp/a.git" "$corpus"
check lock-held '[ "$(rc)" = 1 ] &&
	[ "$(cat "$tmp/err")" = "leakmut: $tmp/a.git: another leakmut run (pid $$) is writing this repository" ]' \
	"a concurrent run stops with a clear error (lock file: $(ls -l "$lock" 2>&1; cat "$lock" 2>&1))"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
lm generate -o "$tmp/a.git" "$corpus"
check lock-stale '[ "$(rc)" = 0 ] && [ ! -e "$lock" ]' \
	"a lock left by a dead process is taken over and released"
# A lock file nobody holds is a killed run's, even when the pid it names
# is alive again (reused, or this shell's own): it is taken over too.
echo "$$" >"$lock"
lm generate -o "$tmp/a.git" "$corpus"
check lock-pid-reused '[ "$(rc)" = 0 ] && [ ! -e "$lock" ]' \
	"a lock file naming a live pid that holds no lock is taken over"

# TMPDIR is where generate's temporary files go, however long its path: a
# long one was taken for /tmp without a word. One that cannot be written is
# an error naming it (run without RUNNER: valgrind needs TMPDIR itself).
long=$tmp/a-temporary-folder-whose-path-is-longer-than-forty-bytes
mkdir -p "$long"
TMPDIR=$long/missing "$LEAKMUT" generate --operators drop-with -o "$tmp/t.git" "$corpus" \
	>"$tmp/out" 2>"$tmp/err"
echo $? >"$tmp/rc"
check tmpdir-long-missing '[ "$(rc)" = 1 ] && grep -q "$long/missing" "$tmp/err"' \
	"a long TMPDIR that does not exist is an error naming it, not /tmp"
rm -rf "$tmp/t.git"
TMPDIR=$long lm generate --operators drop-with -o "$tmp/t.git" "$corpus"
check tmpdir-long '[ "$(rc)" = 0 ] && [ -z "$(ls -A "$long")" ]' \
	"a long TMPDIR that exists serves, and is left empty"

# A second input into the same OUT is refused.
mkdir "$tmp/other-input" && printf 'def f(p):\n    with open(p) as f:\n        return f.read()\n' >"$tmp/other-input/m.py"
lm generate -o "$tmp/a.git" "$tmp/other-input"
check other-base '[ "$(rc)" = 1 ] && grep -q "holds mutants of another input" "$tmp/err" &&
	[ "$(refs "$tmp/a.git")" = "$before" ]' "OUT holding another input's mutants is refused"

# A git revision as input: read through libgit2, that commit is the base.
mkdir "$tmp/in" && cp -r "$corpus" "$tmp/in/agentkit" && echo notes >"$tmp/in/README.txt"
git -C "$tmp/in" init -q && git -C "$tmp/in" add . &&
	git -C "$tmp/in" -c user.name=t -c user.email=t@example.com commit -qm import
echo "print('not committed')" >"$tmp/in/agentkit/extra.py"
lm generate --rev HEAD -o "$tmp/rev.git" "$tmp/in"
head=$(git -C "$tmp/in" rev-parse HEAD)
check rev '[ "$(rc)" = 0 ] && [ "$(git -C "$tmp/rev.git" rev-parse base)" = "$head" ] &&
	[ "$(git -C "$tmp/rev.git" for-each-ref refs/heads/m/ | wc -l)" = "$n" ] &&
	! git -C "$tmp/rev.git" ls-tree -r --name-only m/$(git -C "$tmp/a.git" for-each-ref --count=1 --format="%(refname:lstrip=3)" refs/heads/m/ 2>/dev/null || echo x) 2>/dev/null | grep -q extra.py &&
	git -C "$tmp/rev.git" fsck --full >/dev/null 2>&1' \
	"--rev: base is the input commit, the work tree is not read, fsck is clean"
rev_commit_time=$(git -C "$tmp/in" log -1 --format=%ct)
check rev-time '[ "$(git -C "$tmp/rev.git" log --no-walk --format=%ct --branches="m/*" | sort -u)" = "$rev_commit_time" ]' \
	"with --rev, mutant commits take the base commit's time"

# Shards partition the run: their union, fetched into one, equals the whole.
for k in 1 2 3; do
	lm generate --rev HEAD --shard $k/3 -o "$tmp/shard$k.git" "$tmp/in"
done
for k in 2 3; do
	git -C "$tmp/shard1.git" fetch -q "$tmp/shard$k.git" 'refs/heads/m/*:refs/heads/m/*' \
		'refs/heads/c/*:refs/heads/c/*'
done
lm generate --rev HEAD -o "$tmp/shard1.git" "$tmp/in"
check shard-union '[ "$(rc)" = 0 ] && grep -q ": 0 new branches, $all already there" "$tmp/err" &&
	[ "$(refs "$tmp/shard1.git" | grep -v leakmut/truth)" = "$(refs "$tmp/rev.git" | grep -v leakmut/truth)" ] &&
	[ "$(git -C "$tmp/shard1.git" rev-parse "leakmut/truth^{tree}")" = "$(git -C "$tmp/rev.git" rev-parse "leakmut/truth^{tree}")" ]' \
	"three shards fetched into one equal the unsharded run, and so does the truth"

# A sample is per operator, deterministic, and depends on the seed.
lm generate --list --sample 3 --seed 1 -o "$tmp/x.git" "$corpus"
cp "$tmp/out" "$tmp/sample1"
lm generate --list --sample 3 --seed 1 -o "$tmp/x.git" "$corpus"
check sample '[ "$(rc)" = 0 ] && cmp -s "$tmp/out" "$tmp/sample1" &&
	$PY -c "
import collections, json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
per = collections.Counter(r[\"operator\"] for r in rows)
assert per and max(per.values()) <= 3, per
" "$tmp/out"' "--sample takes at most N per operator, the same each time"
lm generate --list --sample 3 --seed 2 -o "$tmp/x.git" "$corpus"
check sample-seed '! cmp -s "$tmp/out" "$tmp/sample1"' "another seed, another sample"

# Export: a diff, a folder, JSON lines per mutant.
nfiles=$($PY -c "
import json, sys
print(sum(len(json.loads(l)['files']) for l in open(sys.argv[1])))" "$tmp/truth.jsonl")
lm export --format diff -o "$tmp/ex/diff" "$tmp/a.git"
check export-diff '[ "$(rc)" = 0 ] && [ "$(ls "$tmp/ex/diff" | wc -l)" = "$all" ] &&
	[ "$(cat "$tmp/ex/diff"/*.diff | grep -c "^diff --git")" = "$nfiles" ] &&
	grep -q "^$n mutants and $nc controls exported to $tmp/ex/diff\$" "$tmp/err"' \
	"export --format diff (a section per changed file; mutants and controls counted apart)"
lm export --format dir -o "$tmp/ex/dir" "$tmp/a.git"
check export-dir '[ "$(rc)" = 0 ] && [ "$(ls "$tmp/ex/dir" | wc -l)" = "$all" ] &&
	[ "$(find "$tmp/ex/dir" -type f | wc -l)" = "$nfiles" ] &&
	[ "$(ls -A "$tmp/ex/dir" | wc -l)" = "$all" ]' "export --format dir (one file per changed file, nothing else)"
# Each mutant's folder is written whole in the stage and put in place in one
# step: a second export to DEST replaces a folder a former one left (a file
# added to it since is gone) and keeps what lies beside the folders.
cp -r "$tmp/ex/dir" "$tmp/ex/dir-first"
first=$(ls "$tmp/ex/dir" | head -1)
echo stale >"$tmp/ex/dir/$first/stale.py"
echo mine >"$tmp/ex/dir/notes.txt"
lm export --format dir -o "$tmp/ex/dir" "$tmp/a.git"
kept=$(cat "$tmp/ex/dir/notes.txt" 2>/dev/null) && rm "$tmp/ex/dir/notes.txt"
check export-dir-again '[ "$(rc)" = 0 ] && [ "$kept" = mine ] && [ ! -e "$tmp/ex/dir/$first/stale.py" ] &&
	diff -r "$tmp/ex/dir" "$tmp/ex/dir-first" >/dev/null' \
	"a second export to DEST puts each mutant's folder in place whole, and keeps what lies beside"
# Files are written in DEST/.leakmut-export-PID and renamed into place: the
# next export removes what a killed one left there, and keeps a live one's.
mkdir -p "$tmp/ex/diff/.leakmut-export-$dead" "$tmp/ex/diff/.leakmut-export-$$"
echo part >"$tmp/ex/diff/.leakmut-export-$dead/0"
lm export --format diff -o "$tmp/ex/diff" "$tmp/a.git"
check export-stale-stage '[ "$(rc)" = 0 ] && [ "$(ls "$tmp/ex/diff" | wc -l)" = "$all" ] &&
	[ "$(ls -A "$tmp/ex/diff" | grep leakmut-export)" = ".leakmut-export-$$" ]' \
	"a killed export's stage in DEST is removed, a live one's kept, nothing else left"
lm export --format jsonl -o "$tmp/ex/all.jsonl" "$tmp/a.git"
check export-jsonl '[ "$(rc)" = 0 ] && $PY -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == int(sys.argv[2])
for r in rows:
    assert r[\"before\"] != r[\"after\"] and r[\"truth\"][\"id\"] == r[\"id\"]
    assert sorted(c[\"path\"] for c in r[\"changes\"]) == sorted(r[\"truth\"][\"files\"])
    assert all(c[\"before\"] != c[\"after\"] for c in r[\"changes\"])
" "$tmp/ex/all.jsonl" "$all"' "export --format jsonl"
# A mutant's file whose blob OUT lacks (a partial fetch, a damaged pack):
# dir and jsonl fail naming the branch and the file; they used to take the
# file for one the mutant removes (a folder without it, "after": "").
git clone -q --bare "$tmp/a.git" "$tmp/hole.git"
rec=$(git -C "$tmp/a.git" show leakmut/truth:truth.jsonl | grep '"result_kind":"fail"' | head -1)
hbranch=$(printf '%s' "$rec" | $PY -c "import json,sys; print(json.loads(sys.stdin.read())['branch'])")
hpath=$(printf '%s' "$rec" | $PY -c "import json,sys; print(json.loads(sys.stdin.read())['path'])")
(
	export GIT_INDEX_FILE="$tmp/hole.index"
	git -C "$tmp/hole.git" read-tree "$hbranch" &&
		git -C "$tmp/hole.git" update-index --cacheinfo "100644,1111111111111111111111111111111111111111,$hpath" &&
		tree=$(git -C "$tmp/hole.git" write-tree --missing-ok) &&
		commit=$(echo hole | git -C "$tmp/hole.git" commit-tree "$tree" -p "$hbranch") &&
		git -C "$tmp/hole.git" update-ref "refs/heads/$hbranch" "$commit"
)
for fmt in dir jsonl; do
	lm export --format $fmt -o "$tmp/ex/hole-$fmt" "$tmp/hole.git"
	check "export-missing-blob-$fmt" '[ "$(rc)" = 1 ] &&
		grep -q "^leakmut: $hbranch:$hpath: cannot read: object not found" "$tmp/err"' \
		"export --format $fmt of a mutant whose file is missing from OUT fails naming it"
done
# A truth whose path climbs out of DEST is refused; nothing lands outside.
git clone -q --bare "$tmp/a.git" "$tmp/evil.git"
git -C "$tmp/evil.git" config leakmut.format 1
evil=$(git -C "$tmp/a.git" show leakmut/truth:truth.jsonl | head -1 |
	$PY -c "import json,sys; r=json.loads(sys.stdin.read()); r['path']='../../escaped.py'; print(json.dumps(r))")
blob=$(printf '%s\n' "$evil" | git -C "$tmp/evil.git" hash-object -w --stdin)
tree=$(printf '100644 blob %s\ttruth.jsonl\n' "$blob" | git -C "$tmp/evil.git" mktree)
commit=$(git -C "$tmp/evil.git" -c user.name=x -c user.email=x@x commit-tree -m evil "$tree")
git -C "$tmp/evil.git" update-ref refs/heads/leakmut/truth "$commit"
# A failed JSONL export leaves DEST as it was (it is written aside, renamed whole).
mkdir -p "$tmp/ex/deep"
echo kept >"$tmp/ex/deep/evil.jsonl"
lm export --format jsonl -o "$tmp/ex/deep/evil.jsonl" "$tmp/evil.git"
check export-unsafe-path '[ "$(rc)" = 1 ] && grep -q "bad id or path" "$tmp/err" && [ ! -e "$tmp/ex/escaped.py" ] &&
	[ "$(cat "$tmp/ex/deep/evil.jsonl")" = kept ] && [ "$(ls "$tmp/ex/deep")" = evil.jsonl ]' \
	"export refuses a truth path that leaves DEST, and leaves DEST as it was"

# Killed at any moment, a run leaves a repository that fsck accepts and a
# rerun completes, identical to an uninterrupted run.
trials=0
bad=0
for delay in 0.02 0.05 0.1 0.15 0.2 0.3 0.4 0.6; do
	rm -rf "$tmp/k.git"
	# Not under RUNNER: the kill must reach leakmut itself, not a wrapper.
	"$LEAKMUT" generate -o "$tmp/k.git" "$corpus" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	trials=$((trials + 1))
	if [ -d "$tmp/k.git" ] && ! git -C "$tmp/k.git" fsck --full >/dev/null 2>&1; then
		echo "  fsck failed after a kill at ${delay}s"
		bad=$((bad + 1))
	fi
	# The first rerun under RUNNER (valgrind: what a rerun releases); the
	# others without, as the kills are: they test the repository, and under
	# valgrind eight reruns of the corpus took most of this test's time.
	if [ "$trials" = 1 ]; then
		lm generate -o "$tmp/k.git" "$corpus"
	else
		runner=$RUNNER
		RUNNER=
		lm generate -o "$tmp/k.git" "$corpus"
		RUNNER=$runner
	fi
	if [ "$(rc)" != 0 ] || [ "$(refs "$tmp/k.git")" != "$(refs "$tmp/a.git")" ]; then
		echo "  rerun after a kill at ${delay}s did not complete the repository"
		bad=$((bad + 1))
	fi
done
check kill-rerun '[ "$bad" = 0 ]' "$trials kills: fsck clean, reruns complete and identical"

# A kill while a ref was being written leaves its lock file: a rerun clears it.
victim=$(git -C "$tmp/k.git" for-each-ref --count=1 --format='%(refname)' refs/heads/m/)
git -C "$tmp/k.git" update-ref -d "$victim"
mkdir -p "$tmp/k.git/$(dirname "$victim")" && : >"$tmp/k.git/$victim.lock"
lm generate -o "$tmp/k.git" "$corpus"
check stale-ref-lock '[ "$(rc)" = 0 ] && [ ! -e "$tmp/k.git/$victim.lock" ] &&
	[ "$(refs "$tmp/k.git")" = "$(refs "$tmp/a.git")" ]' "a ref lock left by a killed run is cleared"

# ---- the branches' refs: one packed-refs file, in git's format -----------------
check refs-packed '[ -z "$(find "$tmp/a.git/refs/heads/m" "$tmp/a.git/refs/heads/c" -type f 2>/dev/null)" ] &&
	[ "$(grep -c " refs/heads/[mc]/[0-9a-f]*$" "$tmp/a.git/packed-refs")" = "$all" ] &&
	git -C "$tmp/a.git" pack-refs --all && [ "$(refs "$tmp/a.git")" = "$(refs "$tmp/k.git")" ]' \
	"the branches are written to packed-refs, which git reads and rewrites alike"

# Loose branches (an older leakmut's, or git's) win over packed ones: a rerun
# keeps them loose and sets them right; what git packed stays, tags' peeled
# ids included.
cp -R "$tmp/a.git" "$tmp/old.git"
for r in $(git -C "$tmp/old.git" for-each-ref --count=2 --format='%(refname)' refs/heads/c/); do
	git -C "$tmp/old.git" update-ref -d "$r"
done
git -C "$tmp/old.git" -c user.name=t -c user.email=t@t tag -a v1 -m v1 base
git -C "$tmp/old.git" pack-refs --all --prune
loose=$(git -C "$tmp/old.git" for-each-ref --count=3 --format='%(refname)' refs/heads/m/)
mkdir -p "$tmp/old.git/refs/heads/m"
for r in $loose; do
	id=$(git -C "$tmp/old.git" rev-parse "$r") # before the shell makes the file
	echo "$id" >"$tmp/old.git/$r"
done
moved=$(echo "$loose" | head -1)
git -C "$tmp/old.git" rev-parse base >"$tmp/base-id"
cp "$tmp/base-id" "$tmp/old.git/$moved"
lm generate -o "$tmp/old.git" "$corpus"
check refs-loose-kept '[ "$(rc)" = 0 ] && grep -q ": 3 new branches, $((all - 3)) already there" "$tmp/err" &&
	[ "$(refs "$tmp/old.git" | grep -v refs/tags/)" = "$(refs "$tmp/a.git")" ] &&
	[ -f "$tmp/old.git/$moved" ] && grep -q "^^" "$tmp/old.git/packed-refs" &&
	[ "$(git -C "$tmp/old.git" rev-parse "v1^{commit}")" = "$(git -C "$tmp/a.git" rev-parse base)" ] &&
	git -C "$tmp/old.git" fsck --full >/dev/null 2>&1' \
	"loose branches are set where they are, packed ones and a tag's peeled id kept"

cp -R "$tmp/a.git" "$tmp/bad.git"
echo "not a ref" >>"$tmp/bad.git/packed-refs"
cp "$tmp/bad.git/packed-refs" "$tmp/bad-packed-refs"
lm generate -o "$tmp/bad.git" "$corpus"
check refs-malformed '[ "$(rc)" = 1 ] &&
	grep -q "bad.git/packed-refs:$(wc -l <"$tmp/bad-packed-refs"): not \"<id> <refname>\"" "$tmp/err" &&
	cmp -s "$tmp/bad.git/packed-refs" "$tmp/bad-packed-refs" && [ ! -e "$tmp/bad.git/leakmut.lock" ]' \
	"a malformed packed-refs is named with its line, and left as it was"

# ---- the objects: packs leakmut writes itself ------------------------------------
# Each mutant's commit and trees are written byte for byte as git writes
# them (git commit-tree and git mktree give the same ids), its blob and
# trees as deltas against the base's; git verifies every pack.
canonical() { # repository, then branches: 0 when git remakes each the same
	repo=$1
	shift
	for b in "$@"; do
		c=$(git -C "$repo" rev-parse "$b") || return 1
		t=$(git -C "$repo" rev-parse "$b^{tree}")
		p=$(git -C "$repo" rev-parse "$b^")
		when=$(git -C "$repo" log -1 --format="%at %ad" --date=format:%z "$b")
		again=$(GIT_AUTHOR_NAME=leakmut GIT_AUTHOR_EMAIL=leakmut@localhost \
			GIT_COMMITTER_NAME=leakmut GIT_COMMITTER_EMAIL=leakmut@localhost \
			GIT_AUTHOR_DATE="$when" GIT_COMMITTER_DATE="$when" \
			git -C "$repo" commit-tree -m change -p "$p" "$t") || return 1
		[ "$again" = "$c" ] || { echo "$b: git writes its commit as $again" >&2; return 1; }
		for f in $(git -C "$repo" diff-tree -r --name-only "$p" "$c"); do
			d=$f
			while [ "$d" != . ]; do
				d=$(dirname "$d")
				tree=$(git -C "$repo" rev-parse "$c:$([ "$d" = . ] || echo "$d")")
				made=$(git -C "$repo" ls-tree "$tree" | git -C "$repo" mktree) || return 1
				[ "$made" = "$tree" ] || { echo "$b: git writes $d as $made" >&2; return 1; }
			done
		done
	done
}
some=$(git -C "$tmp/a.git" for-each-ref --format="%(refname:lstrip=2)" refs/heads/m/ refs/heads/c/ | awk 'NR % 10 == 1')
check objects-canonical 'canonical "$tmp/a.git" $some 2>"$tmp/err"' \
	"mutant commits and trees are what git commit-tree and git mktree make"
for idx in "$tmp"/a.git/objects/pack/*.idx; do
	git -C "$tmp/a.git" verify-pack -v "$idx"
done >"$tmp/verify" 2>&1
check objects-deltas '! grep -q "bad\$\|fatal\|error" "$tmp/verify" &&
	[ "$(awk "\$2 == \"blob\" && NF == 7" "$tmp/verify" | wc -l)" -ge "$n" ] &&
	[ "$(awk "\$2 == \"tree\" && NF == 7" "$tmp/verify" | wc -l)" -ge "$n" ]' \
	"git verify-pack accepts every pack, mutants stored as deltas (blobs and trees)"

# A revision whose files are executable or start with a BOM: the mutant's
# file is written as git_tree_create_updated() would (mode 100644), and the
# objects are still git's own.
mkdir "$tmp/modes" && cp -r "$corpus" "$tmp/modes/pkg"
bomfile=$(grep -l "with open(" "$tmp/modes/pkg"/*.py | head -1)
exefile=$(grep -l "with open(" "$tmp/modes/pkg"/*.py | sed -n 2p)
printf '\357\273\277' | cat - "$bomfile" >"$tmp/bom.tmp" && mv "$tmp/bom.tmp" "$bomfile"
chmod +x "$exefile"
git -C "$tmp/modes" init -q && git -C "$tmp/modes" add . &&
	git -C "$tmp/modes" -c user.name=t -c user.email=t@example.com commit -qm import
lm generate --rev HEAD -o "$tmp/modes.git" "$tmp/modes"
bom_branch=$(git -C "$tmp/modes.git" log --format=%D --branches="m/*" ^base -- "pkg/$(basename "$bomfile")" | head -1)
exe_branch=$(git -C "$tmp/modes.git" log --format=%D --branches="m/*" ^base -- "pkg/$(basename "$exefile")" | head -1)
check objects-modes '[ "$(rc)" = 0 ] && [ -n "$bom_branch" ] && [ -n "$exe_branch" ] &&
	git -C "$tmp/modes.git" ls-tree "$exe_branch" "pkg/$(basename "$exefile")" | grep -q "^100644 " &&
	git -C "$tmp/modes.git" ls-tree base "pkg/$(basename "$exefile")" | grep -q "^100755 " &&
	git -C "$tmp/modes.git" show "$bom_branch:pkg/$(basename "$bomfile")" | head -c 3 | od -An -tx1 | grep -q "ef bb bf" &&
	canonical "$tmp/modes.git" "$bom_branch" "$exe_branch" 2>>"$tmp/err" &&
	git -C "$tmp/modes.git" fsck --full --strict >/dev/null 2>&1' \
	"an executable file's mutant is a plain file, a BOM is kept, objects are git's"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
