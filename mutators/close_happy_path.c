/*
 * close-happy-path: `with R as f:` BODY becomes `f = R`, BODY dedented, and
 * `f.close()` (the kind's release) after it, so the resource is released
 * only when BODY does not raise.
 */
#include <string.h>

#include "leakmut/leakmut.h"

static const TSNode null_node = {{0}, NULL, NULL};

/*
 * Whether control can leave `node` other than by falling through or
 * raising: a return or yield, or a break or continue not bound to a loop
 * inside the body (`in_loop`).  Nested functions, classes and lambdas are
 * other frames.  A loop's else clause belongs to the enclosing loop.
 */
static bool leaves(TSNode node, bool in_loop)
{
	lm_kids kids;
	TSNode child;
	bool found = false;
	bool loop = lm_node_is(node, "for_statement") || lm_node_is(node, "while_statement");
	TSNode loop_body = loop ? ts_node_child_by_field_name(node, "body", 4) : null_node;

	if (lm_node_is(node, "return_statement") || lm_node_is(node, "yield"))
		return true;
	if (lm_node_is(node, "break_statement") || lm_node_is(node, "continue_statement"))
		return !in_loop;
	for (lm_kids_start(&kids, node, true); lm_kids_next(&kids, &child);) {
		if (lm_is_nested_scope(child))
			continue;
		if (leaves(child, in_loop || (loop && ts_node_eq(child, loop_body)))) {
			found = true;
			break;
		}
	}
	lm_kids_end(&kids);
	return found;
}

static bool has_interpolation(TSNode string)
{
	lm_kids kids;
	TSNode child;
	bool found = false;

	for (lm_kids_start(&kids, string, true); lm_kids_next(&kids, &child);) {
		if (lm_node_is(child, "interpolation")) {
			found = true;
			break;
		}
	}
	lm_kids_end(&kids);
	return found;
}

/*
 * Whether the body cannot raise, so the mutant never leaks: nothing but
 * `pass` and bare literals (`...`, a plain string, a number, True, None).
 */
static bool inert(TSNode body)
{
	lm_kids kids;
	TSNode stmt, expr;
	bool ok = true;

	for (lm_kids_start(&kids, body, true); lm_kids_next(&kids, &stmt);) {
		if (lm_node_is(stmt, "pass_statement") || ts_node_is_extra(stmt))
			continue;
		if (!lm_node_is(stmt, "expression_statement") ||
		    ts_node_named_child_count(stmt) != 1) {
			ok = false;
			break;
		}
		expr = ts_node_named_child(stmt, 0);
		if (lm_node_is(expr, "string") && !has_interpolation(expr))
			continue;
		if (!lm_node_is(expr, "ellipsis") && !lm_node_is(expr, "integer") &&
		    !lm_node_is(expr, "float") && !lm_node_is(expr, "true") &&
		    !lm_node_is(expr, "false") && !lm_node_is(expr, "none")) {
			ok = false;
			break;
		}
	}
	lm_kids_end(&kids);
	return ok;
}

static int rewrite(lm_rewrite *rw, const lm_match *m)
{
	const lm_source *src = lm_rewrite_source(rw);
	const char *text = lm_source_text(src), *eol = lm_source_eol(src);
	TSNode with = lm_rewrite_node(rw, m, "with"), item = lm_rewrite_node(rw, m, "item");
	TSNode acquire = lm_rewrite_node(rw, m, "acquire"), name = lm_rewrite_node(rw, m, "name");
	TSNode lock = lm_rewrite_node(rw, m, "lock");
	TSNode body = lm_rewrite_node(rw, m, "body"), next = null_node, clause, it;
	lm_edits *edits = lm_rewrite_edits(rw);
	const lm_kind *kind;
	lm_kids kids;
	size_t ws = lm_line_start(src, ts_node_start_byte(with)), end;
	size_t hlen, alen;
	const char *htext, *atext, *why = NULL;
	lm_buf acq = LM_BUF_INIT, rel = LM_BUF_INIT;
	int error = 0;

	if (!ts_node_is_null(lock)) {
		/* `with lock:` becomes `lock.acquire()`, the body, `lock.release()`. */
		kind = lm_kind_of_value(src, lock);
		if (!kind || strcmp(kind->id, "lock") != 0)
			return 0;
		acquire = lock;
		item = ts_node_parent(lock);
	} else {
		kind = lm_kind_of_call(src, acquire);
		if (!kind)
			return 0; /* not a resource this tool knows */
	}
	/* The handle: the `as` name, or the lock expression itself. */
	htext = lm_node_text(src, ts_node_is_null(lock) ? name : lock, &hlen);
	atext = lm_node_text(src, acquire, &alen);
	clause = ts_node_parent(item);
	for (lm_kids_start(&kids, clause, true); lm_kids_next(&kids, &it);) {
		if (lm_node_is(it, "with_item") &&
		    ts_node_start_byte(it) > ts_node_start_byte(item)) {
			next = it;
			break;
		}
	}
	lm_kids_end(&kids);

	if (!ts_node_is_null(lm_node_token(with, "async")))
		return lm_rewrite_skip(rw, acquire, kind, "async with");
	if (!kind->with_releases)
		return lm_rewrite_skip(rw, acquire, kind, "its with does not release it");
	if (ts_node_is_null(lock)) {
		if (lm_name_escapes(src, lm_scope_of(with), name, htext, hlen, kind, &why))
			return lm_rewrite_skip(rw, acquire, kind, why);
		if (lm_rebound(src, body, "identifier", htext, hlen))
			return lm_rewrite_skip(rw, acquire, kind, "handle rebound in the body");
	} else if (lm_method_used(src, lm_scope_of(with), htext, hlen, "release")) {
		return lm_rewrite_skip(rw, acquire, kind, "lock released by hand");
	}
	if (!strcmp(kind->id, "subprocess") && lm_popen_pipes(src, acquire))
		why = lm_popen_pipes(src, acquire) == 1 ? "pipes stay open on the happy path"
		                                        : "pipes may stay open on the happy path";
	if (why)
		return lm_rewrite_skip(rw, acquire, kind, why);
	if (ts_node_is_null(next) && inert(body))
		return lm_rewrite_skip(rw, acquire, kind, "body cannot raise");
	if (leaves(body, false))
		return lm_rewrite_skip(rw, acquire, kind, "body can leave before the release");

	if (ts_node_is_null(lock))
		error = lm_buf_printf(&acq, "%.*s = %.*s", (int)hlen, htext, (int)alen, atext);
	else
		error = lm_buf_printf(&acq, "%.*s.acquire()", (int)alen, atext);
	if (error < 0 ||
	    (error = lm_with_unwrap(edits, src, with, item, acq.ptr, acq.size, &why)) < 0)
		goto cleanup;
	if (why) {
		error = lm_rewrite_skip(rw, acquire, kind, why);
		goto cleanup;
	}

	/* The release, on its own line after the with's last line. */
	end = ts_node_end_byte(with);
	while (end > ts_node_start_byte(body) && (text[end - 1] == '\n' || text[end - 1] == '\r'))
		end--;
	end = lm_line_end(src, end - 1);
	if ((error = lm_buf_puts(&rel, eol)) < 0 ||
	    (error = lm_buf_put(&rel, text + ws, ts_node_start_byte(with) - ws)) < 0 ||
	    (error = lm_buf_printf(&rel, "%.*s.%s()", (int)hlen, htext, kind->release)) < 0 ||
	    (error = lm_edits_add(edits, end, end, rel.ptr, rel.size)) < 0)
		goto cleanup;
	error = lm_rewrite_emit(rw, acquire, item, kind);

cleanup:
	lm_buf_dispose(&acq);
	lm_buf_dispose(&rel);
	return error;
}

const lm_operator lm_op_close_happy_path = {
    .id = "close-happy-path",
    .version = 1,
    .family = LM_FAMILY_LEAK,
    .scope = LM_SCOPE_EXCEPTION_PATH,
    .cwe = 775,
    .summary = "release after the body instead of by a with: an exception in the body leaks it",
    .description =
        "A `with` statement that acquires a resource into a name becomes a plain assignment, its "
        "body dedented one level, and the kind's release (`f.close()`, `proc.wait()`, "
        "`pool.terminate()`) on its own line after it, so the resource leaks only when the body "
        "raises. A lock (`with lock:`, a name or self attribute bound to threading.Lock, RLock, "
        "Semaphore or BoundedSemaphore) becomes `lock.acquire()`, the body and `lock.release()`. "
        "With several items, the chosen one leaves the with (acquired before it, or first thing "
        "in its body) and is released after the with statement. Not a site when the kind's "
        "`with` does not release it (sqlite3.connect), when the handle is released, handed on, "
        "stored, returned or rebound anyway, when the body can leave other than by falling "
        "through or raising (return, break, continue, yield) or cannot raise at all (only "
        "`pass`), when a subprocess.Popen is given stdin, stdout or stderr (its pipes would stay "
        "open even on the happy path), or in an `async with`.",
    .kinds = "file,path_open,gzip_open,bz2_open,lzma_open,tarfile,zipfile,tempfile,"
             "tempfile_spooled,socket,subprocess,urlopen,process_pool,lock",
    .before = "def load(path):\n"
              "    with open(path) as f:\n"
              "        data = f.read()\n"
              "    return data\n",
    .after = "def load(path):\n"
             "    f = open(path)\n"
             "    data = f.read()\n"
             "    f.close()\n"
             "    return data\n",
    .query = LM_QUERY_WITH_AS_CALL LM_QUERY_WITH_VALUE,
    .rewrite = rewrite,
};
