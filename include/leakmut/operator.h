/*
 * leakmut: operators, the sites they find, and the registry.
 *
 * An operator is a const struct with designated initialisers (one file per
 * operator in mutators/, listed once in mutators/mutators.def).  Its query
 * finds candidate nodes; its rewrite callback either appends byte-range
 * edits and emits a site, records a skipped site with its reason, or does
 * nothing (not a candidate after all).
 */
#ifndef LEAKMUT_OPERATOR_H
#define LEAKMUT_OPERATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "edit.h"
#include "kind.h"
#include "query.h"
#include "source.h"

typedef enum lm_scope {
	LM_SCOPE_INTRAPROCEDURAL,
	LM_SCOPE_EXCEPTION_PATH,
	LM_SCOPE_INTERPROCEDURAL,
	LM_SCOPE_SUPPRESSED
} lm_scope;

typedef enum lm_family { LM_FAMILY_LEAK, LM_FAMILY_CONTROL } lm_family;

/* The name of a scope or family, as shown and as accepted by selections. */
const char *lm_scope_name(lm_scope scope);
const char *lm_family_name(lm_family family);

typedef struct lm_rewrite lm_rewrite;
typedef struct lm_candidates lm_candidates;
typedef struct lm_tree_rewrite lm_tree_rewrite;

typedef struct lm_operator {
	const char *id;   /* stable kebab-case */
	unsigned version; /* goes up whenever the output changes */
	lm_family family;
	lm_scope scope;
	unsigned cwe;            /* the leak's CWE: 772 or 775 */
	const char *summary;     /* one line */
	const char *description; /* a paragraph */
	const char *kinds;       /* resource kind ids, comma-separated */
	const char *before;      /* an example input ... */
	const char *after;       /* ... and this operator's output for it */
	/*
	 * For the suppressed scope: the comment the mutant carries and the
	 * detector rules that honour it ("ruff:SIM115,flake8:SIM115"), or NULL.
	 */
	const char *suppression;
	const char *silences;
	const char *query; /* tree-sitter query finding candidates */
	/*
	 * Called for each match.  Returns 0 or an LM_E* code (which stops the
	 * scan of this file).
	 */
	int (*rewrite)(lm_rewrite *rw, const lm_match *match);
	/*
	 * Interprocedural operators (query and rewrite NULL) work on a name a
	 * module defines and every module of the input that imports it.
	 * `candidates` is called for each input file and adds the names it
	 * defines that the operator may rewrite; `rewrite_tree` is then called
	 * once a name, with the defining file and its importers loaded.  Both
	 * return 0 or an LM_E* code.
	 */
	int (*candidates)(lm_candidates *out, const lm_source *src);
	int (*rewrite_tree)(lm_tree_rewrite *rw);
} lm_operator;

/* ---- for rewrite callbacks ---------------------------------------- */

/* The source being scanned (borrowed). */
const lm_source *lm_rewrite_source(const lm_rewrite *rw);

/* The node captured as `name` in `match`, or a null node. */
TSNode lm_rewrite_node(const lm_rewrite *rw, const lm_match *match, const char *name);

/* The edit list of the site being built (borrowed). */
lm_edits *lm_rewrite_edits(lm_rewrite *rw);

/*
 * Emit a site from the edits appended so far and clear them for the next.
 * `acquisition` is the node that acquires the resource (the anchor),
 * `statement` the statement that holds it (its normalised text goes into
 * the mutant id).
 */
int lm_rewrite_emit(lm_rewrite *rw, TSNode acquisition, TSNode statement, const lm_kind *kind);

/*
 * Record a candidate that is not a site, with a short static reason (shown
 * by `leakmut sites --why-not`), and clear any edits appended for it.
 */
int lm_rewrite_skip(lm_rewrite *rw, TSNode at, const lm_kind *kind, const char *reason);

/* ---- for interprocedural operators ---------------------------------------- */

/* Add `name` (a top-level function or class of the file) as a candidate. */
int lm_candidate_add(lm_candidates *out, TSNode name);

/* How a file of a tree rewrite sees the candidate's name. */
typedef enum lm_binding {
	LM_BIND_DEFINES, /* file 0: it defines the name */
	LM_BIND_NAME,    /* `from M import name [as local]` */
	LM_BIND_MODULE,  /* `import M [as local]`: uses are `local.name` */
	LM_BIND_STAR     /* `from M import *` */
} lm_binding;

/* The candidate's name, as defined in file 0. */
const char *lm_tree_name(const lm_tree_rewrite *rw);
/* The number of files: file 0 defines the name, the others import it. */
size_t lm_tree_count(const lm_tree_rewrite *rw);
/* File i (borrowed, parsed) and its path relative to the input root. */
const lm_source *lm_tree_source(const lm_tree_rewrite *rw, size_t i);
const char *lm_tree_path(const lm_tree_rewrite *rw, size_t i);
/*
 * How file i binds the name, and the local name it binds (the name, its
 * alias, or the module's local name), NUL-terminated and borrowed.  A file
 * may bind it more than once: `n` is the index of the binding, from 0;
 * returns false past the last.
 */
bool lm_tree_binding(const lm_tree_rewrite *rw, size_t i, size_t n, lm_binding *kind,
                     const char **local);
/* The edit list of file i for the site being built (borrowed). */
lm_edits *lm_tree_edits(lm_tree_rewrite *rw, size_t i);
/*
 * Record `node` of file i as a related location of the site being built
 * (`role`: a static string such as "producer", "consumer", "class").
 */
int lm_tree_relate(lm_tree_rewrite *rw, size_t i, TSNode node, const char *role);
/*
 * Emit a site from the edits of every file: `anchor` (in file i) is its
 * primary location, `statement` the statement holding it.  Clears the edits
 * and related locations for the next.
 */
int lm_tree_emit(lm_tree_rewrite *rw, size_t i, TSNode anchor, TSNode statement,
                 const lm_kind *kind);
/* Record a candidate that is not a site (as lm_rewrite_skip), at `at` in file i. */
int lm_tree_skip(lm_tree_rewrite *rw, size_t i, TSNode at, const lm_kind *kind, const char *reason);

/* ---- shared queries and rewrites ---------------------------------------- */

/*
 * Query text for `with R as name:` where R is a call, the item bare, in
 * parentheses or as a one-item tuple `(R as name,)`: captures @with,
 * @item, @acquire (R), @name and @body.
 */
#define LM_QUERY_WITH_AS_CALL                                                                      \
	"(with_statement\n"                                                                        \
	"  (with_clause\n"                                                                         \
	"    (with_item\n"                                                                         \
	"      value: [\n"                                                                         \
	"        (as_pattern . (call) @acquire\n"                                                  \
	"          alias: (as_pattern_target . (identifier) @name .))\n"                           \
	"        (parenthesized_expression\n"                                                      \
	"          (as_pattern . (call) @acquire\n"                                                \
	"            alias: (as_pattern_target . (identifier) @name .)))\n"                        \
	"        (tuple .\n"                                                                       \
	"          (as_pattern . (call) @acquire\n"                                                \
	"            alias: (as_pattern_target . (identifier) @name .)) .)\n"                      \
	"      ]) @item)\n"                                                                        \
	"  body: (block) @body) @with\n"

/* Query text for `with X:` where X is a name or an attribute (a lock):
 * captures @with, @lock (X) and @body. */
#define LM_QUERY_WITH_VALUE                                                                        \
	"(with_statement\n"                                                                        \
	"  (with_clause (with_item value: [(identifier) (attribute)] @lock))\n"                    \
	"  body: (block) @body) @with\n"

/*
 * Take the with-item `item` out of the with statement `with`, and write
 * `stmt` (one statement, without line ending, such as "f = open(p)") where
 * the resource is now acquired:
 * - the only item: `stmt` replaces the with's header and the body, with the
 *   comment lines before it, is dedented to the with's indentation (a body
 *   on the header's line moves to a line of its own);
 * - the first of several: `stmt` goes on a line of its own before the with,
 *   which keeps its other items as written;
 * - a later item: `stmt` becomes the first statement of the body.
 * New lines take the file's line ending and indentation.  When the layout
 * does not allow it (the with shares its line with other code, or the body's
 * indentation does not extend the with's), appends nothing, sets *why to a
 * short static reason and returns 0.
 */
int lm_with_unwrap(lm_edits *edits, const lm_source *src, TSNode with, TSNode item,
                   const char *stmt, size_t len, const char **why);

/*
 * Turn the one-item with statement `with` into `acq` (one statement, such
 * as "f = open(p)"), then `try:` holding the body as it was, and `finally:`
 * with `rel` (such as "f.close()"), indented as the body; a body on the
 * header's line moves to a line of its own.  When the layout does not allow
 * it, appends nothing, sets *why to a short static reason and returns 0.
 */
int lm_with_try_finally(lm_edits *edits, const lm_source *src, TSNode with, const char *acq,
                        size_t acq_len, const char *rel, size_t rel_len, const char **why);

/* Whether `<object>.<method>` (object given as text) appears under `node`. */
bool lm_method_used(const lm_source *src, TSNode node, const char *object, size_t len,
                    const char *method);

/* ---- the registry ---------------------------------------------------- */

/* Every operator, sorted by id (borrowed, static). */
const lm_operator *const *lm_operators(size_t *count);

/* The operator with this id, or NULL. */
const lm_operator *lm_operator_find(const char *id);

/*
 * Select operators from a comma-separated list of ids and groups ("all",
 * "leak", "control", or a scope name such as "exception-path").  NULL or ""
 * means "leak".  On success *out (free with free()) holds *count operators
 * in registry order, without repeats.  LM_ENOTFOUND names an unknown item.
 */
int lm_operators_select(const lm_operator ***out, size_t *count, const char *list);

#endif
