/*
 * safe-try-finally: `with R as f:` BODY becomes `f = R`, then BODY in a try
 * whose finally releases f (`f.close()`, the kind's release), so the
 * resource is released on every path.  The safe twin of drop-with and
 * close-happy-path.
 */
#include <string.h>

#include "leakmut/leakmut.h"

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
		error = lm_with_try_finally(edits, src, with, acq.ptr, acq.size, rel.ptr, rel.size,
		                            &why);
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
