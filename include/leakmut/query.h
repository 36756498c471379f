/*
 * leakmut: tree-sitter queries with their predicates evaluated.
 *
 * tree-sitter's C library parses predicates but does not evaluate them.
 * This module supports #eq?, #not-eq?, #any-of?, #not-any-of?, #match? and
 * #not-match? (POSIX extended regular expressions), and refuses any other
 * when the query is compiled, naming the query's owner.
 */
#ifndef LEAKMUT_QUERY_H
#define LEAKMUT_QUERY_H

#include <stdint.h>
#include <tree_sitter/api.h>

#include "common.h"
#include "source.h"

typedef struct lm_query lm_query;

/* A match as tree-sitter reports it; borrowed during the callback only. */
typedef TSQueryMatch lm_match;

/*
 * Compile `text` for the Python grammar.  `owner` (an operator id) names the
 * query in messages.  Fails with LM_EPARSE ("owner: query error at line:col:
 * kind") or LM_EINVALID (unsupported predicate, wrong arguments, bad regex).
 * Release with lm_query_free().
 */
int lm_query_new(lm_query **out, const char *owner, const char *text);

/* Release a query.  Accepts NULL. */
void lm_query_free(lm_query *query);

/* How many patterns the query has (a match's pattern_index is below it). */
uint32_t lm_query_pattern_count(const lm_query *query);

/* The index of capture `name` (without '@'), or UINT32_MAX. */
uint32_t lm_query_capture(const lm_query *query, const char *name);

/*
 * Call `cb` for every match under `node` whose predicates hold, in document
 * order.  A non-zero return from `cb` stops the walk and is returned.
 */
typedef int (*lm_match_cb)(const lm_match *match, void *payload);
int lm_query_exec(const lm_query *query, const lm_source *src, TSNode node, lm_match_cb cb,
                  void *payload);

/* The first node captured as `capture` in `match`, or a null node. */
TSNode lm_match_node(const lm_match *match, uint32_t capture);

#endif
