#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "source_int.h"

static int setup(void **state)
{
	lm_parser *made = NULL;

	if (lm_parser_new(&made) < 0)
		return -1;
	*state = made;
	return 0;
}

static int teardown(void **state)
{
	lm_parser_free(*state);
	return 0;
}

/* `text`, as file `name`, is a syntax error whose message holds `expect`. */
static void refused(lm_parser *with, const char *name, const char *text, const char *expect)
{
	lm_source *src = NULL;

	assert_int_equal(lm_source_from_bytes(&src, name, text, strlen(text)), 0);
	assert_int_equal(lm_source_parse(src, with), LM_EPARSE);
	assert_non_null(strstr(lm_error_last(), expect));
	lm_source_free(src);
}

static void source__grammar_abi_is_loadable(void **state)
{
	uint32_t min, max;

	(void)state;
	lm_grammar_abi_range(&min, &max);
	assert_int_equal(lm_grammar_abi(), 14);
	assert_true(min <= 14 && 14 <= max);
}

static void source__bom_is_kept_apart(void **state)
{
	lm_source *src = parse_text(*state, "\xEF\xBB\xBFx = 1\n");

	assert_true(lm_source_bom(src));
	assert_int_equal(lm_source_len(src), 6);
	assert_memory_equal(lm_source_text(src), "x = 1\n", 6);
	lm_source_free(src);
}

static void source__line_endings_are_detected(void **state)
{
	lm_source *lf = parse_text(*state, "a = 1\nb = 2\n");
	lm_source *crlf = parse_text(*state, "a = 1\r\nb = 2\r\n");
	lm_source *none = parse_text(*state, "a = 1");

	assert_string_equal(lm_source_eol(lf), "\n");
	assert_string_equal(lm_source_eol(crlf), "\r\n");
	assert_string_equal(lm_source_eol(none), "\n");
	lm_source_free(lf);
	lm_source_free(crlf);
	lm_source_free(none);
}

static void source__indent_unit_is_the_files_own(void **state)
{
	lm_source *tabs = parse_text(*state, "def f():\n\tif x:\n\t\treturn 1\n");
	lm_source *two =
	    parse_text(*state, "x = [\n        1]\nclass A:\n  def f(self):\n    pass\n");

	/* A body after a header spanning lines sits after text on its line: the
	 * unit is not what lies before it (found by tests/fuzz). */
	lm_source *split = parse_text(*state, "with open(\"a\\\nb\") as f:g()\nif f:\n   pass\n");
	lm_source *parens =
	    parse_text(*state, "def f(a,\n      b): return a\nclass A(\n  B):\n\tx = 1\n");
	/* A form feed sets Python's column to 0: `\f   ` put after a line's
	 * indentation would dedent it, so it is no unit (found by tests/fuzz). */
	lm_source *feed = parse_text(*state, "def f(p):\n\f   with a:\n\f     b()\n");
	lm_source *feed_only = parse_text(*state, "def f(p):\n\f   with a:\n        b()\n");

	assert_string_equal(lm_source_indent(tabs), "\t");
	assert_string_equal(lm_source_indent(two), "  ");
	assert_string_equal(lm_source_indent(split), "   ");
	assert_string_equal(lm_source_indent(parens), "\t");
	assert_string_equal(lm_source_indent(feed), "  ");
	assert_string_equal(lm_source_indent(feed_only), "    ");
	lm_source_free(tabs);
	lm_source_free(two);
	lm_source_free(split);
	lm_source_free(parens);
	lm_source_free(feed);
	lm_source_free(feed_only);
}

static void source__syntax_error_names_line_and_column(void **state)
{
	lm_source *src = NULL;
	const char *text = "def f():\n    return (1,\n\nx = = 2\n";

	assert_int_equal(lm_source_from_bytes(&src, "bad.py", text, strlen(text)), 0);
	assert_int_equal(lm_source_parse(src, *state), LM_EPARSE);
	assert_non_null(strstr(lm_error_last(), "bad.py:"));
	assert_non_null(strstr(lm_error_last(), "syntax error"));
	lm_source_free(src);
}

/*
 * An error tree-sitter records only as a MISSING hidden token (here a
 * _newline, after a dedent to no enclosing level, which Python refuses with
 * IndentationError) is a syntax error too.  Found by tests/fuzz.
 */
static void source__hidden_missing_token_is_a_syntax_error(void **state)
{
	lm_source *src = NULL;
	const char *text = "def f():\n    if x:\n        a = 1\n  2  return a\n";

	assert_int_equal(lm_source_from_bytes(&src, "dedent.py", text, strlen(text)), 0);
	assert_int_equal(lm_source_parse(src, *state), LM_EPARSE);
	assert_non_null(strstr(lm_error_last(), "dedent.py:1:1: syntax error"));
	lm_source_free(src);
}

/*
 * tree-sitter-python takes a line indented deeper than its block as one
 * more statement, and a comment running past a lone CR can leave a block
 * empty; Python refuses both ("unexpected indent", "expected an indented
 * block").  Found by tests/fuzz: operators moving such lines made mutants
 * that do not parse, or overlapping edits.
 */
static void source__unexpected_indent_is_a_syntax_error(void **state)
{
	/* Six unexpected indents, a lone CR, then three blocks with no indented line. */
	static const char *const bad[] = {
	    "def f(p):\n    with open(p) as f: x\n        return f.read()\n",
	    /* `if` taken for a name by tree-sitter: a keyword used as a name. */
	    "def f(p):\n    with open(p) as f:if\n        return f.read()\n",
	    "x = 1\n    y = 2\n",
	    "def f():\n    x = 1\n        y = 2\n",
	    "if a: b\n    c\n",
	    "def f():\n    x = 1\n  \\\n    y = 2\n",
	    /* The comment would run on past the lone CR, leaving the with's block
	     * empty: a file with a lone CR is refused, naming it. */
	    "def load(p):\r\n\twith open(p, \"rb\") as f:  # bytes\r\x0e\t\treturn f.read()\r\n",
	    "def f():\n    # only a comment\n",
	    /* A block's first line continued from a line of only blanks and a
	     * backslash: Python takes that line's indentation (1, then 4: not
	     * deeper than the header), tree-sitter-python adds both (found by
	     * tests/fuzz). */
	    "def f():\n    with a:\n \\\n       b()\n",
	    "def f():\n    if a:\n    \\\n        b()\n",
	};
	static const char *const good[] = {
	    "def f():\n    x = 1; \\\n        y = 2\n    # a comment\n        # another\n",
	    "def f():\n\tx = 1\n\ty = (2,\n  3)\n",
	    "if a: b; c\nd = 1\n\fe = 2\n",
	    /* A backslash at the end of a comment continues nothing (idlelib). */
	    "def f(a):\n    if a:\n        # up to \\\n        x = 1\n    else:  # \\\n        x = "
	    "2\n",
	    /* A line of only a backslash at column 0 sets no indentation. */
	    "def f(path):\n    x = 1\n\\\n    zf = g(path)\n    return zf.namelist()\n",
	    "def f():\n    x = 1\n    \\\n\\\n    y = 2\n",
	    "def f():\n    if a:\n     \\\n        b()\n",
	    "def f():\n    if a:\n        \\\n  c()\n    d()\n",
	    "if a:\n  \\\n\tb()\n",
	    /* Annotations: a backslash, or a break inside the type's brackets. */
	    "x: \\\n    int = 1\ny: dict[\n    str, int] = {}\nz \\\n: int\n",
	    /* Line breaks inside brackets, strings and replacement fields. */
	    "x = f(a +\n  b)[\n 1] + {\n}\ny = \"\"\"a\\n\nb\"\"\"\nz = f\"\"\"{\n1}\"\"\"\n"
	    "from m import (a,\n  b)\n@d\n\n@e\ndef g(\n): return -(\n1)\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		lm_source *src = NULL;

		assert_int_equal(lm_source_from_bytes(&src, "indent.py", bad[i], strlen(bad[i])),
		                 0);
		assert_int_equal(lm_source_parse(src, *state), LM_EPARSE);
		assert_non_null(
		    strstr(lm_error_last(), i == 1   ? "syntax error: a keyword used as a name"
		                            : i < 6  ? "syntax error: unexpected indent"
		                            : i == 6 ? "indent.py:2:35: a lone CR line ending"
		                                     : "syntax error: expected an indented block"));
		lm_source_free(src);
	}
	/* tree-sitter takes a colon on the next line; Python does not. */
	refused(*state, "colon.py", "with open(p) as f\n :\n    pass\n",
	        "colon.py:2:2: syntax error: a line break at the colon");
	{
		/* tree-sitter-python keeps indentation in one byte: past 255
		 * columns (a tab counting 8, as its scanner counts) a file is
		 * refused (found by tests/fuzz, twice). */
		char text[700], pairs[80];
		lm_source *src = NULL;
		unsigned k;

		/* A comment does not count; a form feed starts the count again. */
		snprintf(text, sizeof(text), "if x:\n%*s\n\t\f%*sy = 1\n", 300, "# c",
		         LM_SOURCE_MAX_INDENT, "");
		assert_int_equal(lm_source_from_bytes(&src, "ok.py", text, strlen(text)), 0);
		assert_int_equal(lm_source_parse(src, *state), 0);
		lm_source_free(src);
		snprintf(text, sizeof(text), "if x:\n\t%*sy = 1\n", LM_SOURCE_MAX_INDENT - 7, "");
		assert_int_equal(lm_source_from_bytes(&src, "deep.py", text, strlen(text)), 0);
		assert_int_equal(lm_source_parse(src, *state), LM_EPARSE);
		assert_non_null(
		    strstr(lm_error_last(), "deep.py:2:1: indented more than 255 columns"));
		lm_source_free(src);
		/* " \t" is 8 columns to Python, 9 to the scanner: 28 of them are
		 * 252, 29 are 261, which the scanner misreads. */
		for (k = 28; k <= 29; k++) {
			unsigned j;

			for (j = 0; j < k; j++)
				memcpy(pairs + 2 * j, " \t", 2);
			pairs[2 * k] = '\0';
			snprintf(text, sizeof(text), "if x:\n%sy = 1\n", pairs);
			assert_int_equal(lm_source_from_bytes(&src, "tabs.py", text, strlen(text)),
			                 0);
			assert_int_equal(lm_source_parse(src, *state), k == 28 ? 0 : LM_EPARSE);
			if (k == 29)
				assert_non_null(
				    strstr(lm_error_last(),
				           "tabs.py:2:1: indented more than 255 columns"));
			lm_source_free(src);
		}
	}
	/* Nor an operand on the line after its operator (found by
	 * tests/fuzz: a with's one-line body `~` then `~x` below). */
	refused(*state, "op.py", "with open(p) as f:~\n   ~x\n",
	        "op.py:2:4: syntax error: a line break inside a statement");
	/* A backslash ending a comment continues nothing (found by
	 * tests/fuzz: `*` then a comment ending in one, a name below). */
	refused(*state, "comment.py", "def d(p):\n    with open(p) as f:*#  \t\\\n      rw\n",
	        "comment.py:3:7: syntax error: a line break inside a statement");
	refused(*state, "crlf.py", "x = (1 +\r\n  2) *  # \\\r\n  3\r\n",
	        "crlf.py:3:3: syntax error: a line break inside a statement");
	/* Nor an annotation on the line after its colon (found by
	 * tests/fuzz: a with's one-line body `f:  # note`). */
	refused(*state, "ann.py",
	        "def g(p):\n    with open(p) as f:   f:  # note\n        # more\n    turn\n",
	        "ann.py:2:27: syntax error: a line break at the colon");
	for (i = 0; i < sizeof(good) / sizeof(*good); i++)
		lm_source_free(parse_text(*state, good[i]));
}

/*
 * tree-sitter-python takes any expression after `as`; Python assigns only to
 * names, attributes, subscripts and tuples or lists of them (an except
 * clause: a name).  Found by tests/fuzz: strip-exit turned `with C(p) as
 * -c:` into `-c = C(p)`, which does not parse.
 */
static void source__unassignable_as_target_is_a_syntax_error(void **state)
{
	static const char *const bad[] = {
	    "with C(p) as -c:\n    pass\n",
	    "with a as b + c, d:\n    pass\n",
	    "with open(p) as f():\n    pass\n",
	    "with (open(p) as (x, 1)):\n    pass\n",
	    "try:\n    pass\nexcept E as e.x:\n    pass\n",
	    "try:\n    pass\nexcept* E as -e:\n    pass\n",
	};
	static const char *const good[] = {
	    "with a as b, c as (d, *e), f as [g.h, i[0]], j as (k):\n    pass\n",
	    "with (a as b.c[1], d):\n    pass\n",
	    "try:\n    pass\nexcept E as e:\n    pass\n",
	    "match x:\n    case [y] as z:\n        pass\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		refused(*state, "as.py", bad[i], "syntax error: cannot assign to this target");
	for (i = 0; i < sizeof(good) / sizeof(*good); i++)
		lm_source_free(parse_text(*state, good[i]));
}

/*
 * tree-sitter-python takes an assignment or an augmented assignment as the
 * right side of any assignment; Python chains plain `=` only.  Found by
 * tests/fuzz (`vents =ymentg:t`, which Python refuses, was read as `vents =
 * (ymentg: t)`).
 */
static void source__chained_assignment_python_refuses_is_a_syntax_error(void **state)
{
	static const char *const bad[] = {
	    "x = y: int\n",
	    "x: int = y = 3\n",
	    "x = y += 1\n",
	    "x += y = 1\n",
	    "def f():\n    a = b = c: t\n",
	};
	static const char *const good[] = {
	    "x = y = 1\n", "x: int = 3\n",      "a = b = c = (d := 3)\n",
	    "x += 1\n",    "a, b = c = d, e\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		refused(*state, "chain.py", bad[i],
		        "syntax error: an assignment chained the way Python does not allow");
	for (i = 0; i < sizeof(good) / sizeof(*good); i++)
		lm_source_free(parse_text(*state, good[i]));
}

/*
 * tree-sitter-python reads an expression statement ending in a comma and the
 * statement after it as one; Python ends the statement at the comma.  Such a
 * file is refused, saying so, and lm_source_misread() tells it from a syntax
 * error (found by tests/fuzz).
 */
static void source__comma_ended_line_read_as_continued_is_told_apart(void **state)
{
	static const char joined[] = "x = 1\n_eo,\nz = 1\n";
	static const char broken[] = "f:~\n   ~x\n";
	lm_source *src = NULL;

	refused(*state, "comma.py", joined,
	        "comma.py:3:1: tree-sitter-python reads this line as continuing the one "
	        "before, which ends in a comma");
	assert_int_equal(lm_source_from_bytes(&src, "comma.py", joined, strlen(joined)), 0);
	assert_int_equal(lm_source_parse(src, *state), LM_EPARSE);
	assert_true(lm_source_misread(src));
	lm_source_free(src);

	refused(*state, "break.py", broken, "syntax error: a line break inside a statement");
	assert_int_equal(lm_source_from_bytes(&src, "break.py", broken, strlen(broken)), 0);
	assert_int_equal(lm_source_parse(src, *state), LM_EPARSE);
	assert_false(lm_source_misread(src));
	lm_source_free(src);

	src = parse_text(*state, "x = 1,\ny = 2\n");
	assert_false(lm_source_misread(src));
	lm_source_free(src);
}

/*
 * A vertical tab, a zero-width space, a word joiner or a byte order mark
 * between tokens: tree-sitter-python skips them as blanks, Python refuses
 * them.  Inside strings and comments they are fine.  Found by tests/fuzz
 * (vertical tabs as indentation).
 */
static void source__invisible_blanks_are_syntax_errors(void **state)
{
	static const struct {
		const char *text, *error;
	} bad[] = {
	    {"def f():\n    \v\v\n\vwith open(p) as f: return f.read()\n",
	     "blank.py:2:5: syntax error: invalid non-printable character U+000B"},
	    {"x =\xE2\x80\x8B"
	     "1\n",
	     "blank.py:1:4: syntax error: invalid non-printable character U+200B"},
	    {"x = 1\ny =\xE2\x81\xA0 2\n",
	     "blank.py:2:4: syntax error: invalid non-printable character U+2060"},
	    {"x =\xEF\xBB\xBF"
	     "1\n",
	     "blank.py:1:4: syntax error: invalid non-printable character U+FEFF"},
	};
	static const char *const good[] = {
	    "x = 1  # a\vb\xE2\x80\x8B\n",
	    "s = 'a\vb\xE2\x80\x8B\xEF\xBB\xBF'\n",
	    "def f():\n    \"\"\"doc\v\"\"\"\n",
	    "\xEF\xBB\xBFx = 1\n",
	    "x = f'{1}\v'\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		lm_source *src = NULL;

		assert_int_equal(
		    lm_source_from_bytes(&src, "blank.py", bad[i].text, strlen(bad[i].text)), 0);
		assert_int_equal(lm_source_parse(src, *state), LM_EPARSE);
		assert_string_equal(lm_error_last(), bad[i].error);
		lm_source_free(src);
	}
	for (i = 0; i < sizeof(good) / sizeof(*good); i++)
		lm_source_free(parse_text(*state, good[i]));
}

static void source__nul_and_bad_utf8_are_refused(void **state)
{
	lm_source *src = NULL;

	(void)state;
	assert_int_equal(lm_source_from_bytes(&src, "nul.py", "x = 1\ny\0 = 2\n", 13), LM_EINVALID);
	assert_string_equal(lm_error_last(), "nul.py:2:2: NUL byte in source");
	assert_null(src);
	assert_int_equal(lm_source_from_bytes(&src, "l1.py", "s = 'caf\xE9'\n", 11), LM_EINVALID);
	assert_string_equal(lm_error_last(), "l1.py:1:9: not UTF-8 (byte 0xE9)");
	/* An overlong encoding of '/' and a lone surrogate. */
	assert_int_equal(lm_source_from_bytes(&src, "o.py", "\xC0\xAF", 2), LM_EINVALID);
	assert_int_equal(lm_source_from_bytes(&src, "s.py", "\xED\xA0\x80", 3), LM_EINVALID);
}

/* lm_kids gives the children ts_node_child(node, i) gives, in their order. */
static void kids_match_index(TSNode node, bool named_only, size_t *checked)
{
	uint32_t i = 0,
	         n = named_only ? ts_node_named_child_count(node) : ts_node_child_count(node);
	lm_kids kids;
	TSNode child;

	for (lm_kids_start(&kids, node, named_only); lm_kids_next(&kids, &child); i++) {
		assert_true(i < n);
		assert_true(ts_node_eq(child, named_only ? ts_node_named_child(node, i)
		                                         : ts_node_child(node, i)));
		kids_match_index(child, named_only, checked);
	}
	/* Past the last child it stays done. */
	assert_false(lm_kids_next(&kids, &child));
	lm_kids_end(&kids);
	assert_int_equal(i, n);
	*checked += n;
}

/* Every .py file under `dir` (two levels), parsed, compared both ways. */
static void kids_match_under(lm_parser *with, const char *dir, int depth, size_t *files,
                             size_t *checked)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		size_t len = strlen(e->d_name);
		lm_source *src = NULL;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (len > 3 && strcmp(e->d_name + len - 3, ".py") == 0) {
			if (lm_source_load(&src, path, NULL) == 0 &&
			    lm_source_parse(src, with) == 0) {
				kids_match_index(lm_source_root(src), true, checked);
				kids_match_index(lm_source_root(src), false, checked);
				(*files)++;
			}
			lm_source_free(src);
		} else if (depth > 0) {
			DIR *sub = opendir(path);

			if (sub) {
				closedir(sub);
				kids_match_under(with, path, depth - 1, files, checked);
			}
		}
	}
	closedir(d);
}

static void source__kids_are_the_children_by_index(void **state)
{
	static const char piece[] = "@d\n"
	                            "def f(a, *b, **c):  # c\n"
	                            "    x = f\"{a!r:>{b}}\" 'y'\n"
	                            "    with open(a) as h, open(b) as (i, j):\n"
	                            "        pass\n"
	                            "    return [k for k in x if k], {**c}\n"
	                            "g(1, x=2, *y,  # c\n"
	                            "  **z)\n";
	size_t files = 0, checked = 0, i;
	lm_buf text = LM_BUF_INIT;
	lm_source *src;
	lm_kids kids;
	TSNode child;

	/*
	 * Hidden nodes (a block's _indent, a string's pieces), comments,
	 * decorators; few children (read by index) and many (by a cursor): 40
	 * pieces at module level and in a block, a call of 300 arguments.
	 */
	for (i = 0; i < 40; i++)
		assert_int_equal(lm_buf_puts(&text, piece), 0);
	assert_int_equal(lm_buf_puts(&text, "if 1:\n"), 0);
	for (i = 0; i < 40; i++)
		assert_int_equal(lm_buf_printf(&text, "    x%zu = 1  # c\n", i), 0);
	assert_int_equal(lm_buf_puts(&text, "h("), 0);
	for (i = 0; i < 300; i++)
		assert_int_equal(lm_buf_printf(&text, "%s\n  # c\n", i % 2 ? "a," : "k=b,"), 0);
	assert_int_equal(lm_buf_puts(&text, ")\n"), 0);
	src = parse_text(*state, text.ptr);
	lm_buf_dispose(&text);
	assert_true(ts_node_named_child_count(lm_source_root(src)) > 80);
	kids_match_index(lm_source_root(src), true, &checked);
	kids_match_index(lm_source_root(src), false, &checked);
	/* A null node (a field a node lacks) has none, nor has a leaf. */
	lm_kids_start(&kids, ts_node_child_by_field_name(lm_source_root(src), "name", 4), true);
	assert_false(lm_kids_next(&kids, &child));
	lm_kids_end(&kids);
	lm_kids_start(&kids, ts_node_descendant_for_byte_range(lm_source_root(src), 0, 0), false);
	assert_false(lm_kids_next(&kids, &child));
	lm_kids_end(&kids);
	lm_source_free(src);

	kids_match_under(*state, GOLDEN_DIR, 3, &files, &checked);
	assert_true(files > 300);
	assert_true(checked > 100000);
}

/* `runs` runs of comment lines; each run after the first starts after `between`. */
static char *comment_runs(size_t runs, size_t lines, const char *between, size_t *len)
{
	size_t cap = runs * (lines * 4 + strlen(between)) + 16, r, i;
	char *text = malloc(cap), *p = text;

	assert_non_null(text);
	for (r = 0; r < runs; r++) {
		if (r > 0)
			p += sprintf(p, "%s", between);
		for (i = 0; i < lines; i++)
			p += sprintf(p, "# c\n");
	}
	p += sprintf(p, "x = 1\n");
	*len = (size_t)(p - text);
	return text;
}

static void extras_give(lm_parser *with, size_t runs, size_t lines, const char *between, int expect)
{
	size_t len;
	char *text = comment_runs(runs, lines, between, &len);
	lm_source *src = NULL;

	assert_int_equal(lm_source_from_bytes(&src, "c.py", text, len), 0);
	assert_int_equal(lm_source_parse(src, with), expect);
	if (expect)
		assert_string_equal(
		    lm_error_last(),
		    "c.py:1:1: 60000 lines in a row of comments or backslashes from "
		    "here, where tree-sitter 0.20.7 fails on 65,534 (not supported)");
	lm_source_free(src);
	free(text);
}

/*
 * tree-sitter 0.20.7 frees a bad pointer after 65,534 comments in a row:
 * LM_SOURCE_MAX_EXTRAS of them are refused before parsing; blank lines
 * between them do not end a run, a line of code does.
 */
static void source__long_runs_of_comments_are_refused(void **state)
{
	assert_int_equal(LM_SOURCE_MAX_EXTRAS, 60000);
	extras_give(*state, 1, LM_SOURCE_MAX_EXTRAS - 1, "", 0);
	extras_give(*state, 1, LM_SOURCE_MAX_EXTRAS, "", LM_ETOOBIG);
	extras_give(*state, 2, LM_SOURCE_MAX_EXTRAS / 2, "\n  \n\f\n", LM_ETOOBIG);
	extras_give(*state, 2, LM_SOURCE_MAX_EXTRAS / 2, "\\\n", LM_ETOOBIG);
	extras_give(*state, 2, LM_SOURCE_MAX_EXTRAS / 2 + 10, "y = 2\n", 0);
	extras_give(*state, 2, LM_SOURCE_MAX_EXTRAS / 2 + 10, "y = 2  # and a comment\n", 0);
}

/* `x = ` and `depth` unary minuses before a 1: a tree about `depth` deep. */
static int parse_minuses(lm_parser *with, size_t depth)
{
	char *text = malloc(depth + 16);
	lm_source *src = NULL;
	int rc;

	assert_non_null(text);
	memcpy(text, "x = ", 4);
	memset(text + 4, '-', depth);
	strcpy(text + 4 + depth, "1\n");
	assert_int_equal(lm_source_from_bytes(&src, "d.py", text, strlen(text)), 0);
	rc = lm_source_parse(src, with);
	lm_source_free(src);
	free(text);
	return rc;
}

/* Trees deeper than LM_SOURCE_MAX_DEPTH are refused before any recursion. */
static void source__too_deep_is_refused(void **state)
{
	assert_int_equal(parse_minuses(*state, LM_SOURCE_MAX_DEPTH - 10), 0);
	assert_int_equal(parse_minuses(*state, LM_SOURCE_MAX_DEPTH + 10), LM_ETOOBIG);
	assert_string_equal(lm_error_last(),
	                    "d.py:1:4002: nested deeper than 4000 levels (not supported)");
	/* 100,000 levels overflowed the stack of the operators walking it. */
	assert_int_equal(parse_minuses(*state, 100000), LM_ETOOBIG);
}

static void source__too_big_is_refused(void **state)
{
	lm_source *src = NULL;
	size_t len = LM_SOURCE_MAX_BYTES + 1;
	char *big = malloc(len);

	(void)state;
	assert_non_null(big);
	memset(big, '#', len);
	assert_int_equal(lm_source_from_bytes(&src, "big.py", big, len), LM_ETOOBIG);
	assert_non_null(strstr(lm_error_last(), "big.py"));
	assert_non_null(strstr(lm_error_last(), "over the limit"));
	free(big);
}

static void source__missing_file_names_path(void **state)
{
	lm_source *src = NULL;

	(void)state;
	assert_int_equal(lm_source_load(&src, "/nonexistent/x.py", NULL), LM_EIO);
	assert_string_equal(lm_error_last(),
	                    "/nonexistent/x.py: cannot open: No such file or directory");
}

static void source__load_reads_a_file(void **state)
{
	char path[] = "/tmp/lm-source-XXXXXX";
	int fd = mkstemp(path);
	lm_source *src = NULL;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "with x as y:\n    pass\n", 22), 22);
	close(fd);
	assert_int_equal(lm_source_load(&src, path, "shown.py"), 0);
	assert_string_equal(lm_source_name(src), "shown.py");
	assert_int_equal(lm_source_parse(src, *state), 0);
	assert_string_equal(ts_node_type(lm_source_root(src)), "module");
	lm_source_free(src);
	unlink(path);
}

static void source__imports_resolve_aliases(void **state)
{
	lm_source *src = parse_text(*state, "import gzip as gz\n"
	                                    "import urllib.request\n"
	                                    "from socket import socket as Sock, create_connection\n"
	                                    "def f():\n"
	                                    "    from subprocess import Popen\n");

	assert_string_equal(lm_source_resolve(src, "gz", 2), "gzip");
	assert_string_equal(lm_source_resolve(src, "urllib", 6), "urllib");
	assert_string_equal(lm_source_resolve(src, "Sock", 4), "socket.socket");
	assert_string_equal(lm_source_resolve(src, "create_connection", 17),
	                    "socket.create_connection");
	assert_string_equal(lm_source_resolve(src, "Popen", 5), "subprocess.Popen");
	assert_null(lm_source_resolve(src, "open", 4));
	lm_source_free(src);
}

static void source__position_counts_code_points(void **state)
{
	static const char text[] = "a = 1\r\ngrüße = 2\rb = 3\n";
	lm_source *src = NULL;
	uint32_t line, col;

	(void)state;
	/* Positions come from the bytes alone; no parse needed. */
	assert_int_equal(lm_source_from_bytes(&src, "p.py", text, strlen(text)), 0);

	lm_source_position(src, 7 + 8, &line, &col); /* the = after "grüße " */
	assert_int_equal(line, 2);
	assert_int_equal(col, 7);
	lm_source_position(src, 7 + 12, &line, &col); /* 'b' after a lone CR */
	assert_int_equal(line, 3);
	assert_int_equal(col, 1);
	lm_source_free(src);
}

/*
 * The mutant of `orig` that replaces `edits`' (from, to) pairs, parsed
 * incrementally, is refused or accepted as a full parse of it is, with the
 * same message; a full parse of it returns `expect`.
 */
/*
 * The edits of `orig` given as pairs (text to find, its replacement; "a|b"
 * inserts at the bar, between a and b), checked, and the edited text.
 */
static lm_edits *make_edits(const lm_source *orig, const char *const *edits, size_t n,
                            lm_buf *mutant)
{
	lm_edits *e = NULL;
	size_t i;

	assert_int_equal(lm_edits_new(&e), 0);
	for (i = 0; i < n; i += 2) {
		const char *bar = strchr(edits[i], '|'), *at;
		char find[256];
		size_t start, len = strlen(edits[i]);

		assert_true(len < sizeof(find));
		strcpy(find, edits[i]);
		if (bar)
			memmove(find + (bar - edits[i]), bar + 1, strlen(bar));
		assert_non_null(at = strstr(lm_source_text(orig), find));
		start = (size_t)(at - lm_source_text(orig));
		if (bar)
			start += (size_t)(bar - edits[i]);
		assert_int_equal(lm_edits_adds(e, start, bar ? start : start + len, edits[i + 1]),
		                 0);
	}
	assert_int_equal(lm_edits_check(e, lm_source_len(orig)), 0);
	assert_int_equal(lm_edits_apply(mutant, lm_source_text(orig), lm_source_len(orig), e), 0);
	return e;
}

static void edited_like_full(lm_parser *with, const lm_source *orig, const char *const *edits,
                             size_t n, int expect)
{
	lm_buf mutant = LM_BUF_INIT;
	lm_edits *e = make_edits(orig, edits, n, &mutant);
	lm_source *full = NULL, *inc = NULL;
	char *full_msg;
	int rc;

	assert_int_equal(lm_source_from_bytes(&full, "m.py", mutant.ptr, mutant.size), 0);
	assert_int_equal(lm_source_from_bytes(&inc, "m.py", mutant.ptr, mutant.size), 0);
	assert_int_equal(lm_source_parse(full, with), expect);
	assert_non_null(full_msg = strdup(expect ? lm_error_last() : ""));
	rc = lm_source_parse_edited(inc, with, orig, e);
	assert_int_equal(rc, expect);
	if (expect)
		assert_string_equal(lm_error_last(), full_msg);
	free(full_msg);
	lm_source_free(full);
	lm_source_free(inc);
	lm_buf_dispose(&mutant);
	lm_edits_free(e);
}

/*
 * The incremental re-parse checks only the statements an edit touched or
 * tree-sitter re-read (the others are the original's, which passed): each
 * check still finds what it finds in a full parse of the mutant, in the
 * statement edited, beside it, and around untouched ones.
 */
static void source__edited_parse_checks_what_a_full_parse_checks(void **state)
{
	static const char text[] = "import os\n"
	                           "\n"
	                           "def a(p):\n"
	                           "    with open(p) as f:\n"
	                           "        return f.read()\n"
	                           "\n"
	                           "def b(p):\n"
	                           "    x = (1 +\n"
	                           "         2)\n"
	                           "    return x\n"
	                           "\n"
	                           "class C:\n"
	                           "    y: int = 3\n";
	static const char *const as_target[] = {"as f:", "as -f:"};
	static const char *const chain[] = {"x = (1", "x = y += (1"};
	static const char *const colon[] = {"def b(p):", "def b(p)\n:"};
	static const char *const indent[] = {"    return x", "      return x"};
	static const char *const empty[] = {"    y: int = 3\n", ""};
	static const char *const keyword[] = {"as f:", "as for:"};
	static const char *const annotation[] = {"y: int", "y:  # note\n    int"};
	static const char *const two[] = {"import os", "import os, sys", "    return x",
	                                  "      return x"};
	static const char *const fine[] = {"with open(p) as f:\n        return f.read()",
	                                   "f = open(p)\n    return f.read()"};
	lm_source *orig = parse_text(*state, text);

	edited_like_full(*state, orig, as_target, 2, LM_EPARSE);
	edited_like_full(*state, orig, chain, 2, LM_EPARSE);
	edited_like_full(*state, orig, colon, 2, LM_EPARSE);
	edited_like_full(*state, orig, indent, 2, LM_EPARSE);
	edited_like_full(*state, orig, empty, 2, LM_EPARSE);
	edited_like_full(*state, orig, keyword, 2, LM_EPARSE);
	edited_like_full(*state, orig, annotation, 2, LM_EPARSE);
	edited_like_full(*state, orig, two, 4, LM_EPARSE);
	edited_like_full(*state, orig, fine, 2, 0);
	lm_source_free(orig);
}

/*
 * A statement moved into a deeper block keeps the lines inside its brackets
 * where they were: one at column 0 after `-\` and a comment line is an
 * error to tree-sitter-python in the mutant and not to Python, as it is
 * without the backslash.  The edited check says "misread" (the mutant is
 * left out as one the parser cannot read, not as a syntax error), never 0
 * (found by tests/fuzz: safe-exitstack; the backslash hid the operator).
 */
static void source__line_left_of_a_moved_statement_is_a_misreading(void **state)
{
	static const char text[] = "with open(o -\\\n"
	                           "#\n"
	                           "u) as f:\n"
	                           "    f.read()\n";
	static const char *const deeper[] = {"with open(o -\\\n#\nu) as f:\n    f.read()\n",
	                                     "if 1:\n"
	                                     "    f = open(o -\\\n#\nu)\n"
	                                     "    f.read()\n"};
	static const char *const level[] = {"with open(o -\\\n#\nu) as f:\n    f.read()\n",
	                                    "f = open(o -\\\n#\nu)\n"
	                                    "f.read()\n"};
	lm_source *orig = parse_text(*state, text), *full = NULL, *inc = NULL;
	lm_buf mutant = LM_BUF_INIT;
	lm_edits *e = make_edits(orig, deeper, 2, &mutant);

	assert_int_equal(lm_source_from_bytes(&full, "m.py", mutant.ptr, mutant.size), 0);
	assert_int_equal(lm_source_parse(full, *state), LM_EPARSE);
	assert_int_equal(lm_source_from_bytes(&inc, "m.py", mutant.ptr, mutant.size), 0);
	assert_int_equal(lm_source_parse_edited(inc, *state, orig, e), LM_EPARSE);
	assert_non_null(strstr(lm_error_last(), ": tree-sitter-python may misread a line inside "
	                                        "brackets that starts left of its statement"));
	lm_source_free(full);
	lm_source_free(inc);
	lm_buf_dispose(&mutant);
	lm_edits_free(e);

	/* At the statement's own level the line is where it was: accepted. */
	edited_like_full(*state, orig, level, 2, 0);
	lm_source_free(orig);
}

/*
 * lm_source_check_edits() on `orig` with the edits (pairs: text to find,
 * its replacement) gives `expect`, and says 0 only where a full parse of
 * the edited text passes.
 */
static void touched_alone(lm_parser *with, const lm_source *orig, const char *const *edits,
                          size_t n, int expect)
{
	lm_buf mutant = LM_BUF_INIT;
	lm_edits *e = make_edits(orig, edits, n, &mutant);
	lm_source *full = NULL;
	int rc, full_rc;

	assert_int_equal(lm_source_from_bytes(&full, "m.py", mutant.ptr, mutant.size), 0);
	full_rc = lm_source_parse(full, with);
	rc = lm_source_check_edits(orig, with, e);
	print_message("%s -> %s: %d (full %d)\n", edits[0], edits[1], rc, full_rc);
	assert_int_equal(rc, expect);
	if (rc == 0)
		assert_int_equal(full_rc, 0);
	else
		assert_int_equal(rc, 1);
	lm_source_free(full);
	lm_buf_dispose(&mutant);
	lm_edits_free(e);
}

/*
 * The statements an edit touches, checked alone (in `if 1:` when they are
 * nested), say yes only where the whole edited file parses: each shape
 * below would pass alone and fail in the file without its guard (a first
 * line indented more than its block, a last line continued into the
 * next statement, a line leaving the block, a statement after a line
 * ending in a comma, which tree-sitter-python reads on into it, or a
 * run ending so); and valid edits, in a
 * nested block, between two statements of the module, or in two blocks
 * at once, are told this way.
 */
static void source__touched_statements_alone_say_yes_only_when_the_file_does(void **state)
{
	static const char head[] = "import os\n"
	                           "\n"
	                           "def a(p):\n"
	                           "    with open(p) as f:\n"
	                           "        data = f.read()\n"
	                           "    return data\n"
	                           "\n"
	                           "class C:\n"
	                           "    def m(self):\n"
	                           "        x = 1\n"
	                           "        return x\n"
	                           "\n"
	                           "def b(p):\n"
	                           "    y,\n"
	                           "    with open(p) as g:\n"
	                           "        pass\n"
	                           "    z = 3\n"
	                           "    w = 4\n"
	                           "\n"
	                           "q,\n"
	                           "\n"
	                           "def c():\n"
	                           "    pass\n";
	static const char *const nested_fine[] = {"with open(p) as f:\n        data = f.read()",
	                                          "f = open(p)\n    data = f.read()"};
	static const char *const nested_error[] = {"x = 1", "x = (1"};
	static const char *const deeper[] = {"return x", "    return x"};
	static const char *const continued[] = {"x = 1", "x = 1 \\"};
	static const char *const leaves[] = {"x = 1", "x = 1\nw = 0"};
	static const char *const gap[] = {"import os\n|\ndef a(p)", "import sys\n"};
	static const char *const gap_indented[] = {"import os\n|\ndef a(p)", "    import sys\n"};
	static const char *const two_levels[] = {"import os", "import os, sys", "x = 1", "x = 2"};
	static const char *const merged[] = {"with open(p) as f:", "f = open(p)\n    if f:",
	                                     "return data", "f.close()\n    return data"};
	static const char *const after_comma[] = {"with open(p) as g:\n        pass",
	                                          "g = open(p)\n    pass"};
	static const char *const ends_comma[] = {"z = 3", "z,"};
	static const char *const gap_comma[] = {"q,\n|\ndef c()", "v = 1\n"};
	lm_buf text = LM_BUF_INIT;
	lm_source *orig;
	unsigned i;

	/* Enough other code that the touched statements are a small part of it. */
	assert_int_equal(lm_buf_puts(&text, head), 0);
	for (i = 0; i < 30; i++)
		assert_int_equal(
		    lm_buf_printf(&text, "\n\ndef filler_%u(v):\n    return v + %u\n", i, i), 0);
	orig = parse_text(*state, text.ptr);
	touched_alone(*state, orig, nested_fine, 2, 0);
	touched_alone(*state, orig, nested_error, 2, 1);
	touched_alone(*state, orig, deeper, 2, 1);
	touched_alone(*state, orig, continued, 2, 1);
	touched_alone(*state, orig, leaves, 2, 1);
	touched_alone(*state, orig, gap, 2, 0);
	touched_alone(*state, orig, gap_indented, 2, 1);
	touched_alone(*state, orig, two_levels, 4, 0);
	touched_alone(*state, orig, merged, 4, 0);
	touched_alone(*state, orig, after_comma, 2, 1);
	touched_alone(*state, orig, ends_comma, 2, 1);
	touched_alone(*state, orig, gap_comma, 2, 1);
	lm_source_free(orig);
	lm_buf_dispose(&text);
}

static int released;

static void count_release(void *value)
{
	released++;
	free(value);
}

/* A memo is found by its key, and released once, with the source. */
static void source__memos_live_as_long_as_the_source(void **state)
{
	static const char key_a, key_b;
	lm_source *src = NULL;
	int *value = malloc(sizeof(*value));

	(void)state;
	assert_non_null(value);
	*value = 7;
	released = 0;
	assert_int_equal(lm_source_from_bytes(&src, "m.py", "x = 1\n", 6), 0);
	assert_null(lm_source_memo(src, &key_a));
	assert_int_equal(lm_source_keep(src, &key_a, value, count_release), 0);
	assert_ptr_equal(lm_source_memo(src, &key_a), value);
	assert_null(lm_source_memo(src, &key_b));
	assert_int_equal(released, 0);
	lm_source_free(src);
	assert_int_equal(released, 1);
}

/*
 * The checks of a parse ask a table, built from the grammar's symbol names,
 * what each node's type is: it must say what the node's type name says, for
 * aliased nodes (as_pattern_target, keywords used as names), anonymous
 * tokens and the nodes of a tree with errors too.
 */
static void source__type_table_says_what_type_names_say(void **state)
{
	static const char *const texts[] = {
	    "import os.path as osp\n"
	    "from . import (a, b as c)\n"
	    "print = exec = match = type = 1\n"
	    "@decorator(1)\n"
	    "def f(p, /, q: int = 2, *args, r, **kw) -> None:\n"
	    "    global g\n"
	    "    with open(p) as (a, b), open(q) as c[0]:\n"
	    "        x: int = (z := 3); y = x\n"
	    "        x += 1; del x\n"
	    "    try:\n"
	    "        raise E from None\n"
	    "    except* (E, F) as e:\n"
	    "        pass\n"
	    "    try:\n"
	    "        pass\n"
	    "    except E as e:\n"
	    "        assert e, f\"{e!r:>{w}} {{}}\" 'b' \\\n"
	    "            'c'\n"
	    "    else:\n"
	    "        yield from [i for i in range(3) if i]\n"
	    "    finally:\n"
	    "        g({k: v for k, v in d.items()}, *s[1:2, ::3], **{})\n"
	    "    match p:\n"
	    "        case [1, *rest] | {'k': _, **rest} if rest: print(lambda a=1: ...)\n"
	    "        case Point(x=0) as pt: nonlocal_ = pt\n"
	    "    while not p or p is None and -p < 2 ** 3: break\n"
	    "    else:\n"
	    "        for i in p: continue\n"
	    "async def h():\n"
	    "    async with a as b:\n"
	    "        return await b\n"
	    "class C(B, metaclass=M):\n"
	    "    'doc'  # comment\n",
	    "def f(:\n    x = (1,\n  return x +\n", "with open(p) as -f:\n    x = y += 1\n"};
	unsigned i;

	for (i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		lm_source *src = NULL;
		TSNode bad;
		int error;

		assert_int_equal(lm_source_from_bytes(&src, "t.py", texts[i], strlen(texts[i])), 0);
		error = lm_source_parse(src, *state);
		assert_int_equal(error, i == 0 ? 0 : LM_EPARSE);
		assert_true(ts_node_named_child_count(lm_source_root(src)) > 0);
		if (!lm__node_types_agree(lm_source_root(src), &bad))
			fail_msg("text %u: %s at byte %u", i,
			         ts_node_is_null(bad) ? "no table" : ts_node_type(bad),
			         ts_node_is_null(bad) ? 0 : ts_node_start_byte(bad));
		lm_source_free(src);
	}
}

/*
 * What the edits tell of a mutant (lm_source_edited_plain(),
 * lm_source_edited_too_deep(), lm_text_position()) is what making it a
 * source tells: random edits of texts with other line endings, tabs, form
 * feeds, characters of several bytes, a second byte order mark and lines
 * near the indentation limit.
 */
static void source__edits_tell_what_a_source_of_the_mutant_would(void **state)
{
	static const char *const texts[] = {
	    "def f(p):\n    with open(p) as f:\n        return f.read()\n",
	    "x = 'caf\xc3\xa9 \xe2\x82\xac'\r\nif x:\r\n\ty = '\xf0\x9f\x98\x80'\r\n",
	    "a = 1\n\x0c\nclass C:\n  def m(self):\n\t  return 1  # \xc3\xa9\n",
	    "\xef\xbb\xbfimport os\nb = 2\n", "\xef\xbb\xbf\xef\xbb\xbfx = 1\n"};
	static const struct {
		const char *text;
		size_t len;
	} with[] = {{"", 0},         {"x", 1},  {"\n", 1},           {"\r\n", 2},
	            {"\r", 1},       {"\t", 1}, {"\n\t\t", 3},       {"#", 1},
	            {"\xc3\xa9", 2}, {"\0", 1}, {"\xef\xbb\xbf", 3}, {"\x0c", 1},
	            {"\xc3", 1},     {NULL, 0}};
	lm_buf deep = LM_BUF_INIT, mut = LM_BUF_INIT;
	unsigned seed = 7, t, k, plain = 0, deeps = 0;

	/* Lines just within the limit and just over it, once edited. */
	assert_int_equal(lm_buf_puts(&deep, "if 1:\n"), 0);
	for (k = 0; k < LM_SOURCE_MAX_INDENT - 2; k++)
		assert_int_equal(lm_buf_puts(&deep, " "), 0);
	assert_int_equal(lm_buf_puts(&deep, "x = 1\n"), 0);
	for (t = 0; t < 6; t++) {
		const char *text = t < 5 ? texts[t] : deep.ptr;
		lm_source *orig = NULL;

		assert_int_equal(lm_source_from_bytes(&orig, "o.py", text, strlen(text)), 0);
		assert_int_equal(lm_source_too_deep(orig), 0);
		for (k = 0; k < 400; k++) {
			size_t len = lm_source_len(orig), a, b, i, n = 1 + (k % 3), at = 0;
			lm_edits *edits = NULL;
			lm_source *made = NULL;
			bool is_plain;
			int error;

			assert_int_equal(lm_edits_new(&edits), 0);
			for (i = 0; i < n && at <= len; i++) {
				const char *w;
				size_t wlen, pick;
				char spaces[8];

				seed = seed * 1103515245u + 12345u;
				a = at + (seed >> 8) % (len - at + 1);
				seed = seed * 1103515245u + 12345u;
				b = a + (seed >> 8) % 4;
				b = b > len ? len : b;
				seed = seed * 1103515245u + 12345u;
				pick = (seed >> 8) % (sizeof(with) / sizeof(*with));
				w = with[pick].text;
				wlen = with[pick].len;
				if (!w) { /* spaces: deeper by a few columns */
					snprintf(spaces, sizeof(spaces), "%*s",
					         3 + (int)((seed >> 4) % 4), "");
					w = spaces;
					wlen = strlen(spaces);
				}
				if (i == 0 && k % 25 == 0) { /* a byte order mark first */
					a = b = 0;
					w = "\xef\xbb\xbf";
					wlen = 3;
				}
				assert_int_equal(lm_edits_add(edits, a, b, w, wlen), 0);
				at = b + 1;
			}
			lm_buf_clear(&mut);
			assert_int_equal(lm_edits_apply(&mut, lm_source_text(orig), len, edits), 0);
			error =
			    lm_source_from_bytes(&made, "m.py", mut.ptr ? mut.ptr : "", mut.size);
			is_plain =
			    lm_source_edited_plain(orig, edits, mut.ptr ? mut.ptr : "", mut.size);
			if (is_plain) {
				plain++;
				assert_int_equal(error, 0);
				assert_int_equal(lm_source_len(made), mut.size);
				assert_false(lm_source_bom(made));
				assert_int_equal(
				    lm_source_edited_too_deep(edits, mut.ptr, mut.size),
				    lm_source_too_deep(made) != 0);
				deeps += lm_source_too_deep(made) != 0;
			}
			if (error == 0 && !lm_source_bom(made))
				for (i = 0; i <= mut.size; i++) {
					uint32_t l1, c1, l2, c2;

					lm_source_position(made, i, &l1, &c1);
					lm_text_position(mut.ptr ? mut.ptr : "", mut.size, i, &l2,
					                 &c2);
					assert_int_equal(l1, l2);
					assert_int_equal(c1, c2);
				}
			lm_source_free(made);
			lm_edits_free(edits);
		}
		lm_source_free(orig);
	}
	/* The run means something: both answers, both ways. */
	print_message("%u plain of 2400, %u too deep\n", plain, deeps);
	assert_true(plain > 500 && plain < 1900);
	assert_true(deeps > 5);
	lm_buf_dispose(&deep);
	lm_buf_dispose(&mut);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(source__grammar_abi_is_loadable),
	    cmocka_unit_test(source__bom_is_kept_apart),
	    cmocka_unit_test(source__line_endings_are_detected),
	    cmocka_unit_test(source__indent_unit_is_the_files_own),
	    cmocka_unit_test(source__syntax_error_names_line_and_column),
	    cmocka_unit_test(source__hidden_missing_token_is_a_syntax_error),
	    cmocka_unit_test(source__unexpected_indent_is_a_syntax_error),
	    cmocka_unit_test(source__unassignable_as_target_is_a_syntax_error),
	    cmocka_unit_test(source__chained_assignment_python_refuses_is_a_syntax_error),
	    cmocka_unit_test(source__comma_ended_line_read_as_continued_is_told_apart),
	    cmocka_unit_test(source__edited_parse_checks_what_a_full_parse_checks),
	    cmocka_unit_test(source__line_left_of_a_moved_statement_is_a_misreading),
	    cmocka_unit_test(source__invisible_blanks_are_syntax_errors),
	    cmocka_unit_test(source__nul_and_bad_utf8_are_refused),
	    cmocka_unit_test(source__too_big_is_refused),
	    cmocka_unit_test(source__too_deep_is_refused),
	    cmocka_unit_test(source__long_runs_of_comments_are_refused),
	    cmocka_unit_test(source__kids_are_the_children_by_index),
	    cmocka_unit_test(source__missing_file_names_path),
	    cmocka_unit_test(source__load_reads_a_file),
	    cmocka_unit_test(source__imports_resolve_aliases),
	    cmocka_unit_test(source__position_counts_code_points),
	    cmocka_unit_test(source__memos_live_as_long_as_the_source),
	    cmocka_unit_test(source__touched_statements_alone_say_yes_only_when_the_file_does),
	    cmocka_unit_test(source__type_table_says_what_type_names_say),
	    cmocka_unit_test(source__edits_tell_what_a_source_of_the_mutant_would),
	};
	return cmocka_run_group_tests_name("source", tests, setup, teardown);
}
