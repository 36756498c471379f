/*
 * leakmut: what engine.c shares with tree.c (the interprocedural pass).
 */
#ifndef LEAKMUT_ENGINE_INT_H
#define LEAKMUT_ENGINE_INT_H

#include "leakmut/leakmut.h"

typedef struct lm__index lm__index;

struct lm_engine {
	const lm_operator *const *ops;
	lm_query **queries; /* NULL for interprocedural operators */
	/*
	 * The distinct query texts as one query, run once a file; the first
	 * operator of each of its patterns' texts.
	 */
	lm_query *all;
	size_t *pattern_op;
	size_t count;
	lm__index *index; /* what lm_engine_index() recorded */
	char *package;    /* the dotted package the input root is, or NULL */
	bool trust;       /* lm_engine_trust_sites() */
	bool drop_texts;  /* !lm_engine_keep_texts() */
};

/* Free a site (NULL is fine). */
void lm__site_free(lm_site *site);
/* Append a site to a list (which takes it on success). */
int lm__sites_push(lm_sites *sites, lm_site *site);
/* The text of `node` with runs of whitespace made one space (free()), or NULL. */
char *lm__normalise(const lm_source *src, TSNode node);
/* A one-line preview "before  ->  after" of a site (free()), or NULL. */
char *lm__preview(const lm_source *src, const lm_site *site);

/*
 * Mark `site` rejected because its operator's edits overlap or leave the
 * text (lm_edits_check's message, after `path` when given): an operator's
 * fault, which costs this mutant and not the run.  0 or LM_ENOMEM.
 */
int lm__reject_edits(lm_site *site, const char *path);

/*
 * Whether an edit touches a line a backslash continues, at its start or at
 * the line end before it (operators skip such a site, saying
 * LM__CONTINUED_LINE).
 */
bool lm__edit_on_continued_line(const lm_source *src, const lm_edits *edits);
#define LM__CONTINUED_LINE "an edit touches a line a backslash continues"

/*
 * Where the bytes [start, end) of the original `text` landed once `edits`
 * are applied: moved by the edits before them, or, when an edit rewrote
 * them, found as written in that edit's text.  SIZE_MAX when lost.
 */
void lm__map_range(const char *text, size_t start, size_t end, const lm_edits *edits,
                   size_t *mstart, size_t *mend);
/* The git blob id (hex) of a source as git would store it, BOM included. */
int lm__blob_hex(char out[41], const lm_source *src);

void lm__index_free(lm__index *index);

#endif
