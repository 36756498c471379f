/*
 * leakmut: byte-range edits over a source's original bytes.
 *
 * An edit replaces [start, end) with text; the list owns copies of the text.
 * Applying checks bounds, order and overlap, copies every byte outside the
 * edits unchanged, and writes the result in one pass.
 */
#ifndef LEAKMUT_EDIT_H
#define LEAKMUT_EDIT_H

#include <stddef.h>

#include "common.h"

typedef struct lm_edit {
	size_t start;
	size_t end;
	char *text; /* owned by the list, NUL-terminated */
	size_t len;
} lm_edit;

typedef struct lm_edits lm_edits;

/* Create an empty list.  Release with lm_edits_free(). */
int lm_edits_new(lm_edits **out);

/* Release a list and its texts.  Accepts NULL. */
void lm_edits_free(lm_edits *edits);

/* Remove every edit, keeping the allocation. */
void lm_edits_clear(lm_edits *edits);

/*
 * Append "replace [start, end) with text[0..len)".  Fails with LM_EINVALID
 * when end < start, or LM_ENOMEM.
 */
int lm_edits_add(lm_edits *edits, size_t start, size_t end, const char *text, size_t len);

/* Append an edit whose text is NUL-terminated. */
int lm_edits_adds(lm_edits *edits, size_t start, size_t end, const char *text);

size_t lm_edits_count(const lm_edits *edits);

/* The i-th edit in the order appended (borrowed, valid until the list changes). */
const lm_edit *lm_edits_get(const lm_edits *edits, size_t i);

/*
 * Sort the edits by start (stably, so insertions at one offset keep the
 * order they were appended in) and check them against a text of `len`
 * bytes: each in bounds, none overlapping the next.  LM_EINVALID names the
 * offending edit.
 */
int lm_edits_check(lm_edits *edits, size_t len);

/*
 * Check (as above), then append `src` with the edits applied to `out`.
 * Every byte outside an edit is copied unchanged.
 */
int lm_edits_apply(lm_buf *out, const char *src, size_t len, lm_edits *edits);

#endif
