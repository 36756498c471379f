/*
 * drop-with: `with R as f:` BODY becomes `f = R` and BODY dedented, so
 * nothing releases the resource.
 */
#include <string.h>

#include "leakmut/leakmut.h"

static int skip(lm_rewrite *rw, TSNode at, const lm_kind *kind, const char *why)
{
	return lm_rewrite_skip(rw, at, kind, why);
}

/* Whether `<lock>.release()` is called anywhere under `node`. */
static bool released(const lm_source *src, TSNode node, const char *lock, size_t len)
{
	uint32_t i, n;

	if (lm_node_is(node, "attribute")) {
		TSNode object = ts_node_child_by_field_name(node, "object", 6);
		TSNode attr = ts_node_child_by_field_name(node, "attribute", 9);
		size_t olen;
		const char *otext = lm_node_text(src, object, &olen);

		if (olen == len && !memcmp(otext, lock, len) && lm_node_text_is(src, attr, "release"))
			return true;
	}
	n = ts_node_named_child_count(node);
	for (i = 0; i < n; i++)
		if (released(src, ts_node_named_child(node, i), lock, len))
			return true;
	return false;
}

static int rewrite(lm_rewrite *rw, const lm_match *m)
{
	const lm_source *src = lm_rewrite_source(rw);
	const char *text = lm_source_text(src), *eol = lm_source_eol(src);
	TSNode with = lm_rewrite_node(rw, m, "with"), item = lm_rewrite_node(rw, m, "item");
	TSNode acquire = lm_rewrite_node(rw, m, "acquire"), name = lm_rewrite_node(rw, m, "name");
	TSNode lock = lm_rewrite_node(rw, m, "lock");
	TSNode body = lm_rewrite_node(rw, m, "body"), clause;
	TSNode colon = lm_node_token(with, ":");
	lm_edits *edits = lm_rewrite_edits(rw);
	const lm_kind *kind;
	uint32_t nitems = 0, index = 0, i;
	size_t ws = lm_line_start(src, ts_node_start_byte(with)), wlen;
	size_t nlen = 0, alen, body_ws, body_ilen;
	const char *ntext = NULL, *atext, *why = NULL;
	bool same_line;
	lm_buf assign = LM_BUF_INIT;
	TSNode prev = {{0}, NULL, NULL}, next = {{0}, NULL, NULL};
	int error = 0;

	if (!ts_node_is_null(lock)) {
		/* `with lock:` becomes `lock.acquire()` and the body. */
		kind = lm_kind_of_value(src, lock);
		if (!kind || strcmp(kind->id, "lock") != 0)
			return 0;
		acquire = lock;
		item = ts_node_parent(lock);
	} else {
		kind = lm_kind_of_call(src, acquire);
		if (!kind)
			return 0; /* not a resource this tool knows */
		ntext = lm_node_text(src, name, &nlen);
	}
	clause = ts_node_parent(item);
	if (!ts_node_is_null(lm_node_token(with, "async")))
		return skip(rw, acquire, kind, "async with");
	if (!kind->with_releases)
		return skip(rw, acquire, kind, "its with does not release it");
	if (ts_node_is_null(colon))
		return skip(rw, acquire, kind, "unexpected statement shape");
	wlen = ts_node_start_byte(with) - ws;
	if (lm_indent_len(src, ws) != wlen)
		return skip(rw, acquire, kind, "statement shares its line");
	if (ntext && lm_name_escapes(src, lm_scope_of(with), name, ntext, nlen, kind, &why))
		return skip(rw, acquire, kind, why);
	atext = lm_node_text(src, acquire, &alen);
	if (!ntext && released(src, lm_scope_of(with), atext, alen))
		return skip(rw, acquire, kind, "lock released later");

	for (i = 0; i < ts_node_named_child_count(clause); i++) {
		TSNode it = ts_node_named_child(clause, i);

		if (!lm_node_is(it, "with_item"))
			continue;
		if (ts_node_eq(it, item))
			index = nitems;
		else if (ts_node_start_byte(it) < ts_node_start_byte(item))
			prev = it;
		else if (ts_node_is_null(next))
			next = it;
		nitems++;
	}

	if (ntext)
		error = lm_buf_printf(&assign, "%.*s = %.*s", (int)nlen, ntext, (int)alen, atext);
	else
		error = lm_buf_printf(&assign, "%.*s.acquire()", (int)alen, atext);
	if (error < 0)
		goto cleanup;
	same_line = ts_node_start_point(body).row == ts_node_start_point(colon).row;
	body_ws = lm_line_start(src, ts_node_start_byte(body));
	body_ilen = lm_indent_len(src, body_ws);

	if (index > 0) {
		/* Take the item out of the with; acquire first thing in the body. */
		if ((error = lm_edits_add(edits, ts_node_end_byte(prev), ts_node_end_byte(item), "",
		                          0)) < 0)
			goto cleanup;
		if (same_line)
			error = lm_buf_puts(&assign, "; ");
		else if ((error = lm_buf_puts(&assign, eol)) == 0)
			error = lm_buf_put(&assign, text + body_ws, body_ilen);
		if (error < 0 ||
		    (error = lm_edits_add(edits, ts_node_start_byte(body), ts_node_start_byte(body),
		                          assign.ptr, assign.size)) < 0)
			goto cleanup;
	} else if (nitems > 1) {
		/* Acquire before the with, which keeps the other items as written. */
		if ((error = lm_buf_puts(&assign, eol)) < 0 ||
		    (error = lm_buf_put(&assign, text + ws, wlen)) < 0 ||
		    (error = lm_edits_add(edits, ts_node_start_byte(with), ts_node_start_byte(with),
		                          assign.ptr, assign.size)) < 0 ||
		    (error = lm_edits_add(edits, ts_node_start_byte(item), ts_node_start_byte(next),
		                          "", 0)) < 0)
			goto cleanup;
	} else if (same_line) {
		if ((error = lm_buf_puts(&assign, eol)) < 0 ||
		    (error = lm_buf_put(&assign, text + ws, wlen)) < 0 ||
		    (error = lm_edits_add(edits, ts_node_start_byte(with), ts_node_start_byte(body),
		                          assign.ptr, assign.size)) < 0)
			goto cleanup;
	} else {
		if (body_ilen <= wlen || memcmp(text + body_ws, text + ws, wlen) != 0) {
			error =
			    skip(rw, acquire, kind, "body indentation does not extend the with's");
			goto cleanup;
		}
		if ((error = lm_edits_add(edits, ts_node_start_byte(with), ts_node_end_byte(colon),
		                          assign.ptr, assign.size)) < 0 ||
		    (error = lm_reindent(edits, src, body, text + body_ws, body_ilen, text + ws,
		                         wlen)) < 0)
			goto cleanup;
	}
	error = lm_rewrite_emit(rw, acquire, item, kind);

cleanup:
	lm_buf_dispose(&assign);
	return error;
}

const lm_operator lm_op_drop_with = {
    .id = "drop-with",
    .version = 1,
    .family = LM_FAMILY_LEAK,
    .scope = LM_SCOPE_INTRAPROCEDURAL,
    .cwe = 775,
    .summary = "drop the with: acquire into a plain name, release never",
    .description = "A `with` statement that acquires a resource into a name becomes a plain "
                   "assignment followed by its body, dedented one level, so nothing releases the "
                   "resource. With several items, the others stay in a `with`. A lock (`with "
                   "lock:`, a name or self attribute bound to threading.Lock, RLock or "
                   "Semaphore) becomes `lock.acquire()` and its body, never released. Not a site "
                   "when the target is not a plain name, when the kind's `with` does not release "
                   "it (sqlite3.connect), or when the handle is released, handed on, stored or "
                   "returned anyway.",
    .kinds = "file,path_open,gzip_open,bz2_open,lzma_open,tarfile,zipfile,tempfile,"
             "tempfile_spooled,socket,subprocess,urlopen,process_pool,lock",
    .before = "def load(path):\n"
              "    with open(path) as f:\n"
              "        return f.read()\n",
    .after = "def load(path):\n"
             "    f = open(path)\n"
             "    return f.read()\n",
    .query = "(with_statement\n"
             "  (with_clause\n"
             "    (with_item\n"
             "      value: [\n"
             "        (as_pattern . (call) @acquire\n"
             "          alias: (as_pattern_target . (identifier) @name .))\n"
             "        (parenthesized_expression\n"
             "          (as_pattern . (call) @acquire\n"
             "            alias: (as_pattern_target . (identifier) @name .)))\n"
             "      ]) @item)\n"
             "  body: (block) @body) @with\n"
             "(with_statement\n"
             "  (with_clause . (with_item value: [(identifier) (attribute)] @lock) .)\n"
             "  body: (block) @body) @with\n",
    .rewrite = rewrite,
};
