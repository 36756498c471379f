#include <string.h>

#include "leakmut/leakmut.h"

bool lm_method_used(const lm_source *src, TSNode node, const char *object, size_t len,
                    const char *method)
{
	bool used = false;
	lm_kids kids;
	TSNode child;

	if (lm_node_is(node, "attribute")) {
		TSNode obj = ts_node_child_by_field_name(node, "object", 6);
		TSNode attr = ts_node_child_by_field_name(node, "attribute", 9);
		size_t olen;
		const char *otext = ts_node_is_null(obj) ? NULL : lm_node_text(src, obj, &olen);

		if (otext && olen == len && !memcmp(otext, object, len) && !ts_node_is_null(attr) &&
		    lm_node_text_is(src, attr, method))
			return true;
	}
	for (lm_kids_start(&kids, node, true); !used && lm_kids_next(&kids, &child);)
		used = lm_method_used(src, child, object, len, method);
	lm_kids_end(&kids);
	return used;
}

/*
 * Comment lines between the header and the body's first statement lie
 * outside the block node: re-indent them as the body is.
 */
static int reindent_leading_lines(lm_edits *edits, const lm_source *src, size_t colon_end,
                                  size_t body_line, const char *from, size_t from_len,
                                  const char *to, size_t to_len)
{
	size_t line;
	int error;

	for (line = lm_line_next(src, colon_end); line < body_line; line = lm_line_next(src, line))
		if ((error = lm_reindent_line(edits, src, line, from, from_len, to, to_len)) < 0)
			return error;
	return 0;
}

int lm_with_unwrap(lm_edits *edits, const lm_source *src, TSNode with, TSNode item,
                   const char *stmt, size_t len, const char **why)
{
	const char *text = lm_source_text(src), *eol = lm_source_eol(src);
	TSNode body = ts_node_child_by_field_name(with, "body", 4);
	TSNode colon = lm_node_token(with, ":"), clause = ts_node_parent(item);
	TSNode prev = {{0}, NULL, NULL}, next = {{0}, NULL, NULL}, it;
	size_t ws = lm_line_start(src, ts_node_start_byte(with)), wlen, body_ws, body_ilen;
	uint32_t nitems = 0;
	lm_kids kids;
	bool same_line;
	lm_buf out = LM_BUF_INIT;
	int error = 0;

	*why = NULL;
	if (ts_node_is_null(body) || ts_node_is_null(colon) || ts_node_is_null(clause)) {
		*why = "unexpected statement shape";
		return 0;
	}
	wlen = ts_node_start_byte(with) - ws;
	if (lm_indent_len(src, ws) != wlen) {
		*why = "statement shares its line";
		return 0;
	}
	for (lm_kids_start(&kids, clause, true); lm_kids_next(&kids, &it);) {
		if (!lm_node_is(it, "with_item"))
			continue;
		nitems++;
		if (ts_node_start_byte(it) < ts_node_start_byte(item))
			prev = it;
		else if (ts_node_start_byte(it) > ts_node_start_byte(item) && ts_node_is_null(next))
			next = it;
	}
	lm_kids_end(&kids);
	same_line = ts_node_start_point(body).row == ts_node_start_point(colon).row;
	body_ws = lm_line_start(src, ts_node_start_byte(body));
	body_ilen = lm_indent_len(src, body_ws);
	if ((error = lm_buf_put(&out, stmt, len)) < 0)
		goto cleanup;

	if (!ts_node_is_null(prev)) {
		/* A later item: out of the with, and first thing in the body. */
		if ((error = lm_edits_add(edits, ts_node_end_byte(prev), ts_node_end_byte(item), "",
		                          0)) < 0)
			goto cleanup;
		if (same_line)
			error = lm_buf_puts(&out, "; ");
		else if ((error = lm_buf_puts(&out, eol)) == 0)
			error = lm_buf_put(&out, text + body_ws, body_ilen);
		if (error == 0)
			error = lm_edits_add(edits, ts_node_start_byte(body),
			                     ts_node_start_byte(body), out.ptr, out.size);
	} else if (nitems > 1) {
		/* The first of several: before the with, which keeps the others. */
		if ((error = lm_buf_puts(&out, eol)) == 0 &&
		    (error = lm_buf_put(&out, text + ws, wlen)) == 0 &&
		    (error = lm_edits_add(edits, ts_node_start_byte(with), ts_node_start_byte(with),
		                          out.ptr, out.size)) == 0)
			error = lm_edits_add(edits, ts_node_start_byte(item),
			                     ts_node_start_byte(next), "", 0);
	} else if (same_line) {
		if ((error = lm_buf_puts(&out, eol)) == 0 &&
		    (error = lm_buf_put(&out, text + ws, wlen)) == 0)
			error = lm_edits_add(edits, ts_node_start_byte(with),
			                     ts_node_start_byte(body), out.ptr, out.size);
	} else if (body_ilen <= wlen || memcmp(text + body_ws, text + ws, wlen) != 0) {
		*why = "body indentation does not extend the with's";
	} else if (lm_reindent_misses(src, body, text + body_ws, body_ilen, text + ws, wlen)) {
		*why = LM_MIXED_INDENT;
	} else if ((error = lm_edits_add(edits, ts_node_start_byte(with), ts_node_end_byte(colon),
	                                 out.ptr, out.size)) == 0 &&
	           (error = reindent_leading_lines(edits, src, ts_node_end_byte(colon), body_ws,
	                                           text + body_ws, body_ilen, text + ws, wlen)) ==
	               0) {
		error = lm_reindent(edits, src, body, text + body_ws, body_ilen, text + ws, wlen);
	}

cleanup:
	lm_buf_dispose(&out);
	return error;
}

int lm_with_try_finally(lm_edits *edits, const lm_source *src, TSNode with, const char *acq,
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
