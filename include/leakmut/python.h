/*
 * leakmut: small facts about Python code that several operators need.
 */
#ifndef LEAKMUT_PYTHON_H
#define LEAKMUT_PYTHON_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "kind.h"
#include "source.h"

/* Whether `node` is the `field` child of `parent`. */
bool lm_node_field_is(TSNode parent, const char *field, TSNode node);

/* Whether the node's text is text[0..len). */
bool lm_node_text_eq(const lm_source *src, TSNode node, const char *text, size_t len);

/* Whether `node` opens another frame: a def, a class or a lambda. */
bool lm_is_nested_scope(TSNode node);

/*
 * Whether `node` (a name or an attribute) is bound or deleted where it
 * stands: an assignment or for target (also inside tuples and lists), an
 * `as` target, `del`, a walrus, an import, or a def's or class's name.
 */
bool lm_is_target(TSNode node);

/*
 * Whether the handle (a name, or an attribute such as `self._lock`: nodes
 * of type `type` whose text is text[0..len)) is rebound or deleted under
 * `node`, in this frame.  A nested function's body is another frame, but
 * its name is bound in this one.
 */
bool lm_rebound(const lm_source *src, TSNode node, const char *type, const char *text, size_t len);

/*
 * Whether a subprocess.Popen call may give the process pipes (stdin, stdout
 * or stderr by keyword or by position, the 4th to 6th): 1 when it does, 2
 * when it may (through *args or **kwargs), 0 when it does not.  Its `with`
 * closes them; wait() does not.
 */
int lm_popen_pipes(const lm_source *src, TSNode call);

/* The number of items of a with_clause. */
unsigned lm_with_item_count(TSNode clause);

/* The first statement of a block, past comments (the block itself if none). */
TSNode lm_block_first_statement(TSNode block);

/* ---- attributes an object owns ------------------------------------------- */

typedef struct lm_owned {
	TSNode owner;          /* the class */
	TSNode method;         /* the method that acquires */
	TSNode release_stmt;   /* the statement `self.<attr>.<release>()` */
	TSNode release_method; /* the method that holds it */
} lm_owned;

/*
 * Whether `self.<attr> = <resource call>` (the assignment `assign`, in
 * statement `stmt`, of a resource of `kind`) is an attribute its class owns
 * and releases exactly once: by the kind's release, in a statement of its
 * own, in another method of the class (bases and subclasses in the file
 * count as the class; any other release, alias, hand-off, store or return
 * rules it out).  Returns 1 and fills *out; 0 with *why, a short static
 * reason, when it is a candidate that does not qualify; -1 when it is not a
 * candidate at all (not in a method).
 */
int lm_owned_release(lm_owned *out, const lm_source *src, const lm_kind *kind, TSNode stmt,
                     TSNode assign, TSNode attr, const char **why);

/*
 * In a comment `c[0..n)` (starting at its '#'), the offset just past
 * "SIM115" when it reads `# noqa: SIM115`, else 0.
 */
size_t lm_noqa_sim115_end(const char *c, size_t n);

/* Whether `c` starts with a rule code (`E501`), as a noqa parser reads one. */
bool lm_noqa_starts_code(const char *c, size_t n);

#endif
