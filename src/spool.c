#include "spool.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "whole.h"
#include "engine_int.h"

/*
 * A record: a head, then the site's texts (qualname, fingerprint, preview,
 * path and mutant: as many bytes as the head says each has, none for a
 * NULL), its edits (each a head and its text), then for each other file
 * its head, path, mutant and edits, and for each related location its
 * head and path.  The file lives only as long as the run that wrote it, so
 * the layout is the process's own.
 */
#define NO_TEXT UINT64_MAX

typedef struct record_head {
	uint64_t index;
	git_oid content;
	char id[13];
	uint8_t bom;
	uint32_t kind; /* lm_kind_at(kind - 1), 0 for none */
	uint32_t line, col, occurrence;
	uint32_t mutant_line[2], mutant_col[2];
	uint64_t anchor_start, anchor_end, mutant_anchor_start, mutant_anchor_end, mutant_len;
	uint64_t text[5]; /* the lengths of qualname, fingerprint, preview, path, mutant */
	uint64_t nedits, nmore, nrelated;
} record_head;

typedef struct edit_head {
	uint64_t start, end, len;
} edit_head;

typedef struct more_head {
	uint8_t bom;
	uint64_t text[2]; /* path, mutant */
	uint64_t nedits;
} more_head;

typedef struct related_head {
	uint32_t line[2], col[2];
	uint32_t role; /* in roles[] */
	uint64_t path;
} related_head;

/* The roles of related locations (lm_location: static texts). */
static const char *const roles[] = {"statement", "producer", "consumer", "class"};
#define NROLES (sizeof(roles) / sizeof(roles[0]))

struct lm__spool {
	FILE *file;
	char path[4096]; /* for messages: the file is unlinked */
	bool reading;
};

int lm__spool_new(lm__spool **out)
{
	lm__spool *sp;
	int fd, err;

	*out = NULL;
	if (!(sp = lm__calloc(1, sizeof(*sp))))
		return lm_error_set(LM_ENOMEM, "out of memory");
	if ((err = lm__temp_file(sp->path, sizeof(sp->path), "leakmut-plan", &fd)) < 0) {
		free(sp);
		return err;
	}
	unlink(sp->path);
	if (!(sp->file = fdopen(fd, "w+b"))) {
		err = errno;
		close(fd);
		free(sp);
		return lm_error_set(LM_EIO, "the plan's spool: %s", strerror(err));
	}
	*out = sp;
	return 0;
}

void lm__spool_free(lm__spool *sp)
{
	if (!sp)
		return;
	fclose(sp->file);
	free(sp);
}

static int write_fail(lm__spool *sp)
{
	return lm_error_set(LM_EIO, "the plan's spool (%s, unlinked): cannot write: %s", sp->path,
	                    errno ? strerror(errno) : "short write");
}

static int put(lm__spool *sp, const void *data, size_t len)
{
	errno = 0;
	return len == 0 || fwrite(data, len, 1, sp->file) == 1 ? 0 : write_fail(sp);
}

static uint64_t text_len(const char *text)
{
	return text ? (uint64_t)strlen(text) : NO_TEXT;
}

static int put_edits(lm__spool *sp, const lm_edits *edits)
{
	size_t i, n = lm_edits_count(edits);
	int error;

	for (i = 0; i < n; i++) {
		const lm_edit *e = lm_edits_get(edits, i);
		edit_head eh;

		memset(&eh, 0, sizeof(eh));
		eh.start = e->start;
		eh.end = e->end;
		eh.len = e->len;
		if ((error = put(sp, &eh, sizeof(eh))) < 0 ||
		    (error = put(sp, e->text, e->len)) < 0)
			return error;
	}
	return 0;
}

static int put_texts(lm__spool *sp, const char *const *texts, const uint64_t *lens, size_t n)
{
	size_t i;
	int error;

	for (i = 0; i < n; i++)
		if (texts[i] && (error = put(sp, texts[i], (size_t)lens[i])) < 0)
			return error;
	return 0;
}

static int put_others(lm__spool *sp, const lm_site *site)
{
	size_t i, r;
	int error;

	for (i = 0; i < site->nmore; i++) {
		const lm_site_file *f = &site->more[i];
		const char *texts[2] = {f->path, f->mutant};
		more_head mh;

		memset(&mh, 0, sizeof(mh));
		mh.bom = f->bom;
		mh.text[0] = text_len(f->path);
		mh.text[1] = f->mutant ? f->mutant_len : NO_TEXT;
		mh.nedits = lm_edits_count(f->edits);
		if ((error = put(sp, &mh, sizeof(mh))) < 0 ||
		    (error = put_texts(sp, texts, mh.text, 2)) < 0 ||
		    (error = put_edits(sp, f->edits)) < 0)
			return error;
	}
	for (i = 0; i < site->nrelated; i++) {
		const lm_location *l = &site->related[i];
		const char *path = l->path;
		related_head rh;

		memset(&rh, 0, sizeof(rh));
		memcpy(rh.line, l->line, sizeof(rh.line));
		memcpy(rh.col, l->col, sizeof(rh.col));
		for (r = 0; r < NROLES && strcmp(roles[r], l->role); r++)
			;
		if (r == NROLES)
			return lm_error_set(LM_EINVALID,
			                    "%s: the plan's spool knows no role \"%s\"", site->id,
			                    l->role);
		rh.role = (uint32_t)r;
		rh.path = text_len(l->path);
		if ((error = put(sp, &rh, sizeof(rh))) < 0 ||
		    (error = put_texts(sp, &path, &rh.path, 1)) < 0)
			return error;
	}
	return 0;
}

int lm__spool_put(lm__spool *sp, size_t index, const git_oid *content, bool bom,
                  const lm_site *site)
{
	const char *texts[5] = {site->qualname, site->fingerprint, site->preview, site->path,
	                        site->mutant};
	record_head h;
	size_t i;
	int error;

	memset(&h, 0, sizeof(h)); /* padding too: the whole head is written */
	h.index = index;
	git_oid_cpy(&h.content, content);
	memcpy(h.id, site->id, sizeof(h.id));
	h.bom = bom;
	for (i = 0; site->kind && i < lm_kind_count(); i++)
		if (lm_kind_at(i) == site->kind)
			h.kind = (uint32_t)i + 1;
	h.line = site->line;
	h.col = site->col;
	h.occurrence = site->occurrence;
	memcpy(h.mutant_line, site->mutant_line, sizeof(h.mutant_line));
	memcpy(h.mutant_col, site->mutant_col, sizeof(h.mutant_col));
	h.anchor_start = site->anchor_start;
	h.anchor_end = site->anchor_end;
	h.mutant_anchor_start = site->mutant_anchor_start;
	h.mutant_anchor_end = site->mutant_anchor_end;
	h.mutant_len = site->mutant_len;
	for (i = 0; i < 4; i++)
		h.text[i] = text_len(texts[i]);
	h.text[4] = site->mutant ? site->mutant_len : NO_TEXT;
	h.nedits = lm_edits_count(site->edits);
	h.nmore = site->nmore;
	h.nrelated = site->nrelated;
	if ((error = put(sp, &h, sizeof(h))) < 0 || (error = put_texts(sp, texts, h.text, 5)) < 0 ||
	    (error = put_edits(sp, site->edits)) < 0)
		return error;
	return put_others(sp, site);
}

int lm__spool_rewind(lm__spool *sp)
{
	if (fflush(sp->file) != 0)
		return write_fail(sp);
	rewind(sp->file);
	sp->reading = true;
	return 0;
}

static int get(lm__spool *sp, void *data, size_t len)
{
	if (len == 0 || fread(data, len, 1, sp->file) == 1)
		return 0;
	return lm_error_set(LM_EIO, "the plan's spool (%s, unlinked): cannot read: %s", sp->path,
	                    ferror(sp->file) ? strerror(errno) : "it ends early");
}

/* A text of `len` bytes (NO_TEXT: none), NUL-terminated. */
static int get_text(lm__spool *sp, uint64_t len, char **out)
{
	int error;

	*out = NULL;
	if (len == NO_TEXT)
		return 0;
	if (len >= SIZE_MAX || !(*out = lm__malloc((size_t)len + 1)))
		return lm_error_set(LM_ENOMEM, "out of memory");
	if ((error = get(sp, *out, (size_t)len)) < 0)
		return error;
	(*out)[len] = '\0';
	return 0;
}

/* `n` edits, into a new list. */
static int get_edits(lm__spool *sp, uint64_t n, lm_edits **out)
{
	lm_buf text = LM_BUF_INIT;
	uint64_t i;
	int error;

	if ((error = lm_edits_new(out)) < 0)
		return error;
	for (i = 0; i < n && error == 0; i++) {
		edit_head eh;

		lm_buf_clear(&text);
		if ((error = get(sp, &eh, sizeof(eh))) < 0 ||
		    (error = lm_buf_grow(&text, (size_t)eh.len + 1)) < 0 ||
		    (error = get(sp, text.ptr, (size_t)eh.len)) < 0)
			break;
		error =
		    lm_edits_add(*out, (size_t)eh.start, (size_t)eh.end, text.ptr, (size_t)eh.len);
	}
	lm_buf_dispose(&text);
	return error;
}

static int get_others(lm__spool *sp, const record_head *h, lm_site *site)
{
	uint64_t i;
	int error;

	if (h->nmore && !(site->more = lm__calloc((size_t)h->nmore, sizeof(*site->more))))
		return lm_error_set(LM_ENOMEM, "out of memory");
	for (i = 0; i < h->nmore; i++) {
		lm_site_file *f = &site->more[site->nmore++];
		more_head mh;

		if ((error = get(sp, &mh, sizeof(mh))) < 0 ||
		    (error = get_text(sp, mh.text[0], &f->path)) < 0 ||
		    (error = get_text(sp, mh.text[1], &f->mutant)) < 0 ||
		    (error = get_edits(sp, mh.nedits, &f->edits)) < 0)
			return error;
		f->bom = mh.bom != 0;
		f->mutant_len = f->mutant ? (size_t)mh.text[1] : 0;
	}
	if (h->nrelated &&
	    !(site->related = lm__calloc((size_t)h->nrelated, sizeof(*site->related))))
		return lm_error_set(LM_ENOMEM, "out of memory");
	for (i = 0; i < h->nrelated; i++) {
		lm_location *l = &site->related[site->nrelated++];
		related_head rh;

		if ((error = get(sp, &rh, sizeof(rh))) < 0 ||
		    (error = get_text(sp, rh.path, &l->path)) < 0)
			return error;
		if (rh.role >= NROLES)
			return lm_error_set(LM_ERROR, "the plan's spool (%s, unlinked): a bad role",
			                    sp->path);
		memcpy(l->line, rh.line, sizeof(l->line));
		memcpy(l->col, rh.col, sizeof(l->col));
		l->role = roles[rh.role];
	}
	return 0;
}

/* The next record, whatever its index. */
static int get_record(lm__spool *sp, record_head *h, lm_site *site)
{
	int error;

	if ((error = get(sp, h, sizeof(*h))) < 0)
		return error;
	memcpy(site->id, h->id, sizeof(site->id));
	site->id[sizeof(site->id) - 1] = '\0';
	site->kind = h->kind ? lm_kind_at(h->kind - 1) : NULL;
	site->line = h->line;
	site->col = h->col;
	site->occurrence = h->occurrence;
	memcpy(site->mutant_line, h->mutant_line, sizeof(site->mutant_line));
	memcpy(site->mutant_col, h->mutant_col, sizeof(site->mutant_col));
	site->anchor_start = (size_t)h->anchor_start;
	site->anchor_end = (size_t)h->anchor_end;
	site->mutant_anchor_start = (size_t)h->mutant_anchor_start;
	site->mutant_anchor_end = (size_t)h->mutant_anchor_end;
	site->mutant_len = (size_t)h->mutant_len;
	site->valid = true;
	if ((error = get_text(sp, h->text[0], &site->qualname)) < 0 ||
	    (error = get_text(sp, h->text[1], &site->fingerprint)) < 0 ||
	    (error = get_text(sp, h->text[2], &site->preview)) < 0 ||
	    (error = get_text(sp, h->text[3], &site->path)) < 0 ||
	    (error = get_text(sp, h->text[4], &site->mutant)) < 0 ||
	    (error = get_edits(sp, h->nedits, &site->edits)) < 0)
		return error;
	site->bom = site->path && h->bom; /* a site's own file's, when it names one */
	return get_others(sp, h, site);
}

int lm__spool_get(lm__spool *sp, size_t index, const lm_operator *op, git_oid *content, bool *bom,
                  lm_site **out)
{
	record_head h;
	lm_site *site = NULL;
	int error;

	*out = NULL;
	if (!sp->reading)
		return lm_error_set(LM_ERROR, "the plan's spool is read before it is written");
	do {
		lm__site_free(site);
		if (!(site = lm__calloc(1, sizeof(*site))))
			return lm_error_set(LM_ENOMEM, "out of memory");
		if ((error = get_record(sp, &h, site)) < 0) {
			lm__site_free(site);
			return error;
		}
	} while (h.index < index);
	if (h.index != index) {
		lm__site_free(site);
		return lm_error_set(LM_ERROR, "the plan's spool has no record of mutant %zu",
		                    index);
	}
	site->op = op;
	git_oid_cpy(content, &h.content);
	*bom = h.bom != 0;
	*out = site;
	return 0;
}
