#!/bin/sh
# Run a command under valgrind.  Fails (exit 99) on any memory error, on any
# leak (definite, indirect or possible), and (exit 98) on any descriptor the
# program opened and left open at exit (descriptors inherited from the
# parent are not its own); otherwise exits with the command's status.
log=$(mktemp "${TMPDIR:-/tmp}/leakmut-vg.XXXXXX")
valgrind --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect,possible \
	--show-leak-kinds=definite,indirect,possible \
	--track-fds=yes --child-silent-after-fork=yes --log-file="$log" "$@"
rc=$?
# "Open file descriptor N: ..." is followed by "<inherited from parent>" or
# by the stack that opened it.
leaked=$(awk '/Open file descriptor [0-9]+/ { fd = $0; sub(/.*descriptor /, "", fd);
		sub(/:.*/, "", fd); getline next_line;
		if (next_line !~ /inherited from parent/ && fd + 0 > 2) n++ }
	END { print n + 0 }' "$log")
if ! grep -q "FILE DESCRIPTORS:" "$log"; then
	leaked="unknown"
fi
if [ "$rc" = 99 ] || [ "$leaked" != 0 ]; then
	echo "valgrind: $* (exit $rc, descriptors left open: $leaked)" >&2
	grep -v '^==[0-9]*== *$' "$log" | grep -E 'ERROR SUMMARY|definitely|indirectly|possibly|Open |FILE DESC|at 0x|by 0x|Invalid|uninitialised' | head -60 >&2
	rm -f "$log"
	[ "$rc" = 99 ] && exit 99
	exit 98
fi
rm -f "$log"
exit "$rc"
