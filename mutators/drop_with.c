/*
 * drop-with: `with R as f:` BODY becomes `f = R` and BODY dedented, so
 * nothing releases the resource.
 */
#include <string.h>

#include "leakmut/leakmut.h"

static int rewrite(lm_rewrite *rw, const lm_match *m)
{
	const lm_source *src = lm_rewrite_source(rw);
	TSNode with = lm_rewrite_node(rw, m, "with"), item = lm_rewrite_node(rw, m, "item");
	TSNode acquire = lm_rewrite_node(rw, m, "acquire"), name = lm_rewrite_node(rw, m, "name");
	TSNode lock = lm_rewrite_node(rw, m, "lock");
	lm_edits *edits = lm_rewrite_edits(rw);
	const lm_kind *kind;
	size_t nlen = 0, alen;
	const char *ntext = NULL, *atext, *why = NULL;
	lm_buf stmt = LM_BUF_INIT;
	int error;

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
	if (!ts_node_is_null(lm_node_token(with, "async")))
		return lm_rewrite_skip(rw, acquire, kind, "async with");
	if (!kind->with_releases)
		return lm_rewrite_skip(rw, acquire, kind, "its with does not release it");
	if (ntext && lm_writer_needs_close(src, acquire, kind))
		return lm_rewrite_skip(rw, acquire, kind, "a writer that loses data unless closed");
	if (ntext && lm_name_escapes(src, lm_scope_of(with), name, ntext, nlen, kind, &why))
		return lm_rewrite_skip(rw, acquire, kind, why);
	atext = lm_node_text(src, acquire, &alen);
	if (!ntext && lm_method_used(src, lm_scope_of(with), atext, alen, "release"))
		return lm_rewrite_skip(rw, acquire, kind, "lock released later");

	if (ntext)
		error = lm_buf_printf(&stmt, "%.*s = %.*s", (int)nlen, ntext, (int)alen, atext);
	else
		error = lm_buf_printf(&stmt, "%.*s.acquire()", (int)alen, atext);
	if (error == 0)
		error = lm_with_unwrap(edits, src, with, item, stmt.ptr, stmt.size, &why);
	if (error == 0)
		error = why ? lm_rewrite_skip(rw, acquire, kind, why)
		            : lm_rewrite_emit(rw, acquire, item, kind);
	lm_buf_dispose(&stmt);
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
                   "it (sqlite3.connect), when the handle is released, handed on, stored or "
                   "returned anyway, or when it is a compressed file or an archive opened for "
                   "writing (its trailer is written on close, so the mutant would lose data too).",
    .kinds = "file,path_open,gzip_open,bz2_open,lzma_open,tarfile,zipfile,tempfile,"
             "tempfile_spooled,socket,subprocess,urlopen,process_pool,lock",
    .before = "def load(path):\n"
              "    with open(path) as f:\n"
              "        return f.read()\n",
    .after = "def load(path):\n"
             "    f = open(path)\n"
             "    return f.read()\n",
    .query = LM_QUERY_WITH_AS_CALL LM_QUERY_WITH_VALUE,
    .rewrite = rewrite,
};
