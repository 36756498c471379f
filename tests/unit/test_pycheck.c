#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static void pycheck__compiles_many_in_one_run(void **state)
{
	static const char bad[] = "def f():\n    return\n    nonlocal x\n";
	lm_pycheck *pc = NULL;
	size_t a, b, c, d;

	(void)state;
	assert_int_equal(lm_pycheck_new(&pc, NULL), 0);
	assert_int_equal(lm_pycheck_add(pc, "ok.py", "x = 1\n", 6, &a), 0);
	/* Parses for tree-sitter, but CPython refuses it. */
	assert_int_equal(lm_pycheck_add(pc, "bad.py", bad, strlen(bad), &b), 0);
	assert_int_equal(lm_pycheck_add(pc, "empty.py", "", 0, &c), 0);
	assert_int_equal(lm_pycheck_run(pc), 0);
	assert_true(lm_pycheck_available(pc));
	assert_null(lm_pycheck_result(pc, a));
	assert_non_null(lm_pycheck_result(pc, b));
	assert_non_null(strstr(lm_pycheck_result(pc, b), "nonlocal"));
	assert_null(lm_pycheck_result(pc, c));
	/* A second batch continues the numbering. */
	assert_int_equal(lm_pycheck_add(pc, "again.py", "return 1\n", 9, &d), 0);
	assert_int_equal(d, 3);
	assert_int_equal(lm_pycheck_run(pc), 0);
	assert_non_null(lm_pycheck_result(pc, d));
	lm_pycheck_free(pc);
}

static void pycheck__missing_interpreter_is_reported_not_fatal(void **state)
{
	lm_pycheck *pc = NULL;
	size_t a;

	(void)state;
	assert_int_equal(lm_pycheck_new(&pc, "/nonexistent/python3"), 0);
	assert_int_equal(lm_pycheck_add(pc, "ok.py", "x = 1\n", 6, &a), 0);
	assert_int_equal(lm_pycheck_run(pc), 0);
	assert_false(lm_pycheck_available(pc));
	assert_null(lm_pycheck_result(pc, a));
	lm_pycheck_free(pc);
}

/*
 * A shim `python3` in a new folder: the shell script `script` with each
 * LOG in it the path of a file `log` next to it (the shim writes it).
 */
typedef struct shim {
	char dir[32], path[64], log[64];
} shim;

static void shim_make(shim *sh, const char *script)
{
	const char *at;
	FILE *f;

	snprintf(sh->dir, sizeof(sh->dir), "/tmp/lm-pycheck-XXXXXX");
	assert_non_null(mkdtemp(sh->dir));
	snprintf(sh->path, sizeof(sh->path), "%s/python3", sh->dir);
	snprintf(sh->log, sizeof(sh->log), "%s/log", sh->dir);
	assert_non_null(f = fopen(sh->path, "w"));
	for (at = script; *at; at++)
		if (!strncmp(at, "LOG", 3)) {
			fputs(sh->log, f);
			at += 2;
		} else {
			fputc(*at, f);
		}
	fclose(f);
	assert_int_equal(chmod(sh->path, 0755), 0);
}

static void shim_remove(shim *sh)
{
	unlink(sh->log);
	unlink(sh->path);
	rmdir(sh->dir);
}

/*
 * The interpreter named is started once: the first python says where it
 * is and the next chunks start that (a version manager's shim is a script
 * slower than a chunk's compile).  A shim that counts its runs stands in.
 */
static void pycheck__starts_the_named_interpreter_once(void **state)
{
	char line[64];
	lm_pycheck *pc = NULL;
	size_t i, first = 0, at, runs = 0;
	shim sh;
	FILE *f;

	(void)state;
	shim_make(&sh, "#!/bin/sh\necho run >>LOG\nexec python3 \"$@\"\n");
	assert_int_equal(lm_pycheck_new(&pc, sh.path), 0);
	/* Three chunks (512 records each), a bad source in the last. */
	for (i = 0; i < 1300; i++) {
		assert_int_equal(lm_pycheck_add(pc, "m.py", "x = 1\n", 6, &at), 0);
		if (i == 0)
			first = at;
	}
	assert_int_equal(lm_pycheck_add(pc, "bad.py", "return 1\n", 9, &at), 0);
	assert_int_equal(lm_pycheck_run(pc), 0);
	assert_true(lm_pycheck_available(pc));
	for (i = 0; i < 1300; i++)
		assert_null(lm_pycheck_result(pc, first + i));
	assert_non_null(lm_pycheck_result(pc, at));
	lm_pycheck_free(pc);

	assert_non_null(f = fopen(sh.log, "r"));
	while (fgets(line, sizeof(line), f))
		runs++;
	fclose(f);
	assert_int_equal(runs, 1);
	shim_remove(&sh);
}

/*
 * Two pythons compile at once (the caller does not wait for one chunk's
 * before handing over the next), never more, and the results still come
 * in the order the sources were added.  The shim leaves out --where, so
 * every chunk runs through it; it logs its start and end and sleeps first,
 * so a chunk handed over while another compiles overlaps it.
 */
static void pycheck__two_pythons_at_once_results_in_order(void **state)
{
	static const size_t bad[] = {100, 700, 1100, 1700, 2050};
	char line[64];
	lm_pycheck *pc = NULL;
	size_t i, k = 0, at[2100], running = 0, most = 0;
	shim sh;
	FILE *f;

	(void)state;
	shim_make(&sh, "#!/bin/sh\necho start >>LOG\nsleep 0.5\n"
	               "python3 \"$1\" \"$2\" \"$3\" \"$4\" \"$5\" \"$6\"\nrc=$?\n"
	               "echo end >>LOG\nexit $rc\n");
	assert_int_equal(lm_pycheck_new(&pc, sh.path), 0);
	for (i = 0; i < 2100; i++) {
		bool is_bad = k < 5 && i == bad[k];

		assert_int_equal(lm_pycheck_add(pc, is_bad ? "bad.py" : "m.py",
		                                is_bad ? "return 1\n" : "x = 1\n", is_bad ? 9 : 6,
		                                &at[i]),
		                 0);
		assert_int_equal(at[i], i);
		k += is_bad;
	}
	assert_int_equal(lm_pycheck_run(pc), 0);
	assert_true(lm_pycheck_available(pc));
	for (i = 0, k = 0; i < 2100; i++) {
		bool is_bad = k < 5 && i == bad[k];

		if (is_bad)
			assert_non_null(strstr(lm_pycheck_result(pc, at[i]), "outside function"));
		else
			assert_null(lm_pycheck_result(pc, at[i]));
		k += is_bad;
	}
	lm_pycheck_free(pc);

	/* Five chunks; at some moment two ran, never three. */
	assert_non_null(f = fopen(sh.log, "r"));
	k = 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strcmp(line, "start\n"))
			running++, k++;
		else
			running--;
		most = running > most ? running : most;
	}
	fclose(f);
	assert_int_equal(k, 5);
	assert_int_equal(running, 0);
	assert_int_equal(most, 2);
	shim_remove(&sh);
}

typedef struct edit_case {
	const char *what;
	const char *text;
	size_t start, end; /* one edit: text[start..end) becomes `with` */
	const char *with;
	bool bom;
	const char *error;   /* NULL: compiles; else a part of the error */
	size_t start2, end2; /* a second edit, after the first, when with2 */
	const char *with2;
} edit_case;

/*
 * The verdict on edits is the verdict on the edited text, error messages
 * included, in the cases where compiling only the touched statements
 * would go wrong: a module-level global, a __future__ import (its flags,
 * an edit above it), a line continued into the next statement, a coding
 * cookie, a BOM, several statements on one line, other line endings.
 */
/* A module that is mostly one class: its methods are compiled apart. */
#define CLASS                                                                                      \
	"import os\n\n\nclass C(object):\n    y = 1\n\n    def a(self):\n        return 1\n\n    " \
	"def b(self):\n        return 2\n\n    def c(self):\n        return 3\n\n\nz = 2\n"

static void pycheck__edits_get_the_verdict_of_the_edited_text(void **state)
{
	static const edit_case cases[] = {
	    {"plain", "import os\n\n\ndef f():\n    pass\n\n\nx = 1\n", 25, 29, "return 1", false,
	     NULL, 0, 0, NULL},
	    {"plain error", "import os\n\n\ndef f():\n    pass\n\n\nx = 1\n", 25, 29, "return )",
	     false, "line 5", 0, 0, NULL},
	    {"global", "def f():\n    pass\n\n\nglobal x\n", 0, 0, "x = 0\n", false,
	     "assigned to before global declaration", 0, 0, NULL},
	    {"global added", "y = 1\n\n\ndef f():\n    pass\n", 26, 26, "global y\n", false,
	     "assigned to before global declaration", 0, 0, NULL},
	    {"future flags", "from __future__ import annotations\n\n\ndef g():\n    pass\n", 50, 54,
	     "def f(x: (yield)): pass", false, "annotation", 0, 0, NULL},
	    {"above a future import",
	     "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nx = 1\n", 0, 0, "import os\n",
	     false, "beginning of the file", 0, 0, NULL},
	    {"continued line", "x = 1 \\\n\ny = 2\n", 8, 8, "z = 3", false, "invalid syntax", 0, 0,
	     NULL},
	    {"coding cookie", "# -*- coding: latin-1 -*-\ndef f():\n    pass\n", 39, 43,
	     "caf\xc3\xa9 = 1", false, "U+00A9", 0, 0, NULL},
	    {"bom", "import os\n\n\ndef f():\n    pass\n", 25, 29, "return )", true, "line 5", 0, 0,
	     NULL},
	    {"bom fine", "import os\n\n\ndef f():\n    pass\n", 25, 29, "return 1", true, NULL, 0,
	     0, NULL},
	    {"one line", "a = 1; b = 2\nc = (3,\n 4); d = 5\n", 28, 29, "(", false, "never closed",
	     0, 0, NULL},
	    {"decorated", "import functools\n\n\n@functools.cache\ndef f():\n    pass\n", 49, 53,
	     "yield", false, NULL, 0, 0, NULL},
	    {"carriage returns", "x = 1\r\rdef f():\r    pass\r\ry = 2\r", 20, 24, "nonlocal q",
	     false, "nonlocal", 0, 0, NULL},
	    {"crlf", "x = 1\r\n\r\ndef f():\r\n    pass\r\n", 23, 27, "return 1", false, NULL, 0, 0,
	     NULL},
	    {"end of file", "x = 1\n\n\ndef f():\n    pass\n", 26, 26, "y = (\n", false,
	     "never closed", 0, 0, NULL},
	    /* Edits in the body of a top-level class: compiled with its header. */
	    {"class fine", CLASS, 100, 108, "x = open(os.devnull)\n        return x.read()", false,
	     NULL, 0, 0, NULL},
	    {"class error", CLASS, 100, 108, "return )", false, "line 11", 0, 0, NULL},
	    {"class dedent out", CLASS, 100, 108, "return 2\nw = 0", false, "unexpected indent", 0,
	     0, NULL},
	    {"class global", CLASS, 75, 84, "    global y\n\n    def b", false,
	     "assigned to before global declaration", 0, 0, NULL},
	    {"class indent", CLASS, 75, 108, "  def b(self):\n    return 2", false,
	     "unindent does not match", 0, 0, NULL},
	    {"class backslash", CLASS, 75, 84, "  \\\n    def b", false, "unindent does not match",
	     0, 0, NULL},
	    {"class header", CLASS, 19, 27, "(object", false, "invalid syntax", 0, 0, NULL},
	    {"class and import", CLASS, 0, 9, "import os, io", false, NULL, 100, 108,
	     "return io.StringIO()"},
	    {"class and import, dedent out", CLASS, 0, 9, "import os, io", false,
	     "unexpected indent", 100, 108, "return 2\nw = 0"},
	};
	size_t n = sizeof(cases) / sizeof(cases[0]), i, edited[32], whole[32];
	lm_pycheck *pc = NULL;
	lm_buf text = LM_BUF_INIT;

	(void)state;
	assert_true(n <= 32);
	assert_int_equal(lm_pycheck_new(&pc, NULL), 0);
	for (i = 0; i < n; i++) {
		const edit_case *c = &cases[i];
		lm_edits *edits = NULL;

		assert_int_equal(lm_edits_new(&edits), 0);
		assert_int_equal(lm_edits_adds(edits, c->start, c->end, c->with), 0);
		if (c->with2)
			assert_int_equal(lm_edits_adds(edits, c->start2, c->end2, c->with2), 0);
		/* Twice: the second finds its original already in the chunk. */
		assert_int_equal(lm_pycheck_add_edits(pc, c->what, c->bom, c->text, strlen(c->text),
		                                      edits, &edited[i]),
		                 0);
		assert_int_equal(lm_pycheck_add_edits(pc, c->what, c->bom, c->text, strlen(c->text),
		                                      edits, &whole[i]),
		                 0);
		assert_int_equal(whole[i], edited[i] + 1);
		lm_buf_clear(&text);
		if (c->bom)
			assert_int_equal(lm_buf_puts(&text, "\xEF\xBB\xBF"), 0);
		assert_int_equal(lm_edits_apply(&text, c->text, strlen(c->text), edits), 0);
		assert_int_equal(lm_pycheck_add(pc, c->what, text.ptr, text.size, &whole[i]), 0);
		lm_edits_free(edits);
	}
	assert_int_equal(lm_pycheck_run(pc), 0);
	assert_true(lm_pycheck_available(pc));
	for (i = 0; i < n; i++) {
		const char *got = lm_pycheck_result(pc, edited[i]);
		const char *again = lm_pycheck_result(pc, edited[i] + 1);
		const char *want = lm_pycheck_result(pc, whole[i]);

		print_message("%s: %s\n", cases[i].what, got ? got : "ok");
		if (cases[i].error) {
			assert_non_null(want);
			assert_non_null(strstr(want, cases[i].error));
			assert_non_null(got);
			assert_string_equal(got, want);
			assert_non_null(again);
			assert_string_equal(again, want);
		} else {
			assert_null(want);
			assert_null(got);
			assert_null(again);
		}
	}
	lm_buf_dispose(&text);
	lm_pycheck_free(pc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pycheck__compiles_many_in_one_run),
	    cmocka_unit_test(pycheck__missing_interpreter_is_reported_not_fatal),
	    cmocka_unit_test(pycheck__starts_the_named_interpreter_once),
	    cmocka_unit_test(pycheck__two_pythons_at_once_results_in_order),
	    cmocka_unit_test(pycheck__edits_get_the_verdict_of_the_edited_text),
	};
	return cmocka_run_group_tests_name("pycheck", tests, NULL, NULL);
}
