#!/bin/sh
# Faults around `leakmut generate`: OUT on a full or read-only disk, kills at
# random moments, concurrent runs, a corrupt input repository, python that
# cannot be started.  Needs root (it mounts small tmpfs file systems).
# Usage: faults.sh LEAKMUT FDCHECK_SO NORENAME2_SO NOSPAWN_SO (from tests/;
# each is the tests/*.c of its name built as a shared object).
set -u
LEAKMUT=$1
FDCHECK=$2
NORENAME2=$3
NOSPAWN=$4
export LC_ALL=C
corpus=$(cd ../corpus && pwd)
OPS=inline-open,strip-exit # a short run: 99 mutants of corpus/
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: faults.sh mounts tmpfs file systems and needs root"
	exit 0
fi
tmp=$(mktemp -d)
mnt="$tmp/mnt"
mkdir "$mnt"
cleanup() {
	umount "$mnt" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
passed=0
failed=0

lm() {
	"$LEAKMUT" "$@" >"$tmp/out" 2>"$tmp/err"
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
# The whole result: every ref and commit id, and the truth's files.
state() {
	refs "$1"
	for f in truth.jsonl truth.sarif expected.csv; do
		git -C "$1" show "leakmut/truth:$f" 2>/dev/null | cksum
	done
}
fsck_ok() { [ ! -e "$1" ] || git -C "$1" fsck --full >/dev/null 2>&1; }
# Nothing but OUT beside it: no half-made repository left aside.
no_leftovers() { [ -z "$(ls -A "$(dirname "$1")" | grep -F "$(basename "$1").leakmut-init")" ]; }

start=$(date +%s)
lm generate --operators "$OPS" -o "$tmp/ref.git" "$corpus"
check reference '[ "$(rc)" = 0 ] && [ "$(git -C "$tmp/ref.git" for-each-ref refs/heads/m/ | wc -l)" -ge 10 ]' \
	"an uninterrupted run"
want=$(state "$tmp/ref.git")
# What the run takes on a tmpfs (in pages: more than du says).
mount -t tmpfs -o size=64m tmpfs "$mnt"
"$LEAKMUT" generate --operators "$OPS" -o "$mnt/out.git" "$corpus" 2>/dev/null
kib=$(df -k "$mnt" | awk 'NR == 2 { print $3 }')
umount "$mnt"

# ---- OUT on a full disk -------------------------------------------------------
# The file system fills at a quarter, half and 90% of what the run needs:
# the error names OUT and the cause, what is there passes fsck, and on a
# larger disk a rerun completes it to the uninterrupted run's result.
for pct in 5 25 50 75 95; do
	size=$((kib * pct / 100))
	mount -t tmpfs -o size=${size}k tmpfs "$mnt"
	lm generate --operators "$OPS" -o "$mnt/out.git" "$corpus"
	check "full-disk-$pct" '[ "$(rc)" = 1 ] && grep -q "^leakmut: $mnt/out.git: .*No space left on device" "$tmp/err" &&
		! grep -q "^leakmut: [^/]" "$tmp/err" && [ ! -e "$mnt/out.git/leakmut.lock" ] &&
		fsck_ok "$mnt/out.git" && no_leftovers "$mnt/out.git"' \
		"a full disk at ${size} KiB: OUT and 'No space left' named, fsck clean, nothing left aside"
	mount -o remount,size=$((kib * 4))k "$mnt"
	lm generate --operators "$OPS" -o "$mnt/out.git" "$corpus"
	check "full-disk-$pct-rerun" '[ "$(rc)" = 0 ] && [ "$(state "$mnt/out.git")" = "$want" ]' \
		"after the disk grows, a rerun completes it identically"
	umount "$mnt"
done

# ---- OUT read-only ------------------------------------------------------------
mount -t tmpfs -o size=$((kib * 4))k tmpfs "$mnt"
cp -a "$tmp/ref.git" "$mnt/out.git"
mount -o remount,ro "$mnt"
lm generate --operators "$OPS" -o "$mnt/out.git" "$corpus"
check read-only-out '[ "$(rc)" = 1 ] && grep -q "^leakmut: $mnt/out.git.*Read-only file system" "$tmp/err" &&
	[ "$(state "$mnt/out.git")" = "$want" ] && fsck_ok "$mnt/out.git"' \
	"a read-only OUT: a clear error and nothing changed"
lm generate --operators "$OPS" -o "$mnt/new.git" "$corpus"
check read-only-parent '[ "$(rc)" = 1 ] && grep -q "^leakmut: $mnt/new.git.*Read-only file system" "$tmp/err" &&
	[ ! -e "$mnt/new.git" ]' "a new OUT on a read-only file system: a clear error, nothing made"
umount "$mnt"

# ---- export on a full disk ----------------------------------------------------
# Each file export writes, and each mutant's folder, is written aside and
# renamed: a disk that fills half way leaves whole files and folders only
# (each equal to a complete export's, as many as it says it wrote), no
# temporary file, and an error naming the file and the cause.
for fmt in diff dir; do
	"$LEAKMUT" export --format $fmt -o "$tmp/ex-$fmt" "$tmp/ref.git" 2>/dev/null
	mount -t tmpfs -o size=64m tmpfs "$mnt"
	"$LEAKMUT" export --format $fmt -o "$mnt/ex" "$tmp/ref.git" 2>/dev/null
	kib=$(df -k "$mnt" | awk 'NR == 2 { print $3 }')
	umount "$mnt"
	mount -t tmpfs -o size=$((kib / 2))k tmpfs "$mnt"
	lm export --format $fmt -o "$mnt/ex" "$tmp/ref.git"
	whole=yes
	for f in $(cd "$mnt/ex" && find . -type f); do
		cmp -s "$mnt/ex/$f" "$tmp/ex-$fmt/$f" || whole="no: $f"
	done
	# and, for dir, only whole folders: each holds all its mutant's files
	# (17 of these mutants change two or three files)
	for d in $(cd "$mnt/ex" && find . -mindepth 1 -maxdepth 1 -type d); do
		diff -r -q "$mnt/ex/$d" "$tmp/ex-$fmt/$d" >/dev/null || whole="no: folder $d"
	done
	wrote=$(sed -n 's/^leakmut: export stopped: \([0-9]*\) mutants and \([0-9]*\) controls.*/\1 + \2/p' "$tmp/err")
	check "export-full-disk-$fmt" '[ "$(rc)" = 1 ] &&
		grep -q "^leakmut: $mnt/ex/[0-9a-f]\{12\}[./][^:]*: cannot \(create\|write\): No space left on device" "$tmp/err" &&
		[ "$whole" = yes ] && [ -z "$(find "$mnt/ex" -name "*.tmp*" -o -name ".leakmut-export-*")" ] &&
		[ -n "$wrote" ] && [ $(($wrote)) -ge 1 ] && [ $(($wrote)) = "$(ls "$mnt/ex" | wc -l)" ]' \
		"export --format $fmt on a full disk: only whole files and folders (whole: $whole), the file and the cause named, what was written counted"
	umount "$mnt"
done
# On a file system without renameat2's flags (a shim refuses them), a second
# export still replaces each mutant's folder: the former one is removed, then
# the new one renamed into place.
cp -r "$tmp/ex-dir" "$tmp/ex-again"
first=$(ls "$tmp/ex-again" | head -1)
echo stale >"$tmp/ex-again/$first/stale.py"
rm -f "$tmp/renames"
LD_PRELOAD=$NORENAME2 NORENAME2_LOG=$tmp/renames ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
	"$LEAKMUT" export --format dir -o "$tmp/ex-again" "$tmp/ref.git" >"$tmp/out" 2>"$tmp/err"
echo $? >"$tmp/rc"
check export-dir-no-renameat2 '[ "$(rc)" = 0 ] && [ "$(grep -c . "$tmp/renames")" -ge "$(ls "$tmp/ex-dir" | wc -l)" ] &&
	diff -r "$tmp/ex-again" "$tmp/ex-dir" >/dev/null' \
	"export --format dir where renameat2 takes no flags: each folder replaced whole all the same"
# The same on a kernel without renameat2 (ENOSYS).
echo stale >"$tmp/ex-again/$first/stale.py"
rm -f "$tmp/renames"
LD_PRELOAD=$NORENAME2 NORENAME2_LOG=$tmp/renames NORENAME2_ERRNO=38 \
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
	"$LEAKMUT" export --format dir -o "$tmp/ex-again" "$tmp/ref.git" >"$tmp/out" 2>"$tmp/err"
echo $? >"$tmp/rc"
check export-dir-renameat2-enosys '[ "$(rc)" = 0 ] && [ "$(grep -c . "$tmp/renames")" -ge "$(ls "$tmp/ex-dir" | wc -l)" ] &&
	diff -r "$tmp/ex-again" "$tmp/ex-dir" >/dev/null' \
	"export --format dir on a kernel without renameat2: each folder replaced whole all the same"
# A stage named with this process's own pid, left by a killed process that
# had the same pid (a container's runs often do; here each is pid 1 of a
# new pid namespace), is stale all the same: removed, and the export goes on.
cp -r "$tmp/ex-dir" "$tmp/ex-pid1"
mkdir "$tmp/ex-pid1/.leakmut-export-1" && echo half >"$tmp/ex-pid1/.leakmut-export-1/part.py"
unshare --pid --fork "$LEAKMUT" export --format dir -o "$tmp/ex-pid1" "$tmp/ref.git" >"$tmp/out" 2>"$tmp/err"
echo $? >"$tmp/rc"
check export-stage-same-pid '[ "$(rc)" = 0 ] && [ ! -e "$tmp/ex-pid1/.leakmut-export-1" ] &&
	diff -r "$tmp/ex-pid1" "$tmp/ex-dir" >/dev/null' \
	"a stage a killed export left under this run's own pid is removed, and the export completes"

# ---- python cannot be started ---------------------------------------------------
# Out of processes (a shim: posix_spawnp fails with EAGAIN), the run stops
# with an error naming python, rather than write mutants nothing compiled;
# a rerun completes the repository.
rm -f "$tmp/spawns"
LD_PRELOAD=$NOSPAWN NOSPAWN_LOG=$tmp/spawns ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
	"$LEAKMUT" generate --operators "$OPS" --python /usr/bin/python3 -o "$tmp/nospawn.git" "$corpus" \
	>"$tmp/out" 2>"$tmp/err"
echo $? >"$tmp/rc"
spawns=$(grep -c . "$tmp/spawns" 2>/dev/null)
check generate-no-spawn '[ "$(rc)" = 1 ] && [ "${spawns:-0}" -ge 1 ] &&
	grep -q "^leakmut: /usr/bin/python3: cannot start: Resource temporarily unavailable$" "$tmp/err" &&
	! grep -q "no Python interpreter" "$tmp/err" && fsck_ok "$tmp/nospawn.git"' \
	"python that cannot be started (no process left) stops generate with an error naming it"
lm generate --operators "$OPS" -o "$tmp/nospawn.git" "$corpus"
check generate-no-spawn-rerun '[ "$(rc)" = 0 ] && [ "$(state "$tmp/nospawn.git")" = "$want" ]' \
	"the rerun after it completes the repository as an uninterrupted run"

# ---- killed at random moments -------------------------------------------------
# Each kill (SIGKILL, no chance to clean up) is followed by fsck and a rerun,
# which must complete the repository to exactly the uninterrupted result.
ms=$(($(date +%s%N) / 1000000))
lm generate --operators "$OPS" -o "$tmp/timed.git" "$corpus"
ms=$(($(date +%s%N) / 1000000 - ms))
seed=${LEAKMUT_FAULTS_SEED:-$(date +%s)}
trials=0
bad=0
for delay in $(awk -v seed="$seed" -v ms="$ms" 'BEGIN { srand(seed);
		for (i = 0; i < 20; i++) printf "%.3f\n", rand() * ms * 1.1 / 1000 }'); do
	rm -rf "$tmp/k.git"
	"$LEAKMUT" generate --operators "$OPS" -o "$tmp/k.git" "$corpus" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	trials=$((trials + 1))
	if ! fsck_ok "$tmp/k.git"; then
		echo "  fsck failed after a kill at ${delay}s (seed $seed)"
		bad=$((bad + 1))
	fi
	lm generate --operators "$OPS" -o "$tmp/k.git" "$corpus"
	if [ "$(rc)" != 0 ] || [ "$(state "$tmp/k.git")" != "$want" ]; then
		echo "  rerun after a kill at ${delay}s did not complete the repository (seed $seed)"
		sed 's/^/    /' "$tmp/err" | head -5
		bad=$((bad + 1))
	fi
	# Nor does it leave what the kill left: a lock, a temporary object file,
	# the scratch of an OUT being made aside.
	left=$(find "$tmp/k.git" -name "*.lock" -o -name "tmp_*" -o -name "*_git2_*")
	if [ -n "$left" ] || ! no_leftovers "$tmp/k.git"; then
		echo "  rerun after a kill at ${delay}s left: $left $(ls -d "$tmp"/k.git.* 2>/dev/null) (seed $seed)"
		bad=$((bad + 1))
	fi
done
check kill-trials '[ "$bad" = 0 ] && [ "$trials" = 20 ]' \
	"$trials kills over ${ms} ms (seed $seed): fsck clean, reruns complete, identical and tidy"

# A kill between libgit2's write of NAME.lock and its rename leaves the lock,
# and every later write of NAME fails; the kills above land there only by
# chance, so here each kind is left on purpose: HEAD, packed-refs, a loose
# ref, a reflog; and the temporary files of a loose object, of a pack (ours
# and libgit2's) and of a pack index.
# The rerun removes them (OUT is ours while leakmut.lock is).
rm -rf "$tmp/s.git"
cp -r "$tmp/ref.git" "$tmp/s.git"
mkdir -p "$tmp/s.git/logs/refs/heads/m" "$tmp/s.git/refs/heads/m"
for f in HEAD.lock packed-refs.lock refs/heads/m/half.lock logs/refs/heads/m/half.lock \
	objects/tmp_object_git2_Ab12 objects/pack/tmp_pack_Cd34 objects/pack/pack_git2_Ef56 \
	objects/pack/pack-0123456789abcdef0123456789abcdef01234567.idx.lock; do
	echo "ref: refs/heads/half" >"$tmp/s.git/$f"
done
lm generate --operators "$OPS" -o "$tmp/s.git" "$corpus"
check stale-git-files '[ "$(rc)" = 0 ] && [ "$(state "$tmp/s.git")" = "$want" ] &&
	[ -z "$(find "$tmp/s.git" -name "*.lock" -o -name "tmp_*" -o -name "*_git2_*")" ] && fsck_ok "$tmp/s.git"' \
	"locks and temporary object files a kill left in OUT: the rerun removes them and completes"

# ---- two runs at once ---------------------------------------------------------
# On an existing OUT: the second meets the first's lock.
"$LEAKMUT" generate --operators "$OPS" -o "$tmp/c.git" "$corpus" >"$tmp/a.out" 2>"$tmp/a.err" &
a=$!
i=0
while [ ! -e "$tmp/c.git/leakmut.lock" ] && [ $i -lt 500 ]; do
	sleep 0.01
	i=$((i + 1))
done
lm generate --operators "$OPS" -o "$tmp/c.git" "$corpus"
wait "$a"
arc=$?
check concurrent-lock '[ "$(rc)" = 1 ] && grep -q "another leakmut run (pid $a) is writing" "$tmp/err" &&
	[ "$arc" = 0 ] && [ "$(state "$tmp/c.git")" = "$want" ]' \
	"a second run on a busy OUT stops with the lock error; the first completes"

# On an OUT that does not exist yet: both make it aside; one rename wins, the
# other run uses that repository (and meets its lock, or finds it done).
ok=0
for t in 1 2 3; do
	rm -rf "$tmp/n.git"
	"$LEAKMUT" generate --operators "$OPS" -o "$tmp/n.git" "$corpus" >/dev/null 2>"$tmp/b.err" &
	b=$!
	"$LEAKMUT" generate --operators "$OPS" -o "$tmp/n.git" "$corpus" >/dev/null 2>"$tmp/c.err" &
	c=$!
	wait "$b"
	brc=$?
	wait "$c"
	crc=$?
	for r in "$brc:$tmp/b.err" "$crc:$tmp/c.err"; do
		case $r in
		0:*) ;;
		1:*) grep -q "another leakmut run (pid [0-9]*) is writing" "${r#1:}" || ok=1 ;;
		*) ok=1 ;;
		esac
	done
	[ "$brc" = 0 ] || [ "$crc" = 0 ] || ok=1
	{ [ "$(state "$tmp/n.git")" = "$want" ] && no_leftovers "$tmp/n.git"; } || ok=1
	[ "$ok" = 0 ] || { cat "$tmp/b.err" "$tmp/c.err" | sed 's/^/  /'; break; }
done
check concurrent-create '[ "$ok" = 0 ]' \
	"two runs creating the same OUT: one completes, the other completes or meets the lock; nothing left aside"

# ---- a corrupt input repository (--rev) ----------------------------------------
mkdir "$tmp/in"
cp -r "$corpus/agentkit" "$corpus/drivers" "$tmp/in/"
git -C "$tmp/in" init -q && git -C "$tmp/in" add . &&
	git -C "$tmp/in" -c user.name=t -c user.email=t@example.com commit -qm import
blob=$(git -C "$tmp/in" rev-parse HEAD:agentkit/cache.py)
obj="objects/$(echo "$blob" | cut -c1-2)/$(echo "$blob" | cut -c3-)"
for how in truncated garbled missing; do
	rm -rf "$tmp/bad" "$tmp/bad.git"
	cp -r "$tmp/in" "$tmp/bad"
	chmod u+w "$tmp/bad/.git/$obj"
	case $how in
	truncated) truncate -s 20 "$tmp/bad/.git/$obj" ;;
	garbled) printf 'garbage, not zlib' | dd of="$tmp/bad/.git/$obj" bs=1 seek=2 conv=notrunc 2>/dev/null ;;
	missing) rm "$tmp/bad/.git/$obj" ;;
	esac
	# A timeout: libgit2 1.5 alone would loop forever on the truncated one.
	timeout 60 "$LEAKMUT" generate --rev HEAD -o "$tmp/bad.git" "$tmp/bad" >"$tmp/out" 2>"$tmp/err"
	echo $? >"$tmp/rc"
	check "corrupt-input-$how" '[ "$(rc)" = 1 ] && grep -q "^leakmut: $tmp/bad: .*$blob" "$tmp/err"' \
		"a $how object in the input: an error naming the repository and the object"
done

# ---- descriptors ---------------------------------------------------------------
# A whole generate over corpus/: at exit, leakmut and the python it runs hold
# no descriptor beyond the ones the test itself handed down (the shim lists
# them; /bin/true under the same shim gives that baseline).
log="$tmp/fd.log"
FDCHECK_LOG="$tmp/base.log" LD_PRELOAD="$FDCHECK" /bin/true
base=$(grep -v '^exit' "$tmp/base.log" | sort)
FDCHECK_LOG="$log" LD_PRELOAD="$FDCHECK" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
	"$LEAKMUT" generate --python /usr/bin/python3 -o "$tmp/fd.git" "$corpus" >"$tmp/out" 2>"$tmp/err"
echo $? >"$tmp/rc"
left=$(awk -v base="$base" 'BEGIN { n = split(base, b, "\n"); for (i = 1; i <= n; i++) inherited[b[i]] = 1 }
	/^exit / { procs++; next } !($0 in inherited) { print }' "$log")
procs=$(grep -c '^exit' "$log")
check descriptors '[ "$(rc)" = 0 ] && [ "$procs" -ge 2 ] && [ -z "$left" ]' \
	"no descriptor left open at exit by leakmut or its python ($procs processes; left: $left)"

echo "$passed passed, $failed failed ($(($(date +%s) - start)) s)"
[ "$failed" = 0 ]
