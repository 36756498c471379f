/*
 * safe-noqa-reason: the control (safe twin) of bare-noqa.  On the same
 * sites (a class acquires `self.<attr>` in one method and releases it in
 * another) the release stays, and the acquisition gets a justified
 * suppression, `# noqa: SIM115  # released in <method>()`: nothing leaks,
 * and a detector that honours noqa comments is expected to stay silent.
 *
 * Everything from null_node to lm_noqa_starts_code() is a verbatim copy of
 * mutators/bare_noqa.c (the site finding); release_why() is its
 * remove_release() reduced to the checks.  Both could move to the
 * library, shared by the two operators.
 */
#include <string.h>

#include "leakmut/leakmut.h"

#define NOQA   "  # noqa: SIM115"
#define REASON "  # released in "

/* ---- copied from mutators/bare_noqa.c ------------------------------------ */

static const TSNode null_node;

static TSNode field(TSNode node, const char *name)
{
	return ts_node_is_null(node)
	           ? null_node
	           : ts_node_child_by_field_name(node, name, (uint32_t)strlen(name));
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f';
}

/*
 * The edit that leaves `# noqa: SIM115  # released in <method>()` at the
 * end of the acquisition's line: appended, or the reason appended to a
 * bare `# noqa: SIM115` already there.  The shapes bare-noqa refuses are
 * refused for the same reasons; a suppression that already has a reason
 * is "already justified" (the code is the safe twin already).
 */
static int reason_edit(lm_edits *edits, const lm_source *src, TSNode stmt, const char *method,
                       size_t mlen, const char **why)
{
	const char *text = lm_source_text(src);
	size_t end = ts_node_end_byte(stmt), le = lm_line_end(src, end), p = end, code_end = end;
	size_t k, q, at;
	lm_buf comment = LM_BUF_INIT;
	int error;

	while (p < le && is_blank(text[p]))
		p++;
	if (p < le && text[p] == ';') {
		code_end = ++p;
		while (p < le && is_blank(text[p]))
			p++;
	}
	if (p == le) {
		at = code_end;
		error = lm_buf_puts(&comment, NOQA);
	} else if (text[p] != '#') {
		*why = "statement shares its line";
		return 0;
	} else if ((k = lm_noqa_sim115_end(text + p, le - p)) == 0 ||
	           (p + k < le && !is_blank(text[p + k]) && text[p + k] != ',')) {
		*why = "line already has a comment";
		return 0;
	} else {
		for (q = p + k; q < le && (is_blank(text[q]) || text[q] == ','); q++)
			;
		if (q < le) {
			*why = lm_noqa_starts_code(text + q, le - q) ? "line already has a comment"
			                                             : "already justified";
			return 0;
		}
		at = p + k; /* a bare one: what follows SIM115 is blanks or commas */
		error = 0;
	}
	if (error == 0)
		error = lm_buf_printf(&comment, "%s%.*s()", REASON, (int)mlen, method);
	if (error == 0)
		error = lm_edits_add(edits, at, p == le ? at : le, comment.ptr, comment.size);
	lm_buf_dispose(&comment);
	return error;
}

/*
 * Why bare-noqa could not remove the release statement, or NULL: its
 * remove_release() without the edits, so that both have the same sites.
 */
static const char *release_why(const lm_source *src, TSNode stmt)
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
		return NULL;
	if (!ts_node_is_null(next) && ts_node_start_point(next).row == ts_node_end_point(stmt).row)
		return NULL;
	if (!ts_node_is_null(prev) && ts_node_end_point(prev).row == ts_node_start_point(stmt).row)
		return NULL;
	ls = lm_line_start(src, start);
	le = lm_line_end(src, end);
	for (p = end; p < le && is_blank(text[p]); p++)
		;
	if (p < le && text[p] == ';')
		for (p++; p < le && is_blank(text[p]); p++)
			;
	if (ls + lm_indent_len(src, ls) != start || (p < le && text[p] != '#'))
		return "release shares its line";
	return NULL;
}

static int rewrite(lm_rewrite *rw, const lm_match *m)
{
	const lm_source *src = lm_rewrite_source(rw);
	TSNode stmt = lm_rewrite_node(rw, m, "stmt"), assign = lm_rewrite_node(rw, m, "assign");
	TSNode acquire = lm_rewrite_node(rw, m, "acquire"), attr = lm_rewrite_node(rw, m, "attr");
	lm_edits *edits = lm_rewrite_edits(rw);
	const lm_kind *kind = lm_kind_of_call(src, acquire);
	const char *why = NULL, *mname;
	lm_owned owned;
	size_t mlen;
	int found, error;

	/* The sites of bare-noqa, with its reasons (lm_owned_release). */
	if (!kind || !strcmp(kind->id, "lock"))
		return 0;
	found = lm_owned_release(&owned, src, kind, stmt, assign, attr, &why);
	if (found < 0)
		return 0;
	if (found > 0 && lm_writer_needs_close(src, acquire, kind))
		why = "a writer that loses data unless closed";
	if (why)
		return lm_rewrite_skip(rw, acquire, kind, why);

	/* The release is kept: name the method it is in. */
	mname = lm_node_text(src, field(owned.release_method, "name"), &mlen);
	if ((error = reason_edit(edits, src, stmt, mname, mlen, &why)) < 0)
		return error;
	if (!why)
		why = release_why(src, owned.release_stmt);
	if (why)
		return lm_rewrite_skip(rw, acquire, kind, why);
	return lm_rewrite_emit(rw, acquire, assign, kind);
}

const lm_operator lm_op_safe_noqa_reason = {
    .id = "safe-noqa-reason",
    .version = 1,
    .family = LM_FAMILY_CONTROL,
    .scope = LM_SCOPE_SUPPRESSED,
    .cwe = 775,
    .summary = "justify an owning class's acquisition with `# noqa: SIM115  # released in "
               "<method>()`, the release kept",
    .description =
        "Control (safe twin) of bare-noqa, on the same sites: a class acquires a resource into "
        "an attribute of self (`self._f = open(p)`: a kind's call as the whole right-hand side "
        "of a one-line plain assignment in a method) and releases it in another method with "
        "the kind's release (`self._f.close()`, `self._proc.wait()`). The release stays, so "
        "nothing leaks, and the acquisition's line gets `  # noqa: SIM115  # released in "
        "<method>()`, naming the method that holds the release (close, __exit__, stop...); a "
        "bare `# noqa: SIM115` already there gets the reason appended. Skipped for the reasons "
        "bare-noqa skips (a release in several places, outside the class, in the acquiring "
        "method, by another call or inside an expression; several acquisitions; a `with`, an "
        "ExitStack or closing; stored elsewhere or returned; an acquisition spanning lines, "
        "sharing its line with another statement, or whose line has another comment; a "
        "release sharing its line), and when the line already carries `# noqa: SIM115` with a "
        "reason (already justified: the code is the safe twin already). Not a site: an "
        "attribute the class never releases, locks, local names.",
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
             "        self._f = open(path, \"a\")  # noqa: SIM115  # released in close()\n"
             "\n"
             "    def close(self):\n"
             "        self._f.flush()\n"
             "        self._f.close()\n",
    .query = "((expression_statement\n"
             "   . (assignment\n"
             "       left: (attribute object: (identifier) @self attribute: (identifier) @attr)\n"
             "       right: (call) @acquire) @assign .) @stmt\n"
             " (#eq? @self \"self\"))\n",
    .rewrite = rewrite,
};
