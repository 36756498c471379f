/*
 * safe-try-finally: `with R as f:` BODY becomes `f = R`, then BODY in a try
 * whose finally releases f (`f.close()`, the kind's release), so the
 * resource is released on every path.  The safe twin of drop-with and
 * close-happy-path.
 */
#include <string.h>

#include "leakmut/leakmut.h"

/*
 * The edits: the header becomes `f = R` (or `lock.acquire()`) and `try:` on
 * the next line at the with's indentation (a body on the header's line
 * moves to a line of its own, one level deeper); after the with's last line
 * come `finally:` and the release, indented as the body.  Sets *why when
 * the layout does not allow it.
 */
static int add_edits(lm_edits *edits, const lm_source *src, TSNode with, const char *acq,
                     size_t acq_len, const char *rel, size_t rel_len, const char **why)
{
	const char *text = lm_source_text(src), *eol = lm_source_eol(src);
	const char *unit = lm_source_indent(src), *inner;
	TSNode body = ts_node_child_by_field_name(with, "body", 4),
	       colon = lm_node_token(with, ":");
	size_t ws = lm_line_start(src, ts_node_start_byte(with)), wlen, inner_len, end;
	bool same_line;
	lm_buf head = LM_BUF_INIT, tail = LM_BUF_INIT, deeper = LM_BUF_INIT;
	int error;

	*why = NULL;
	if (ts_node_is_null(body) || ts_node_is_null(colon)) {
		*why = "unexpected statement shape";
		return 0;
	}
	wlen = ts_node_start_byte(with) - ws;
	if (lm_indent_len(src, ws) != wlen) {
		*why = "statement shares its line";
		return 0;
	}
	same_line = ts_node_start_point(body).row == ts_node_start_point(colon).row;
	if (same_line) {
		if ((error = lm_buf_put(&deeper, text + ws, wlen)) < 0 ||
		    (error = lm_buf_puts(&deeper, unit)) < 0)
			goto cleanup;
		inner = deeper.ptr;
		inner_len = deeper.size;
	} else {
		size_t bws = lm_line_start(src, ts_node_start_byte(lm_block_first_statement(body)));

		inner = text + bws;
		inner_len = lm_indent_len(src, bws);
		if (inner_len <= wlen || memcmp(inner, text + ws, wlen) != 0) {
			*why = "body indentation does not extend the with's";
			return 0;
		}
	}

	if ((error = lm_buf_put(&head, acq, acq_len)) < 0 ||
	    (error = lm_buf_puts(&head, eol)) < 0 ||
	    (error = lm_buf_put(&head, text + ws, wlen)) < 0 ||
	    (error = lm_buf_puts(&head, "try:")) < 0)
		goto cleanup;
	if (same_line && ((error = lm_buf_puts(&head, eol)) < 0 ||
	                  (error = lm_buf_put(&head, inner, inner_len)) < 0))
		goto cleanup;
	if ((error = lm_edits_add(edits, ts_node_start_byte(with),
	                          same_line ? ts_node_start_byte(body) : ts_node_end_byte(colon),
	                          head.ptr, head.size)) < 0)
		goto cleanup;

	/* After the with's last line (its trailing comment included). */
	end = ts_node_end_byte(with);
	while (end > ts_node_start_byte(body) && (text[end - 1] == '\n' || text[end - 1] == '\r'))
		end--;
	end = lm_line_end(src, end - 1);
	if ((error = lm_buf_puts(&tail, eol)) < 0 ||
	    (error = lm_buf_put(&tail, text + ws, wlen)) < 0 ||
	    (error = lm_buf_puts(&tail, "finally:")) < 0 || (error = lm_buf_puts(&tail, eol)) < 0 ||
	    (error = lm_buf_put(&tail, inner, inner_len)) < 0 ||
	    (error = lm_buf_put(&tail, rel, rel_len)) < 0)
		goto cleanup;
	error = lm_edits_add(edits, end, end, tail.ptr, tail.size);

cleanup:
	lm_buf_dispose(&head);
	lm_buf_dispose(&tail);
	lm_buf_dispose(&deeper);
	return error;
}

static int rewrite(lm_rewrite *rw, const lm_match *m)
{
	const lm_source *src = lm_rewrite_source(rw);
	TSNode with = lm_rewrite_node(rw, m, "with"), item = lm_rewrite_node(rw, m, "item");
	TSNode acquire = lm_rewrite_node(rw, m, "acquire"), name = lm_rewrite_node(rw, m, "name");
	TSNode lock = lm_rewrite_node(rw, m, "lock"), handle;
	lm_edits *edits = lm_rewrite_edits(rw);
	const lm_kind *kind;
	size_t hlen, alen;
	const char *htext, *atext, *why = NULL;
	lm_buf acq = LM_BUF_INIT, rel = LM_BUF_INIT;
	int error;

	if (!ts_node_is_null(lock)) {
		/* `with lock:` becomes `lock.acquire()` and a try releasing it. */
		kind = lm_kind_of_value(src, lock);
		if (!kind || strcmp(kind->id, "lock") != 0)
			return 0;
		acquire = lock;
		item = ts_node_parent(lock);
		handle = lock;
	} else {
		kind = lm_kind_of_call(src, acquire);
		if (!kind)
			return 0; /* not a resource this tool knows */
		handle = name;
	}
	htext = lm_node_text(src, handle, &hlen);
	atext = lm_node_text(src, acquire, &alen);

	if (!ts_node_is_null(lm_node_token(with, "async")))
		return lm_rewrite_skip(rw, acquire, kind, "async with");
	if (!kind->with_releases)
		return lm_rewrite_skip(rw, acquire, kind, "its with does not release it");
	if (lm_with_item_count(ts_node_parent(item)) > 1)
		return lm_rewrite_skip(rw, acquire, kind, "several items");
	if (ts_node_is_null(lock)) {
		if (lm_name_escapes(src, lm_scope_of(with), name, htext, hlen, kind, &why))
			return lm_rewrite_skip(rw, acquire, kind, why);
	} else if (lm_method_used(src, lm_scope_of(with), htext, hlen, "release")) {
		return lm_rewrite_skip(rw, acquire, kind, "lock released by hand");
	}
	if (lm_rebound(src, ts_node_child_by_field_name(with, "body", 4), ts_node_type(handle),
	               htext, hlen))
		return lm_rewrite_skip(rw, acquire, kind, "handle rebound in the body");
	if (!strcmp(kind->id, "subprocess") && lm_popen_pipes(src, acquire))
		why = lm_popen_pipes(src, acquire) == 1 ? "pipes need closing too"
		                                        : "pipes may need closing too";
	if (why)
		return lm_rewrite_skip(rw, acquire, kind, why);
	/* TarFile.__exit__ closes without writing the end-of-archive blocks
	 * when the body raised; close() in a finally would write them. */
	if (!strcmp(kind->id, "tarfile") && lm_writer_needs_close(src, acquire, kind))
		return lm_rewrite_skip(rw, acquire, kind,
		                       "a tar writer: its with skips the trailer on error");

	if (ts_node_is_null(lock))
		error = lm_buf_printf(&acq, "%.*s = %.*s", (int)hlen, htext, (int)alen, atext);
	else
		error = lm_buf_printf(&acq, "%.*s.acquire()", (int)alen, atext);
	if (error == 0)
		error = lm_buf_printf(&rel, "%.*s.%s()", (int)hlen, htext, kind->release);
	if (error == 0)
		error = add_edits(edits, src, with, acq.ptr, acq.size, rel.ptr, rel.size, &why);
	if (error == 0)
		error = why ? lm_rewrite_skip(rw, acquire, kind, why)
		            : lm_rewrite_emit(rw, acquire, item, kind);
	lm_buf_dispose(&acq);
	lm_buf_dispose(&rel);
	return error;
}

const lm_operator lm_op_safe_try_finally = {
    .id = "safe-try-finally",
    .version = 1,
    .family = LM_FAMILY_CONTROL,
    .scope = LM_SCOPE_INTRAPROCEDURAL,
    .cwe = 775,
    .summary = "replace the with by try/finally releasing the handle: safe on every path",
    .description =
        "The safe twin of drop-with and close-happy-path (same sites, same anchors). A `with` "
        "statement that acquires a resource into a name becomes a plain assignment, then `try:` "
        "holding the body as it was, and `finally:` calling the kind's release (`f.close()`, "
        "`proc.wait()`, `pool.terminate()`), so the resource is released on every path, also "
        "when the body raises, returns or breaks. A lock (`with lock:`, a name or self "
        "attribute bound to threading.Lock, RLock, Semaphore or BoundedSemaphore) becomes "
        "`lock.acquire()` and a try whose finally calls `lock.release()`. A body on the "
        "header's line moves to a line of its own. Not a site when the kind's `with` does not "
        "release it (sqlite3.connect), in an `async with`, when the with has several items, "
        "when the handle is released, handed on, stored, returned or captured anyway, when the "
        "body rebinds or deletes the handle (the finally would release something else), or "
        "for a subprocess.Popen given stdin, stdout or stderr (its `with` also closes the "
        "pipes, wait() does not), or for a tar file opened for writing (its `with` does not "
        "write the end-of-archive blocks when the body raises, close() would).",
    .kinds = "file,path_open,gzip_open,bz2_open,lzma_open,tarfile,zipfile,tempfile,"
             "tempfile_spooled,socket,subprocess,urlopen,process_pool,lock",
    .before = "def load(path):\n"
              "    with open(path) as f:\n"
              "        data = f.read()\n"
              "    return data\n",
    .after = "def load(path):\n"
             "    f = open(path)\n"
             "    try:\n"
             "        data = f.read()\n"
             "    finally:\n"
             "        f.close()\n"
             "    return data\n",
    .query = LM_QUERY_WITH_AS_CALL LM_QUERY_WITH_VALUE,
    .rewrite = rewrite,
};
