#!/bin/sh
# A hostile input to `leakmut generate`: a repository (--rev) whose config
# would run programs and whose trees hold names that climb out of OUT, and
# a folder with symbolic links, a folder named x.py, an unreadable file and
# a file deleted during the run; a file edited during the run.
# Usage: hostile.sh LEAKMUT [RUNNER]  (from tests/)
set -u
LEAKMUT=$1
shift
RUNNER="$*"
export LC_ALL=C
corpus=$(cd ../corpus && pwd)
. ./cli/lib.sh

# ---- a repository whose config runs a program ------------------------------------
marker="$tmp/marker"
printf '#!/bin/sh\ntouch "%s"\ncat\n' "$marker" >"$tmp/evil.sh"
chmod +x "$tmp/evil.sh"
in="$tmp/in"
mkdir -p "$in/pkg"
cp "$corpus/agentkit/cache.py" "$corpus/agentkit/store.py" "$in/pkg/"
printf '*.py filter=x diff=x merge=x\n' >"$in/.gitattributes"
git -C "$in" init -q
git -C "$in" add . && git -C "$in" -c user.name=t -c user.email=t@example.com commit -qm import
for kv in core.hooksPath="$tmp/hooks" core.fsmonitor="$tmp/evil.sh" filter.x.clean="$tmp/evil.sh" \
	filter.x.smudge="$tmp/evil.sh" filter.x.process="$tmp/evil.sh" filter.x.required=true \
	diff.x.textconv="$tmp/evil.sh" diff.x.command="$tmp/evil.sh" merge.x.driver="$tmp/evil.sh" \
	core.sshCommand="$tmp/evil.sh" core.askPass="$tmp/evil.sh" core.pager="$tmp/evil.sh" \
	core.editor="$tmp/evil.sh" gpg.program="$tmp/evil.sh" credential.helper="!$tmp/evil.sh" \
	uploadpack.packObjectsHook="$tmp/evil.sh" core.alternateRefsCommand="$tmp/evil.sh"; do
	git -C "$in" config "${kv%%=*}" "${kv#*=}"
done
mkdir "$tmp/hooks"
for h in pre-commit post-commit post-checkout reference-transaction pre-auto-gc post-rewrite; do
	cp "$tmp/evil.sh" "$tmp/hooks/$h"
done
rm -f "$marker"
lm generate --rev HEAD -o "$tmp/out.git" "$in"
check config-generate '[ "$(rc)" = 0 ] && [ ! -e "$marker" ] &&
	[ "$(git -C "$tmp/out.git" for-each-ref refs/heads/m/ | wc -l)" -ge 5 ]' \
	"generate --rev over a repository whose config names programs runs none of them"
lm export --format dir -o "$tmp/exported" "$tmp/out.git"
check config-export '[ "$(rc)" = 0 ] && [ ! -e "$marker" ]' "export runs none of them either"
lm sites "$in"
check config-sites '[ ! -e "$marker" ]' "nor does sites"

# ---- tree entries with hostile names ----------------------------------------
# Written as raw tree objects: git mktree would refuse some of these names.
# From here the test's own git must not run that repository's hooks.
git -C "$in" config --unset core.hooksPath
blob=$(git -C "$in" rev-parse HEAD:pkg/cache.py)
tree_of() { # NAME... -> a tree holding the blob under each name
	python3 - "$blob" "$@" <<'PY' | git -C "$in" hash-object -t tree --literally -w --stdin
import sys
oid = bytes.fromhex(sys.argv[1])
entries = sorted(n.encode("utf-8", "surrogateescape") for n in sys.argv[2:])
sys.stdout.buffer.write(b"".join(b"100644 " + n + b"\0" + oid for n in entries))
PY
}
sub=$(tree_of ok.py)
evil=$(tree_of ok.py '..' '../x.py' 'a/../../x.py' '/etc/x.py' "$(printf 'new\nline.py')" \
	"$(printf 'tab\tname.py')" "$(printf 'back\\\\slash.py')")
# A sub-tree named "..": its files would land one level up.
evil=$(python3 - "$(git -C "$in" cat-file tree "$evil" | od -An -v -tx1 | tr -d ' \n')" "$sub" <<'PY' |
import sys
raw = bytes.fromhex(sys.argv[1])
sys.stdout.buffer.write(raw + b"40000 ..\0" + bytes.fromhex(sys.argv[2]))
PY
	git -C "$in" hash-object -t tree --literally -w --stdin)
commit=$(git -C "$in" -c user.name=t -c user.email=t@example.com commit-tree -m evil "$evil")
git -C "$in" update-ref refs/heads/evil "$commit"
mkdir "$tmp/deep"
lm generate --rev evil -o "$tmp/deep/evil.git" "$in"
check evil-names '[ "$(rc)" = 1 ] && grep -q "^leakmut: .*a/../../x.py.*not a safe path" "$tmp/err" &&
	grep -q "^leakmut: .*/etc/x.py.*not a safe path" "$tmp/err" &&
	grep -q "^leakmut: .*\.\./x.py.*not a safe path" "$tmp/err" &&
	[ "$(ls -A "$tmp/deep")" = evil.git ] && [ ! -e "$tmp/x.py" ] && [ ! -e /etc/x.py ] &&
	git -C "$tmp/deep/evil.git" for-each-ref refs/heads/m/ | grep -q .' \
	"names that climb out are skipped with a message; the other files are mutated; nothing outside OUT"
lm export --format dir -o "$tmp/deep/ex" "$tmp/deep/evil.git"
check evil-export '[ "$(ls -A "$tmp/deep" | tr "\n" " ")" = "evil.git ex " ] && [ ! -e "$tmp/x.py" ]' \
	"export of that repository writes nothing outside DEST"

# ---- a file edited during the run ---------------------------------------------
# The second pass writes what the first planned, kept in a spool: a site's
# edits, at offsets into the text as the first pass read it, or, for an
# interprocedural operator's site, its mutant's texts.  A file that no
# longer holds that text when it is read again is named and its mutants
# left out; no branch ever holds an edit made outside leakmut.  A "python"
# (the compile check's) edits the file: it puts a line before the rest,
# which moves every offset and keeps every mutant id (an id names what a
# site is, not where).
PY=${PYTHON:-python3}
edit_during() { # folder under $tmp, file under its pkg/ to edit
	printf '#!/bin/sh\nf=%s\nif ! grep -q "^# edited" "$f"; then\n' "$tmp/$1/pkg/$2" >"$tmp/edit.sh"
	printf '\t{ echo "# edited"; cat "$f"; } >"$f.new" && mv "$f.new" "$f"\nfi\nexec python3 "$@"\n' \
		>>"$tmp/edit.sh"
	chmod +x "$tmp/edit.sh"
	$RUNNER "$LEAKMUT" generate --python "$tmp/edit.sh" -o "$tmp/$1.git" "$tmp/$1" >"$tmp/out" 2>"$tmp/err"
	echo $? >"$tmp/rc"
	git -C "$tmp/$1.git" show leakmut/truth:truth.jsonl 2>/dev/null |
		$PY -c 'import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(r["path"], r["scope"])' | sort | uniq -c >"$tmp/records"
	held=""
	for b in $(git -C "$tmp/$1.git" for-each-ref --format='%(refname)' refs/heads/m refs/heads/c); do
		if git -C "$tmp/$1.git" show "$b:pkg/$2" 2>/dev/null | grep -q '^# edited'; then
			held="$held $b"
		fi
	done
}
# Edited between the passes (the only python runs after the first): the
# mutants whose sites were found in it alone are left out, the others come
# from the text the base holds.
mkdir -p "$tmp/between/pkg"
cp "$corpus/agentkit/cache.py" "$tmp/between/pkg/edited.py"
cp "$corpus/agentkit/store.py" "$tmp/between/pkg/kept.py"
edit_during between edited.py
check edited-between-passes 'grep -q "^leakmut: $tmp/between/pkg/edited.py: changed during the run; its mutants were left out" "$tmp/err" &&
	[ -z "$held" ] && ! grep -q "pkg/edited.py intraprocedural" "$tmp/records" &&
	grep -q "pkg/edited.py interprocedural" "$tmp/records" && grep -q "pkg/kept.py intraprocedural" "$tmp/records" &&
	git -C "$tmp/between.git" fsck --full >/dev/null 2>&1' \
	"a file edited between the passes is named and its mutants found in it alone left out"
# Edited during the first pass, after the walk read it, while the
# interprocedural pass reads it again: a python runs once the 4 MiB file
# after it (long comment lines, and a site) is in the compile check's
# chunk, and the walk goes on through six more files meanwhile.  When the
# edit lands is up to the scheduler: the candidates read before it keep
# their mutants (made from the text the base holds), the others are named.
mkdir -p "$tmp/during/pkg"
cp "$corpus/agentkit/cache.py" "$tmp/during/pkg/a_edited.py"
$PY -c 'import sys
sys.stdout.write(("#" * 4095 + "\n") * 1030 + "def load(p):\n    with open(p) as f:\n        return f.read()\n")' \
	>"$tmp/during/pkg/b_big.py"
for k in 1 2 3 4 5 6; do
	cp "$corpus/agentkit/store.py" "$tmp/during/pkg/c_kept$k.py"
done
edit_during during a_edited.py
check edited-during-first-pass 'grep -q "^leakmut: $tmp/during/pkg/a_edited.py: changed during the run" "$tmp/err" &&
	[ -z "$held" ] && ! grep -q "pkg/a_edited.py intraprocedural" "$tmp/records" &&
	grep -q "pkg/c_kept6.py" "$tmp/records" && git -C "$tmp/during.git" fsck --full >/dev/null 2>&1' \
	"a file edited during the first pass is named; no branch holds the edit"

# ---- a hostile folder ---------------------------------------------------------
d="$tmp/dir"
mkdir -p "$d/pkg/x.py" "$d/loop" "$d/outside"
cp "$corpus/agentkit/cache.py" "$d/pkg/good.py"
cp "$corpus/agentkit/store.py" "$d/pkg/x.py/inner.py"
cp "$corpus/agentkit/store.py" "$d/pkg/gone.py"
cp "$corpus/agentkit/cache.py" "$d/pkg/secret.py"
chmod 000 "$d/pkg/secret.py"
ln -s ../loop "$d/loop/again"
ln -s "$corpus/agentkit/fetch.py" "$d/pkg/escape.py"
ln -s "$corpus/agentkit" "$d/outside/agentkit"
# A "python" that deletes a file between the two passes over the input.
printf '#!/bin/sh\nrm -f "%s"\nexec python3 "$@"\n' "$d/pkg/gone.py" >"$tmp/py.sh"
chmod +x "$tmp/py.sh"
mkdir "$tmp/w"
# As root, chmod 000 does not stop a read: run as nobody (setpriv) then.
as=""
if [ "$(id -u)" = 0 ]; then
	if ! command -v setpriv >/dev/null || ! setpriv --reuid=nobody --regid=nogroup --clear-groups true; then
		echo "SKIP: hostile.sh runs as root without setpriv to drop to nobody"
		exit 0
	fi
	chmod -R a+rwX "$tmp" && chmod 000 "$d/pkg/secret.py"
	as="setpriv --reuid=nobody --regid=nogroup --clear-groups -- env HOME=$tmp/w"
fi
# shellcheck disable=SC2086
$as $RUNNER "$LEAKMUT" generate --python "$tmp/py.sh" -o "$tmp/w/dir.git" "$d" >"$tmp/out" 2>"$tmp/err"
echo $? >"$tmp/rc"
files=$(git -c safe.directory='*' -C "$tmp/w/dir.git" ls-tree -r --name-only base 2>/dev/null | tr '\n' ' ')
check hostile-dir '[ "$(rc)" = 1 ] &&
	grep -q "^leakmut: $d/loop/again: .*symbolic link" "$tmp/err" &&
	grep -q "^leakmut: $d/pkg/escape.py: .*symbolic link" "$tmp/err" &&
	grep -q "^leakmut: $d/pkg/secret.py: .*Permission denied" "$tmp/err" &&
	grep -q "^leakmut: $d/pkg/gone.py: vanished during the run" "$tmp/err" && ! grep -q "good.py: changed" "$tmp/err" &&
	[ "$files" = "pkg/gone.py pkg/good.py pkg/x.py/inner.py " ] &&
	git -c safe.directory="*" -C "$tmp/w/dir.git" for-each-ref refs/heads/m/ | grep -q . &&
	git -c safe.directory="*" -C "$tmp/w/dir.git" fsck --full >/dev/null 2>&1' \
	"links, an unreadable and a vanished file are named; x.py/ is a folder; the rest is mutated"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
