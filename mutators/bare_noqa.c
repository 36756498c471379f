/*
 * bare-noqa: a class acquires a resource into `self.<attr>` in one method
 * and releases it in another.  The release goes, and the acquisition is
 * silenced with a bare `# noqa: SIM115`: the leak is real, and a detector
 * that honours noqa comments is expected to stay silent.
 */
#include <string.h>

#include "leakmut/leakmut.h"

#define NOQA "  # noqa: SIM115"

static const TSNode null_node;

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f';
}

/*
 * The edit that leaves a bare `# noqa: SIM115` at the end of the
 * acquisition's line: appended, or what follows the code of an existing
 * one removed.  On a shape it does not handle, *why says which.
 */
static int noqa_edit(lm_edits *edits, const lm_source *src, TSNode stmt, const char **why)
{
	const char *text = lm_source_text(src);
	size_t end = ts_node_end_byte(stmt), le = lm_line_end(src, end), p = end, code_end = end;
	size_t k, q;

	while (p < le && is_blank(text[p]))
		p++;
	if (p < le && text[p] == ';') {
		code_end = ++p;
		while (p < le && is_blank(text[p]))
			p++;
	}
	if (p == le)
		return lm_edits_adds(edits, code_end, code_end, NOQA);
	if (text[p] != '#') {
		*why = "statement shares its line";
		return 0;
	}
	if ((k = lm_noqa_sim115_end(text + p, le - p)) == 0 ||
	    (p + k < le && !is_blank(text[p + k]) && text[p + k] != ',')) {
		*why = "line already has a comment";
		return 0;
	}
	for (q = p + k; q < le && (is_blank(text[q]) || text[q] == ','); q++)
		;
	if (q == le)
		return 0; /* already bare */
	if (lm_noqa_starts_code(text + q, le - q)) {
		*why = "line already has a comment";
		return 0;
	}
	return lm_edits_add(edits, p + k, le, "", 0); /* drop the reason */
}

/* The length of the line ending at `at`: 2 for CRLF, 0 at the end of the text. */
static size_t eol_len(const lm_source *src, size_t at)
{
	const char *text = lm_source_text(src);
	size_t len = lm_source_len(src);

	if (at >= len)
		return 0;
	if (text[at] == '\r' && at + 1 < len && text[at + 1] == '\n')
		return 2;
	return 1;
}

/*
 * The edit that removes the release statement: its whole lines, or only
 * itself when it shares a line with other statements, or `pass` in its
 * place when it is alone in its block.
 */
static int remove_release(lm_edits *edits, const lm_source *src, TSNode stmt, const char **why)
{
	const char *text = lm_source_text(src);
	TSNode block = ts_node_parent(stmt), prev = null_node, next = null_node;
	size_t start = ts_node_start_byte(stmt), end = ts_node_end_byte(stmt), ls, le, p;
	lm_kids kids;
	TSNode c;
	bool seen = false;

	for (lm_kids_start(&kids, block, true); lm_kids_next(&kids, &c);) {
		if (ts_node_is_extra(c))
			continue;
		if (ts_node_eq(c, stmt))
			seen = true;
		else if (!seen)
			prev = c;
		else if (ts_node_is_null(next))
			next = c;
	}
	lm_kids_end(&kids);
	if (ts_node_is_null(prev) && ts_node_is_null(next))
		return lm_edits_adds(edits, start, end, "pass");
	if (!ts_node_is_null(next) && ts_node_start_point(next).row == ts_node_end_point(stmt).row)
		return lm_edits_add(edits, start, ts_node_start_byte(next), "", 0);
	if (!ts_node_is_null(prev) && ts_node_end_point(prev).row == ts_node_start_point(stmt).row)
		return lm_edits_add(edits, ts_node_end_byte(prev), end, "", 0);
	ls = lm_line_start(src, start);
	le = lm_line_end(src, end);
	for (p = end; p < le && is_blank(text[p]); p++)
		;
	if (p < le && text[p] == ';')
		for (p++; p < le && is_blank(text[p]); p++)
			;
	if (ls + lm_indent_len(src, ls) != start || (p < le && text[p] != '#')) {
		*why = "release shares its line";
		return 0;
	}
	return lm_edits_add(edits, ls, le + eol_len(src, le), "", 0);
}

static int rewrite(lm_rewrite *rw, const lm_match *m)
{
	const lm_source *src = lm_rewrite_source(rw);
	TSNode stmt = lm_rewrite_node(rw, m, "stmt"), assign = lm_rewrite_node(rw, m, "assign");
	TSNode acquire = lm_rewrite_node(rw, m, "acquire"), attr = lm_rewrite_node(rw, m, "attr");
	lm_edits *edits = lm_rewrite_edits(rw);
	const lm_kind *kind = lm_kind_of_call(src, acquire);
	const char *why = NULL;
	lm_owned owned;
	int found, error;

	/* A lock is released by release(), not by losing its attribute. */
	if (!kind || !strcmp(kind->id, "lock"))
		return 0;
	found = lm_owned_release(&owned, src, kind, stmt, assign, attr, &why);
	if (found < 0)
		return 0;
	if (found > 0 && lm_writer_needs_close(src, acquire, kind))
		why = "a writer that loses data unless closed";
	if (why)
		return lm_rewrite_skip(rw, acquire, kind, why);
	if ((error = noqa_edit(edits, src, stmt, &why)) < 0 ||
	    (!why && (error = remove_release(edits, src, owned.release_stmt, &why)) < 0))
		return error;
	if (why)
		return lm_rewrite_skip(rw, acquire, kind, why);
	return lm_rewrite_emit(rw, acquire, assign, kind);
}

const lm_operator lm_op_bare_noqa = {
    .id = "bare-noqa",
    .version = 1,
    .family = LM_FAMILY_LEAK,
    .scope = LM_SCOPE_SUPPRESSED,
    .cwe = 775,
    .summary = "drop an owning class's release of an attribute, silence the acquisition with a "
               "bare noqa",
    .description =
        "A class acquires a resource into an attribute of self (`self._f = open(p)`: a kind's "
        "call as the whole right-hand side of a one-line plain assignment in a method) and "
        "releases it in another method with the kind's release (`self._f.close()`, "
        "`self._proc.wait()`). The release statement goes (its whole lines; only itself when "
        "it shares a line with other statements; `pass` in its place when it was alone in "
        "its block), and the acquisition's line gets `  # noqa: SIM115` with no reason; a "
        "justified `# noqa: SIM115  # reason` loses its reason instead. Each (acquisition, "
        "release) pair of an attribute is one site. Bases and subclasses in the same module "
        "count as the class. Skipped: an attribute released in more than one place "
        "(directly, through an alias or on another object), released outside the class or "
        "in the acquiring method, by another call than the kind's release, as a callback or "
        "inside an expression; acquired in several places; used in a `with` that releases "
        "it (a sqlite3 connection's `with` is only a transaction), handed to an ExitStack or "
        "closing, stored elsewhere or returned; an acquisition spanning lines, sharing its "
        "line with another statement, or whose line has another comment. Not a site: an "
        "attribute the class never releases (it leaks already), locks, local names.",
    .kinds = "file,path_open,gzip_open,bz2_open,lzma_open,tarfile,zipfile,tempfile,"
             "tempfile_spooled,socket,subprocess,urlopen,process_pool,sqlite3",
    /* ruff and flake8-simplify honour noqa; pylint's R1732 does not. */
    .suppression = "# noqa: SIM115",
    .silences = "ruff:SIM115,flake8:SIM115",
    .before = "class Log:\n"
              "    def __init__(self, path):\n"
              "        self._f = open(path, \"a\")\n"
              "\n"
              "    def close(self):\n"
              "        self._f.flush()\n"
              "        self._f.close()\n",
    .after = "class Log:\n"
             "    def __init__(self, path):\n"
             "        self._f = open(path, \"a\")  # noqa: SIM115\n"
             "\n"
             "    def close(self):\n"
             "        self._f.flush()\n",
    .query = "((expression_statement\n"
             "   . (assignment\n"
             "       left: (attribute object: (identifier) @self attribute: (identifier) @attr)\n"
             "       right: (call) @acquire) @assign .) @stmt\n"
             " (#eq? @self \"self\"))\n",
    .rewrite = rewrite,
};
