#include "leakmut/leakmut.h"

#include <git2.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "engine_int.h"

struct lm_rewrite {
	const lm_operator *op;
	size_t op_index;
	const lm_query *query;
	const lm_source *src;
	lm_edits *edits;
	lm_sites *out;
};

/* Sites of the current scan carry their operator's index for sorting. */
typedef struct site_ext {
	lm_site site;
	size_t op_index;
} site_ext;

int lm_init(void)
{
	if (git_libgit2_init() < 0)
		return lm_error_set(LM_EGIT, "libgit2 failed to start");
	return 0;
}

void lm_shutdown(void)
{
	git_libgit2_shutdown();
}

void lm__site_free(lm_site *site)
{
	size_t i;

	if (!site)
		return;
	free(site->qualname);
	free(site->fingerprint);
	free(site->preview);
	free(site->mutant);
	free(site->invalid);
	lm_edits_free(site->edits);
	free(site->path);
	for (i = 0; i < site->nmore; i++) {
		free(site->more[i].path);
		free(site->more[i].mutant);
		lm_edits_free(site->more[i].edits);
	}
	free(site->more);
	for (i = 0; i < site->nrelated; i++)
		free(site->related[i].path);
	free(site->related);
	free(site);
}

void lm_sites_dispose(lm_sites *sites)
{
	size_t i;

	if (!sites)
		return;
	for (i = 0; i < sites->count; i++)
		lm__site_free(sites->items[i]);
	free(sites->items);
	sites->items = NULL;
	sites->count = sites->alloc = 0;
}

int lm__sites_push(lm_sites *sites, lm_site *site)
{
	if (sites->count == sites->alloc) {
		size_t alloc = sites->alloc ? sites->alloc * 2 : 16;
		lm_site **items = lm__realloc(sites->items, alloc * sizeof(*items));

		if (!items)
			return lm_error_set(LM_ENOMEM, "out of memory");
		sites->items = items;
		sites->alloc = alloc;
	}
	sites->items[sites->count++] = site;
	return 0;
}

/*
 * Operators that share a query's text share its compiled query, and a scan
 * runs it once for all of them.  The query of an earlier operator with the
 * same text as ops[i]'s, or NULL.
 */
static lm_query *shared_query(const lm_engine *engine, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (engine->queries[j] && !strcmp(engine->ops[j]->query, engine->ops[i]->query))
			return engine->queries[j];
	return NULL;
}

/* Whether ops[i] is the first operator to run its query. */
static bool runs_query(const lm_engine *engine, size_t i)
{
	size_t j;

	if (!engine->queries[i])
		return false;
	for (j = 0; j < i; j++)
		if (engine->queries[j] == engine->queries[i])
			return false;
	return true;
}

/*
 * One query made of every distinct query text, so that a file's tree is
 * walked once for all the operators: tree-sitter numbers its patterns in the
 * order of the texts, which maps each back to its text's first operator.
 * Each text was compiled alone first, which names the operator of a bad one.
 */
static int join_queries(lm_engine *engine)
{
	lm_buf text = LM_BUF_INIT;
	size_t i, npatterns = 0, at = 0;
	uint32_t k;
	int error = 0;

	for (i = 0; i < engine->count; i++) {
		if (!runs_query(engine, i))
			continue;
		npatterns += lm_query_pattern_count(engine->queries[i]);
		if ((error = lm_buf_puts(&text, engine->ops[i]->query)) < 0 ||
		    (error = lm_buf_puts(&text, "\n")) < 0)
			goto cleanup;
	}
	if (!npatterns)
		goto cleanup;
	if (!(engine->pattern_op = lm__calloc(npatterns, sizeof(*engine->pattern_op)))) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < engine->count; i++)
		if (runs_query(engine, i))
			for (k = 0; k < lm_query_pattern_count(engine->queries[i]); k++)
				engine->pattern_op[at++] = i;
	if ((error = lm_query_new(&engine->all, "the operators' queries", text.ptr)) < 0)
		goto cleanup;
	if (lm_query_pattern_count(engine->all) != npatterns)
		error = lm_error_set(LM_EINVALID, "the operators' queries: %u patterns, not %zu",
		                     lm_query_pattern_count(engine->all), npatterns);

cleanup:
	lm_buf_dispose(&text);
	return error;
}

int lm_engine_new(lm_engine **out, const lm_operator *const *ops, size_t count)
{
	lm_engine *engine;
	size_t i;
	int error;

	*out = NULL;
	if (!(engine = lm__calloc(1, sizeof(*engine))) ||
	    !(engine->queries = lm__calloc(count, sizeof(lm_query *)))) {
		free(engine);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	engine->ops = ops;
	engine->count = count;
	for (i = 0; i < count; i++) {
		if (!ops[i]->query)
			continue; /* interprocedural */
		if ((engine->queries[i] = shared_query(engine, i)) != NULL)
			continue;
		if ((error = lm_query_new(&engine->queries[i], ops[i]->id, ops[i]->query)) < 0) {
			lm_engine_free(engine);
			return error;
		}
	}
	if ((error = join_queries(engine)) < 0) {
		lm_engine_free(engine);
		return error;
	}
	*out = engine;
	return 0;
}

void lm_engine_free(lm_engine *engine)
{
	size_t i;

	if (!engine)
		return;
	for (i = 0; i < engine->count; i++)
		if (runs_query(engine, i))
			lm_query_free(engine->queries[i]);
	free(engine->queries);
	lm_query_free(engine->all);
	free(engine->pattern_op);
	lm__index_free(engine->index);
	free(engine->package);
	free(engine);
}

const lm_source *lm_rewrite_source(const lm_rewrite *rw)
{
	return rw->src;
}

TSNode lm_rewrite_node(const lm_rewrite *rw, const lm_match *match, const char *name)
{
	uint32_t capture = lm_query_capture(rw->query, name);

	if (capture == UINT32_MAX)
		return (TSNode){{0}, NULL, NULL};
	return lm_match_node(match, capture);
}

lm_edits *lm_rewrite_edits(lm_rewrite *rw)
{
	return rw->edits;
}

/* The statement's text with runs of whitespace (and line breaks) made one space. */
char *lm__normalise(const lm_source *src, TSNode node)
{
	size_t len, i, k = 0;
	const char *text = lm_node_text(src, node, &len);
	char *out = lm__malloc(len + 1);
	int space = 0;

	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		char c = text[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\\') {
			space = k > 0;
			continue;
		}
		if (space)
			out[k++] = ' ';
		space = 0;
		out[k++] = c;
	}
	out[k] = '\0';
	return out;
}

static int new_site(lm_site **out, lm_rewrite *rw, TSNode at, TSNode statement, const lm_kind *kind)
{
	site_ext *ext = lm__calloc(1, sizeof(*ext));
	lm_site *site;
	lm_buf qual = LM_BUF_INIT;
	int error;

	*out = NULL;
	if (!ext)
		return lm_error_set(LM_ENOMEM, "out of memory");
	site = &ext->site;
	ext->op_index = rw->op_index;
	site->op = rw->op;
	site->kind = kind;
	site->anchor_start = ts_node_start_byte(at);
	site->anchor_end = ts_node_end_byte(at);
	lm_source_position(rw->src, site->anchor_start, &site->line, &site->col);
	if ((error = lm_qualname(&qual, rw->src, at)) < 0) {
		lm_buf_dispose(&qual);
		free(ext);
		return error;
	}
	site->qualname = lm_buf_detach(&qual);
	site->fingerprint = lm__normalise(rw->src, ts_node_is_null(statement) ? at : statement);
	if (!site->fingerprint) {
		lm__site_free(site);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	if ((error = lm__sites_push(rw->out, site)) < 0) {
		lm__site_free(site);
		return error;
	}
	*out = site;
	return 0;
}

/*
 * Whether the line holding `at` continues the one before it (that line ends
 * in a backslash): the statement's indentation is then the first line's, and
 * re-indenting around it cannot be done from its own line.
 */
static bool continues_line(const lm_source *src, TSNode at)
{
	const char *text = lm_source_text(src);
	size_t p = lm_line_start(src, ts_node_start_byte(at));

	if (p > 0 && text[p - 1] == '\n')
		p--;
	if (p > 0 && text[p - 1] == '\r')
		p--;
	if (p > 0 && p < lm_line_start(src, ts_node_start_byte(at)) && text[p - 1] == '\\')
		return true;
	/* A line of only a backslash inside it: the next line's indentation is
	 * the backslash line's, which a re-indent would not keep. */
	for (p = lm_line_start(src, ts_node_start_byte(at)); p < ts_node_end_byte(at); p++) {
		size_t q = p;

		while (q < ts_node_end_byte(at) && (text[q] == ' ' || text[q] == '\t'))
			q++;
		if (q + 1 < lm_source_len(src) && text[q] == '\\' &&
		    (text[q + 1] == '\n' || text[q + 1] == '\r'))
			return true;
		while (p < ts_node_end_byte(at) && text[p] != '\n')
			p++;
	}
	return false;
}

/*
 * Whether a backslash follows the node on its line, joining the next line
 * to it: text inserted after a statement would join it too (found by
 * tests/fuzz: `return f.read()\` then a blank line).
 */
static bool ends_in_backslash(const lm_source *src, TSNode at)
{
	const char *text = lm_source_text(src);
	size_t p = ts_node_end_byte(at), len = lm_source_len(src);

	while (p < len && (text[p] == ' ' || text[p] == '\t' || text[p] == '\f'))
		p++;
	return p < len && text[p] == '\\';
}

/*
 * Where the line starting at `ls` is continued from the line before (that
 * one ends in a backslash): 1 when some line of that run of continued lines
 * holds nothing but blanks before its backslash, 2 when none does; 0 when
 * the line is not continued.
 */
static int continued_from(const char *text, size_t ls)
{
	int how = 0;

	while (ls > 0 && (text[ls - 1] == '\n' || text[ls - 1] == '\r')) {
		size_t p = ls - 1, q;

		if (text[p] == '\n' && p > 0 && text[p - 1] == '\r')
			p--;
		if (p == 0 || text[p - 1] != '\\')
			break;
		for (q = p - 1; q > 0 && text[q - 1] != '\n' && text[q - 1] != '\r'; q--)
			;
		how = how ? how : 2;
		if (strspn(text + q, " \t\f") == p - 1 - q)
			how = 1;
		ls = q;
	}
	return how;
}

/*
 * Whether an edit changes the start of a line that a backslash at the end
 * of the line before continues: text put there joins that line (found by
 * tests/fuzz: `import contextlib` inserted after `import functools\`);
 * so does an edit at the line end the backslash stands before, which
 * either takes it away or puts text after the backslash (found by
 * tests/fuzz: strip-exit taking out the methods from the end of the line
 * `self.proc.wait()\`, which then continued into the next line left).
 * Re-indenting a continued line changes nothing Python reads, unless a
 * line of only blanks and a backslash continues into it: that line's
 * indentation is the statement's to Python, and tree-sitter-python adds
 * both (found by tests/fuzz: strip-exit dedenting `b.write(y)` below a
 * line ` \` at the top of a with's body).
 */
bool lm__edit_on_continued_line(const lm_source *src, const lm_edits *edits)
{
	const char *text = lm_source_text(src);
	size_t i, n = lm_edits_count(edits), len = lm_source_len(src);

	for (i = 0; i < n; i++) {
		const lm_edit *e = lm_edits_get(edits, i);
		size_t p = e->start;
		int how;

		if (p > len || e->end > len || e->end < p)
			continue; /* out of the text: lm_edits_check() reports it */
		/* At the line end a backslash continues: it takes that line end away, or
		 * puts text between the backslash and it. */
		if (p > 0 && p < len && text[p - 1] == '\\' && (text[p] == '\n' || text[p] == '\r'))
			return true;
		if (p > 0 && text[p - 1] != '\n' && text[p - 1] != '\r')
			continue;
		how = continued_from(text, p);
		if (how == 2 && strspn(e->text, " \t") == e->len &&
		    strspn(text + p, " \t") >= e->end - p)
			continue; /* a re-indent of a line of code's continuation */
		if (how)
			return true;
	}
	return false;
}

/*
 * Whether a compound statement's header colon is followed by a backslash:
 * the body's first line then continues the header's (found by tests/fuzz:
 * `with open(p) as f:\` then the body), which no re-indent keeps.
 */
static bool colon_continues(const lm_source *src, TSNode stmt)
{
	uint32_t i, n = ts_node_child_count(stmt);

	for (i = 0; i < n; i++) {
		TSNode c = ts_node_child(stmt, i);

		if (!ts_node_is_named(c) && !strcmp(ts_node_type(c), ":") &&
		    ends_in_backslash(src, c))
			return true;
	}
	return false;
}

int lm_rewrite_emit(lm_rewrite *rw, TSNode acquisition, TSNode statement, const lm_kind *kind)
{
	lm_site *site;
	int error;
	TSNode whole = statement;

	/* The whole statement: up to the child of a block or of the module. */
	while (!ts_node_is_null(whole) && !ts_node_is_null(ts_node_parent(whole)) &&
	       strcmp(ts_node_type(ts_node_parent(whole)), "block") != 0 &&
	       strcmp(ts_node_type(ts_node_parent(whole)), "module") != 0)
		whole = ts_node_parent(whole);
	if (!ts_node_is_null(whole) && continues_line(rw->src, whole))
		return lm_rewrite_skip(rw, acquisition, kind,
		                       "statement continues a line ending in a backslash");
	if (!ts_node_is_null(whole) && ends_in_backslash(rw->src, whole))
		return lm_rewrite_skip(rw, acquisition, kind,
		                       "statement ends in a backslash joining the next line");
	if (!ts_node_is_null(whole) && colon_continues(rw->src, whole))
		return lm_rewrite_skip(rw, acquisition, kind,
		                       "a backslash after the header's colon continues it");
	if (lm_node_breaks_bare(rw->src, acquisition))
		return lm_rewrite_skip(
		    rw, acquisition, kind,
		    "the acquisition breaks a line only brackets around it join");
	if (lm__edit_on_continued_line(rw->src, rw->edits))
		return lm_rewrite_skip(rw, acquisition, kind, LM__CONTINUED_LINE);
	if ((error = new_site(&site, rw, acquisition, statement, kind)) < 0)
		return error;
	/* The site takes the edits; the rewrite gets a fresh list. */
	site->edits = rw->edits;
	rw->edits = NULL;
	return lm_edits_new(&rw->edits);
}

int lm_rewrite_skip(lm_rewrite *rw, TSNode at, const lm_kind *kind, const char *reason)
{
	lm_site *site;
	int error;

	lm_edits_clear(rw->edits);
	if ((error = new_site(&site, rw, at, at, kind)) < 0)
		return error;
	site->skip_reason = reason;
	return 0;
}

typedef struct scan_state {
	lm_rewrite rw;
	const lm_engine *engine;
} scan_state;

/* A match goes to every operator of its pattern's text, in the engine's order. */
static int on_match(const lm_match *match, void *payload)
{
	scan_state *st = payload;
	const lm_engine *engine = st->engine;
	size_t first = engine->pattern_op[match->pattern_index], i;
	int error = 0;

	for (i = first; i < engine->count && !error; i++) {
		if (engine->queries[i] != engine->queries[first])
			continue;
		st->rw.op = engine->ops[i];
		st->rw.op_index = i;
		st->rw.query = engine->all;
		error = st->rw.op->rewrite(&st->rw, match);
		lm_edits_clear(st->rw.edits);
	}
	return error;
}

static int cmp_sites(const void *a, const void *b)
{
	const site_ext *x = *(site_ext *const *)a, *y = *(site_ext *const *)b;

	if (x->site.anchor_start != y->site.anchor_start)
		return x->site.anchor_start < y->site.anchor_start ? -1 : 1;
	if (x->op_index != y->op_index)
		return x->op_index < y->op_index ? -1 : 1;
	/* Same spot, same operator: keep emission order (stable by address
	 * would not be deterministic), compare by end and fingerprint. */
	if (x->site.anchor_end != y->site.anchor_end)
		return x->site.anchor_end < y->site.anchor_end ? -1 : 1;
	return strcmp(x->site.fingerprint, y->site.fingerprint);
}

/* A one-line preview: the first line of the original statement and of its rewrite. */
char *lm__preview(const lm_source *src, const lm_site *site)
{
	const char *text = lm_source_text(src);
	size_t len = lm_source_len(src), s = site->anchor_start, e = s, ms, me;
	lm_buf out = LM_BUF_INIT;

	while (s > 0 && text[s - 1] != '\n' && text[s - 1] != '\r')
		s--;
	while (e < len && text[e] != '\n' && text[e] != '\r')
		e++;
	while (s < e && (text[s] == ' ' || text[s] == '\t'))
		s++;
	if (lm_buf_put(&out, text + s, e - s) < 0)
		goto fail;
	if (site->mutant && site->edits && lm_edits_count(site->edits) > 0) {
		/* Where the first edit landed in the mutant. */
		const lm_edit *first = lm_edits_get(site->edits, 0);

		ms = first->start;
		while (ms > 0 && site->mutant[ms - 1] != '\n' && site->mutant[ms - 1] != '\r')
			ms--;
		me = ms;
		while (me < site->mutant_len && site->mutant[me] != '\n' &&
		       site->mutant[me] != '\r')
			me++;
		while (ms < me && (site->mutant[ms] == ' ' || site->mutant[ms] == '\t'))
			ms++;
		if (lm_buf_puts(&out, "  ->  ") < 0 ||
		    lm_buf_put(&out, site->mutant + ms, me - ms) < 0)
			goto fail;
	}
	return lm_buf_detach(&out);
fail:
	lm_buf_dispose(&out);
	return NULL;
}

int lm_mutant_id(char out[13], const lm_operator *op, const char *path, const char *qualname,
                 const char *fingerprint, unsigned occurrence, const char *blob_hex)
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char num[32];
	size_t i;

	sha256_init(&ctx);
	snprintf(num, sizeof(num), "%u", op->version);
#define FIELD(s) sha256_update(&ctx, strlen(s) + 1, (const uint8_t *)(s))
	FIELD(op->id);
	FIELD(num);
	FIELD(path);
	FIELD(qualname);
	FIELD(fingerprint);
	snprintf(num, sizeof(num), "%u", occurrence);
	FIELD(num);
	FIELD(blob_hex);
#undef FIELD
	sha256_digest(&ctx, sizeof(digest), digest);
	for (i = 0; i < 6; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
	return 0;
}

/*
 * Find `orig` (len bytes) in the text of an edit: of one overlapping
 * [start, end) if `overlapping`, else of the edit nearest to it.
 */
static bool find_in_edits(const char *orig, size_t start, size_t end, const lm_edits *edits,
                          bool overlapping, size_t *mstart)
{
	size_t len = end - start, i, n = lm_edits_count(edits), pm = 0, po = 0;
	size_t best = SIZE_MAX, best_at = 0;

	for (i = 0; i < n; i++) {
		const lm_edit *e = lm_edits_get(edits, i);
		size_t ms = pm + (e->start - po);
		size_t distance = e->start > start ? e->start - start : start - e->start;
		const char *p;

		if ((!overlapping || (e->start < end && e->end > start)) && distance < best)
			for (p = e->text; len && p + len <= e->text + e->len; p++)
				if (memcmp(p, orig, len) == 0) {
					best = distance;
					best_at = ms + (size_t)(p - e->text);
					break;
				}
		pm = ms + e->len;
		po = e->end;
	}
	if (best == SIZE_MAX)
		return false;
	*mstart = best_at;
	return true;
}

void lm__map_range(const char *text, size_t start, size_t end, const lm_edits *edits,
                   size_t *mstart, size_t *mend)
{
	size_t len = end - start, i, n = lm_edits_count(edits);
	size_t pm = 0, po = 0, shifted = 0, fallback = SIZE_MAX;
	bool touched = false, moved = false;

	for (i = 0; i < n; i++) {
		const lm_edit *e = lm_edits_get(edits, i);
		size_t ms = pm + (e->start - po);

		if (e->end <= start) {
			shifted = ms + e->len + (start - e->end);
			moved = true;
		}
		if (e->start < end && e->end > start) {
			touched = true;
			if (fallback == SIZE_MAX)
				fallback = ms;
		}
		pm = ms + e->len;
		po = e->end;
	}
	if (!touched) {
		*mstart = moved ? shifted : start;
		*mend = *mstart + len;
		return;
	}
	/*
	 * An edit rewrote it: the operator copied it as written into the text
	 * of that edit, or of another (a statement moved elsewhere).
	 */
	if (find_in_edits(text + start, start, end, edits, true, mstart) ||
	    find_in_edits(text + start, start, end, edits, false, mstart)) {
		*mend = *mstart + len;
		return;
	}
	*mstart = *mend = fallback;
}

/*
 * Where the acquisition landed in the mutant.  When no edit touches it, it
 * moved by what the edits before it added or removed.  When one rewrote it,
 * the operator copied it into some edit's text, as written: find it there.
 */
static void map_anchor(lm_site *site, const lm_source *src)
{
	lm__map_range(lm_source_text(src), site->anchor_start, site->anchor_end, site->edits,
	              &site->mutant_anchor_start, &site->mutant_anchor_end);
}

int lm__reject_edits(lm_site *site, const char *path)
{
	lm_buf why = LM_BUF_INIT;
	int error;

	site->valid = false;
	if ((error = lm_buf_printf(&why, "internal error: %s%s%s", path ? path : "",
	                           path ? ": " : "", lm_error_last())) < 0)
		return error;
	site->invalid = lm_buf_detach(&why);
	return 0;
}

/*
 * Make, check and place a site's mutant.  A mutant whose edits are plain
 * (lm_source_edited_plain(): nearly all) is made a source only when the
 * statements it touches alone do not tell whether it parses: its depth and
 * positions come from its edits and its text.
 */
static int finish_site(lm_site *site, lm_source *src, lm_parser *parser, bool trust)
{
	lm_buf buf = LM_BUF_INIT;
	lm_source *mutant = NULL;
	const char *name = lm_source_name(src);
	bool plain, deep;
	int error;

	if ((error = lm_edits_apply(&buf, lm_source_text(src), lm_source_len(src), site->edits)) <
	    0) {
		if (error == LM_EINVALID)
			error = lm__reject_edits(site, NULL);
		goto cleanup;
	}
	site->mutant_len = buf.size;
	site->mutant = lm_buf_detach(&buf);
	if (!site->mutant && !(site->mutant = lm__strdup(""))) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	plain = lm_source_edited_plain(src, site->edits, site->mutant, site->mutant_len);
	if (plain) {
		error = 0;
		deep = lm_source_edited_too_deep(site->edits, site->mutant, site->mutant_len);
	} else {
		error = lm_source_from_bytes(&mutant, name, site->mutant, site->mutant_len);
		deep = error == 0 && lm_source_too_deep(mutant) != 0;
	}
	if (deep) {
		/* Python would take it; the parser that validates it cannot. */
		site->skip_reason = "the mutant would be indented beyond the parser's limit";
		goto cleanup;
	}
	if (error == 0 && !trust) {
		/* The statements the edits touch, alone; when that does not tell, all of it. */
		error = lm_source_check_edits(src, parser, site->edits);
		if (error == 1 && !mutant &&
		    (error = lm_source_from_bytes(&mutant, name, site->mutant, site->mutant_len)) ==
		        0)
			error = 1;
		if (error == 1)
			error = lm_source_parse_edited(mutant, parser, src, site->edits);
	}
	if (error == LM_ENOMEM)
		goto cleanup;
	if (error < 0 && mutant && lm_source_misread(mutant)) {
		site->skip_reason = lm_source_misread(mutant);
		error = 0;
		goto cleanup;
	}
	site->valid = error == 0;
	if (site->valid) {
		map_anchor(site, src);
		if (mutant) {
			lm_source_position(mutant, site->mutant_anchor_start, &site->mutant_line[0],
			                   &site->mutant_col[0]);
			lm_source_position(mutant, site->mutant_anchor_end, &site->mutant_line[1],
			                   &site->mutant_col[1]);
		} else {
			lm_text_position(site->mutant, site->mutant_len, site->mutant_anchor_start,
			                 &site->mutant_line[0], &site->mutant_col[0]);
			lm_text_position(site->mutant, site->mutant_len, site->mutant_anchor_end,
			                 &site->mutant_line[1], &site->mutant_col[1]);
		}
	}
	if (!site->valid && !(site->invalid = lm__strdup(lm_error_last()))) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	error = 0;

cleanup:
	lm_source_free(mutant);
	lm_buf_dispose(&buf);
	return error;
}

int lm__blob_hex(char out[41], const lm_source *src)
{
	lm_buf whole = LM_BUF_INIT;
	git_oid blob;
	int error;

	if ((error = lm_buf_puts(&whole, lm_source_bom(src) ? "\xEF\xBB\xBF" : "")) < 0 ||
	    (error = lm_buf_put(&whole, lm_source_text(src), lm_source_len(src))) < 0)
		goto cleanup;
	if (git_odb_hash(&blob, whole.ptr, whole.size, GIT_OBJECT_BLOB) < 0) {
		error = lm_error_set(LM_EGIT, "%s: cannot hash: %s", lm_source_name(src),
		                     git_error_last() ? git_error_last()->message : "?");
		goto cleanup;
	}
	git_oid_tostr(out, GIT_OID_HEXSZ + 1, &blob);

cleanup:
	lm_buf_dispose(&whole);
	return error;
}

void lm_engine_trust_sites(lm_engine *engine, bool trust)
{
	engine->trust = trust;
}

void lm_engine_keep_texts(lm_engine *engine, bool keep)
{
	engine->drop_texts = !keep;
}

int lm_engine_scan(lm_engine *engine, lm_source *src, lm_parser *parser, const char *path,
                   lm_sites *out)
{
	scan_state st = {{0}, engine};
	size_t first = out->count, i, j;
	char blob_hex[GIT_OID_HEXSZ + 1];
	int error = 0;

	if ((error = lm_source_parse(src, parser)) < 0)
		return error;
	if ((error = lm_edits_new(&st.rw.edits)) < 0)
		return error;
	st.rw.src = src;
	st.rw.out = out;
	if (engine->all &&
	    (error = lm_query_exec(engine->all, src, lm_source_root(src), on_match, &st)) < 0)
		goto cleanup;
	if (out->count > first)
		qsort(out->items + first, out->count - first, sizeof(lm_site *), cmp_sites);

	if ((error = lm__blob_hex(blob_hex, src)) < 0)
		goto cleanup;

	for (i = first; i < out->count; i++) {
		lm_site *site = out->items[i];

		for (j = first; j < i; j++) {
			const lm_site *prev = out->items[j];

			if (prev->op == site->op && !prev->skip_reason == !site->skip_reason &&
			    !strcmp(prev->qualname, site->qualname) &&
			    !strcmp(prev->fingerprint, site->fingerprint))
				site->occurrence++;
		}
		lm_mutant_id(site->id, site->op, path, site->qualname, site->fingerprint,
		             site->occurrence, blob_hex);
		if (!site->skip_reason &&
		    (error = finish_site(site, src, parser, engine->trust)) < 0)
			goto cleanup;
		if (!(site->preview = lm__preview(src, site))) {
			error = lm_error_set(LM_ENOMEM, "out of memory");
			goto cleanup;
		}
		if (engine->drop_texts) {
			free(site->mutant);
			site->mutant = NULL;
		}
	}

cleanup:
	lm_edits_free(st.rw.edits);
	return error;
}
