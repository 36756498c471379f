#!/bin/sh
# CLI tests: run the leakmut executable and compare what it prints and its
# exit status with what is expected.  Usage: run.sh LEAKMUT [RUNNER]
# (RUNNER, such as tests/valgrind.sh, is put in front of every command).
# Run from tests/.
set -u
LEAKMUT=$1
shift
RUNNER="$*"
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

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

lm --version
check version '[ "$(rc)" = 0 ] && grep -q "^leakmut 0\.1\.0 (tree-sitter-python ABI 14" "$tmp/out"' \
	"--version"

lm
check no-args '[ "$(rc)" = 2 ] && grep -q "^usage: leakmut" "$tmp/err"' "no command is a usage error"

lm frobnicate
check unknown-command '[ "$(rc)" = 2 ] && [ "$(cat "$tmp/err")" = "leakmut: '"'"'frobnicate'"'"' is not a command; see \`leakmut --help\`" ]' \
	"unknown command"

lm help sites
check help-sites '[ "$(rc)" = 0 ] && grep -q "^usage: leakmut sites" "$tmp/out"' "help COMMAND"

lm sites --help
check sites-dash-help '[ "$(rc)" = 0 ] && grep -q "^usage: leakmut sites" "$tmp/out"' "COMMAND --help"

# Each command's help describes every option its usage line names and no
# other (besides --output, the long -o), the README's row for the command
# names them too, and the command takes each one (given without its value it
# may stop for that, but never as an unknown option) and refuses any other.
for cmd in export generate operators report score sites verify; do
	lm help "$cmd"
	python3 - "$tmp/out" "$cmd" ../README.md >"$tmp/opts" 2>"$tmp/why" <<'EOF'
import re, sys
text, cmd = open(sys.argv[1]).read(), sys.argv[2]
flag = re.compile(r"(?<![\w-])(--?[a-z][a-z-]*)")
usage, _, rest = text.partition("\n\n")
if "options:\n" not in rest:
    sys.exit("no options")
listed = set()
for line in rest.split("options:\n", 1)[1].split("\n\n", 1)[0].splitlines():
    m = re.match(r"  (-o, )?(--?[a-z][a-z-]*)", line)
    if m:
        listed |= {m.group(2)} | ({"-o"} if m.group(1) else set())
named = set(flag.findall(usage))
row = [l for l in open(sys.argv[3]) if l.startswith("| `leakmut %s " % cmd)]
readme = set(flag.findall(row[0])) if row else set()
if listed - {"--output"} != named:
    sys.exit("described %s, usage names %s" % (sorted(listed), sorted(named)))
if named - readme:
    sys.exit("not in the README's row: %s" % sorted(named - readme))
print("\n".join(sorted(listed)))
EOF
	ok=$?
	unknown=
	for opt in $(cat "$tmp/opts"); do
		lm "$cmd" "$opt"
		grep -q "unknown option" "$tmp/err" && unknown="$unknown $opt"
	done
	lm "$cmd" --no-such-option
	check "help-options-$cmd" '[ "$ok" = 0 ] && [ -s "$tmp/opts" ] && [ -z "$unknown" ] && [ "$(rc)" = 2 ] &&
		[ "$(head -1 "$tmp/err")" = "leakmut: unknown option --no-such-option" ]' \
		"help $cmd describes every option, the README names each, $cmd takes each and refuses another ($(cat "$tmp/why")${unknown:+ refused:$unknown})"
done

# What is missing or extra is said before the usage: each line below is an
# argument list (words split at blanks), then what leakmut must say.
while IFS='|' read -r args said; do
	# shellcheck disable=SC2086
	lm $args
	cmd=${args%% *}
	check "misuse-$cmd" '[ "$(rc)" = 2 ] && [ "$(head -1 "$tmp/err")" = "leakmut: $said" ] &&
		sed -n 2p "$tmp/err" | grep -q "^usage: leakmut $cmd "' "leakmut $args: says \"$said\", then the usage"
done <<'EOF'
generate corpus|generate needs -o OUT.git (or --list)
generate -o x.git|generate needs INPUT
generate -o x.git a b|one INPUT only (got a and b)
export x.git|export needs --format diff, dir or jsonl
export --format diff x.git|export needs -o DEST
export --format diff -o d|export needs OUT.git
export --format diff -o d a b|one OUT.git only (got a and b)
report x.git|report needs -o REPORT_DIR
report -o r|report needs OUT.git
score x.git|score needs --detector, --sarif or --materialise
score --detector ruff|score needs OUT.git
score --detector ruff a b|one OUT.git only (got a and b)
verify|verify needs OUT.git
verify a b|one OUT.git only (got a and b)
sites|sites needs a PATH
operators x|operators takes no argument (got x)
EOF

# An empty value (`-o "$DEST"` with DEST unset) is refused, never taken for
# a path (an empty DEST had export write into /); so is a count with a sign
# or a blank, or past the largest.
for args in "export --format dir -o|$tmp/x.git" "generate -o|../corpus" "report -o|$tmp/x.git" \
	"score --detector ruff -o|$tmp/x.git" "verify --python|$tmp/x.git"; do
	words=${args%|*}
	opt=${words##* }
	# shellcheck disable=SC2086
	lm $words "" "${args#*|}"
	check "empty-value-${words%% *}" '[ "$(rc)" = 2 ] &&
		[ "$(cat "$tmp/err")" = "leakmut: $opt needs a value, not an empty one" ]' \
		"leakmut $words \"\": refused, naming $opt"
	# shellcheck disable=SC2086
	lm $words= "${args#*|}"
	check "empty-value-${words%% *}-equals" '[ "$(rc)" = 2 ] &&
		[ "$(cat "$tmp/err")" = "leakmut: $opt needs a value, not an empty one" ]' \
		"leakmut $words=: refused, naming $opt"
done
# What a command prints must reach its reader: a full disk is an error.
for args in "operators" "generate --list ../corpus" "sites ../corpus" "help generate"; do
	# shellcheck disable=SC2086
	$RUNNER "$LEAKMUT" $args >/dev/full 2>"$tmp/err"
	echo $? >"$tmp/rc"
	: >"$tmp/out"
	check "stdout-full-${args%% *}" '[ "$(rc)" = 1 ] &&
		[ "$(tail -1 "$tmp/err")" = "leakmut: the standard output: cannot write: No space left on device" ]' \
		"leakmut $args >/dev/full: exit 1, saying so"
done
for seed in " 1" " -1" "+1" "-1" "18446744073709551616"; do
	lm generate --list --seed "$seed" ../corpus
	check "seed-refused" '[ "$(rc)" = 2 ] && [ "$(cat "$tmp/err")" = "leakmut: --seed takes a number" ]' \
		"--seed '$seed': only digits, within range"
done

lm operators --json
check operators-json '[ "$(rc)" = 0 ] && python3 -c "
import json, sys
ops = [json.loads(l) for l in open(sys.argv[1])]
ids = [o[\"id\"] for o in ops]
assert \"drop-with\" in ids and ids == sorted(ids), ids
for o in ops:
    assert o[\"version\"] >= 1 and o[\"before\"] != o[\"after\"] and o[\"cwe\"] in (772, 775), o
" "$tmp/out"' "operators --json is one valid object per line"

cp "$tmp/out" "$tmp/operators.json"
lm operators
check operators-text '[ "$(rc)" = 0 ] && grep -q "^drop-with v1  (leak, intraprocedural, CWE-775)" "$tmp/out" &&
	python3 - "$tmp/out" "$tmp/operators.json" <<EOF
import json, re, sys
text = open(sys.argv[1]).read()
blocks = text.split("\n\n")
ops = [json.loads(l) for l in open(sys.argv[2])]
assert len(blocks) == len(ops), (len(blocks), len(ops))
flat = lambda s: " ".join(s.split())
for block, o in zip(blocks, ops):
    lines = block.split("\n")
    prose = [l for l in lines if not l.startswith("      ")]
    assert all(len(l) <= 79 for l in prose), [l for l in prose if len(l) > 79]
    head, rest = prose[0], "\n".join(prose[1:])
    assert head.startswith(o["id"] + " v"), head
    kinds = rest.index("\n  kinds:")
    paragraph = rest[:kinds]
    assert flat(paragraph) == flat(o["summary"] + " " + o["description"]), o["id"]
    assert "  # noqa" not in o["description"] or "  # noqa" in paragraph, "blanks inside kept"
    k = rest[kinds:].split("\n  before:")[0]
    assert flat(k) == "kinds: " + ", ".join(o["kinds"].split(",")), k
EOF' "operators lists every operator, its prose wrapped to 79 columns and whole"

lm sites --operators drop-with golden/drop-with/basic.py golden/drop-with/neg_released.py
check sites-text '[ "$(rc)" = 0 ] && diff -u "$here/expected/sites-basic.txt" "$tmp/out" >&2' \
	"sites output matches expected/sites-basic.txt"

lm sites --operators drop-with --why-not golden/drop-with/neg_released.py
check sites-why-not '[ "$(rc)" = 0 ] && [ "$(grep -c "skipped (" "$tmp/out")" = 7 ] &&
	grep -q "skipped: handle handed to a cleanup manager: 2" "$tmp/out"' "--why-not lists skipped candidates with reasons"

# An acquisition whose line break only the with's brackets join (found by
# tests/fuzz): an operator that would move it out of them skips it, with
# its reason, and none makes a mutant the checks reject.  (Those that keep
# it inside brackets, closing(...) or a consumer's call, skip it as well
# for now; the check does not hold them to that.)
lm sites --operators all --why-not fuzz/regressions/call-broken-inside-with-brackets.py \
	fuzz/regressions/call-broken-inside-with-brackets-dump.py
check sites-bracket-break '[ "$(rc)" = 0 ] && ! grep -q "mutant rejected" "$tmp/err" &&
	[ "$(grep -c "drop-with: skipped (the acquisition breaks a line only brackets around it join)" "$tmp/out")" = 2 ] &&
	awk "NF == 5 && \$3 ~ /^[0-9]+\$/ { rows++; if (\$5 != 0) bad = 1 } END { exit bad || rows < 8 }" "$tmp/out"' \
	"an acquisition broken inside the with's brackets is skipped, never rejected"

# Methods taken out after a line a backslash continues (found by
# tests/fuzz): the backslash would join the line after them; skipped.
lm sites --operators strip-exit --why-not fuzz/regressions/strip-exit-after-backslash-line-reduced.py \
	fuzz/regressions/strip-exit-after-backslash-line.py
check sites-backslash-strip-exit '[ "$(rc)" = 0 ] && ! grep -q "mutant rejected" "$tmp/err" &&
	[ "$(grep -c "strip-exit: skipped (an edit touches a line a backslash continues)" "$tmp/out")" = 2 ]' \
	"strip-exit skips methods that follow a line a backslash continues"

# A with's body whose lines Python indents alike but are written
# differently (eight spaces, then seven and a tab; found by tests/fuzz
# behind form feeds): a dedent by the first line's whitespace would leave
# the tab line behind, so close-happy-path and drop-with skip the site.
lm sites --operators close-happy-path,drop-with,inline-open --why-not \
	fuzz/regressions/body-line-indented-with-a-tab.py \
	fuzz/regressions/body-line-indented-with-a-tab-after-form-feeds.py
check sites-mixed-indent '[ "$(rc)" = 0 ] && ! grep -q "mutant rejected" "$tmp/err" &&
	grep -q "^  *skipped: body lines indented in different ways (tabs and spaces): 2$" "$tmp/out" &&
	[ "$(grep -c "skipped: body lines indented in different ways" "$tmp/out")" = 2 ]' \
	"a body indented alike to Python but written differently is skipped, not rejected"
# A body line written as spaces and then a tab after the block's own
# indentation (fifteen spaces and a tab: column 16 both ways, as deep as
# the line above; found by tests/fuzz): dedented by four it would be
# column 16 one way and 12 the other, so those operators skip the site.
lm sites --operators close-happy-path,drop-with,inline-open --why-not \
	fuzz/regressions/body-line-tab-after-spaces-dedented.py \
	fuzz/regressions/body-line-tab-after-spaces-dedented-found.py
check sites-tab-after-prefix '[ "$(rc)" = 0 ] && ! grep -q "mutant rejected" "$tmp/err" &&
	[ "$(grep -c "^fuzz/regressions/body-line-tab-after-spaces-dedented.*: skipped (body lines indented in different ways" "$tmp/out")" = 4 ] &&
	grep -q "^fuzz/regressions/body-line-tab-after-spaces-dedented-found.py:29:14: close-happy-path \[threading.Lock\]" "$tmp/out"' \
	"a body line whose tab a dedent would move is skipped, not rejected; the block above it is not"

# A with's body whose first line continues a line of only blanks and a
# backslash (found by tests/fuzz): Python takes the indentation of that
# line, tree-sitter-python adds up both.  Not deeper than the header there,
# the file is a syntax error; deeper, strip-exit's dedent of the body would
# change it, so the site is skipped.
lm sites fuzz/regressions/block-below-a-backslash-line.py
check sites-backslash-block '[ "$(rc)" = 1 ] && grep -q "^leakmut: fuzz/regressions/block-below-a-backslash-line.py:29:8: syntax error: expected an indented block$" "$tmp/err"' \
	"a block no deeper than its header, to Python, is a syntax error"
lm sites --operators strip-exit --why-not fuzz/regressions/strip-exit-body-below-a-backslash-line.py \
	fuzz/regressions/strip-exit-body-below-a-backslash-line-reduced.py
check sites-backslash-body '[ "$(rc)" = 0 ] && ! grep -q "mutant rejected" "$tmp/err" &&
	[ "$(grep -c "strip-exit: skipped (an edit touches a line a backslash continues)" "$tmp/out")" = 2 ]' \
	"strip-exit skips a with whose body starts below a line of only a backslash"

lm sites --operators drop-with --json golden/drop-with/kinds.py
check sites-json '[ "$(rc)" = 0 ] && python3 -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
sites = [r for r in rows if r[\"type\"] == \"site\"]
summary = [r for r in rows if r[\"type\"] == \"summary\"]
assert len(sites) == 17, len(sites)
assert sum(r[\"sites\"] for r in summary) == 17
assert all(len(r[\"id\"]) == 12 and r[\"operator\"] == \"drop-with\" for r in sites)
assert {\"gzip.open\", \"socket.socket\", \"subprocess.Popen\", \".open\"} <= {r[\"api\"] for r in sites}
" "$tmp/out"' "sites --json"

# Options may follow the paths, as in every command; after --, a word
# starting with a dash is a path.
cp "$tmp/out" "$tmp/sites-json"
lm sites golden/drop-with/kinds.py --json --operators drop-with
cmp -s "$tmp/out" "$tmp/sites-json" && after=same || after=different
mkdir -p "$tmp/dash" && cp golden/drop-with/kinds.py "$tmp/dash/-kinds.py"
(cd "$tmp/dash" && lm sites --json --operators drop-with -- -kinds.py)
check sites-options-anywhere '[ "$after" = same ] && [ "$(grep -c "\"type\":\"site\"" "$tmp/out")" = 17 ] &&
	grep -q "\"path\":\"-kinds.py\"" "$tmp/out"' \
	"sites takes options after its paths, and a path starting with a dash after -- (options after: $after)"

# Bad files are reported by name and the run goes on with the rest.
mkdir -p "$tmp/tree/pkg"
cp golden/drop-with/basic.py "$tmp/tree/pkg/good.py"
printf 'def f(:\n    pass\n' >"$tmp/tree/pkg/broken.py"
printf 's = "caf\351"\n' >"$tmp/tree/pkg/latin1.py"
printf 'x = 1\0\n' >"$tmp/tree/pkg/nul.py"
: >"$tmp/tree/pkg/empty.py"
lm sites --operators drop-with "$tmp/tree"
check sites-bad-input '[ "$(rc)" = 1 ] &&
	grep -q "^leakmut: $tmp/tree/pkg/broken.py:1:7: syntax error" "$tmp/err" &&
	grep -q "^leakmut: $tmp/tree/pkg/latin1.py:1:9: not UTF-8 (byte 0xE9)" "$tmp/err" &&
	grep -q "^leakmut: $tmp/tree/pkg/nul.py:1:6: NUL byte in source" "$tmp/err" &&
	[ "$(grep -c "^$tmp/tree/pkg/good.py:" "$tmp/out")" = 2 ] &&
	grep -q "^2 sites in 5 files (3 files with errors)" "$tmp/out"' \
	"bad files are named, good ones still listed"
# One of a thing is said in the singular.
mkdir "$tmp/one"
printf 'def f(p):\n    with open(p) as fh:\n        return fh.read()\n' >"$tmp/one/m.py"
printf 'def f(:\n' >"$tmp/one/bad.py"
lm sites --operators drop-with "$tmp/one"
check sites-singular '[ "$(rc)" = 1 ] && [ "$(tail -n 1 "$tmp/out")" = "1 site in 2 files (1 file with errors)" ]' \
	"the summary says 1 site and 1 file"
rm "$tmp/one/bad.py"
lm generate --operators drop-with -o "$tmp/one.git" "$tmp/one"
check generate-singular '[ "$(rc)" = 0 ] &&
	grep -q "^1 mutants and controls from 1 file (1 selected): 1 new branch, 0 already there; 0 rejected, 0 files with errors; base " "$tmp/err"' \
	"generate's summary says 1 file and 1 new branch"

# Big and deep files: each refused by name before anything walks it by
# recursion (100,000 nested brackets overflowed the stack; 65,534 comment
# lines in a row make tree-sitter 0.20.7 free a bad pointer); what is
# merely big, long or deep is mutated (3,990 levels deep, what Python does not
# compile: walked, and the mutant rejected by the compile check).
mkdir -p "$tmp/big/pkg"
python3 - "$tmp/big/pkg" <<'PY'
import sys
d = sys.argv[1]
site = "def f(p):\n    with open(p) as fh:\n        return fh.read()\n"
open(d + "/a_huge.py", "w").write(site + "x = 1  # padding\n" * 1200000)
open(d + "/b_brackets.py", "w").write(site + "y = " + "[" * 100000 + "]" * 100000 + "\n")
open(d + "/c_comments.py", "w").write(site + "# c\n" * 70000 + "y = 2\n")
open(d + "/d_deep.py", "w").write(site + "y = " + "-" * 2900 + "1\n")
open(d + "/e_long_line.py", "w").write(site + "y = '" + "a" * 1000000 + "'\n")
open(d + "/f_many_comments.py", "w").write("# c\n" * 50000 + site)
open(d + "/g_deeper.py", "w").write(site + "y = " + "-" * 3990 + "1\n")
PY
lm sites --operators drop-with "$tmp/big"
check sites-big-input '[ "$(rc)" = 1 ] &&
	grep -q "^leakmut: $tmp/big/pkg/a_huge.py: .*over the limit" "$tmp/err" &&
	grep -q "^leakmut: $tmp/big/pkg/b_brackets.py:4:4002: nested deeper than 4000 levels" "$tmp/err" &&
	grep -q "^leakmut: $tmp/big/pkg/c_comments.py:4:1: 60000 lines in a row of comments" "$tmp/err" &&
	grep -q "^leakmut: $tmp/big/pkg/g_deeper.py:2:10: drop-with: mutant rejected: " "$tmp/err" &&
	[ "$(grep -c "^leakmut: " "$tmp/err")" = 4 ] &&
	[ "$(grep -c "^$tmp/big/pkg/[def]_.*\.py:[0-9]*:[0-9]*: drop-with" "$tmp/out")" = 3 ] &&
	grep -q "^3 sites in 7 files (3 files with errors)" "$tmp/out"' \
	"a 20 MB file, 100,000 nested brackets and 70,000 comment lines are named; deep, long and commented files mutated"

lm sites --operators no-such-op golden/drop-with/basic.py
check sites-bad-operator '[ "$(rc)" = 1 ] && grep -q "^leakmut: unknown operator or group '"'"'no-such-op'"'"'" "$tmp/err"' \
	"unknown operator"

lm sites /nonexistent/dir
check sites-missing-path '[ "$(rc)" = 1 ] && grep -q "^leakmut: /nonexistent/dir: No such file or directory" "$tmp/err"' \
	"missing path"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
