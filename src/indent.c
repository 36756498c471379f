#include "leakmut/indent.h"

#include <stdbool.h>
#include <string.h>

#include "source_int.h"

size_t lm_line_start(const lm_source *src, size_t byte)
{
	const char *text = lm_source_text(src);

	while (byte > 0 && text[byte - 1] != '\n' && text[byte - 1] != '\r')
		byte--;
	return byte;
}

size_t lm_line_end(const lm_source *src, size_t byte)
{
	const char *text = lm_source_text(src);
	size_t len = lm_source_len(src);

	while (byte < len && text[byte] != '\n' && text[byte] != '\r')
		byte++;
	return byte;
}

size_t lm_line_next(const lm_source *src, size_t byte)
{
	const char *text = lm_source_text(src);
	size_t len = lm_source_len(src), end = lm_line_end(src, byte);

	if (end < len && text[end] == '\r' && end + 1 < len && text[end + 1] == '\n')
		end++;
	return end < len ? end + 1 : end;
}

size_t lm_indent_len(const lm_source *src, size_t line_start)
{
	const char *text = lm_source_text(src);
	size_t len = lm_source_len(src), i = line_start;

	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\f'))
		i++;
	return i - line_start;
}

/* Whether `byte` lies strictly inside a string that spans lines, under `node`. */
static bool inside_string(TSNode node, size_t byte)
{
	TSNode child, holder = {{0}, NULL, NULL};
	lm_kids kids;

	if (ts_node_start_byte(node) >= byte || ts_node_end_byte(node) <= byte)
		return false;
	if (lm_node_is(node, "string") &&
	    ts_node_start_point(node).row != ts_node_end_point(node).row)
		return true;
	for (lm_kids_start(&kids, node, false); lm_kids_next(&kids, &child);) {
		if (ts_node_start_byte(child) >= byte)
			break;
		if (ts_node_end_byte(child) > byte) {
			holder = child;
			break;
		}
	}
	lm_kids_end(&kids);
	return !ts_node_is_null(holder) && inside_string(holder, byte);
}

/* Past the last form feed of `len` bytes of leading whitespace, or 0. */
static size_t past_form_feeds(const char *ws, size_t len)
{
	size_t i, at = 0;

	for (i = 0; i < len; i++)
		if (ws[i] == '\f')
			at = i + 1;
	return at;
}

int lm_reindent_line(lm_edits *edits, const lm_source *src, size_t line, const char *from,
                     size_t from_len, const char *to, size_t to_len)
{
	const char *text = lm_source_text(src);
	size_t ws = lm_indent_len(src, line), at, skip;

	if (line + ws == lm_line_end(src, line))
		return 0; /* blank */
	/* A form feed sets the column back to 0: compare what follows the last. */
	at = line + past_form_feeds(text + line, ws);
	skip = past_form_feeds(from, from_len);
	from += skip;
	from_len -= skip;
	skip = past_form_feeds(to, to_len);
	to += skip;
	to_len -= skip;
	if (line + ws - at < from_len || memcmp(text + at, from, from_len) != 0)
		return 0;
	return lm_edits_add(edits, at, at + from_len, to, to_len);
}

int lm_reindent(lm_edits *edits, const lm_source *src, TSNode node, const char *from,
                size_t from_len, const char *to, size_t to_len)
{
	const char *text = lm_source_text(src);
	size_t len = lm_source_len(src), end = ts_node_end_byte(node);
	size_t line = lm_line_start(src, ts_node_start_byte(node));
	int error;

	while (line < end) {
		size_t next = lm_line_end(src, line);

		if (!inside_string(node, line) &&
		    (error = lm_reindent_line(edits, src, line, from, from_len, to, to_len)) < 0)
			return error;
		if (next < len && text[next] == '\r' && next + 1 < len && text[next + 1] == '\n')
			next++;
		line = next + 1;
	}
	return 0;
}

/* The column, tabs to the next multiple of 8, after `len` blanks from column `col`. */
static size_t column_after(size_t col, const char *blanks, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		col = blanks[i] == '\t' ? (col / 8 + 1) * 8 : col + 1;
	return col;
}

bool lm_reindent_misses(const lm_source *src, TSNode node, const char *from, size_t from_len,
                        const char *to, size_t to_len)
{
	const char *text = lm_source_text(src);
	size_t end = ts_node_end_byte(node), line = lm_line_start(src, ts_node_start_byte(node));
	size_t skip = past_form_feeds(from, from_len), fcol, falt, tcol, talt;

	from += skip;
	from_len -= skip;
	skip = past_form_feeds(to, to_len);
	lm__columns(from, 0, from_len, &fcol, &falt);
	lm__columns(to + skip, 0, to_len - skip, &tcol, &talt);
	while (line < end) {
		size_t ws = lm_indent_len(src, line), at = line + past_form_feeds(text + line, ws);
		size_t next = lm_line_next(src, line), col, alt;

		if (line + ws != lm_line_end(src, line) && text[line + ws] != '#' &&
		    !inside_string(node, line)) {
			lm__columns(text, at, line + ws, &col, &alt);
			if (line + ws - at < from_len || memcmp(text + at, from, from_len) != 0) {
				if (col >= fcol || alt >= falt)
					return true;
			} else {
				/* A tab after the prefix stops at a multiple of 8 counted
				 * from the line's start: `to` in place of `from` may move
				 * it by other than the block's shift (found by tests/fuzz:
				 * fifteen spaces and a tab, dedented by four). */
				size_t moved = column_after(tcol, text + at + from_len,
				                            line + ws - at - from_len);

				if (col - moved != fcol - tcol)
					return true;
			}
		}
		if (next == line)
			break;
		line = next;
	}
	return false;
}
