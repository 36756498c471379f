#include "leakmut/query.h"

#include <regex.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

typedef enum { PRED_EQ, PRED_ANY_OF, PRED_MATCH } pred_op;

typedef struct predicate {
	pred_op op;
	bool negate;
	uint32_t capture;     /* the capture tested */
	uint32_t other;       /* #eq? against a capture, or UINT32_MAX */
	const char **strings; /* #eq?/#any-of? literals (borrowed from the query) */
	uint32_t *lens;
	uint32_t nstrings;
	regex_t regex;
	bool has_regex;
} predicate;

typedef struct pattern_preds {
	predicate *items;
	uint32_t count;
} pattern_preds;

struct lm_query {
	TSQuery *ts;
	pattern_preds *patterns;
	uint32_t npatterns;
};

static const char *query_error_name(TSQueryError err)
{
	switch (err) {
	case TSQueryErrorSyntax:
		return "syntax error";
	case TSQueryErrorNodeType:
		return "unknown node type";
	case TSQueryErrorField:
		return "unknown field";
	case TSQueryErrorCapture:
		return "unknown capture";
	case TSQueryErrorStructure:
		return "impossible pattern";
	case TSQueryErrorLanguage:
		return "language mismatch";
	default:
		return "error";
	}
}

void lm_query_free(lm_query *query)
{
	uint32_t i, j;

	if (!query)
		return;
	for (i = 0; i < query->npatterns; i++) {
		for (j = 0; j < query->patterns[i].count; j++) {
			predicate *p = &query->patterns[i].items[j];

			if (p->has_regex)
				regfree(&p->regex);
			free(p->strings);
			free(p->lens);
		}
		free(query->patterns[i].items);
	}
	free(query->patterns);
	if (query->ts)
		ts_query_delete(query->ts);
	free(query);
}

/* Parse one predicate: steps[0] is its name, steps[n] the Done step. */
static int compile_predicate(lm_query *q, predicate *p, const char *owner,
                             const TSQueryPredicateStep *steps, uint32_t n)
{
	uint32_t len, i;
	const char *name;

	if (n == 0 || steps[0].type != TSQueryPredicateStepTypeString)
		return lm_error_set(LM_EINVALID, "%s: query predicate without a name", owner);
	name = ts_query_string_value_for_id(q->ts, steps[0].value_id, &len);
	p->other = UINT32_MAX;
	if (!strcmp(name, "eq?") || !strcmp(name, "not-eq?")) {
		p->op = PRED_EQ;
		p->negate = name[0] == 'n';
		if (n != 3)
			return lm_error_set(LM_EINVALID, "%s: #%s takes two arguments", owner,
			                    name);
	} else if (!strcmp(name, "any-of?") || !strcmp(name, "not-any-of?")) {
		p->op = PRED_ANY_OF;
		p->negate = name[0] == 'n';
		if (n < 3)
			return lm_error_set(LM_EINVALID, "%s: #%s takes a capture and strings",
			                    owner, name);
	} else if (!strcmp(name, "match?") || !strcmp(name, "not-match?")) {
		p->op = PRED_MATCH;
		p->negate = name[0] == 'n';
		if (n != 3 || steps[2].type != TSQueryPredicateStepTypeString)
			return lm_error_set(LM_EINVALID, "%s: #%s takes a capture and a regex",
			                    owner, name);
	} else {
		return lm_error_set(LM_EINVALID,
		                    "%s: query predicate #%s is not supported (use #eq?, "
		                    "#not-eq?, #any-of?, #not-any-of?, #match?, #not-match?)",
		                    owner, name);
	}
	if (steps[1].type != TSQueryPredicateStepTypeCapture)
		return lm_error_set(LM_EINVALID, "%s: #%s must start with a capture", owner, name);
	p->capture = steps[1].value_id;
	if (p->op == PRED_EQ && steps[2].type == TSQueryPredicateStepTypeCapture) {
		p->other = steps[2].value_id;
		return 0;
	}
	p->nstrings = n - 2;
	p->strings = lm__calloc(p->nstrings, sizeof(*p->strings));
	p->lens = lm__calloc(p->nstrings, sizeof(*p->lens));
	if (!p->strings || !p->lens)
		return lm_error_set(LM_ENOMEM, "out of memory");
	for (i = 0; i < p->nstrings; i++) {
		if (steps[2 + i].type != TSQueryPredicateStepTypeString)
			return lm_error_set(LM_EINVALID, "%s: #%s takes strings after its capture",
			                    owner, name);
		p->strings[i] =
		    ts_query_string_value_for_id(q->ts, steps[2 + i].value_id, &p->lens[i]);
	}
	if (p->op == PRED_MATCH) {
		int rc = regcomp(&p->regex, p->strings[0], REG_EXTENDED | REG_NOSUB);

		if (rc != 0) {
			char msg[128];

			regerror(rc, &p->regex, msg, sizeof(msg));
			return lm_error_set(LM_EINVALID, "%s: bad regex \"%s\": %s", owner,
			                    p->strings[0], msg);
		}
		p->has_regex = true;
	}
	return 0;
}

int lm_query_new(lm_query **out, const char *owner, const char *text)
{
	lm_query *q;
	uint32_t offset = 0, i;
	TSQueryError err = TSQueryErrorNone;
	int error = 0;

	*out = NULL;
	if (!(q = lm__calloc(1, sizeof(*q))))
		return lm_error_set(LM_ENOMEM, "out of memory");
	q->ts = ts_query_new(lm_language(), text, (uint32_t)strlen(text), &offset, &err);
	if (!q->ts) {
		uint32_t line = 1, col = 1, k;

		for (k = 0; k < offset && text[k]; k++) {
			if (text[k] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		error = lm_error_set(LM_EPARSE, "%s: query %s at %u:%u", owner,
		                     query_error_name(err), line, col);
		goto cleanup;
	}
	/* npatterns only once the array exists: lm_query_free walks it. */
	if (!(q->patterns = lm__calloc(ts_query_pattern_count(q->ts), sizeof(*q->patterns)))) {
		error = lm_error_set(LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	q->npatterns = ts_query_pattern_count(q->ts);
	for (i = 0; i < q->npatterns; i++) {
		uint32_t nsteps, start = 0, k, npred = 0;
		const TSQueryPredicateStep *steps =
		    ts_query_predicates_for_pattern(q->ts, i, &nsteps);

		for (k = 0; k < nsteps; k++)
			if (steps[k].type == TSQueryPredicateStepTypeDone)
				npred++;
		if (!npred)
			continue;
		q->patterns[i].items = lm__calloc(npred, sizeof(predicate));
		if (!q->patterns[i].items) {
			error = lm_error_set(LM_ENOMEM, "out of memory");
			goto cleanup;
		}
		for (k = 0; k < nsteps; k++) {
			if (steps[k].type != TSQueryPredicateStepTypeDone)
				continue;
			error = compile_predicate(q, &q->patterns[i].items[q->patterns[i].count++],
			                          owner, steps + start, k - start);
			if (error < 0)
				goto cleanup;
			start = k + 1;
		}
	}
	*out = q;
	return 0;

cleanup:
	lm_query_free(q);
	return error;
}

uint32_t lm_query_pattern_count(const lm_query *query)
{
	return query->npatterns;
}

uint32_t lm_query_capture(const lm_query *query, const char *name)
{
	uint32_t i, n = ts_query_capture_count(query->ts), len;

	for (i = 0; i < n; i++) {
		const char *cap = ts_query_capture_name_for_id(query->ts, i, &len);

		if (strlen(name) == len && memcmp(cap, name, len) == 0)
			return i;
	}
	return UINT32_MAX;
}

TSNode lm_match_node(const lm_match *match, uint32_t capture)
{
	uint16_t i;

	for (i = 0; i < match->capture_count; i++)
		if (match->captures[i].index == capture)
			return match->captures[i].node;
	return (TSNode){{0}, NULL, NULL};
}

static bool text_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

static bool node_holds(const predicate *p, const lm_source *src, const lm_match *m, TSNode node)
{
	size_t len;
	const char *text = lm_node_text(src, node, &len);
	uint32_t i;

	switch (p->op) {
	case PRED_EQ:
		if (p->other != UINT32_MAX) {
			TSNode other = lm_match_node(m, p->other);
			size_t olen;
			const char *otext;

			if (ts_node_is_null(other))
				return false;
			otext = lm_node_text(src, other, &olen);
			return text_eq(text, len, otext, olen);
		}
		return text_eq(text, len, p->strings[0], p->lens[0]);
	case PRED_ANY_OF:
		for (i = 0; i < p->nstrings; i++)
			if (text_eq(text, len, p->strings[i], p->lens[i]))
				return true;
		return false;
	case PRED_MATCH: {
		/* regexec needs a NUL-terminated subject. */
		char small[256], *subject = small;
		bool ok;

		if (len >= sizeof(small) && !(subject = lm__malloc(len + 1)))
			return false;
		memcpy(subject, text, len);
		subject[len] = '\0';
		ok = regexec(&p->regex, subject, 0, NULL, 0) == 0;
		if (subject != small)
			free(subject);
		return ok;
	}
	}
	return false;
}

/* Every node captured by the predicate's capture must satisfy it. */
static bool predicates_hold(const lm_query *q, const lm_source *src, const lm_match *m)
{
	const pattern_preds *pp = &q->patterns[m->pattern_index];
	uint32_t i;
	uint16_t k;

	for (i = 0; i < pp->count; i++) {
		const predicate *p = &pp->items[i];

		for (k = 0; k < m->capture_count; k++) {
			if (m->captures[k].index != p->capture)
				continue;
			if (node_holds(p, src, m, m->captures[k].node) == p->negate)
				return false;
		}
	}
	return true;
}

int lm_query_exec(const lm_query *query, const lm_source *src, TSNode node, lm_match_cb cb,
                  void *payload)
{
	TSQueryCursor *cursor = ts_query_cursor_new();
	TSQueryMatch match;
	int rc = 0;

	if (!cursor)
		return lm_error_set(LM_ENOMEM, "out of memory");
	ts_query_cursor_exec(cursor, query->ts, node);
	while (ts_query_cursor_next_match(cursor, &match)) {
		if (!predicates_hold(query, src, &match))
			continue;
		if ((rc = cb(&match, payload)) != 0)
			break;
	}
	ts_query_cursor_delete(cursor);
	return rc;
}
