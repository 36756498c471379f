#include "leakmut/edit.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

struct lm_edits {
	lm_edit *items;
	size_t count;
	size_t alloc;
};

int lm_edits_new(lm_edits **out)
{
	*out = lm__calloc(1, sizeof(lm_edits));
	if (!*out)
		return lm_error_set(LM_ENOMEM, "out of memory");
	return 0;
}

void lm_edits_clear(lm_edits *edits)
{
	size_t i;

	if (!edits)
		return;
	for (i = 0; i < edits->count; i++)
		free(edits->items[i].text);
	edits->count = 0;
}

void lm_edits_free(lm_edits *edits)
{
	if (!edits)
		return;
	lm_edits_clear(edits);
	free(edits->items);
	free(edits);
}

int lm_edits_add(lm_edits *edits, size_t start, size_t end, const char *text, size_t len)
{
	lm_edit *edit;

	if (end < start)
		return lm_error_set(LM_EINVALID, "edit ends (%zu) before it starts (%zu)", end,
		                    start);
	if (edits->count == edits->alloc) {
		size_t alloc = edits->alloc ? edits->alloc * 2 : 8;
		lm_edit *items = lm__realloc(edits->items, alloc * sizeof(*items));

		if (!items)
			return lm_error_set(LM_ENOMEM, "out of memory");
		edits->items = items;
		edits->alloc = alloc;
	}
	edit = &edits->items[edits->count];
	edit->text = lm__strndup(text ? text : "", text ? len : 0);
	if (!edit->text)
		return lm_error_set(LM_ENOMEM, "out of memory");
	edit->start = start;
	edit->end = end;
	edit->len = text ? len : 0;
	edits->count++;
	return 0;
}

int lm_edits_adds(lm_edits *edits, size_t start, size_t end, const char *text)
{
	return lm_edits_add(edits, start, end, text, strlen(text));
}

size_t lm_edits_count(const lm_edits *edits)
{
	return edits->count;
}

const lm_edit *lm_edits_get(const lm_edits *edits, size_t i)
{
	return i < edits->count ? &edits->items[i] : NULL;
}

int lm_edits_check(lm_edits *edits, size_t len)
{
	size_t i, j;

	/* Insertion sort: stable, and edit lists are short and nearly sorted. */
	for (i = 1; i < edits->count; i++) {
		lm_edit cur = edits->items[i];

		for (j = i; j > 0 && edits->items[j - 1].start > cur.start; j--)
			edits->items[j] = edits->items[j - 1];
		edits->items[j] = cur;
	}
	for (i = 0; i < edits->count; i++) {
		const lm_edit *e = &edits->items[i];

		if (e->end > len)
			return lm_error_set(
			    LM_EINVALID,
			    "edit [%zu, %zu) lies past the end of the text (%zu bytes)", e->start,
			    e->end, len);
		if (i > 0 && edits->items[i - 1].end > e->start)
			return lm_error_set(LM_EINVALID, "edits [%zu, %zu) and [%zu, %zu) overlap",
			                    edits->items[i - 1].start, edits->items[i - 1].end,
			                    e->start, e->end);
	}
	return 0;
}

int lm_edits_apply(lm_buf *out, const char *src, size_t len, lm_edits *edits)
{
	size_t i, pos = 0, grow = len;
	int error;

	if ((error = lm_edits_check(edits, len)) < 0)
		return error;
	for (i = 0; i < edits->count; i++)
		grow += edits->items[i].len;
	if ((error = lm_buf_grow(out, grow)) < 0)
		return error;
	for (i = 0; i < edits->count; i++) {
		const lm_edit *e = &edits->items[i];

		if ((error = lm_buf_put(out, src + pos, e->start - pos)) < 0 ||
		    (error = lm_buf_put(out, e->text, e->len)) < 0)
			return error;
		pos = e->end;
	}
	return lm_buf_put(out, src + pos, len - pos);
}
