/*
 * leakmut: lines and indentation, in the file's own style.
 *
 * Re-indenting touches only the leading whitespace of lines that start code:
 * lines inside a multi-line string are never changed, and line endings are
 * kept as they are.
 */
#ifndef LEAKMUT_INDENT_H
#define LEAKMUT_INDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "edit.h"
#include "source.h"

/* The offset of the first byte of the line that holds `byte`. */
size_t lm_line_start(const lm_source *src, size_t byte);

/* The offset just past the line that holds `byte`, before its line ending. */
size_t lm_line_end(const lm_source *src, size_t byte);

/* Past the line ending (LF, CRLF or a lone CR) of the line holding `byte`, or the end. */
size_t lm_line_next(const lm_source *src, size_t byte);

/* The length of the leading whitespace at `line_start`. */
size_t lm_indent_len(const lm_source *src, size_t line_start);

/*
 * For every line that starts inside `node` (from the line holding the
 * node's first byte to its last byte), outside a multi-line string, and
 * whose leading whitespace begins with `from`: append an edit replacing
 * that prefix with `to`.  Lines that do not begin with `from` (blank lines,
 * continuation lines inside brackets) are left alone.  A form feed in the
 * leading whitespace sets the column back to 0, to Python as to
 * tree-sitter-python: what counts is the whitespace after the last one, in
 * the line, in `from` and in `to` alike.
 */
int lm_reindent(lm_edits *edits, const lm_source *src, TSNode node, const char *from,
                size_t from_len, const char *to, size_t to_len);

/*
 * Whether lm_reindent() from `from` to `to` would miss a line of `node`
 * Python reads as part of the block: a line outside a multi-line string,
 * neither blank nor a comment, whose whitespace does not begin with `from`
 * as written yet is as deep as `from` by one of Python's two counts of tabs
 * (eight spaces on one line, seven and a tab on the next); or one that
 * begins with `from` and holds a tab after it that `to` would move by
 * other than the block's shift (a tab stops at a multiple of 8: fifteen
 * spaces and a tab are column 16, eleven and a tab too).  An operator that
 * re-indents a block skips such a site instead of leaving that line behind
 * or out of step.  Lines in brackets written that way are taken for such
 * lines too: a skip, never a wrong mutant.
 */
bool lm_reindent_misses(const lm_source *src, TSNode node, const char *from, size_t from_len,
                        const char *to, size_t to_len);

/* The skip reason of such a site. */
#define LM_MIXED_INDENT "body lines indented in different ways (tabs and spaces)"

/* lm_reindent() of the one line starting at `line`, whatever node it is in. */
int lm_reindent_line(lm_edits *edits, const lm_source *src, size_t line, const char *from,
                     size_t from_len, const char *to, size_t to_len);

#endif
